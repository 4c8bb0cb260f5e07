"""Bad input that boto3 sends unchecked (maximums, patterns, enums, XML): a RequestError, never a 500, no write."""

import pytest

from tests.support import EXTERNAL_QUESTION, HTML_QUESTION, hit_args

HIT_ID = "3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW"
EXTERNAL_NS = (
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    f'<ExternalQuestion xmlns="{EXTERNAL_NS}"><ExternalURL>https://example.org/&lol4;</ExternalURL>'
    "<FrameHeight>0</FrameHeight></ExternalQuestion>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    f'<ExternalQuestion xmlns="{EXTERNAL_NS}"><ExternalURL>https://example.org/&secret;</ExternalURL>'
    "<FrameHeight>0</FrameHeight></ExternalQuestion>"
)
OVERSIZED = HTML_QUESTION.replace("<textarea", "<p>" + "x" * 65536 + "</p><textarea")

BAD_QUESTIONS = {
    "not-well-formed": "<HTMLQuestion><HTMLContent>",
    "not-xml": "What colour is the sky?",
    "empty": "",
    "wrong-root": f'<Survey xmlns="{EXTERNAL_NS}"><ExternalURL>https://example.org/</ExternalURL></Survey>',
    "no-namespace": "<ExternalQuestion><ExternalURL>https://example.org/</ExternalURL>"
    "<FrameHeight>0</FrameHeight></ExternalQuestion>",
    "wrong-namespace": EXTERNAL_QUESTION.replace("2006-07-14/ExternalQuestion", "2011-11-11/HTMLQuestion"),
    "billion-laughs": BILLION_LAUGHS,
    "external-entity": EXTERNAL_ENTITY,
    "http-external-url": EXTERNAL_QUESTION.replace("https://", "http://"),
    "no-frame-height": EXTERNAL_QUESTION.replace("<FrameHeight>400</FrameHeight>", ""),
    "frame-height-not-a-number": EXTERNAL_QUESTION.replace("<FrameHeight>400", "<FrameHeight>tall"),
    "frame-height-in-other-digits": EXTERNAL_QUESTION.replace("<FrameHeight>400", "<FrameHeight>٤٠٠"),
    "over-65535-bytes": OVERSIZED,
}


def refusal(client, operation: str, **kwargs) -> dict:
    """The RequestError a call is refused with: HTTP 400 with a message, never a ServiceFault."""
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Message"]
    return response


@pytest.mark.parametrize(
    "operation, kwargs",
    [
        ("list_hits", {"MaxResults": 101}),
        ("list_reviewable_hits", {"MaxResults": 101}),
        ("list_assignments_for_hit", {"HITId": HIT_ID, "MaxResults": 101}),
        ("list_reviewable_hits", {"Status": "Disposed"}),
        ("list_reviewable_hits", {"HITTypeId": "not-an-id"}),
        ("list_hits", {"NextToken": "x" * 256}),
        ("get_hit", {"HITId": "abc"}),
        ("get_hit", {"HITId": "A" * 65}),
        ("get_assignment", {"AssignmentId": "abc"}),
        ("delete_hit", {"HITId": "3vj4pfxfj5vxuc3i783duqkomf2uaw"}),
        ("update_expiration_for_hit", {"HITId": "abc", "ExpireAt": 0}),
        ("update_hit_review_status", {"HITId": "abc"}),
        ("update_hit_type_of_hit", {"HITId": HIT_ID, "HITTypeId": "abc"}),
        ("create_additional_assignments_for_hit", {"HITId": "abc", "NumberOfAdditionalAssignments": 1}),
        (
            "create_hit_with_hit_type",
            {"HITTypeId": "abc", "LifetimeInSeconds": 60, "Question": HTML_QUESTION},
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "-".join(value),
)
def test_out_of_model_values_are_refused(mturk, operation, kwargs):
    error = refusal(mturk, operation, **kwargs)

    assert any(name in error["Error"]["Message"] for name in kwargs)


@pytest.mark.parametrize(
    "overrides",
    [
        {"LifetimeInSeconds": 29},
        {"LifetimeInSeconds": 31536001},
        {"AssignmentDurationInSeconds": 29},
        {"AssignmentDurationInSeconds": 31536001},
        {"AutoApprovalDelayInSeconds": -1},
        {"AutoApprovalDelayInSeconds": 2592001},
        {"MaxAssignments": 0},
        {"MaxAssignments": 1000000001},
        {"Title": "T" * 129},
        {"Title": ""},
        {"Title": "   "},
        {"Description": "D" * 2001},
        {"Description": ""},
        {"Keywords": "k" * 1001},
        {"RequesterAnnotation": "r" * 256},
        {"Reward": "abc"},
        {"Reward": "1.234"},
        {"Reward": "-1.00"},
        {"Reward": "$1.00"},
        {"Reward": "1000000000.01"},
        {"Reward": "9" * 40},
        {"UniqueRequestToken": "t" * 65},
        {"QualificationRequirements": [{"QualificationTypeId": "00000000000000000071", "Comparator": "Foo"}]},
        {
            "QualificationRequirements": [
                {"QualificationTypeId": "00000000000000000040", "Comparator": "Exists"}
            ]
            * 11
        },
        {"HITLayoutId": "3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA"},
        {"AssignmentReviewPolicy": {"PolicyName": "MadeUp/2024-01-01"}},
    ],
    ids=lambda overrides: "-".join(f"{k}={str(v)[:12]}" for k, v in overrides.items()),
)
def test_create_hit_with_a_bad_value_is_refused_and_creates_nothing(mturk, overrides):
    refusal(mturk, "create_hit", **hit_args(**overrides))

    assert mturk.list_hits()["NumResults"] == 0


@pytest.mark.parametrize("question", BAD_QUESTIONS.values(), ids=BAD_QUESTIONS.keys())
def test_create_hit_with_a_bad_question_is_refused_and_creates_nothing(mturk, question):
    refusal(mturk, "create_hit", **hit_args(Question=question))

    assert mturk.list_hits()["NumResults"] == 0


@pytest.mark.parametrize("question", BAD_QUESTIONS.values(), ids=BAD_QUESTIONS.keys())
def test_create_hit_with_hit_type_and_a_bad_question_is_refused(mturk, question):
    hit_type_id = mturk.create_hit_type(
        Title="t", Description="d", Reward="0.10", AssignmentDurationInSeconds=60
    )["HITTypeId"]

    refusal(mturk, "create_hit_with_hit_type", HITTypeId=hit_type_id, LifetimeInSeconds=60, Question=question)

    assert mturk.list_hits()["NumResults"] == 0


APPROVED = "00000000000000000040"
LOCALE = "00000000000000000071"
BAD_REQUIREMENTS = {
    "exists-with-a-value": {"QualificationTypeId": APPROVED, "Comparator": "Exists", "IntegerValues": [1]},
    "greater-than-without-a-value": {"QualificationTypeId": APPROVED, "Comparator": "GreaterThan"},
    "greater-than-two-values": {
        "QualificationTypeId": APPROVED,
        "Comparator": "GreaterThan",
        "IntegerValues": [1, 2],
    },
    "in-without-values": {"QualificationTypeId": APPROVED, "Comparator": "In", "IntegerValues": []},
    "in-16-integers": {"QualificationTypeId": APPROVED, "Comparator": "In", "IntegerValues": list(range(16))},
    "in-100000-integers": {
        "QualificationTypeId": APPROVED,
        "Comparator": "In",
        "IntegerValues": list(range(100000)),
    },
    "in-31-locales": {
        "QualificationTypeId": LOCALE,
        "Comparator": "In",
        "LocaleValues": [{"Country": "US"}] * 31,
    },
    "locale-equal-to-two": {
        "QualificationTypeId": LOCALE,
        "Comparator": "EqualTo",
        "LocaleValues": [{"Country": "US"}, {"Country": "CA"}],
    },
    "locale-less-than": {
        "QualificationTypeId": LOCALE,
        "Comparator": "LessThan",
        "LocaleValues": [{"Country": "US"}],
    },
    "locale-with-integers": {"QualificationTypeId": LOCALE, "Comparator": "EqualTo", "IntegerValues": [1]},
    "locales-on-another-type": {
        "QualificationTypeId": APPROVED,
        "Comparator": "EqualTo",
        "LocaleValues": [{"Country": "US"}],
    },
    "integers-and-locales": {
        "QualificationTypeId": LOCALE,
        "Comparator": "In",
        "IntegerValues": [1],
        "LocaleValues": [{"Country": "US"}],
    },
    "country-of-three-letters": {
        "QualificationTypeId": LOCALE,
        "Comparator": "EqualTo",
        "LocaleValues": [{"Country": "USA"}],
    },
    "actions-guarded-and-required-to-preview": {
        "QualificationTypeId": APPROVED,
        "Comparator": "Exists",
        "ActionsGuarded": "Accept",
        "RequiredToPreview": True,
    },
    "unknown-actions-guarded": {
        "QualificationTypeId": APPROVED,
        "Comparator": "Exists",
        "ActionsGuarded": "Preview",
    },
}
GOOD_REQUIREMENTS = {
    "exists": {"QualificationTypeId": APPROVED, "Comparator": "Exists"},
    "at-least": {
        "QualificationTypeId": APPROVED,
        "Comparator": "GreaterThanOrEqualTo",
        "IntegerValues": [100],
    },
    "in-15-integers": {
        "QualificationTypeId": APPROVED,
        "Comparator": "NotIn",
        "IntegerValues": list(range(15)),
    },
    "locale-in-30": {
        "QualificationTypeId": LOCALE,
        "Comparator": "In",
        "LocaleValues": [{"Country": "US"}] * 30,
    },
    "locale-subdivision": {
        "QualificationTypeId": LOCALE,
        "Comparator": "EqualTo",
        "LocaleValues": [{"Country": "US", "Subdivision": "WA"}],
    },
    "required-to-preview": {
        "QualificationTypeId": APPROVED,
        "Comparator": "Exists",
        "RequiredToPreview": True,
    },
}


@pytest.mark.parametrize("requirement", BAD_REQUIREMENTS.values(), ids=BAD_REQUIREMENTS.keys())
def test_create_hit_with_a_bad_qualification_requirement_is_refused(mturk, requirement):
    refusal(mturk, "create_hit", **hit_args(QualificationRequirements=[requirement]))

    assert mturk.list_hits()["NumResults"] == 0


@pytest.mark.parametrize("requirement", GOOD_REQUIREMENTS.values(), ids=GOOD_REQUIREMENTS.keys())
def test_create_hit_with_a_well_formed_qualification_requirement_keeps_it(mturk, requirement):
    hit = mturk.create_hit(**hit_args(QualificationRequirements=[requirement]))["HIT"]

    kept = hit["QualificationRequirements"][0]
    assert {k: v for k, v in kept.items() if k != "ActionsGuarded"} == requirement
    assert kept.get("ActionsGuarded", "Accept") == requirement.get("ActionsGuarded", "Accept")


def test_a_question_of_exactly_65535_bytes_is_accepted(mturk):
    padding = 65535 - len(HTML_QUESTION.encode()) - len("<p></p>")
    question = HTML_QUESTION.replace("<textarea", "<p>" + "x" * padding + "</p><textarea")
    assert len(question.encode()) == 65535

    hit = mturk.create_hit(**hit_args(Question=question))["HIT"]

    assert hit["Question"] == question


def test_create_hit_with_both_question_and_layout_is_refused(mturk):
    error = refusal(mturk, "create_hit", **hit_args(HITLayoutId="3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA"))

    assert "Question" in error["Error"]["Message"] and "HITLayoutId" in error["Error"]["Message"]


def test_create_hit_with_neither_question_nor_layout_is_refused(mturk):
    args = hit_args()
    del args["Question"]

    error = refusal(mturk, "create_hit", **args)

    assert "Question" in error["Error"]["Message"] and "HITLayoutId" in error["Error"]["Message"]
    assert mturk.list_hits()["NumResults"] == 0


def test_create_hit_with_hit_type_with_neither_question_nor_layout_is_refused(mturk):
    hit_type_id = mturk.create_hit_type(
        Title="t", Description="d", Reward="0.10", AssignmentDurationInSeconds=60
    )["HITTypeId"]

    refusal(mturk, "create_hit_with_hit_type", HITTypeId=hit_type_id, LifetimeInSeconds=60)


@pytest.mark.parametrize(
    "overrides",
    [
        {"LifetimeInSeconds": 29},
        {"LifetimeInSeconds": 31536001},
        {"MaxAssignments": 0},
        {"RequesterAnnotation": "r" * 256},
        {"UniqueRequestToken": "t" * 65},
    ],
    ids=lambda overrides: "-".join(f"{k}={str(v)[:12]}" for k, v in overrides.items()),
)
def test_create_hit_with_hit_type_with_a_bad_value_is_refused(mturk, overrides):
    hit_type_id = mturk.create_hit_type(
        Title="t", Description="d", Reward="0.10", AssignmentDurationInSeconds=60
    )["HITTypeId"]
    args = {"HITTypeId": hit_type_id, "LifetimeInSeconds": 60, "Question": HTML_QUESTION, **overrides}

    refusal(mturk, "create_hit_with_hit_type", **args)

    assert mturk.list_hits()["NumResults"] == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"Title": "T" * 129},
        {"Reward": "1.234"},
        {"Reward": "9" * 40},
        {"AssignmentDurationInSeconds": 29},
        {"AutoApprovalDelayInSeconds": 2592001},
        {
            "QualificationRequirements": [
                {"QualificationTypeId": "00000000000000000071", "Comparator": "Near"}
            ]
        },
    ],
    ids=lambda overrides: "-".join(f"{k}={str(v)[:12]}" for k, v in overrides.items()),
)
def test_create_hit_type_with_a_bad_value_is_refused(mturk, overrides):
    args = {"Title": "t", "Description": "d", "Reward": "0.10", "AssignmentDurationInSeconds": 60}

    refusal(mturk, "create_hit_type", **{**args, **overrides})


def test_a_garbage_pagination_token_is_refused(mturk):
    error = refusal(mturk, "list_hits", NextToken="not-a-token")

    assert "not-a-token" in error["Error"]["Message"]
