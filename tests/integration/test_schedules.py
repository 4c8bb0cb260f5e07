"""Time runs by itself: the sweeper makes expiry, abandonment and auto-approval durable, with their
events and money, and the API calls that caused events never wait for their delivery."""

import threading

from openturk.data.assignments import Assignment
from openturk.data.events import Event
from openturk.data.hits import Hit
from openturk.domain import clock, events, sweeper
from tests.money_support import assert_ledger_matches
from tests.notifications_support import aws_fixture, spec  # noqa: F401
from tests.support import advance_clock, hit_args

YEAR = 31_536_000


def sweep_now(endpoint: str) -> dict:
    import json
    import urllib.request

    request = urllib.request.Request(endpoint.rstrip("/") + "/local/sweep", data=b"{}", method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def recorded(hit_id: str) -> list[str]:
    """The event types recorded for a HIT, in order (a test-only Scan: the outbox has no HIT index)."""
    found = [e for e in Event.scan(Event.hit_id == hit_id)]
    return [e.event_type for e in sorted(found, key=events.order)]


def test_an_expired_hit_cannot_be_accepted_and_the_sweep_makes_it_durable(mturk, new_worker, endpoint):
    hit_id = mturk.create_hit(**hit_args(LifetimeInSeconds=60))["HIT"]["HITId"]
    advance_clock(endpoint, 61)

    status, _ = new_worker().accept(hit_id)
    sweep_now(endpoint)

    assert status == 409
    stored = Hit.get(hit_id, consistent_read=True)
    assert stored.expiry_key is None and stored.market_key is None  # out of the due index and the market
    assert recorded(hit_id) == ["HITCreated", "HITExpired", "HITReviewable"]
    assert mturk.get_hit(HITId=hit_id)["HIT"]["HITStatus"] == "Reviewable"


def test_an_abandoned_assignments_slot_is_offered_again_after_the_sweep(mturk, new_worker, endpoint):
    hit_id = mturk.create_hit(
        **hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=60)
    )["HIT"]["HITId"]
    late = new_worker()
    assignment_id = late.accept(hit_id)[1]["Assignment"]["AssignmentId"]
    advance_clock(endpoint, 61)

    sweep_now(endpoint)

    assert Assignment.get(assignment_id, consistent_read=True).status == "Abandoned"
    listed = [h["HITId"] for h in new_worker().list_hits()[1]["HITs"]]
    assert hit_id in listed  # back in the marketplace
    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert (hit["NumberOfAssignmentsAvailable"], hit["NumberOfAssignmentsPending"]) == (1, 0)
    assert "AssignmentAbandoned" in recorded(hit_id)
    assert late.submit(assignment_id, {"comment": "late"})[0] == 409


def test_auto_approval_pays_once_when_two_sweepers_run_at_once(mturk, requester, new_worker, endpoint):
    hit_id = mturk.create_hit(
        **hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR, AutoApprovalDelayInSeconds=60)
    )["HIT"]["HITId"]
    worker = new_worker()
    assignment_id = worker.accept(hit_id)[1]["Assignment"]["AssignmentId"]
    worker.submit(assignment_id, {"comment": "done"})
    advance_clock(endpoint, 61)

    now = clock.now()
    racers = [threading.Thread(target=sweeper.sweep, args=(now,)) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Approved"
    assert worker.call("GET", "/worker/api/earnings")[1]["Approved"] == "0.25"
    assert recorded(hit_id).count("AssignmentApproved") == 1
    assert_ledger_matches("R#" + requester["RequesterId"])
    assert_ledger_matches("W#" + worker.worker_id)


def test_notifications_arrive_on_sqs_in_order_for_each_assignment(mturk, new_worker, endpoint, aws):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    queue = aws.queue()
    types = ["AssignmentAccepted", "AssignmentSubmitted", "HITReviewable", "AssignmentApproved"]
    mturk.update_notification_settings(
        HITTypeId=hit["HITTypeId"], Notification=spec(queue, event_types=types), Active=True
    )
    worker = new_worker()
    assignment_id = worker.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"]
    worker.submit(assignment_id, {"comment": "done"})
    mturk.approve_assignment(AssignmentId=assignment_id)

    sweep_now(endpoint)
    documents = aws.receive(queue, count=4, where=lambda body: body["Events"][0]["HITId"] == hit["HITId"])

    assert [d["Events"][0]["EventType"] for d in documents] == types
    assert all(
        d["Events"][0]["AssignmentId"] == assignment_id
        for d in documents
        if d["Events"][0]["EventType"] != "HITReviewable"
    )
    assert documents[0]["EventDocVersion"] == "2014-08-15"


def test_a_destination_that_refuses_does_not_break_create_hit(mturk, endpoint):
    hit_type = mturk.create_hit_type(
        **{
            k: v
            for k, v in hit_args().items()
            if k in ("Title", "Description", "Reward", "AssignmentDurationInSeconds")
        }
    )["HITTypeId"]
    missing = "http://127.0.0.1:1/123456789012/no-such-queue"
    mturk.update_notification_settings(
        HITTypeId=hit_type, Notification=spec(missing, event_types=["HITCreated"]), Active=True
    )

    created = mturk.create_hit_with_hit_type(
        HITTypeId=hit_type, LifetimeInSeconds=YEAR, Question=hit_args()["Question"]
    )
    sweep_now(endpoint)

    assert created["HIT"]["HITStatus"] == "Assignable"
    assert recorded(created["HIT"]["HITId"]) == ["HITCreated"]
