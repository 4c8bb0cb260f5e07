"""MTurk's notification document, the destination rules and the outbox's event rules, without AWS."""

import pytest

from openturk.data.base import Transaction
from openturk.data.events import SHARDS, Event, shard_of
from openturk.data.hits import Hit
from openturk.domain import events, notifications
from openturk.domain.errors import InvalidParameter, InvalidTransportEndpoint

HIT = Hit(
    "3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW", hit_type_id="3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA", requester_id="AREQ1"
)
AT = 1565385436.75  # 2019-08-09T21:17:16.75Z


@pytest.fixture(autouse=True)
def account(monkeypatch):
    monkeypatch.setenv("OPENTURK_ACCOUNT_ID", "047991105548")
    notifications.source_account.cache_clear()
    yield
    notifications.source_account.cache_clear()


def event(event_type: str, assignment_id: str | None = None, event_id: str = "e1") -> Event:
    return Event(
        event_id,
        event_type=event_type,
        requester_id=HIT.requester_id,
        hit_type_id=HIT.hit_type_id,
        hit_id=HIT.hit_id,
        assignment_id=assignment_id,
        event_time=AT,
    )


def test_the_document_is_mturks():
    document = notifications.message(
        [event("AssignmentSubmitted", "3GNA64GUZFSVGOE209EB5MJ722VQ5K")], {"Version": "2014-08-15"}, "AREQ1"
    )
    assert document == {
        "Events": [
            {
                "EventType": "AssignmentSubmitted",
                "EventTimestamp": "2019-08-09T21:17:16Z",
                "HITId": HIT.hit_id,
                "AssignmentId": "3GNA64GUZFSVGOE209EB5MJ722VQ5K",
                "HITTypeId": HIT.hit_type_id,
            }
        ],
        "EventDocId": document["EventDocId"],
        "SourceAccount": "047991105548",
        "CustomerId": "AREQ1",
        "EventDocVersion": "2014-08-15",
    }


def test_the_document_id_is_the_same_for_a_retry_and_differs_between_events():
    first = notifications.message([event("HITReviewable")], None, "AREQ1")["EventDocId"]
    assert first == notifications.message([event("HITReviewable")], None, "AREQ1")["EventDocId"]
    assert (
        first != notifications.message([event("HITReviewable", event_id="e2")], None, "AREQ1")["EventDocId"]
    )


def test_the_version_is_the_specs_and_the_bus_uses_2014_08_15():
    assert notifications.message([event("HITCreated")], {"Version": "2006-05-05"}, "A")[
        "EventDocVersion"
    ] == ("2006-05-05")
    assert notifications.message([event("HITCreated")], None, "A")["EventDocVersion"] == "2014-08-15"


@pytest.mark.parametrize(
    ("destination", "region"),
    [
        ("https://sqs.eu-west-1.amazonaws.com/123456789012/q", "eu-west-1"),
        ("https://eu-central-1.queue.amazonaws.com/123456789012/q.fifo", "eu-central-1"),
        ("https://queue.amazonaws.com/123456789012/q", "us-east-1"),
    ],
)
def test_a_queue_urls_region_is_where_it_is_sent(destination, region):
    assert notifications._region_of("SQS", destination) == region


def test_plain_http_queue_urls_are_only_for_the_local_runtime(monkeypatch):
    monkeypatch.setattr(notifications.config, "LOCAL", False)
    with pytest.raises(InvalidTransportEndpoint):
        notifications._region_of("SQS", "http://127.0.0.1:4566/123456789012/q")


def test_a_topic_arns_region_is_where_it_is_published():
    assert notifications._region_of("SNS", "arn:aws:sns:ap-south-1:123456789012:t") == "ap-south-1"


def test_validation_keeps_the_members_and_lists_each_type_once():
    given = {
        "Destination": "arn:aws:sns:us-east-1:123456789012:t",
        "Transport": "SNS",
        "Version": "2006-05-05",
        "EventTypes": ["HITCreated", "HITCreated", "Ping"],
    }
    assert notifications.validate(given, allow_ping=True)["EventTypes"] == ["HITCreated", "Ping"]
    with pytest.raises(InvalidParameter):
        notifications.validate(given, allow_ping=False)


def test_record_puts_a_pending_event_in_the_callers_transaction():
    tx = Transaction()
    recorded = events.record(tx, "AssignmentAccepted", HIT, AT, "3GNA64GUZFSVGOE209EB5MJ722VQ5K")
    assert len(tx._items) == 1
    assert (recorded.status, recorded.attempts, recorded.pending_at) == ("Pending", 0, AT)
    assert recorded.pending_key == f"pending#{shard_of(HIT.hit_id)}"
    assert (recorded.requester_id, recorded.hit_type_id) == ("AREQ1", HIT.hit_type_id)


@pytest.mark.parametrize(
    ("event_type", "assignment_id"),
    [("Ping", None), ("HITDeleted", None), ("AssignmentSubmitted", None), ("HITReviewable", "3GNA")],
)
def test_record_refuses_what_is_not_an_event(event_type, assignment_id):
    with pytest.raises(ValueError):
        events.record(Transaction(), event_type, HIT, AT, assignment_id)


def test_a_hits_events_share_a_shard_and_shards_spread():
    assert shard_of(HIT.hit_id) == shard_of(HIT.hit_id)
    assert {shard_of(f"HIT{i}") for i in range(100)} == set(range(SHARDS))


def test_events_of_one_moment_are_ordered_as_they_happen():
    same_moment = [event("HITReviewable"), event("AssignmentSubmitted", "A1"), event("HITCreated")]
    assert [e.event_type for e in sorted(same_moment, key=events.order)] == [
        "HITCreated",
        "AssignmentSubmitted",
        "HITReviewable",
    ]
