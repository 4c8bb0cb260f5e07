"""The events outbox: every HIT and assignment event, written in the same transaction as the change.

An event is Pending until the delivery function has sent it to the HIT type's notification destination
(when one is active and lists the event type) and to the stack's EventBridge bus; then Delivered, or
Failed after a bounded number of refused attempts. Delivered and Failed events age out by TTL.

Access patterns and what serves each:
- an event by id (the table's stream gives ids) ..... GetItem / BatchGetItem on EventId
- undelivered events due now, oldest first .......... Query GSI Pending: PendingKey = "pending#<shard>",
  PendingAt <= now, for each of the SHARDS shards. Sparse: PendingKey is removed once the event is
  Delivered or Failed, so the index holds only the outbox's backlog. A HIT's events share a shard, so
  one shard's Query returns them in the order they are due.
- PendingAt is when to try next: the event's time at first, a lease while a deliverer holds it, and
  the next retry after a refusal.
"""

import zlib

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from openturk import config
from openturk.data import base
from openturk.data.base import BaseMeta

PENDING, DELIVERED, FAILED = "Pending", "Delivered", "Failed"
SHARDS = 4  # spreads the index's writes over several partitions
# Delivered and Failed events are kept this long for inspection, then DynamoDB's TTL deletes them.
RETENTION = 30 * 24 * 3600


class PendingIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "Pending"
        projection = AllProjection()

    pending_key = UnicodeAttribute(hash_key=True, attr_name="PendingKey")
    pending_at = NumberAttribute(range_key=True, attr_name="PendingAt")


class Event(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("events")

    event_id = UnicodeAttribute(hash_key=True, attr_name="EventId")
    event_type = UnicodeAttribute(attr_name="EventType")
    # Absent on an event recorded without reading its HIT (a submission): delivery looks them up.
    requester_id = UnicodeAttribute(null=True, attr_name="RequesterId")
    hit_type_id = UnicodeAttribute(null=True, attr_name="HITTypeId")
    hit_id = UnicodeAttribute(attr_name="HITId")
    assignment_id = UnicodeAttribute(null=True, attr_name="AssignmentId")
    event_time = NumberAttribute(attr_name="EventTime")
    status = UnicodeAttribute(default=PENDING, attr_name="Status")
    attempts = NumberAttribute(default=0, attr_name="Attempts")
    last_error = UnicodeAttribute(null=True, attr_name="LastError")
    # Which of the two sinks already took it, so that a retry sends only what is missing.
    sent_to_destination = BooleanAttribute(default=False, attr_name="SentToDestination")
    sent_to_bus = BooleanAttribute(default=False, attr_name="SentToBus")
    delivered_at = NumberAttribute(null=True, attr_name="DeliveredAt")
    expires_at = NumberAttribute(null=True, attr_name="ExpiresAt")

    pending_key = UnicodeAttribute(null=True, attr_name="PendingKey")
    pending_at = NumberAttribute(null=True, attr_name="PendingAt")

    pending = PendingIndex()


def shard_of(hit_id: str) -> int:
    """The Pending shard of a HIT's events: stable, so that they stay in one ordered Query."""
    return zlib.crc32(hit_id.encode()) % SHARDS


def pending_key(shard: int) -> str:
    return f"pending#{shard}"


def due(shard: int, now: float, limit: int) -> list[Event]:
    """Up to `limit` undelivered events of one shard that are due by `now`, earliest first."""
    # The range condition is built on the model's attribute: the index's own are not bound to a model.
    condition = Event.pending_at <= now
    return list(Event.pending.query(pending_key(shard), condition, limit=limit, page_size=limit))  # type: ignore[arg-type]


def get_many(event_ids: list[str]) -> list[Event]:
    """The events with these ids that exist, strongly consistent, 100 per BatchGetItem."""
    found: list[Event] = []
    unique = list(dict.fromkeys(event_ids))
    for start in range(0, len(unique), 100):
        found += [e for e in base.batch_get(*((Event, i) for i in unique[start : start + 100])) if e]
    return found
