"""A worker takes a slot of a HIT: POST /worker/api/hits/{HITId}/accept, over real HTTP."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import advance_clock, hit_args

YEAR = 31536000


def counts(mturk, hit_id: str) -> tuple[int, int, str]:
    """(available, pending, status) as the requester's GetHIT shows them."""
    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    return hit["NumberOfAssignmentsAvailable"], hit["NumberOfAssignmentsPending"], hit["HITStatus"]


def race(workers, hit_id: str) -> list[tuple[int, dict]]:
    """Every worker accepts the HIT at the same moment; their answers in the same order."""
    start = threading.Barrier(len(workers))

    def accept(worker):
        start.wait()
        return worker.accept(hit_id)

    with ThreadPoolExecutor(max_workers=len(workers)) as pool:
        return list(pool.map(accept, workers))


def test_accept_creates_an_assignment_with_a_deadline(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=900))["HIT"]
    worker = new_worker()

    status, body = worker.accept(hit["HITId"])

    assert status == 201
    assignment = body["Assignment"]
    assert len(assignment["AssignmentId"]) == 30
    assert assignment["HITId"] == hit["HITId"]
    assert assignment["WorkerId"] == worker.worker_id
    assert assignment["AssignmentStatus"] == "Accepted"
    assert assignment["Deadline"] == pytest.approx(assignment["AcceptTime"] + 900)
    assert "Answer" not in assignment


def test_accept_takes_one_slot(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]

    new_worker().accept(hit["HITId"])

    assert counts(mturk, hit["HITId"]) == (2, 1, "Assignable")


def test_accepting_the_last_slot_makes_the_hit_unassignable(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]

    new_worker().accept(hit["HITId"])
    new_worker().accept(hit["HITId"])

    assert counts(mturk, hit["HITId"]) == (0, 2, "Unassignable")


def test_a_worker_accepts_a_hit_at_most_once(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    first_status, first = worker.accept(hit["HITId"])

    status, body = worker.accept(hit["HITId"])

    assert first_status == 201
    assert status == 409
    assert "already" in body["Error"]["Message"]
    assert counts(mturk, hit["HITId"]) == (2, 1, "Assignable")
    _, mine = worker.call("GET", "/worker/api/assignments")
    assert [a["AssignmentId"] for a in mine["Assignments"]] == [first["Assignment"]["AssignmentId"]]


def test_the_same_worker_accepting_twice_at_once_gets_one_slot(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()

    results = race([worker] * 6, hit["HITId"])

    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1
    assert all(400 <= status < 500 for status in statuses if status != 201), results
    assert counts(mturk, hit["HITId"]) == (2, 1, "Assignable")


def test_racing_for_the_last_slot_exactly_one_worker_wins(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    workers = [new_worker() for _ in range(8)]

    results = race(workers, hit["HITId"])

    statuses = [status for status, _ in results]
    assert statuses.count(201) == 1, results
    assert all(status == 409 for status in statuses if status != 201), results
    assert counts(mturk, hit["HITId"]) == (0, 1, "Unassignable")


def test_racing_for_three_slots_exactly_three_workers_win(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]
    workers = [new_worker() for _ in range(8)]

    results = race(workers, hit["HITId"])

    winners = [body["Assignment"] for status, body in results if status == 201]
    assert len(winners) == 3, results
    assert all(status == 409 for status, _ in results if status != 201), results
    assert len({a["WorkerId"] for a in winners}) == 3
    assert counts(mturk, hit["HITId"]) == (0, 3, "Unassignable")


def test_accepting_a_full_hit_is_refused(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    new_worker().accept(hit["HITId"])

    status, body = new_worker().accept(hit["HITId"])

    assert status == 409
    assert "not available" in body["Error"]["Message"]
    assert counts(mturk, hit["HITId"]) == (0, 1, "Unassignable")


def test_accepting_an_expired_hit_is_refused(endpoint, mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=60))["HIT"]
    advance_clock(endpoint, 61)

    status, body = new_worker().accept(hit["HITId"])

    assert status == 409
    assert "not available" in body["Error"]["Message"]
    assert counts(mturk, hit["HITId"]) == (3, 0, "Reviewable")


def test_accepting_a_hit_the_requester_is_reviewing_is_refused(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)
    mturk.update_hit_review_status(HITId=hit["HITId"], Revert=False)

    status, _ = new_worker().accept(hit["HITId"])

    assert status == 409
    assert counts(mturk, hit["HITId"])[:2] == (3, 0)


def test_accepting_a_disposed_hit_is_a_404(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)
    mturk.delete_hit(HITId=hit["HITId"])

    status, body = new_worker().accept(hit["HITId"])

    assert status == 404
    assert body["Error"]["Code"] == "HITDoesNotExist"


def test_accepting_an_unknown_hit_is_a_404(new_worker):
    worker = new_worker()

    for hit_id in ("3NOSUCHHIT0000000000", "lower-case", "x" * 3000):
        status, body = worker.accept(hit_id)

        assert status == 404, body
        assert body["Error"]["Code"] == "HITDoesNotExist"


def test_the_requester_does_not_see_work_in_progress(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    _, body = new_worker().accept(hit["HITId"])

    listed = mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"]

    assert listed == []
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.get_assignment(AssignmentId=body["Assignment"]["AssignmentId"])
