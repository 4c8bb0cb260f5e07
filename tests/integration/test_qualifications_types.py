"""Qualification types through boto3: create, read, update, delete, list, with MTurk's rules and errors."""

import pytest

from tests.integration.conftest import mturk_client
from tests.support import QUESTION_FORM, funded_requester

ANSWER_KEY = (
    '<AnswerKey xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd">'
    "<Question><QuestionIdentifier>colour</QuestionIdentifier></Question></AnswerKey>"
)


@pytest.fixture
def other(endpoint):
    """boto3's mturk client for a second requester, B."""
    return mturk_client(endpoint, funded_requester(endpoint))


def create(client, name: str = "Image labeller", **overrides):
    args = {"Name": name, "Description": "Labels images well", "QualificationTypeStatus": "Active"}
    args.update(overrides)
    return client.create_qualification_type(**args)["QualificationType"]


def refused(client, operation: str, code: str | None = None, **kwargs) -> str:
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    if code:
        assert caught.value.response["TurkErrorCode"] == f"AWS.MechanicalTurk.{code}"
    return caught.value.response["Error"]["Message"]


def test_created_type_echoes_its_properties_with_defaults(mturk):
    created = create(mturk, Keywords="images, labels", AutoGranted=True, RetryDelayInSeconds=60)

    assert created["Name"] == "Image labeller"
    assert created["Keywords"] == "images, labels"
    assert created["QualificationTypeStatus"] == "Active"
    assert created["AutoGranted"] is True
    assert created["AutoGrantedValue"] == 1
    assert created["RetryDelayInSeconds"] == 60
    assert created["IsRequestable"] is True
    assert (
        mturk.get_qualification_type(QualificationTypeId=created["QualificationTypeId"])["QualificationType"]
        == created
    )


def test_type_with_a_test_and_answer_key_is_kept(mturk):
    created = create(mturk, Test=QUESTION_FORM, AnswerKey=ANSWER_KEY, TestDurationInSeconds=300)

    fetched = mturk.get_qualification_type(QualificationTypeId=created["QualificationTypeId"])
    assert fetched["QualificationType"]["Test"] == QUESTION_FORM
    assert fetched["QualificationType"]["AnswerKey"] == ANSWER_KEY
    assert fetched["QualificationType"]["TestDurationInSeconds"] == 300


def test_second_type_with_the_same_name_is_refused(mturk):
    create(mturk)

    message = refused(
        mturk,
        "create_qualification_type",
        "QualificationTypeAlreadyExists",
        Name="Image labeller",
        Description="again",
        QualificationTypeStatus="Active",
    )
    assert message.startswith("You have already created a QualificationType with this name.")


def test_two_requesters_may_use_the_same_name(mturk, other):
    create(mturk)
    create(other)


def test_deleted_type_is_gone_and_its_name_free(mturk):
    type_id = create(mturk)["QualificationTypeId"]

    mturk.delete_qualification_type(QualificationTypeId=type_id)

    refused(mturk, "get_qualification_type", "QualificationTypeDoesNotExist", QualificationTypeId=type_id)
    refused(mturk, "delete_qualification_type", "QualificationTypeDoesNotExist", QualificationTypeId=type_id)
    listed = mturk.list_qualification_types(MustBeRequestable=False, MustBeOwnedByCaller=True)
    assert listed["QualificationTypes"] == []
    assert create(mturk)["QualificationTypeId"] != type_id


@pytest.mark.parametrize(
    "overrides",
    [
        {"Description": "x" * 2001},
        {"Keywords": "k" * 1001},
        {"Test": QUESTION_FORM},  # without TestDurationInSeconds
        {"Test": QUESTION_FORM, "TestDurationInSeconds": 60, "AutoGranted": True},
        {"AnswerKey": ANSWER_KEY},  # without a Test
        {"RetryDelayInSeconds": -1},
    ],
)
def test_invalid_type_is_refused(mturk, overrides):
    refused(
        mturk,
        "create_qualification_type",
        **{"Name": "Bad", "Description": "d", "QualificationTypeStatus": "Active", **overrides},
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"Test": "<QuestionForm>not closed", "TestDurationInSeconds": 60},
        {"Test": QUESTION_FORM.replace("QuestionForm", "HTMLQuestion"), "TestDurationInSeconds": 60},
        {"Test": QUESTION_FORM, "TestDurationInSeconds": 60, "AnswerKey": "<Answers/>"},
        {"Test": QUESTION_FORM, "TestDurationInSeconds": 60, "AnswerKey": "<AnswerKey"},
    ],
)
def test_malformed_test_or_answer_key_is_an_xml_parse_error(mturk, overrides):
    refused(
        mturk,
        "create_qualification_type",
        "XMLParseError",
        **{"Name": "Bad", "Description": "d", "QualificationTypeStatus": "Active", **overrides},
    )


def test_update_changes_what_it_names_and_keeps_the_rest(mturk):
    type_id = create(mturk, Keywords="images", RetryDelayInSeconds=10)["QualificationTypeId"]

    updated = mturk.update_qualification_type(
        QualificationTypeId=type_id,
        Description="New words",
        QualificationTypeStatus="Inactive",
        RetryDelayInSeconds=20,
        AutoGranted=True,
        AutoGrantedValue=5,
    )["QualificationType"]

    assert updated["Description"] == "New words"
    assert updated["QualificationTypeStatus"] == "Inactive"
    assert updated["RetryDelayInSeconds"] == 20
    assert updated["AutoGrantedValue"] == 5
    assert updated["Keywords"] == "images"
    assert mturk.get_qualification_type(QualificationTypeId=type_id)["QualificationType"] == updated


def test_new_test_without_answer_key_removes_the_answer_key(mturk):
    type_id = create(mturk, Test=QUESTION_FORM, AnswerKey=ANSWER_KEY, TestDurationInSeconds=60)[
        "QualificationTypeId"
    ]

    updated = mturk.update_qualification_type(
        QualificationTypeId=type_id, Test=QUESTION_FORM, TestDurationInSeconds=90
    )["QualificationType"]

    assert "AnswerKey" not in updated
    assert updated["TestDurationInSeconds"] == 90


def test_type_with_a_test_cannot_become_auto_granted(mturk):
    type_id = create(mturk, Test=QUESTION_FORM, TestDurationInSeconds=60)["QualificationTypeId"]

    refused(mturk, "update_qualification_type", QualificationTypeId=type_id, AutoGranted=True)
    refused(mturk, "update_qualification_type", QualificationTypeId=type_id, TestDurationInSeconds=30)


def test_another_requesters_type_does_not_exist_for_changes(mturk, other):
    type_id = create(mturk)["QualificationTypeId"]

    for operation, extra in [
        ("update_qualification_type", {"Description": "mine now"}),
        ("delete_qualification_type", {}),
    ]:
        message = refused(
            other, operation, "QualificationTypeDoesNotExist", QualificationTypeId=type_id, **extra
        )
        assert "does not exist" in message
    assert mturk.get_qualification_type(QualificationTypeId=type_id)["QualificationType"]["Description"] == (
        "Labels images well"
    )


def test_another_requesters_type_is_readable_only_while_active_and_without_its_answer_key(mturk, other):
    created = create(mturk, Test=QUESTION_FORM, AnswerKey=ANSWER_KEY, TestDurationInSeconds=60)
    type_id = created["QualificationTypeId"]

    seen = other.get_qualification_type(QualificationTypeId=type_id)["QualificationType"]
    assert seen["Name"] == created["Name"]
    assert "AnswerKey" not in seen

    mturk.update_qualification_type(QualificationTypeId=type_id, QualificationTypeStatus="Inactive")
    refused(other, "get_qualification_type", "QualificationTypeDoesNotExist", QualificationTypeId=type_id)


def test_unknown_type_does_not_exist(mturk):
    refused(
        mturk, "get_qualification_type", "QualificationTypeDoesNotExist", QualificationTypeId="NOSUCHTYPE"
    )
