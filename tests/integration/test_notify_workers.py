"""NotifyWorkers through boto3, and the worker's inbox at GET /worker/api/messages."""

import pytest

from tests.support import hit_args

YEAR = 31536000


def inbox(worker, next_token: str | None = None):
    query = f"?NextToken={next_token}" if next_token else ""
    status, body = worker.call("GET", f"/worker/api/messages{query}")
    assert status == 200, body
    return body


def reviewed_worker(mturk, new_worker, approve: bool = True):
    """A worker whose work the requester has approved (or rejected): MTurk lets it message them."""
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment = worker.accept(hit["HITId"])[1]["Assignment"]
    worker.submit(assignment["AssignmentId"], {"comment": "done"})
    if approve:
        mturk.approve_assignment(AssignmentId=assignment["AssignmentId"])
    else:
        mturk.reject_assignment(AssignmentId=assignment["AssignmentId"], RequesterFeedback="Not quite")
    return worker


def test_a_worker_who_worked_for_the_requester_gets_the_message(mturk, new_worker):
    worker = reviewed_worker(mturk, new_worker)

    response = mturk.notify_workers(Subject="Thanks", MessageText="Great work!", WorkerIds=[worker.worker_id])

    assert response["NotifyWorkersFailureStatuses"] == []
    [message] = inbox(worker)["Messages"]
    assert message["Subject"] == "Thanks"
    assert message["MessageText"] == "Great work!"
    assert len(message["MessageId"]) == 30


def test_a_worker_whose_work_was_rejected_can_be_messaged(mturk, new_worker):
    worker = reviewed_worker(mturk, new_worker, approve=False)

    response = mturk.notify_workers(Subject="Sorry", MessageText="About that", WorkerIds=[worker.worker_id])

    assert response["NotifyWorkersFailureStatuses"] == []
    assert len(inbox(worker)["Messages"]) == 1


def test_a_worker_who_only_accepted_is_not_reachable_until_reviewed(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment = worker.accept(hit["HITId"])[1]["Assignment"]
    worker.submit(assignment["AssignmentId"], {"comment": "done"})

    before = mturk.notify_workers(Subject="Hi", MessageText="Text", WorkerIds=[worker.worker_id])
    mturk.approve_assignment(AssignmentId=assignment["AssignmentId"])
    after = mturk.notify_workers(Subject="Hi", MessageText="Text", WorkerIds=[worker.worker_id])

    assert [f["WorkerId"] for f in before["NotifyWorkersFailureStatuses"]] == [worker.worker_id]
    assert after["NotifyWorkersFailureStatuses"] == []


def test_workers_who_never_worked_for_the_requester_come_back_as_hard_failures(mturk, new_worker):
    worked, stranger = reviewed_worker(mturk, new_worker), new_worker()

    response = mturk.notify_workers(
        Subject="Hello",
        MessageText="Text",
        WorkerIds=[worked.worker_id, stranger.worker_id, "AUNKNOWN000001"],
    )

    failures = response["NotifyWorkersFailureStatuses"]
    assert [f["WorkerId"] for f in failures] == [stranger.worker_id, "AUNKNOWN000001"]
    assert {f["NotifyWorkersFailureCode"] for f in failures} == {"HardFailure"}
    assert all(f["NotifyWorkersFailureMessage"] for f in failures)
    assert len(inbox(worked)["Messages"]) == 1
    assert inbox(stranger)["Messages"] == []


def test_the_inbox_is_newest_first_and_paginated(mturk, new_worker):
    worker = reviewed_worker(mturk, new_worker)
    for i in range(27):
        mturk.notify_workers(Subject=f"Message {i}", MessageText="Text", WorkerIds=[worker.worker_id])

    first = inbox(worker)
    second = inbox(worker, first["NextToken"])

    subjects = [m["Subject"] for m in first["Messages"] + second["Messages"]]
    assert len(first["Messages"]) == 25
    assert subjects == [f"Message {i}" for i in reversed(range(27))]


@pytest.mark.parametrize(
    "arguments",
    [
        {"Subject": "x" * 201, "MessageText": "Text", "WorkerIds": ["AWORKER1234567"]},
        {"Subject": "Hi", "MessageText": "x" * 4097, "WorkerIds": ["AWORKER1234567"]},
        {"Subject": "Hi", "MessageText": "Text", "WorkerIds": []},
        {"Subject": "Hi", "MessageText": "Text", "WorkerIds": [f"AWORKER{i:07d}" for i in range(101)]},
    ],
    ids=["long subject", "long text", "no workers", "101 workers"],
)
def test_notify_workers_limits_are_enforced(mturk, arguments):
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.notify_workers(**arguments)


def test_the_inbox_needs_a_signed_in_worker(new_worker):
    worker = new_worker()

    status, _ = worker.call("GET", "/worker/api/messages", auth=False)

    assert status == 401
