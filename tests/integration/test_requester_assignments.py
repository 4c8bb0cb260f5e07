"""A requester reads workers' assignments: GetAssignment and ListAssignmentsForHIT through boto3."""

from datetime import timedelta

import pytest

from tests.support import hit_args

YEAR = 31_536_000


def refusal(client, operation: str, **kwargs) -> dict:
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response


def accepted(worker, hit_id: str) -> str:
    status, body = worker.accept(hit_id)
    assert status == 201, body
    return body["Assignment"]["AssignmentId"]


def submitted(worker, hit_id: str, answer: str = "a cat") -> str:
    assignment_id = accepted(worker, hit_id)
    status, body = worker.submit(assignment_id, {"comment": answer})
    assert status == 200, body
    return assignment_id


@pytest.fixture
def hit(mturk) -> dict:
    return mturk.create_hit(
        **hit_args(
            MaxAssignments=3,
            LifetimeInSeconds=YEAR,
            AssignmentDurationInSeconds=600,
            AutoApprovalDelayInSeconds=259200,
        )
    )["HIT"]


def test_get_assignment_returns_the_submitted_work_and_its_hit(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"], "a cat")

    result = mturk.get_assignment(AssignmentId=assignment_id)

    assignment = result["Assignment"]
    assert assignment["AssignmentId"] == assignment_id
    assert assignment["WorkerId"] == worker.worker_id
    assert assignment["HITId"] == hit["HITId"]
    assert assignment["AssignmentStatus"] == "Submitted"
    assert assignment["Deadline"] - assignment["AcceptTime"] == timedelta(seconds=600)
    assert assignment["AutoApprovalTime"] - assignment["SubmitTime"] == timedelta(seconds=259200)
    assert assignment["AcceptTime"] <= assignment["SubmitTime"]
    assert "<QuestionIdentifier>comment</QuestionIdentifier>" in assignment["Answer"]
    assert "<FreeText>a cat</FreeText>" in assignment["Answer"]
    assert not {"ApprovalTime", "RejectionTime", "RequesterFeedback"} & set(assignment)
    assert result["HIT"]["HITId"] == hit["HITId"]
    assert result["HIT"]["NumberOfAssignmentsPending"] == 0
    assert result["HIT"]["NumberOfAssignmentsAvailable"] == 2


def test_get_assignment_of_work_in_progress_says_it_does_not_exist(mturk, new_worker, hit):
    assignment_id = accepted(new_worker(), hit["HITId"])

    error = refusal(mturk, "get_assignment", AssignmentId=assignment_id)

    assert error["Error"]["Message"].startswith(f"Assignment {assignment_id} does not exist.")


@pytest.mark.parametrize("assignment_id", ["34QN5IT0T2G6HMWH25AHYCMAK3608U", "SHORT1"])
def test_get_assignment_of_an_unknown_assignment_says_it_does_not_exist(mturk, assignment_id):
    error = refusal(mturk, "get_assignment", AssignmentId=assignment_id)

    assert error["Error"]["Message"].startswith(f"Assignment {assignment_id} does not exist.")


def test_list_assignments_for_hit_lists_submitted_work_not_work_in_progress(mturk, new_worker, hit):
    first = submitted(new_worker(), hit["HITId"], "one")
    accepted(new_worker(), hit["HITId"])
    second = submitted(new_worker(), hit["HITId"], "two")

    listed = mturk.list_assignments_for_hit(HITId=hit["HITId"])

    assert listed["NumResults"] == 2
    assert [a["AssignmentId"] for a in listed["Assignments"]] == [first, second]
    assert {a["AssignmentStatus"] for a in listed["Assignments"]} == {"Submitted"}
    assert "NextToken" not in listed
    assert listed["Assignments"][0] == mturk.get_assignment(AssignmentId=first)["Assignment"]


def test_list_assignments_for_a_hit_without_submitted_work_is_empty(mturk, new_worker, hit):
    accepted(new_worker(), hit["HITId"])

    listed = mturk.list_assignments_for_hit(HITId=hit["HITId"])

    assert (listed["NumResults"], listed["Assignments"]) == (0, [])


def test_a_returned_assignment_is_not_listed(mturk, new_worker, hit):
    worker = new_worker()
    worker.return_(accepted(worker, hit["HITId"]))

    assert mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"] == []


def test_list_assignments_for_hit_filters_by_assignment_status(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])

    submitted_only = mturk.list_assignments_for_hit(HITId=hit["HITId"], AssignmentStatuses=["Submitted"])
    reviewed_only = mturk.list_assignments_for_hit(
        HITId=hit["HITId"], AssignmentStatuses=["Approved", "Rejected"]
    )

    assert [a["AssignmentId"] for a in submitted_only["Assignments"]] == [assignment_id]
    assert (reviewed_only["NumResults"], reviewed_only["Assignments"]) == (0, [])


@pytest.mark.parametrize("statuses", [["Accepted"], ["Submitted", "Abandoned"], ["submitted"]])
def test_list_assignments_for_hit_with_an_unknown_status_is_refused(mturk, hit, statuses):
    refusal(mturk, "list_assignments_for_hit", HITId=hit["HITId"], AssignmentStatuses=statuses)


def test_list_assignments_for_an_unknown_hit_says_it_does_not_exist(mturk):
    error = refusal(mturk, "list_assignments_for_hit", HITId="3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW")

    assert error["Error"]["Message"].startswith("Hit 3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW does not exist.")
