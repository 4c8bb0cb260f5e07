"""What a worker finds: GET /worker/api/hits and GET /worker/api/hits/{HITId}, over real HTTP.

Other tests create HITs in the same runtime, so each test looks only at its own HITs.
"""

from tests.support import advance_clock, hit_args

YEAR = 31536000


def listed(worker) -> list[dict]:
    """Every HIT the worker is offered, following NextToken to the end."""
    found: list[dict] = []
    token = None
    for _ in range(1000):
        status, body = worker.list_hits(token)
        assert status == 200, body
        found += body["HITs"]
        token = body.get("NextToken")
        if not token:
            return found
    raise AssertionError("the listing never ended")


def listed_ids(worker) -> list[str]:
    return [hit["HITId"] for hit in listed(worker)]


def test_the_listing_offers_new_hits_newest_first(endpoint, mturk, new_worker):
    created = []
    for index in range(3):
        created.append(mturk.create_hit(**hit_args(Title=f"Task {index}", LifetimeInSeconds=YEAR))["HIT"])
        advance_clock(endpoint, 1)  # distinct creation times
    worker = new_worker()

    mine = [hit_id for hit_id in listed_ids(worker) if hit_id in {h["HITId"] for h in created}]

    assert mine == [hit["HITId"] for hit in reversed(created)]


def test_the_listing_pages_with_next_token_and_yields_every_hit_once(mturk, new_worker):
    created = {mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"] for _ in range(30)}
    worker = new_worker()

    pages = []
    token = None
    while True:
        status, body = worker.list_hits(token)
        assert status == 200
        pages.append(body["HITs"])
        token = body.get("NextToken")
        if not token:
            break
    every = [hit["HITId"] for page in pages for hit in page]

    assert len(pages) >= 2
    assert all(len(page) <= 25 for page in pages)
    assert len(every) == len(set(every))
    assert created <= set(every)


def test_a_listed_hit_shows_the_task_and_its_terms(mturk, new_worker):
    hit = mturk.create_hit(
        **hit_args(LifetimeInSeconds=YEAR, Keywords="image, label", MaxAssignments=2, Reward="0.37")
    )["HIT"]
    worker = new_worker()

    shown = next(h for h in listed(worker) if h["HITId"] == hit["HITId"])

    assert shown["Title"] == hit["Title"]
    assert shown["Description"] == hit["Description"]
    assert shown["Keywords"] == "image, label"
    assert shown["Reward"] == "0.37"
    assert shown["Question"] == hit["Question"]
    assert shown["HITTypeId"] == hit["HITTypeId"]
    assert shown["AssignmentDurationInSeconds"] == 600
    assert shown["NumberOfAssignmentsAvailable"] == 2
    assert shown["HITStatus"] == "Assignable"
    assert abs(shown["Expiration"] - hit["Expiration"].timestamp()) < 1


def test_the_worker_view_hides_the_requester_annotation(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, RequesterAnnotation="batch-7 secret"))["HIT"]
    worker = new_worker()

    shown = next(h for h in listed(worker) if h["HITId"] == hit["HITId"])
    status, one = worker.call("GET", f"/worker/api/hits/{hit['HITId']}")

    assert status == 200
    for view in (shown, one["HIT"]):
        assert "RequesterAnnotation" not in view
        assert "batch-7 secret" not in str(view)


def test_a_hit_without_free_slots_is_not_listed(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    first, second = new_worker(), new_worker()
    assert hit["HITId"] in listed_ids(second)

    status, _ = first.accept(hit["HITId"])

    assert status == 201
    assert hit["HITId"] not in listed_ids(second)


def test_a_hit_with_a_slot_left_stays_listed_after_an_accept(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    first, second = new_worker(), new_worker()

    first.accept(hit["HITId"])

    shown = next(h for h in listed(second) if h["HITId"] == hit["HITId"])
    assert shown["NumberOfAssignmentsAvailable"] == 1


def test_a_full_hit_given_more_assignments_is_listed_again(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    new_worker().accept(hit["HITId"])
    other = new_worker()
    assert hit["HITId"] not in listed_ids(other)

    mturk.create_additional_assignments_for_hit(HITId=hit["HITId"], NumberOfAdditionalAssignments=1)

    assert hit["HITId"] in listed_ids(other)
    assert other.accept(hit["HITId"])[0] == 201


def test_a_hit_the_worker_already_took_is_not_offered_to_them_again(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()

    worker.accept(hit["HITId"])

    assert hit["HITId"] in listed_ids(new_worker())
    assert hit["HITId"] not in listed_ids(worker)


def test_an_expired_hit_is_not_listed(endpoint, mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=60))["HIT"]
    worker = new_worker()
    assert hit["HITId"] in listed_ids(worker)

    advance_clock(endpoint, 61)

    assert hit["HITId"] not in listed_ids(worker)


def test_a_hit_the_requester_expires_is_not_listed(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()

    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)

    assert hit["HITId"] not in listed_ids(worker)


def test_a_disposed_hit_is_neither_listed_nor_found(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)

    mturk.delete_hit(HITId=hit["HITId"])

    assert hit["HITId"] not in listed_ids(worker)
    status, body = worker.call("GET", f"/worker/api/hits/{hit['HITId']}")
    assert status == 404
    assert body["Error"]["Code"]


def test_a_bad_next_token_is_refused(new_worker):
    worker = new_worker()

    for token in ("garbage", "Zm9v", "%%%"):
        status, body = worker.list_hits(token)

        assert status == 400, body
        assert "token" in body["Error"]["Message"].lower()


# ---- one HIT ----------------------------------------------------------------------------------------


def test_get_hit_returns_the_hit(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()

    status, body = worker.call("GET", f"/worker/api/hits/{hit['HITId']}")

    assert status == 200
    assert body["HIT"]["HITId"] == hit["HITId"]
    assert body["HIT"]["Question"] == hit["Question"]
    assert body["HIT"]["HITStatus"] == "Assignable"


def test_get_hit_of_an_unknown_hit_is_a_404(new_worker):
    worker = new_worker()

    for hit_id in ("3NOSUCHHIT0000000000", "nope", "x" * 3000, "%C3%A9t%C3%A9", "a%2Fb"):
        status, body = worker.call("GET", f"/worker/api/hits/{hit_id}")

        assert status == 404, (hit_id[:20], body)
        assert set(body["Error"]) == {"Code", "Message"}


def test_a_full_hit_can_still_be_read_by_id(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    new_worker().accept(hit["HITId"])

    status, body = new_worker().call("GET", f"/worker/api/hits/{hit['HITId']}")

    assert status == 200
    assert body["HIT"]["HITStatus"] == "Unassignable"
    assert body["HIT"]["NumberOfAssignmentsAvailable"] == 0
