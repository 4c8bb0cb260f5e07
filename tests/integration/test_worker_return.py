"""A worker gives work back, and the HIT's status follows the workers' actions, over real HTTP."""

from tests.support import advance_clock, hit_args

YEAR = 31536000


def counts(mturk, hit_id: str) -> tuple[int, int, str]:
    """(available, pending, status) as the requester's GetHIT shows them."""
    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    return hit["NumberOfAssignmentsAvailable"], hit["NumberOfAssignmentsPending"], hit["HITStatus"]


def listed_ids(worker) -> set[str]:
    found: set[str] = set()
    token = None
    while True:
        status, body = worker.list_hits(token)
        assert status == 200, body
        found |= {hit["HITId"] for hit in body["HITs"]}
        token = body.get("NextToken")
        if not token:
            return found


def reviewable_ids(mturk) -> set[str]:
    return {hit["HITId"] for hit in mturk.list_reviewable_hits(MaxResults=100)["HITs"]}


def accept(worker, hit_id: str) -> str:
    status, body = worker.accept(hit_id)
    assert status == 201, body
    return body["Assignment"]["AssignmentId"]


# ---- return -----------------------------------------------------------------------------------------


def test_returning_frees_the_slot_for_someone_else(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    worker, other = new_worker(), new_worker()
    assignment_id = accept(worker, hit["HITId"])
    assert hit["HITId"] not in listed_ids(other)

    status, body = worker.return_(assignment_id)

    assert status == 200
    assert body["Assignment"]["AssignmentStatus"] == "Returned"
    assert counts(mturk, hit["HITId"]) == (1, 0, "Assignable")
    assert hit["HITId"] in listed_ids(other)
    assert other.accept(hit["HITId"])[0] == 201
    assert counts(mturk, hit["HITId"]) == (0, 1, "Unassignable")


def test_a_returned_assignment_cannot_be_submitted(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = accept(worker, hit["HITId"])
    worker.return_(assignment_id)

    status, body = worker.submit(assignment_id, {"comment": "changed my mind"})

    assert status == 409
    assert "Returned" in body["Error"]["Message"]
    assert counts(mturk, hit["HITId"]) == (2, 0, "Assignable")
    assert mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"] == []


def test_a_returned_assignment_cannot_be_returned_again(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = accept(worker, hit["HITId"])
    worker.return_(assignment_id)

    status, _ = worker.return_(assignment_id)

    assert status == 409
    assert counts(mturk, hit["HITId"]) == (2, 0, "Assignable")


def test_a_worker_who_returned_a_hit_cannot_accept_it_again(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    worker.return_(accept(worker, hit["HITId"]))

    status, body = worker.accept(hit["HITId"])

    assert status == 409
    assert "already" in body["Error"]["Message"]
    assert counts(mturk, hit["HITId"]) == (2, 0, "Assignable")


def test_a_submitted_assignment_cannot_be_returned(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = accept(worker, hit["HITId"])
    worker.submit(assignment_id, {"comment": "done"})

    status, _ = worker.return_(assignment_id)

    assert status == 409
    assert counts(mturk, hit["HITId"]) == (1, 0, "Assignable")
    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Submitted"


def test_a_worker_cannot_return_another_workers_assignment(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    owner, intruder = new_worker(), new_worker()
    assignment_id = accept(owner, hit["HITId"])

    status, body = intruder.return_(assignment_id)

    assert status == 404
    assert body["Error"]["Code"] == "AssignmentDoesNotExist"
    assert counts(mturk, hit["HITId"]) == (0, 1, "Unassignable")
    assert owner.submit(assignment_id, {"comment": "still mine"})[0] == 200


def test_returning_an_unknown_assignment_is_a_404(new_worker):
    worker = new_worker()

    for assignment_id in ("3" * 30, "short", "x" * 3000):
        status, body = worker.return_(assignment_id)

        assert status == 404, body


def test_returning_after_the_deadline_is_refused(endpoint, mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=60))["HIT"]
    worker = new_worker()
    assignment_id = accept(worker, hit["HITId"])
    advance_clock(endpoint, 61)

    status, body = worker.return_(assignment_id)

    assert status == 409
    assert "time" in body["Error"]["Message"]


def test_returning_work_on_an_expired_hit_does_not_list_it_again(endpoint, mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=60))["HIT"]
    worker = new_worker()
    assignment_id = accept(worker, hit["HITId"])
    advance_clock(endpoint, 61)

    status, _ = worker.return_(assignment_id)

    assert status == 200
    assert counts(mturk, hit["HITId"]) == (1, 0, "Reviewable")
    assert hit["HITId"] not in listed_ids(worker)
    assert new_worker().accept(hit["HITId"])[0] == 409


# ---- HIT status through the workers' actions --------------------------------------------------------


def test_hit_goes_assignable_unassignable_reviewable_as_workers_take_and_submit(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    first, second = new_worker(), new_worker()
    assert counts(mturk, hit["HITId"]) == (2, 0, "Assignable")

    first_id = accept(first, hit["HITId"])
    assert counts(mturk, hit["HITId"]) == (1, 1, "Assignable")
    second_id = accept(second, hit["HITId"])
    assert counts(mturk, hit["HITId"]) == (0, 2, "Unassignable")

    first.submit(first_id, {"comment": "one"})
    assert counts(mturk, hit["HITId"]) == (0, 1, "Unassignable")
    assert hit["HITId"] not in reviewable_ids(mturk)

    second.submit(second_id, {"comment": "two"})
    assert counts(mturk, hit["HITId"]) == (0, 0, "Reviewable")
    assert hit["HITId"] in reviewable_ids(mturk)
    listed = mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"]
    assert sorted(a["AssignmentId"] for a in listed) == sorted([first_id, second_id])


def test_an_expired_hit_with_work_in_progress_is_unassignable_until_the_work_is_submitted(
    endpoint, mturk, new_worker
):
    hit = mturk.create_hit(
        **hit_args(MaxAssignments=3, LifetimeInSeconds=60, AssignmentDurationInSeconds=600)
    )["HIT"]
    worker = new_worker()
    assignment_id = accept(worker, hit["HITId"])

    advance_clock(endpoint, 61)
    assert counts(mturk, hit["HITId"]) == (2, 1, "Unassignable")
    assert hit["HITId"] not in reviewable_ids(mturk)

    status, _ = worker.submit(assignment_id, {"comment": "made it"})

    assert status == 200
    assert counts(mturk, hit["HITId"]) == (2, 0, "Reviewable")
    assert hit["HITId"] in reviewable_ids(mturk)


def test_an_expired_hit_whose_work_is_returned_becomes_reviewable(endpoint, mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=60))["HIT"]
    worker = new_worker()
    assignment_id = accept(worker, hit["HITId"])
    advance_clock(endpoint, 61)
    assert counts(mturk, hit["HITId"])[2] == "Unassignable"

    worker.return_(assignment_id)

    assert counts(mturk, hit["HITId"]) == (2, 0, "Reviewable")
    assert hit["HITId"] in reviewable_ids(mturk)
