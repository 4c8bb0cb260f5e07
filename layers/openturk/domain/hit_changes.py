"""Changing a HIT after it was created: its expiration, review status, HIT type and slots, its disposal,
and giving back what was held for it once its work is done (settle). Split from hits.py, which creates
and reads HITs; the rules for its status stay there."""

from collections.abc import Callable

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from openturk.data.base import Transaction, TransactionRefused, due_key
from openturk.data.hits import MARKET_OPEN, Hit
from openturk.data.tokens import TOKEN_LIFETIME, RequestToken, absent_or_expired, token_key
from openturk.domain import events, ledger
from openturk.domain import hit_terms as terms
from openturk.domain.errors import (
    DuplicateRequest,
    InsufficientFunds,
    InvalidHitState,
    InvalidMaximumAssignmentsIncrease,
    InvalidParameter,
)
from openturk.domain.hits import (
    REVIEWABLE,
    REVIEWING,
    assignment_cost,
    get,
    get_hit_type,
    load,
    slots,
    status,
    with_funds,
)

_CONFLICT_ATTEMPTS = 4  # settle: reads again this many times when the HIT changed under it


def _wrong_state(hit: Hit, now: float, allowed: str) -> InvalidHitState:
    return InvalidHitState(
        f"This HIT is currently in the state '{status(hit, now)}'.  This operation can be called with a status of: {allowed}"
    )


def update_expiration(requester_id: str, hit_id: str, expire_at: float, now: float) -> None:
    """Expire a HIT now (a time in the past) or extend it; an expiration is never shortened into the future."""
    hit = get(requester_id, hit_id)
    if hit.disposed:
        raise _wrong_state(hit, now, "Assignable, Unassignable, Reviewable, Reviewing")
    actions: list[Action] = []
    regained = 0  # slots whose cost was given back when the HIT expired, open again if it is extended
    happened: list[str] = []
    if expire_at <= now:
        new_expiration = min(hit.expiration, now)
        actions.append(Hit.reviewable_at.set(min(hit.reviewable_at or new_expiration, new_expiration)))
        if hit.expiry_key is not None:  # expired by the requester: nothing left for the schedule to do
            actions += [Hit.expiry_key.remove(), Hit.market_key.remove()]
            happened = _expiry_events(hit, now)
    else:
        if expire_at < hit.expiration:
            raise InvalidParameter(
                "You cannot shorten the expiration time of a HIT; expire it now or extend it."
            )
        new_expiration = expire_at
        if hit.open > 0:
            actions.append(Hit.reviewable_at.set(new_expiration))
        if slots(hit, now)[0] > 0:
            actions += [
                Hit.reviewing.set(False),
                Hit.review_key.set(f"{requester_id}#{REVIEWABLE}"),
                Hit.market_key.set(MARKET_OPEN),
                Hit.market_at.set(hit.listed_at),
            ]
        # Every slot that can still be worked on or is awaiting review must be paid for when approved.
        regained = int(hit.open) + int(hit.submitted_awaiting_review) - int(hit.held_slots)
        if regained > 0:
            actions.append(Hit.held_slots.add(regained))
        actions.append(Hit.expiry_key.set(due_key("expiry", hit_id)))
        happened = [events.HIT_EXTENDED]
    actions.append(Hit.expiration.set(new_expiration))
    if hit.held_slots > 0 or regained > 0:  # what is held for work never done comes back at expiration
        actions += [Hit.settle_by.set(requester_id), Hit.settle_at.set(new_expiration)]

    def attempt() -> None:
        tx = Transaction()
        tx.update(hit, actions=actions, condition=_unchanged(hit), name="hit")
        if regained > 0:
            ledger.hold(tx, requester_id, regained * int(hit.cost_cents), now, hit_id)
        for event_type in happened:
            events.record(tx, event_type, hit, now)
        tx.commit()

    _spend(requester_id, now, attempt, hit)


def _expiry_events(hit: Hit, now: float) -> list[str]:
    """What a HIT's expiry tells its requester: HITExpired if work could still have come in, and
    HITReviewable if nothing is pending any more."""
    happened = [events.HIT_EXPIRED] if hit.open > 0 else []
    if slots(hit, now)[1] == 0 and not hit.reviewing and hit.open > 0:
        happened.append(events.HIT_REVIEWABLE)
    return happened


def expire(hit_id: str, now: float) -> bool:
    """The schedule's side of a HIT's lifetime: make its expiry durable (out of the marketplace, its
    events recorded, what was held for work never done released). Returns whether this call did it."""
    hit = load(hit_id)
    if hit.expiry_key is None or now < hit.expiration or hit.disposed:
        return False
    tx = Transaction()
    tx.update(
        hit,
        actions=[Hit.expiry_key.remove(), Hit.market_key.remove()],
        condition=_unchanged(hit, Hit.expiry_key.exists()),
        name="hit",
    )
    for event_type in _expiry_events(hit, now):
        events.record(tx, event_type, hit, now)
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "hit" in refused.failed:
            return False  # changed meanwhile (extended, expired by someone else): the next sweep sees it
        raise
    settle(load(hit_id), now)
    return True


def _unchanged(hit: Hit, extra: Condition | None = None) -> Condition:
    """The HIT still is as read, in every way a decision made on the read depends on."""
    condition = (
        (Hit.expiration == hit.expiration)
        & (Hit.open == hit.open)
        & (Hit.disposed == hit.disposed)
        & (Hit.reviewing == hit.reviewing)
        & (Hit.pending == hit.pending)
        & (Hit.held_slots == hit.held_slots)
        & (Hit.cost_cents == hit.cost_cents)
    )
    return condition if extra is None else condition & extra


def _changed_meanwhile(hit_id: str) -> InvalidHitState:
    """A change decided on a read was refused because the HIT changed since: the caller may try again."""
    return InvalidHitState(f"HIT {hit_id} changed while this request ran; try it again.")


def _spend(requester_id: str, now: float, attempt: Callable[[], None], hit: Hit) -> None:
    """with_funds for a change to an existing HIT: a HIT changed meanwhile is a refusal to retry."""
    try:
        with_funds(requester_id, now, attempt)
    except TransactionRefused as refused:
        if "hit" in refused.failed:
            raise _changed_meanwhile(hit.hit_id) from None
        raise


def _commit(tx: Transaction, hit: Hit) -> None:
    try:
        tx.commit()
    except TransactionRefused as refused:
        if ledger.BALANCE in refused.failed:
            raise InsufficientFunds() from None
        if "hit" in refused.failed:
            raise _changed_meanwhile(hit.hit_id) from None
        raise


def update_review_status(requester_id: str, hit_id: str, revert: bool, now: float) -> None:
    hit = get(requester_id, hit_id)
    current = status(hit, now)
    wanted, allowed = (REVIEWABLE, REVIEWING) if revert else (REVIEWING, REVIEWABLE)
    if current != allowed:
        raise _wrong_state(hit, now, allowed)
    tx = Transaction()
    actions = [Hit.reviewing.set(not revert), Hit.review_key.set(f"{requester_id}#{wanted}")]
    tx.update(hit, actions=actions, condition=_unchanged(hit), name="hit")
    _commit(tx, hit)


def update_hit_type(requester_id: str, hit_id: str, hit_type_id: str, now: float) -> None:
    """The HIT takes on the new type's properties. Its work not yet reviewed is paid at the new reward,
    so the money on hold moves to the new price (InsufficientFunds if the balance cannot cover it)."""
    hit = get(requester_id, hit_id)
    hit_type = get_hit_type(requester_id, hit_type_id)
    if hit.disposed:
        raise _wrong_state(hit, now, "Assignable, Unassignable, Reviewable, Reviewing")
    cost = assignment_cost(hit_type.reward_cents, hit.max_assignments, hit_type.qualification_requirements)
    actions = [
        Hit.hit_type_id.set(hit_type.hit_type_id),
        Hit.title.set(hit_type.title),
        Hit.description.set(hit_type.description),
        Hit.reward_cents.set(hit_type.reward_cents),
        Hit.cost_cents.set(cost),
        Hit.assignment_duration.set(hit_type.assignment_duration),
        Hit.auto_approval_delay.set(hit_type.auto_approval_delay),
        Hit.keywords.set(hit_type.keywords) if hit_type.keywords is not None else Hit.keywords.remove(),
        (
            Hit.qualification_requirements.set(hit_type.qualification_requirements)
            if hit_type.qualification_requirements
            else Hit.qualification_requirements.remove()
        ),
    ]
    difference = int(hit.held_slots) * (cost - int(hit.cost_cents))

    def attempt() -> None:
        tx = Transaction()
        tx.update(hit, actions=actions, condition=_unchanged(hit), name="hit")
        if difference > 0:
            ledger.hold(tx, requester_id, difference, now, hit_id)
        elif difference < 0:
            ledger.release(tx, requester_id, -difference, now, hit_id)
        tx.commit()

    _spend(requester_id, now, attempt, hit)


def add_assignments(requester_id: str, hit_id: str, count: int, token: str | None, now: float) -> None:
    """CreateAdditionalAssignmentsForHIT: more slots, their cost on hold; an unexpired HIT becomes
    Assignable again."""
    if count < 1:
        raise InvalidParameter(
            f"Value {count} for parameter NumberOfAdditionalAssignments is invalid. It must be at least 1."
        )
    hit = get(requester_id, hit_id)
    if hit.disposed:
        raise _wrong_state(hit, now, "Assignable, Unassignable, Reviewable, Reviewing")
    most = terms.RANGES["MaxAssignments"][1]
    if hit.max_assignments + count > most:
        raise InvalidParameter(
            f"Value {count} for parameter NumberOfAdditionalAssignments is invalid. "
            f"A HIT can have at most {most} assignments; this one has {int(hit.max_assignments)}."
        )
    if hit.max_assignments < 10 <= hit.max_assignments + count:
        raise InvalidMaximumAssignmentsIncrease(
            "The HIT was created with fewer than 10 assignments and cannot be extended to 10 or more."
        )
    actions: list[Action] = [
        Hit.max_assignments.add(count),
        Hit.available.add(count),
        Hit.open.add(count),
        Hit.held_slots.add(count),
        Hit.reviewable_at.set(hit.expiration),
        Hit.settle_by.set(requester_id),
        Hit.settle_at.set(hit.expiration),
    ]
    if now < hit.expiration:
        actions += [
            Hit.reviewing.set(False),
            Hit.review_key.set(f"{requester_id}#{REVIEWABLE}"),
            Hit.market_key.set(MARKET_OPEN),
            Hit.market_at.set(hit.listed_at),
            Hit.expiry_key.set(due_key("expiry", hit_id)),
        ]
    condition = (
        (Hit.max_assignments == hit.max_assignments)
        & (Hit.cost_cents == hit.cost_cents)
        & (Hit.disposed == False)  # noqa: E712
    )

    def attempt() -> None:
        tx = Transaction()
        tx.update(hit, actions=actions, condition=condition, name="hit")
        if token:
            key = token_key(requester_id, "CreateAdditionalAssignmentsForHIT", token)
            record = RequestToken(key, result_id=hit_id, expires_at=now + TOKEN_LIFETIME)
            tx.put(record, condition=absent_or_expired(now), name="token")
        ledger.hold(tx, requester_id, count * int(hit.cost_cents), now, hit_id)
        events.record(tx, events.HIT_EXTENDED, hit, now)
        tx.commit()

    try:
        with_funds(requester_id, now, attempt)
    except TransactionRefused as refused:
        if "token" in refused.failed:
            raise DuplicateRequest(f'The idempotency token "{token}" has already been processed.') from None
        if "hit" in refused.failed:
            raise _changed_meanwhile(hit_id) from None
        raise


def delete(requester_id: str, hit_id: str, now: float) -> None:
    """DeleteHIT: dispose of a Reviewable or Reviewing HIT whose work is all reviewed, giving back what
    is still held for work never done. Repeating it is harmless."""
    hit = get(requester_id, hit_id)
    if hit.disposed:
        return
    if status(hit, now) not in (REVIEWABLE, REVIEWING) or hit.submitted_awaiting_review > 0:
        raise _wrong_state(hit, now, "Reviewing, Reviewable")
    actions = [
        Hit.disposed.set(True),
        Hit.held_slots.set(0),
        Hit.listed_by.remove(),
        Hit.review_key.remove(),
        Hit.market_key.remove(),
        Hit.settle_by.remove(),
        Hit.expiry_key.remove(),
    ]
    tx = Transaction()
    tx.update(hit, actions=actions, condition=_unchanged(hit, Hit.submitted_awaiting_review == 0), name="hit")
    ledger.release(tx, requester_id, int(hit.held_slots * hit.cost_cents), now, hit_id)
    events.record(tx, events.HIT_DISPOSED, hit, now)
    _commit(tx, hit)


def settle(hit: Hit, now: float) -> bool:
    """After a HIT expires, give back what is held for assignments that will never be done: all but the
    work still pending (live) or awaiting review. Work pending past expiry keeps the HIT due again at its
    next deadline, when that work is abandoned if it was not submitted. Returns whether anything changed;
    safe to run twice or at once (conditional). A HIT changed since it was read is read again, so that
    the balance read right after is exact."""
    for _ in range(_CONFLICT_ATTEMPTS):
        if now < hit.expiration or hit.disposed:
            return False
        try:
            _settle_once(hit, now)
            return True
        except TransactionRefused as refused:
            if "hit" not in refused.failed:
                raise
        hit = load(hit.hit_id)  # someone else changed it first: decide again on what they left
    return False


def _settle_once(hit: Hit, now: float) -> None:
    live_deadlines = [
        d for d in (hit.deadlines.as_dict() if hit.deadlines is not None else {}).values() if d > now
    ]
    keep = len(live_deadlines) + int(hit.submitted_awaiting_review)
    freed = int(hit.held_slots) - keep
    actions: list[Action] = [Hit.held_slots.set(keep)]
    if live_deadlines:
        actions += [Hit.settle_by.set(hit.requester_id), Hit.settle_at.set(min(live_deadlines))]
    else:
        actions.append(Hit.settle_by.remove())
    tx = Transaction()
    tx.update(
        hit,
        actions=actions,
        condition=_unchanged(hit, Hit.submitted_awaiting_review == hit.submitted_awaiting_review),
        name="hit",
    )
    if freed > 0:
        ledger.release(tx, hit.requester_id, freed * int(hit.cost_cents), now, hit.hit_id)
    tx.commit()
