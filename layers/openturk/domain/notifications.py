"""Notifications: HIT types' notification settings, MTurk's event document, and delivering the outbox.

Each recorded event goes to two places: the HIT type's notification destination (an SQS queue or SNS
topic, when its spec is active and lists the event type) in MTurk's message format, and always the
stack's EventBridge bus (source "openturk.mturk", detail-type = the event type, detail = the same
document), so that a rule can start a Lambda function or a Step Functions workflow on any event.

Delivery is at least once: the table's stream hands new events to deliver_ids at once, and
deliver_pending (the schedule; locally the runtime's background loop) picks up whatever is still due,
including retries after a destination refused.
"""

import hashlib
import json
import logging
import os
import re
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from pynamodb.expressions.update import Action

from openturk import config
from openturk.data import events as outbox
from openturk.data.base import batch_get
from openturk.data.events import DELIVERED, FAILED, PENDING, Event
from openturk.data.hits import Hit, HitType
from openturk.domain import events, hits
from openturk.domain.errors import InvalidParameter, InvalidTransportEndpoint

log = logging.getLogger(__name__)

SOURCE = "openturk.mturk"  # the EventBridge source of every event
VERSIONS = ("2006-05-05", "2014-08-15")  # the model's documented value and the docs' current one
BUS_VERSION = "2014-08-15"  # EventDocVersion on the bus, whatever a HIT type's spec asks for
_TRANSPORTS = ("SQS", "SNS")
_CLOCK_TOLERANCE = 5.0  # seconds
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})(\.fifo)?$")
_QUEUE_PATH = re.compile(r"^/(\d{12})/([A-Za-z0-9_-]{1,80})(\.fifo)?$")
_QUEUE_REGION = re.compile(r"^(?:sqs\.([a-z0-9-]+)\.|([a-z0-9-]+)\.queue\.)")
# Test events are about no real HIT: their ids are placeholders of the right shape.
_TEST_IDS = {
    "HITTypeId": "TESTHITTYPEID" + "0" * 17,
    "HITId": "TESTHITID" + "0" * 21,
    "AssignmentId": "TESTASSIGNMENTID" + "0" * 14,
}


class Refused(Exception):
    """A destination (or the bus) did not take a message; the text says why."""


# ---- settings ----------------------------------------------------------------------------------------


def validate(spec: dict[str, Any], allow_ping: bool) -> dict[str, Any]:
    """A NotificationSpecification as MTurk accepts it (its members' types and enums are checked by the
    edge against the model already); returned with its event types listed once each."""
    transport, version, destination = spec["Transport"], spec["Version"], spec["Destination"]
    if transport not in _TRANSPORTS:
        raise InvalidParameter(
            f"Transport {transport} is not supported: openturk sends notifications to SQS and SNS."
        )
    if version not in VERSIONS:
        raise InvalidParameter(
            f"Value {version} for parameter Notification.Version is invalid. Valid values: {', '.join(VERSIONS)}."
        )
    event_types = list(dict.fromkeys(spec["EventTypes"]))
    if not event_types:
        raise InvalidParameter("Notification.EventTypes must list at least one event type.")
    if events.PING in event_types and not allow_ping:
        raise InvalidParameter(
            "The event type Ping is only for SendTestEventNotification; remove it from Notification.EventTypes."
        )
    _region_of(transport, destination)  # refuses what is not a queue URL or topic ARN
    return {"Destination": destination, "Transport": transport, "Version": version, "EventTypes": event_types}


def _region_of(transport: str, destination: str) -> str:
    """The region of an SQS queue URL or SNS topic ARN, or InvalidTransportEndpoint."""
    if transport == "SNS":
        match = _TOPIC_ARN.match(destination)
        if match:
            return match.group(1)
        raise InvalidTransportEndpoint(
            f"Destination {destination} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)."
        )
    url = urlsplit(destination)
    # Locally the queues live in moto, on plain http.
    schemes = ("https", "http") if config.LOCAL else ("https",)
    if url.scheme in schemes and url.hostname and _QUEUE_PATH.match(url.path) and not url.query:
        region = _QUEUE_REGION.match(url.hostname)
        return (region.group(1) or region.group(2)) if region else config.REGION
    raise InvalidTransportEndpoint(
        f"Destination {destination} is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)."
    )


def update_settings(
    requester_id: str, hit_type_id: str, spec: dict[str, Any] | None, active: bool | None, now: float
) -> None:
    """UpdateNotificationSettings: replace the HIT type's spec, turn it on or off, or both. A new spec
    with Active left out is active. Only the HIT type's owner may; to others it does not exist."""
    if spec is None and active is None:
        raise InvalidParameter("Provide a Notification, Active, or both.")
    hit_type = hits.get_hit_type(requester_id, hit_type_id)
    actions: list[Action] = [HitType.notification_active.set(True if active is None else active)]
    if spec is not None:
        actions.append(HitType.notification.set(validate(spec, allow_ping=False)))
    elif hit_type.notification is None:
        raise InvalidParameter(
            f"HIT type {hit_type_id} has no notification specification to turn {'on' if active else 'off'}; "
            "send a Notification with Active."
        )
    # Owner unchanged (a HIT type's owner never changes; the condition also keeps the item from being
    # created by an update if it were ever deleted).
    hit_type.update(actions=actions, condition=HitType.requester_id == requester_id)


def send_test(requester_id: str, spec: dict[str, Any], event_type: str, now: float) -> None:
    """SendTestEventNotification: one event of `event_type` (Ping included) with placeholder ids, sent
    now to the spec's destination, whether or not the spec lists the type. Not put on the bus: it is
    about no real HIT."""
    spec = validate(spec, allow_ping=True)
    event = Event(
        uuid.uuid4().hex,
        event_type=event_type,
        requester_id=requester_id,
        hit_type_id=_TEST_IDS["HITTypeId"],
        hit_id=_TEST_IDS["HITId"],
        assignment_id=_TEST_IDS["AssignmentId"] if event_type.startswith("Assignment") else None,
        event_time=now,
    )
    try:
        _send(spec, message([event], spec, requester_id), event, now)
    except Refused as refused:
        raise InvalidTransportEndpoint(
            f"The test notification could not be sent to {spec['Destination']}: {refused}"
        ) from None


# ---- the message -------------------------------------------------------------------------------------


def message(event_items: list[Event], spec: dict[str, Any] | None, requester_id: str) -> dict[str, Any]:
    """MTurk's notification document (the SQS body, the SNS Message) for these events of one requester.
    EventDocId is derived from the events' ids, so a retried delivery carries the same one and the
    receiver can drop duplicates by it."""
    listed = []
    for event in event_items:
        item = {
            "EventType": event.event_type,
            "EventTimestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(float(event.event_time))),
            "HITId": event.hit_id,
        }
        if event.assignment_id:
            item["AssignmentId"] = event.assignment_id
        item["HITTypeId"] = event.hit_type_id
        listed.append(item)
    return {
        "Events": listed,
        "EventDocId": hashlib.sha1(",".join(e.event_id for e in event_items).encode()).hexdigest(),
        "SourceAccount": source_account(),
        "CustomerId": requester_id,
        "EventDocVersion": spec["Version"] if spec else BUS_VERSION,
    }


@cache
def source_account() -> str:
    """The AWS account openturk runs in: OPENTURK_ACCOUNT_ID when set (the stack sets it), else STS's
    answer (GetCallerIdentity needs no permission; locally moto answers)."""
    return (
        os.environ.get("OPENTURK_ACCOUNT_ID")
        or _client("sts", config.REGION).get_caller_identity()["Account"]
    )


# ---- delivery ----------------------------------------------------------------------------------------


def deliver(event_items: list[Event], now: float) -> dict[str, int]:
    """Send each due Pending event to its HIT type's destination (if active and listing its type) and
    to the bus, then mark it Delivered, or retry it later, or Failed. Events are sent in time order
    (so an assignment's events arrive in the order they happened); one event's refusal never stops
    the others. Returns how many ended in each state."""
    due = sorted(
        (e for e in event_items if e.status == PENDING and e.pending_at is not None and e.pending_at <= now),
        key=events.order,
    )
    claimed = [e for e in due if events.claim(e, now)]
    _name_hits(claimed)  # after claiming: a claim reloads the event as stored
    specs = _active_specs({e.hit_type_id for e in claimed if e.hit_type_id})
    errors: dict[str, list[str]] = {e.event_id: [] for e in claimed}
    sent_to_destination = {e.event_id: bool(e.sent_to_destination) for e in claimed}
    for event in claimed:
        spec = specs.get(event.hit_type_id)
        if spec is None or event.event_type not in spec["EventTypes"] or event.sent_to_destination:
            continue
        try:
            _send(spec, message([event], spec, event.requester_id), event, now)
            sent_to_destination[event.event_id] = True
        except Refused as refused:
            errors[event.event_id].append(f"{spec['Transport']} {spec['Destination']}: {refused}")
        except Exception as failure:  # whatever it was, it is this event's alone
            log.exception("sending event %s failed", event.event_id)
            errors[event.event_id].append(f"{spec['Transport']} {spec['Destination']}: {failure!r}")
    sent_to_bus = {e.event_id: bool(e.sent_to_bus) for e in claimed}
    for event_id, refusal in _put_on_bus([e for e in claimed if not e.sent_to_bus]).items():
        if refusal is None:
            sent_to_bus[event_id] = True
        else:
            errors[event_id].append(f"EventBridge bus {bus_name()}: {refusal}")
    outcome: Counter[str] = Counter()
    for event in claimed:
        error = "; ".join(errors[event.event_id]) or None
        try:
            status = events.finish(
                event, now, sent_to_destination[event.event_id], sent_to_bus[event.event_id], error
            )
        except Exception:  # the lease runs out and the event is taken again: at least once
            log.exception("could not record the delivery of event %s", event.event_id)
            continue
        outcome[status if error is None or status == FAILED else "Retrying"] += 1
    return {key: outcome[key] for key in (DELIVERED, "Retrying", FAILED)}


def deliver_ids(event_ids: list[str], now: float) -> dict[str, int]:
    """Deliver the events with these ids (the new events a DynamoDB Stream batch names). A new event is
    due at its own time, which another host's clock wrote: a few seconds' difference is tolerated."""
    return deliver(outbox.get_many(event_ids), now + _CLOCK_TOLERANCE)


# One pass over the outbox at a time in a process: two at once (the local runtime's tick and a
# /local/sweep call) would each hold some of a HIT's events and could send a later one first.
_pending_lock = threading.Lock()


# Deployed, the events table's stream hands each new event to deliver_ids within moments; the schedule
# leaves events younger than this to it, so that the two rarely hold events of one HIT at the same time.
STREAM_GRACE_SECONDS = 30.0


def _stream_grace() -> float:
    return 0.0 if config.LOCAL else STREAM_GRACE_SECONDS  # locally nothing streams: the tick sends all


def deliver_pending(now: float, limit: int = 100, pages: int = 10) -> dict[str, int]:
    """Deliver what is due by `now` (deployed: and older than the stream's grace): pages of up to `limit`
    events, found through the Pending index (one Query per shard; never a Scan), until a page is not
    full or `pages` pages were done."""
    with _pending_lock:
        return _deliver_pages(now, limit, pages)


def _deliver_pages(now: float, limit: int, pages: int) -> dict[str, int]:
    total: Counter[str] = Counter()
    due_by = now - _stream_grace()
    for _ in range(pages):
        found = [e for shard in range(outbox.SHARDS) for e in outbox.due(shard, due_by, limit)]
        page = sorted(found, key=lambda e: (float(e.pending_at or 0), events.order(e)))[:limit]
        total.update(deliver(page, now))
        if len(page) < limit:
            break
    return {key: total[key] for key in (DELIVERED, "Retrying", FAILED)}


def _name_hits(event_items: list[Event]) -> None:
    """Fill in the requester and HIT type of events recorded without reading their HIT (a submission
    writes blind: see assignments.submit), from the HITs themselves, one BatchGetItem per 100 HITs. A
    HIT's requester never changes; its type is the one it has now, a moment after the event."""
    unnamed = [e for e in event_items if e.hit_type_id is None]
    hit_ids = sorted({e.hit_id for e in unnamed})
    found: dict[str, Hit] = {}
    for start in range(0, len(hit_ids), 100):
        for hit in batch_get(*((Hit, i) for i in hit_ids[start : start + 100])):
            if hit is not None:
                found[hit.hit_id] = hit
    for event in unnamed:
        hit = found.get(event.hit_id)
        if hit is not None:
            event.requester_id, event.hit_type_id = hit.requester_id, hit.hit_type_id


def _active_specs(hit_type_ids: set[str]) -> dict[str, dict[str, Any]]:
    """The active notification spec of each of these HIT types that has one (one BatchGetItem per 100)."""
    ids = sorted(hit_type_ids)
    specs = {}
    for start in range(0, len(ids), 100):
        for hit_type in batch_get(*((HitType, i) for i in ids[start : start + 100])):
            if hit_type is not None and hit_type.notification and hit_type.notification_active:
                specs[hit_type.hit_type_id] = hit_type.notification
    return specs


# ---- transports --------------------------------------------------------------------------------------


def bus_name() -> str:
    return os.environ.get("OPENTURK_EVENT_BUS") or "openturk"


_clients_lock = threading.Lock()


@cache
def _cached_client(service: str, region: str) -> Any:
    import boto3
    from botocore.config import Config

    # A session per client: boto3's default session is not safe to create clients from in threads.
    return boto3.session.Session().client(
        service,
        region_name=region,
        endpoint_url=os.environ.get("OPENTURK_AWS_ENDPOINT") or None,  # moto, in the local runtime
        config=Config(connect_timeout=5, read_timeout=10, retries={"mode": "standard", "max_attempts": 2}),
    )


def _client(service: str, region: str) -> Any:
    """One client per service and region, made on first use (so moto can start first) and kept."""
    with _clients_lock:
        return _cached_client(service, region)


def _send(spec: dict[str, Any], document: dict[str, Any], event: Event, now: float) -> None:
    """One message to an SQS queue (body = the document) or SNS topic (Message = the document, Subject =
    the time in epoch milliseconds, as MTurk's); Refused when the destination does not take it."""
    from botocore.exceptions import BotoCoreError, ClientError

    destination = spec["Destination"]
    region = _region_of(spec["Transport"], destination)
    body = json.dumps(document)
    fifo = destination.endswith(".fifo")
    # FIFO queues and topics: ordered per HIT, and the document's id makes a retry a duplicate they drop.
    ordering = (
        {"MessageGroupId": event.hit_id, "MessageDeduplicationId": document["EventDocId"]} if fifo else {}
    )
    try:
        if spec["Transport"] == "SQS":
            _client("sqs", region).send_message(QueueUrl=destination, MessageBody=body, **ordering)
        else:
            _client("sns", region).publish(
                TopicArn=destination, Message=body, Subject=str(int(now * 1000)), **ordering
            )
    except ClientError as error:
        details = error.response.get("Error", {})
        raise Refused(f"{details.get('Code', 'Error')}: {details.get('Message', '')}".rstrip(": ")) from None
    except BotoCoreError as error:
        raise Refused(str(error)) from None


def _put_on_bus(event_items: list[Event]) -> dict[str, str | None]:
    """Put each event on the stack's bus (10 per PutEvents); what refused each, or None."""
    results: dict[str, str | None] = {}
    from botocore.exceptions import BotoCoreError, ClientError

    for start in range(0, len(event_items), 10):
        chunk = event_items[start : start + 10]
        results.update({event.event_id: "no answer from PutEvents" for event in chunk})
        entries = [
            {
                "Source": SOURCE,
                "DetailType": event.event_type,
                "Detail": json.dumps(message([event], None, event.requester_id)),
                "EventBusName": bus_name(),
                "Time": datetime.fromtimestamp(float(event.event_time), UTC),
            }
            for event in chunk
        ]
        try:
            answered = _client("events", config.REGION).put_events(Entries=entries)["Entries"]
        except (ClientError, BotoCoreError) as error:
            details = getattr(error, "response", {}).get("Error", {})
            reason = f"{details.get('Code', 'Error')}: {details.get('Message', str(error))}"
            results.update({event.event_id: reason for event in chunk})
            continue
        for event, entry in zip(chunk, answered, strict=False):
            code = entry.get("ErrorCode")
            results[event.event_id] = f"{code}: {entry.get('ErrorMessage', '')}" if code else None
    return results
