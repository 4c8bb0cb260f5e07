"""Recorded events reach the HIT type's SQS queue or SNS topic in MTurk's format, and the event bus."""

import copy
import json
import re
import threading
from pathlib import Path

from functions import deliver_events
from openturk.data.events import DELIVERED, FAILED, PENDING
from openturk.domain import clock, events, notifications
from tests.notifications_support import (  # noqa: F401
    ACCOUNT,
    EVENT_TIMESTAMP,
    about,
    aws_fixture,
    deliver_now,
    new_hit,
    record,
    record_all,
    settled,
    spec,
    stored,
)
from tests.support import advance_clock

ASSIGNMENT = "ASSIGNMENT000000000000000000001"
EVENTS = Path(__file__).resolve().parents[2] / "events"


def sample(name: str) -> dict:
    """A sample event from events/: what the delivery function really receives."""
    return json.loads((EVENTS / name).read_text())


def subscribe(mturk, hit: dict, destination: str, transport: str = "SQS", **kwargs) -> None:
    mturk.update_notification_settings(
        HITTypeId=hit["HITTypeId"], Notification=spec(destination, transport, **kwargs)
    )


def test_an_event_arrives_on_the_queue_as_mturk_sends_it(mturk, requester, aws, endpoint):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue)
    event = record("AssignmentSubmitted", hit["HITId"], ASSIGNMENT)
    deliver_now(endpoint)
    [document] = aws.receive(queue, where=about(hit["HITId"]))
    assert set(document) == {"Events", "EventDocId", "SourceAccount", "CustomerId", "EventDocVersion"}
    assert document["Events"] == [
        {
            "EventType": "AssignmentSubmitted",
            "EventTimestamp": document["Events"][0]["EventTimestamp"],
            "HITId": hit["HITId"],
            "AssignmentId": ASSIGNMENT,
            "HITTypeId": hit["HITTypeId"],
        }
    ]
    assert re.match(EVENT_TIMESTAMP, document["Events"][0]["EventTimestamp"])
    assert (
        document["Events"][0]["EventTimestamp"]
        == notifications.message([event], None, "A")["Events"][0]["EventTimestamp"]
    )
    assert re.fullmatch(r"[0-9a-f]{40}", document["EventDocId"])
    assert document["SourceAccount"] == ACCOUNT
    assert document["CustomerId"] == requester["RequesterId"]
    assert document["EventDocVersion"] == "2014-08-15"
    delivered = settled(event, lambda e: e.status != PENDING)
    assert (delivered.status, delivered.pending_key, delivered.pending_at) == (DELIVERED, None, None)


def test_hit_events_carry_no_assignment_id_and_the_version_asked_for(mturk, aws, endpoint):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue, version="2006-05-05")
    record("HITReviewable", hit["HITId"])
    deliver_now(endpoint)
    [document] = aws.receive(queue, where=about(hit["HITId"]))
    assert document["EventDocVersion"] == "2006-05-05"
    assert set(document["Events"][0]) == {"EventType", "EventTimestamp", "HITId", "HITTypeId"}


def test_an_event_arrives_on_the_topic_in_an_sns_envelope(mturk, requester, aws, endpoint):
    hit = new_hit(mturk)
    topic, queue = aws.topic_with_queue()
    subscribe(mturk, hit, topic, "SNS")
    before = int(clock.now() * 1000)
    record("HITReviewable", hit["HITId"])
    deliver_now(endpoint)
    [envelope] = aws.receive(queue, where=about(hit["HITId"]))
    assert envelope["Type"] == "Notification"
    assert envelope["TopicArn"] == topic
    assert envelope["Subject"].isdigit() and int(envelope["Subject"]) >= before
    document = json.loads(envelope["Message"])
    assert document["CustomerId"] == requester["RequesterId"]
    assert document["Events"][0]["EventType"] == "HITReviewable"
    assert document["Events"][0]["HITTypeId"] == hit["HITTypeId"]


def test_only_the_event_types_the_spec_lists_are_sent(mturk, aws, endpoint):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue, event_types=["HITReviewable"])
    skipped = record("AssignmentAccepted", hit["HITId"], ASSIGNMENT)
    record("HITReviewable", hit["HITId"])
    deliver_now(endpoint)
    documents = aws.receive(queue, 2, timeout=2, where=about(hit["HITId"]))
    assert [d["Events"][0]["EventType"] for d in documents] == ["HITReviewable"]
    done = settled(skipped, lambda e: e.status != PENDING)
    assert done.status == DELIVERED  # delivered to the bus, which takes every event
    assert done.sent_to_bus and not done.sent_to_destination


def test_active_false_stops_deliveries_and_true_resumes_them(mturk, aws, endpoint):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue)
    mturk.update_notification_settings(HITTypeId=hit["HITTypeId"], Active=False)
    record("HITReviewable", hit["HITId"])
    deliver_now(endpoint)
    assert aws.nothing_arrives(queue, about(hit["HITId"]))
    mturk.update_notification_settings(HITTypeId=hit["HITTypeId"], Active=True)
    record("AssignmentSubmitted", hit["HITId"], ASSIGNMENT)
    deliver_now(endpoint)
    documents = aws.receive(queue, 2, timeout=2, where=about(hit["HITId"]))
    assert [d["Events"][0]["EventType"] for d in documents] == ["AssignmentSubmitted"]


def test_the_background_tick_delivers_without_being_asked(mturk, aws):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue)
    record("HITReviewable", hit["HITId"])
    assert aws.receive(queue, where=about(hit["HITId"]), timeout=10)


def test_an_assignments_events_arrive_in_the_order_they_happened(mturk, aws, endpoint):
    hit, queue = new_hit(mturk), aws.queue(fifo=True)
    subscribe(
        mturk,
        hit,
        queue,
        event_types=["AssignmentAccepted", "AssignmentSubmitted", "AssignmentApproved", "HITReviewable"],
    )
    start = clock.now() - 60
    # One transaction, so that the background tick sees all of them or none; recorded out of order,
    # and the last two at the same moment (as a submit that makes the HIT reviewable records them).
    record_all(
        [
            ("HITReviewable", hit["HITId"], None, start + 20),
            ("AssignmentApproved", hit["HITId"], ASSIGNMENT, start + 30),
            ("AssignmentSubmitted", hit["HITId"], ASSIGNMENT, start + 20),
            ("AssignmentAccepted", hit["HITId"], ASSIGNMENT, start + 10),
        ]
    )
    deliver_now(endpoint)
    documents = aws.receive(queue, 4, where=about(hit["HITId"]))
    assert [d["Events"][0]["EventType"] for d in documents] == [
        "AssignmentAccepted",
        "AssignmentSubmitted",
        "HITReviewable",
        "AssignmentApproved",
    ]


def test_a_missing_queue_is_retried_then_failed_while_other_events_go_out(mturk, aws, endpoint):
    broken, working = new_hit(mturk), new_hit(mturk, Title="Another type")
    assert broken["HITTypeId"] != working["HITTypeId"]
    queue = aws.queue()
    subscribe(mturk, broken, queue.rsplit("/", 1)[0] + "/no-such-queue")
    subscribe(mturk, working, queue)
    bus = aws.bus_queue()
    lost = record("HITReviewable", broken["HITId"])
    record("HITReviewable", working["HITId"])
    deliver_now(endpoint)
    assert aws.receive(queue, where=about(working["HITId"]))
    first = settled(lost, lambda e: e.attempts > 0)
    assert (first.status, first.attempts) == (PENDING, 1)
    assert "NonExistentQueue" in first.last_error
    assert first.pending_at >= clock.now() + events.BACKOFF_SECONDS - 5  # waits before the next try
    assert first.sent_to_bus and not first.sent_to_destination
    assert aws.receive(bus, where=about(broken["HITId"]))  # the bus had it the first time
    for attempt in range(2, events.MAX_ATTEMPTS + 1):
        advance_clock(endpoint, events.BACKOFF_SECONDS * 2**attempt)
        deliver_now(endpoint)
        assert settled(lost, lambda e, attempt=attempt: e.attempts == attempt).attempts == attempt
    final = settled(lost, lambda e: e.status != PENDING)
    assert (final.status, final.attempts) == (FAILED, events.MAX_ATTEMPTS)
    assert final.pending_key is None and final.pending_at is None and "NonExistentQueue" in final.last_error
    advance_clock(endpoint, events.BACKOFF_SECONDS * 2**events.MAX_ATTEMPTS)
    deliver_now(endpoint)
    assert stored(lost).attempts == events.MAX_ATTEMPTS  # a Failed event is not tried again
    assert aws.nothing_arrives(bus, about(broken["HITId"]), wait=0.5)  # retries did not repeat it


def test_every_event_is_published_on_the_event_bus(mturk, requester, aws, endpoint):
    hit = new_hit(mturk)  # no notification settings at all
    bus = aws.bus_queue()
    event = record("HITReviewable", hit["HITId"])
    deliver_now(endpoint)
    # CreateHIT's own HITCreated goes on the bus too: pick the event recorded here.
    [published] = aws.receive(
        bus, where=lambda b: about(hit["HITId"])(b) and b["detail-type"] == "HITReviewable"
    )
    assert published["source"] == "openturk.mturk"
    assert published["detail-type"] == "HITReviewable"
    assert published["detail"] == notifications.message([stored(event)], None, requester["RequesterId"])
    assert published["detail"]["EventDocVersion"] == "2014-08-15"


def test_the_stream_handler_delivers_new_events_once(mturk, aws):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue)
    event = record("HITReviewable", hit["HITId"])
    stream = sample("deliver_events_stream.json")
    [insert] = stream["Records"]
    insert["dynamodb"]["Keys"]["EventId"]["S"] = event.event_id
    modify = copy.deepcopy(insert)
    modify["eventName"], modify["dynamodb"]["Keys"]["EventId"]["S"] = "MODIFY", "not-a-new-event"
    stream["Records"].append(modify)
    results: list = []
    racers = [
        threading.Thread(target=lambda: results.append(deliver_events.handler(stream, None)))
        for _ in range(3)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    deliver_events.handler(stream, None)  # a stream batch delivered again changes nothing
    assert len(aws.receive(queue, 3, timeout=2, where=about(hit["HITId"]))) == 1
    assert settled(event, lambda e: e.status != PENDING).status == DELIVERED


def test_the_schedule_entry_delivers_what_is_due(mturk, aws):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue)
    record("HITReviewable", hit["HITId"])
    outcome = deliver_events.handler(sample("deliver_events_schedule.json"), None)
    assert set(outcome) == {"Delivered", "Retrying", "Failed"}
    assert aws.receive(queue, where=about(hit["HITId"]))


def test_an_event_not_yet_due_waits(mturk, aws, endpoint):
    hit, queue = new_hit(mturk), aws.queue()
    subscribe(mturk, hit, queue)
    later = record("HITReviewable", hit["HITId"], at=clock.now() + 3600)
    deliver_now(endpoint)
    assert aws.nothing_arrives(queue, about(hit["HITId"]), wait=0.5)
    assert stored(later).status == PENDING and stored(later).attempts == 0
    advance_clock(endpoint, 3601)
    deliver_now(endpoint)
    assert aws.receive(queue, where=about(hit["HITId"]))


def test_deployed_the_schedule_leaves_new_events_to_the_stream(mturk, aws, monkeypatch):
    monkeypatch.setattr(notifications, "_stream_grace", lambda: notifications.STREAM_GRACE_SECONDS)
    fresh_hit, old_hit, queue = new_hit(mturk), new_hit(mturk), aws.queue()
    subscribe(mturk, fresh_hit, queue)
    subscribe(mturk, old_hit, queue)
    fresh = record("HITReviewable", fresh_hit["HITId"])
    old = record("HITReviewable", old_hit["HITId"], at=clock.now() - notifications.STREAM_GRACE_SECONDS - 5)
    deliver_events.handler(sample("deliver_events_schedule.json"), None)
    assert settled(old, lambda e: e.status != PENDING).status == DELIVERED
    assert stored(fresh).status == PENDING  # the stream's to send
    notifications.deliver_ids([fresh.event_id], clock.now())
    assert stored(fresh).status == DELIVERED


def test_a_submission_written_without_reading_its_hit_is_delivered_with_its_type_and_requester(
    mturk, requester, aws, endpoint, new_worker
):
    hit, queue = new_hit(mturk, MaxAssignments=2), aws.queue()
    subscribe(mturk, hit, queue, event_types=["AssignmentSubmitted"])
    worker = new_worker()
    assignment_id = worker.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"]
    assert worker.submit(assignment_id, {"comment": "done"})[0] == 200
    deliver_now(endpoint)
    [document] = aws.receive(queue, where=about(hit["HITId"]))
    assert document["CustomerId"] == requester["RequesterId"]
    assert [(e["EventType"], e["AssignmentId"], e["HITTypeId"]) for e in document["Events"]] == [
        ("AssignmentSubmitted", assignment_id, hit["HITTypeId"])
    ]
