"""Worker blocks through boto3 (CreateWorkerBlock, DeleteWorkerBlock, ListWorkerBlocks) and the worker API."""

import pytest

from tests.integration.conftest import mturk_client
from tests.support import funded_requester, hit_args

YEAR = 31536000


def test_a_blocked_worker_cannot_accept_the_requesters_hits(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()

    mturk.create_worker_block(WorkerId=worker.worker_id, Reason="Spam answers")
    status, body = worker.accept(hit["HITId"])

    assert status == 403
    assert body["Error"]["Code"] == "WorkerBlocked"
    assert "blocked" in body["Error"]["Message"]
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsAvailable"] == 3


def test_a_block_does_not_reach_other_requesters_hits(endpoint, mturk, new_worker):
    other = mturk_client(endpoint, funded_requester(endpoint))
    hit = other.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()

    mturk.create_worker_block(WorkerId=worker.worker_id, Reason="Spam answers")

    assert worker.accept(hit["HITId"])[0] == 201


def test_unblocking_lets_the_worker_accept_again(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    mturk.create_worker_block(WorkerId=worker.worker_id, Reason="Spam answers")

    mturk.delete_worker_block(WorkerId=worker.worker_id, Reason="Appeal accepted")

    assert worker.accept(hit["HITId"])[0] == 201


def test_work_accepted_before_the_block_can_still_be_submitted(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment = worker.accept(hit["HITId"])[1]["Assignment"]

    mturk.create_worker_block(WorkerId=worker.worker_id, Reason="Too slow")
    status, _ = worker.submit(assignment["AssignmentId"], {"comment": "done"})

    assert status == 200


def test_a_blocked_worker_no_longer_sees_the_requesters_hits(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assert hit["HITId"] in listed(worker)

    mturk.create_worker_block(WorkerId=worker.worker_id, Reason="Spam answers")

    assert hit["HITId"] not in listed(worker)


def listed(worker) -> set[str]:
    seen: set[str] = set()
    token = None
    while True:
        status, body = worker.list_hits(token)
        assert status == 200, body
        seen.update(h["HITId"] for h in body["HITs"])
        token = body.get("NextToken")
        if not token:
            return seen


def test_deleting_a_block_that_does_not_exist_succeeds(mturk):
    assert mturk.delete_worker_block(WorkerId="ANOTBLOCKED123")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_block_needs_a_reason(mturk):
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.create_worker_block(WorkerId="AWORKER1234567", Reason="")


def test_blocks_are_listed_with_their_reasons_and_reblocking_updates_the_reason(mturk):
    mturk.create_worker_block(WorkerId="AWORKERB000001", Reason="first")
    mturk.create_worker_block(WorkerId="AWORKERA000001", Reason="spam")
    mturk.create_worker_block(WorkerId="AWORKERB000001", Reason="second")

    listed = mturk.list_worker_blocks()

    assert listed["NumResults"] == 2
    assert sorted((b["WorkerId"], b["Reason"]) for b in listed["WorkerBlocks"]) == [
        ("AWORKERA000001", "spam"),
        ("AWORKERB000001", "second"),
    ]


def test_worker_blocks_are_paginated_and_private_to_the_requester(endpoint, mturk):
    blocked = [f"AWORKER{i:07d}" for i in range(5)]
    for worker_id in blocked:
        mturk.create_worker_block(WorkerId=worker_id, Reason="r")

    pages = list(mturk.get_paginator("list_worker_blocks").paginate(PaginationConfig={"PageSize": 2}))

    assert [page["NumResults"] for page in pages] == [2, 2, 1]
    assert [b["WorkerId"] for page in pages for b in page["WorkerBlocks"]] == blocked
    other = mturk_client(endpoint, funded_requester(endpoint))
    assert other.list_worker_blocks()["WorkerBlocks"] == []
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.list_worker_blocks(NextToken="not-a-token")
