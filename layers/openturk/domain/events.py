"""HIT and assignment events: recorded in the outbox with the change that causes them, then delivered.

A state change and its event are one write: the caller adds record() to the transaction that makes the
change, so an event exists exactly when its change happened, and the API call never waits for (or fails
because of) a destination. notifications.deliver sends it later, at least once; the functions below move
an event through delivery: Pending -> (claimed) -> Delivered, or back to Pending with a backoff, or
Failed after MAX_ATTEMPTS refusals.
"""

import uuid

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from openturk.data import base as db
from openturk.data.base import Transaction
from openturk.data.events import DELIVERED, FAILED, PENDING, RETENTION, Event, pending_key, shard_of
from openturk.data.hits import Hit

# MTurk's event types, in the order one HIT's events happen: events recorded at the same moment (one
# transaction can record AssignmentSubmitted and HITReviewable) are delivered in this order.
HIT_CREATED = "HITCreated"
HIT_EXTENDED = "HITExtended"
ASSIGNMENT_ACCEPTED = "AssignmentAccepted"
ASSIGNMENT_RETURNED = "AssignmentReturned"
ASSIGNMENT_ABANDONED = "AssignmentAbandoned"
ASSIGNMENT_SUBMITTED = "AssignmentSubmitted"
ASSIGNMENT_APPROVED = "AssignmentApproved"
ASSIGNMENT_REJECTED = "AssignmentRejected"
HIT_EXPIRED = "HITExpired"
HIT_REVIEWABLE = "HITReviewable"
HIT_DISPOSED = "HITDisposed"
EVENT_TYPES = (
    HIT_CREATED,
    HIT_EXTENDED,
    ASSIGNMENT_ACCEPTED,
    ASSIGNMENT_RETURNED,
    ASSIGNMENT_ABANDONED,
    ASSIGNMENT_SUBMITTED,
    ASSIGNMENT_APPROVED,
    ASSIGNMENT_REJECTED,
    HIT_EXPIRED,
    HIT_REVIEWABLE,
    HIT_DISPOSED,
)
PING = "Ping"  # only ever sent by SendTestEventNotification

MAX_ATTEMPTS = 5  # refused deliveries before an event is Failed
BACKOFF_SECONDS = 10.0  # wait after the first refusal; doubles after each further one
LEASE_SECONDS = 60.0  # how long a deliverer holds an event before another may take it over

_RANK = {event_type: rank for rank, event_type in enumerate(EVENT_TYPES)}


def record(
    tx: Transaction, event_type: str, hit: Hit | str, now: float, assignment_id: str | None = None
) -> Event:
    """Add the put of a new Pending event about `hit` (and `assignment_id`, for assignment events) to
    the caller's transaction. Call it inside the function that builds the transaction, so that a retried
    transaction records the event again (the same one: its id is fixed here). `hit` may be only the
    HIT's id, when the caller wrote without reading the HIT: delivery then looks up its requester and
    HIT type (see notifications.deliver)."""
    if event_type not in _RANK:
        raise ValueError(f"{event_type!r} is not an event type openturk records")
    if event_type.startswith("Assignment") != (assignment_id is not None):
        raise ValueError(
            f"{event_type} events {'need' if assignment_id is None else 'have no'} an AssignmentId"
        )
    hit_id = hit if isinstance(hit, str) else hit.hit_id
    event = Event(
        uuid.uuid4().hex,
        event_type=event_type,
        requester_id=None if isinstance(hit, str) else hit.requester_id,
        hit_type_id=None if isinstance(hit, str) else hit.hit_type_id,
        hit_id=hit_id,
        assignment_id=assignment_id,
        event_time=now,
        status=PENDING,
        attempts=0,
        pending_key=pending_key(shard_of(hit_id)),
        pending_at=now,
    )
    # No condition: a fresh random id cannot exist, and the event must never be why a change is refused.
    tx.put(event, name=f"event:{event_type}")
    return event


def order(event: Event) -> tuple[float, int, str]:
    """Delivery order: by time, then in lifecycle order for events of the same moment."""
    return (float(event.event_time), _RANK.get(event.event_type, len(_RANK)), event.event_id)


def claim(event: Event, now: float) -> bool:
    """Take a due Pending event for delivery: move its PendingAt to the end of a lease, on condition that
    no one else did first (PendingAt unchanged). Two deliverers (the stream and the schedule) never both
    send it; a deliverer that dies leaves it to be taken again when the lease ends."""
    if event.status != PENDING or event.pending_at is None or event.pending_at > now:
        return False
    held = event.pending_at
    try:
        event.update(
            actions=[Event.pending_at.set(now + LEASE_SECONDS)],
            condition=(Event.status == PENDING) & (Event.pending_at == held),
        )
    except UpdateError as error:
        if db.condition_failed(error):
            return False
        raise
    return True


def finish(event: Event, now: float, sent_to_destination: bool, sent_to_bus: bool, error: str | None) -> str:
    """After a claimed event's delivery attempt: Delivered when nothing refused it, else Pending again
    after a backoff, or Failed once MAX_ATTEMPTS attempts were refused. Returns the new status. The
    condition (our lease still holds) keeps a deliverer whose lease ran out from overwriting another's."""
    actions: list[Action] = [
        Event.sent_to_destination.set(sent_to_destination),
        Event.sent_to_bus.set(sent_to_bus),
    ]
    if error is None:
        status = DELIVERED
        actions += [Event.delivered_at.set(now)]
    else:
        attempts = int(event.attempts) + 1
        status = FAILED if attempts >= MAX_ATTEMPTS else PENDING
        actions += [Event.attempts.set(attempts), Event.last_error.set(error[:1000])]
        if status == PENDING:
            actions.append(Event.pending_at.set(now + BACKOFF_SECONDS * 2 ** (attempts - 1)))
    if status != PENDING:  # out of the Pending index for good; kept a while for inspection
        actions += [
            Event.status.set(status),
            Event.pending_key.remove(),
            Event.pending_at.remove(),
            Event.expires_at.set(now + RETENTION),
        ]
    try:
        event.update(
            actions=actions, condition=(Event.status == PENDING) & (Event.pending_at == event.pending_at)
        )
    except UpdateError as error_:
        if db.condition_failed(error_):
            return PENDING  # our lease ran out and another deliverer has it now
        raise
    return status
