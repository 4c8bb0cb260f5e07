"""Workers requesting qualifications (auto-granted, tests scored by an answer key, or waiting for the
requester), RetryDelayInSeconds and TestDurationInSeconds, and the requester's side:
ListQualificationRequests, AcceptQualificationRequest, RejectQualificationRequest."""

import uuid

import pytest

from tests.support import advance_clock

FORM_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2017-11-06/QuestionForm.xsd"
KEY_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd"


def selection_question(identifier: str, choices: list[str]) -> str:
    selections = "".join(
        f"<Selection><SelectionIdentifier>{c}</SelectionIdentifier><Text>{c}</Text></Selection>"
        for c in choices
    )
    return (
        f"<Question><QuestionIdentifier>{identifier}</QuestionIdentifier><QuestionContent><Text>{identifier}?</Text>"
        f"</QuestionContent><AnswerSpecification><SelectionAnswer><Selections>{selections}</Selections>"
        "</SelectionAnswer></AnswerSpecification></Question>"
    )


TEST = (
    f'<QuestionForm xmlns="{FORM_NS}">'
    + selection_question("capital", ["paris", "lyon"])
    + selection_question("sum", ["three", "four"])
    + "</QuestionForm>"
)
ANSWER_KEY = (
    f'<AnswerKey xmlns="{KEY_NS}">'
    "<Question><QuestionIdentifier>capital</QuestionIdentifier><AnswerOption>"
    "<SelectionIdentifier>paris</SelectionIdentifier><AnswerScore>1</AnswerScore></AnswerOption></Question>"
    "<Question><QuestionIdentifier>sum</QuestionIdentifier><AnswerOption>"
    "<SelectionIdentifier>four</SelectionIdentifier><AnswerScore>1</AnswerScore></AnswerOption></Question>"
    "<QualificationValueMapping><PercentageMapping><MaximumSummedScore>2</MaximumSummedScore>"
    "</PercentageMapping></QualificationValueMapping></AnswerKey>"
)


def new_type(mturk, **extra) -> str:
    return mturk.create_qualification_type(
        Name=f"Skill {uuid.uuid4().hex[:8]}", Description="A skill", QualificationTypeStatus="Active", **extra
    )["QualificationType"]["QualificationTypeId"]


def request(worker, type_id, body=None):
    return worker.call("POST", f"/worker/api/qualification-types/{type_id}/request", body or {})


def score(mturk, type_id, worker):
    return mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=worker.worker_id)[
        "Qualification"
    ]


def test_a_test_with_an_answer_key_grants_the_computed_score(mturk, new_worker):
    type_id = new_type(mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=600)
    worker = new_worker()

    status, body = request(worker, type_id, {"Answers": {"capital": "paris", "sum": "three"}})

    assert status == 200, body
    assert body["QualificationRequest"]["Status"] == "Granted"
    assert body["QualificationRequest"]["IntegerValue"] == 50
    assert score(mturk, type_id, worker)["IntegerValue"] == 50
    assert mturk.list_qualification_requests(QualificationTypeId=type_id)["QualificationRequests"] == []


def test_starting_a_test_gives_the_question_form_and_a_deadline(mturk, new_worker, endpoint):
    type_id = new_type(
        mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=300, RetryDelayInSeconds=60
    )
    worker = new_worker()

    status, started = request(worker, type_id)
    assert status == 200
    assert started["QualificationRequest"]["Status"] == "Started"
    assert started["QualificationRequest"]["Test"] == TEST
    advance_clock(endpoint, 301)
    status, late = request(worker, type_id, {"Answers": {"capital": "paris", "sum": "four"}})

    assert status == 409
    assert "ran out" in late["Error"]["Message"]
    with pytest.raises(mturk.exceptions.RequestError):
        score(mturk, type_id, worker)


def test_answers_within_the_test_duration_are_scored(mturk, new_worker, endpoint):
    type_id = new_type(mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=300)
    worker = new_worker()
    request(worker, type_id)
    advance_clock(endpoint, 200)

    status, body = request(worker, type_id, {"Answers": {"capital": "paris", "sum": "four"}})

    assert status == 200, body
    assert score(mturk, type_id, worker)["IntegerValue"] == 100


def test_a_retake_before_the_retry_delay_is_refused_and_allowed_after(mturk, new_worker, endpoint):
    type_id = new_type(
        mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=300, RetryDelayInSeconds=3600
    )
    worker = new_worker()
    request(worker, type_id, {"Answers": {"capital": "lyon", "sum": "three"}})
    assert score(mturk, type_id, worker)["IntegerValue"] == 0

    status, body = request(worker, type_id, {"Answers": {"capital": "paris", "sum": "four"}})
    assert status == 409
    assert "again in" in body["Error"]["Message"]

    advance_clock(endpoint, 3601)
    status, body = request(worker, type_id, {"Answers": {"capital": "paris", "sum": "four"}})
    assert status == 200, body
    assert score(mturk, type_id, worker)["IntegerValue"] == 100


def test_without_a_retry_delay_there_is_no_retake(mturk, new_worker, endpoint):
    type_id = new_type(mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=300)
    worker = new_worker()
    request(worker, type_id, {"Answers": {"capital": "lyon", "sum": "three"}})
    advance_clock(endpoint, 86400)

    status, body = request(worker, type_id, {"Answers": {"capital": "paris", "sum": "four"}})

    assert status == 409
    assert "only once" in body["Error"]["Message"]


def test_auto_granted_types_grant_their_value_on_request(mturk, new_worker):
    type_id = new_type(mturk, AutoGranted=True, AutoGrantedValue=7)
    worker = new_worker()

    status, body = request(worker, type_id)

    assert status == 200
    assert body["QualificationRequest"]["Status"] == "Granted"
    assert score(mturk, type_id, worker)["IntegerValue"] == 7


def test_a_request_without_test_or_auto_grant_waits_for_the_requester_who_accepts_it(mturk, new_worker):
    type_id = new_type(mturk)
    worker = new_worker()
    status, body = request(worker, type_id)
    assert body["QualificationRequest"]["Status"] == "Pending"

    [pending] = mturk.list_qualification_requests(QualificationTypeId=type_id)["QualificationRequests"]
    assert pending["WorkerId"] == worker.worker_id
    assert pending["QualificationRequestId"] == body["QualificationRequest"]["QualificationRequestId"]
    assert "Test" not in pending
    assert pending in mturk.list_qualification_requests()["QualificationRequests"]

    mturk.accept_qualification_request(
        QualificationRequestId=pending["QualificationRequestId"], IntegerValue=42
    )

    assert score(mturk, type_id, worker)["IntegerValue"] == 42
    assert mturk.list_qualification_requests(QualificationTypeId=type_id)["QualificationRequests"] == []
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.accept_qualification_request(QualificationRequestId=pending["QualificationRequestId"])


def test_a_test_without_an_answer_key_is_graded_by_hand_with_the_answers_shown(mturk, new_worker):
    type_id = new_type(mturk, Test=TEST, TestDurationInSeconds=300)
    worker = new_worker()
    request(worker, type_id, {"Answers": {"capital": "paris", "sum": "four"}})

    [pending] = mturk.list_qualification_requests(QualificationTypeId=type_id)["QualificationRequests"]

    assert pending["Test"] == TEST
    assert "<QuestionIdentifier>capital</QuestionIdentifier><FreeText>paris</FreeText>" in pending["Answer"]
    mturk.accept_qualification_request(QualificationRequestId=pending["QualificationRequestId"])
    assert score(mturk, type_id, worker)["IntegerValue"] == 1


def test_a_rejected_request_grants_nothing_and_a_second_pending_request_is_refused(
    mturk, new_worker, endpoint
):
    type_id = new_type(mturk, RetryDelayInSeconds=10)
    worker = new_worker()
    request_id = request(worker, type_id)[1]["QualificationRequest"]["QualificationRequestId"]
    advance_clock(endpoint, 11)
    assert request(worker, type_id)[0] == 409  # still pending

    mturk.reject_qualification_request(QualificationRequestId=request_id, Reason="Not enough experience")

    with pytest.raises(mturk.exceptions.RequestError):
        score(mturk, type_id, worker)
    assert request(worker, type_id)[0] == 200  # the delay has passed and nothing is pending


def test_another_requesters_request_does_not_exist_for_me(mturk, new_worker, endpoint):
    from tests.integration.conftest import mturk_client
    from tests.support import funded_requester

    type_id = new_type(mturk)
    request_id = request(new_worker(), type_id)[1]["QualificationRequest"]["QualificationRequestId"]
    other = mturk_client(endpoint, funded_requester(endpoint))

    with pytest.raises(other.exceptions.RequestError):
        other.accept_qualification_request(QualificationRequestId=request_id)
    with pytest.raises(other.exceptions.RequestError):
        other.reject_qualification_request(QualificationRequestId="NOSUCHREQUEST")
    with pytest.raises(other.exceptions.RequestError):
        other.list_qualification_requests(QualificationTypeId=type_id)


def test_pending_requests_page(mturk, new_worker):
    type_id = new_type(mturk)
    workers = [new_worker() for _ in range(3)]
    for worker in workers:
        request(worker, type_id)

    first = mturk.list_qualification_requests(QualificationTypeId=type_id, MaxResults=2)
    second = mturk.list_qualification_requests(
        QualificationTypeId=type_id, MaxResults=2, NextToken=first["NextToken"]
    )

    listed = [r["WorkerId"] for r in first["QualificationRequests"] + second["QualificationRequests"]]
    assert listed == [w.worker_id for w in workers]
    assert first["NumResults"] == 2 and "NextToken" not in second


def test_inactive_and_system_types_cannot_be_requested(mturk, new_worker):
    type_id = new_type(mturk)
    mturk.update_qualification_type(QualificationTypeId=type_id, QualificationTypeStatus="Inactive")
    worker = new_worker()

    assert request(worker, type_id)[0] == 409
    assert request(worker, "00000000000000000040")[0] == 409
    assert request(worker, "3NOSUCHTYPE0000000000000000001")[0] == 404
    assert request(worker, "x" * 3000)[0] == 404


@pytest.mark.parametrize(
    "body",
    [{"Answers": "paris"}, {"Answers": {"capital": 5}}, {"Answers": {"capital": ["paris", 1]}}],
    ids=["not an object", "not a string", "not strings"],
)
def test_malformed_answers_are_refused_without_using_the_attempt(mturk, new_worker, body):
    type_id = new_type(mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=300)
    worker = new_worker()

    status, answer = request(worker, type_id, body)

    assert status == 400, answer
    assert answer["Error"]["Code"] == "InvalidParameterValue"
    assert request(worker, type_id, {"Answers": {"capital": "paris", "sum": "four"}})[0] == 200


def test_the_worker_sees_requestable_types_with_their_test_but_never_the_answer_key(mturk, new_worker):
    type_id = new_type(mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=300)
    worker = new_worker()
    seen = {}
    token = None
    while True:
        status, body = worker.call(
            "GET", "/worker/api/qualification-types" + (f"?NextToken={token}" if token else "")
        )
        assert status == 200, body
        seen.update({t["QualificationTypeId"]: t for t in body["QualificationTypes"]})
        token = body.get("NextToken")
        if not token:
            break

    assert seen[type_id]["Test"] == TEST
    assert "AnswerKey" not in seen[type_id]


def test_the_worker_sees_their_qualifications_with_scores_and_system_ones(mturk, new_worker):
    type_id = new_type(mturk)
    worker = new_worker()
    mturk.associate_qualification_with_worker(
        QualificationTypeId=type_id, WorkerId=worker.worker_id, IntegerValue=9
    )

    status, body = worker.call("GET", "/worker/api/qualifications")

    assert status == 200
    by_type = {q["QualificationTypeId"]: q for q in body["Qualifications"]}
    assert by_type[type_id]["IntegerValue"] == 9
    assert by_type[type_id]["Status"] == "Granted"
    assert by_type["00000000000000000040"]["IntegerValue"] == 0
    assert by_type["000000000000000000L0"]["IntegerValue"] == 100


def test_deleting_a_type_ends_its_pending_requests(mturk, new_worker):
    type_id = new_type(mturk)
    request_id = request(new_worker(), type_id)[1]["QualificationRequest"]["QualificationRequestId"]

    mturk.delete_qualification_type(QualificationTypeId=type_id)

    listed = mturk.list_qualification_requests()["QualificationRequests"]
    assert request_id not in {r["QualificationRequestId"] for r in listed}
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.accept_qualification_request(QualificationRequestId=request_id)
