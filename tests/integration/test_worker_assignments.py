"""GET /worker/api/assignments: a worker's own work, newest first, paginated, over real HTTP."""

import urllib.parse

from tests.support import advance_clock, hit_args

YEAR = 31536000


def my_assignments(worker, next_token: str | None = None):
    query = f"?NextToken={urllib.parse.quote(next_token)}" if next_token else ""
    return worker.call("GET", f"/worker/api/assignments{query}")


def all_pages(worker) -> list[list[dict]]:
    pages = []
    token = None
    while True:
        status, body = my_assignments(worker, token)
        assert status == 200, body
        pages.append(body["Assignments"])
        token = body.get("NextToken")
        if not token:
            return pages


def test_a_new_worker_has_no_assignments(new_worker):
    status, body = my_assignments(new_worker())

    assert status == 200
    assert body == {"Assignments": []}


def test_the_list_shows_the_workers_assignments_newest_first(endpoint, mturk, new_worker):
    worker = new_worker()
    accepted = []
    for _ in range(3):
        hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
        accepted.append(worker.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"])
        advance_clock(endpoint, 1)  # distinct accept times

    status, body = my_assignments(worker)

    assert status == 200
    assert [a["AssignmentId"] for a in body["Assignments"]] == list(reversed(accepted))
    assert "NextToken" not in body


def test_the_list_shows_only_the_workers_own_assignments(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    alice, bob = new_worker(), new_worker()
    alices = alice.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"]
    bobs = bob.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"]

    _, for_alice = my_assignments(alice)
    _, for_bob = my_assignments(bob)

    assert [(a["AssignmentId"], a["WorkerId"]) for a in for_alice["Assignments"]] == [
        (alices, alice.worker_id)
    ]
    assert [(a["AssignmentId"], a["WorkerId"]) for a in for_bob["Assignments"]] == [(bobs, bob.worker_id)]


def test_the_list_shows_each_assignments_status(endpoint, mturk, new_worker):
    worker = new_worker()
    hits = [
        mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=duration))["HIT"]
        for duration in (YEAR, YEAR, YEAR, 60)
    ]
    ids = [worker.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"] for hit in hits]
    worker.submit(ids[1], {"comment": "done"})
    worker.return_(ids[2])
    advance_clock(endpoint, 61)  # the last one's time runs out

    _, body = my_assignments(worker)

    statuses = {a["AssignmentId"]: a["AssignmentStatus"] for a in body["Assignments"]}
    assert statuses == {ids[0]: "Accepted", ids[1]: "Submitted", ids[2]: "Returned", ids[3]: "Abandoned"}
    submitted = next(a for a in body["Assignments"] if a["AssignmentId"] == ids[1])
    assert "<FreeText>done</FreeText>" in submitted["Answer"]


def test_the_list_pages_with_next_token_and_yields_every_assignment_once(mturk, new_worker):
    worker = new_worker()
    accepted = set()
    for _ in range(27):
        hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
        accepted.add(worker.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"])

    pages = all_pages(worker)

    every = [a["AssignmentId"] for page in pages for a in page]
    assert len(pages) == 2
    assert len(pages[0]) == 25
    assert len(every) == len(set(every)) == 27
    assert set(every) == accepted
    accept_times = [a["AcceptTime"] for page in pages for a in page]
    assert accept_times == sorted(accept_times, reverse=True)


def test_a_bad_next_token_is_refused(new_worker):
    worker = new_worker()

    for token in ("garbage", "Zm9v", "=="):
        status, body = my_assignments(worker, token)

        assert status == 400, body
        assert "token" in body["Error"]["Message"].lower()
