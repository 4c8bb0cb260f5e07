"""HITs and HIT types: creation, the status rules, expiry, review status, extension, disposal.

HITStatus is not stored: it is derived when read from the slot counters, the expiration and two flags,
so a HIT past its expiration reads as expired before any schedule runs (see status()).
"""

from collections.abc import Callable
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from openturk.data.base import Transaction, TransactionRefused, due_key
from openturk.data.hits import MARKET_OPEN, Hit, HitType, sort_key
from openturk.data.tokens import TOKEN_LIFETIME, RequestToken, absent_or_expired, token_key
from openturk.domain import events, ids, ledger, money
from openturk.domain import hit_terms as terms
from openturk.domain import requirements as requirement_rules
from openturk.domain.errors import (
    DuplicateRequest,
    HitAlreadyExists,
    HitNotFound,
    HitTypeNotFound,
    InsufficientFunds,
    InvalidHitState,
    InvalidMaximumAssignmentsIncrease,
    InvalidParameter,
)
from openturk.domain.paging import MAX_RESULTS_DEFAULT, decode_token, encode_token, page_of

ASSIGNABLE, UNASSIGNABLE, REVIEWABLE, REVIEWING, DISPOSED = (
    "Assignable",
    "Unassignable",
    "Reviewable",
    "Reviewing",
    "Disposed",
)
_CONFLICT_ATTEMPTS = 4  # settle: reads again this many times when the HIT changed under it


# ---- reading ----------------------------------------------------------------------------------------


def abandoned(hit: Hit, now: float) -> list[str]:
    """Assignments of this HIT whose time ran out before they were submitted or returned."""
    deadlines = hit.deadlines.as_dict() if hit.deadlines is not None else {}
    return [assignment_id for assignment_id, deadline in deadlines.items() if deadline <= now]


def slots(hit: Hit, now: float) -> tuple[int, int]:
    """(available, pending) as of now: an abandoned assignment's slot is available again."""
    gone = len(abandoned(hit, now))
    return int(hit.available) + gone, int(hit.pending) - gone


def status(hit: Hit, now: float) -> str:
    if hit.disposed:
        return DISPOSED
    if hit.reviewing:
        return REVIEWING
    available, pending = slots(hit, now)
    expired = now >= hit.expiration
    if pending == 0 and (available == 0 or expired):
        return REVIEWABLE
    if available > 0 and not expired:
        return ASSIGNABLE
    return UNASSIGNABLE


def load(hit_id: str) -> Hit:
    try:
        return Hit.get(hit_id, consistent_read=True)
    except DoesNotExist:
        raise HitNotFound(hit_id) from None


def get(requester_id: str, hit_id: str) -> Hit:
    """A requester's own HIT; another requester's HIT does not exist for them."""
    hit = load(hit_id)
    if hit.requester_id != requester_id:
        raise HitNotFound(hit_id)
    return hit


def to_wire(hit: Hit, now: float) -> dict[str, Any]:
    """The MTurk HIT structure."""
    wire: dict[str, Any] = {
        "HITId": hit.hit_id,
        "HITTypeId": hit.hit_type_id,
        "HITGroupId": hit.hit_type_id,
        "CreationTime": hit.creation_time,
        "Title": hit.title,
        "Description": hit.description,
        "Question": hit.question,
        "HITStatus": status(hit, now),
        "MaxAssignments": int(hit.max_assignments),
        "Reward": money.format(int(hit.reward_cents)),
        "AutoApprovalDelayInSeconds": int(hit.auto_approval_delay),
        "Expiration": hit.expiration,
        "AssignmentDurationInSeconds": int(hit.assignment_duration),
        "HITReviewStatus": "NotReviewed",
        "NumberOfAssignmentsPending": slots(hit, now)[1],
        "NumberOfAssignmentsAvailable": slots(hit, now)[0],
        "NumberOfAssignmentsCompleted": int(hit.completed),
    }
    optional = {
        "HITLayoutId": hit.hit_layout_id,
        "Keywords": hit.keywords,
        "RequesterAnnotation": hit.requester_annotation,
        "QualificationRequirements": hit.qualification_requirements,
    }
    wire.update({k: v for k, v in optional.items() if v is not None})
    return wire


def list_hits(
    requester_id: str, max_results: int | None, next_token: str | None
) -> tuple[list[Hit], str | None]:
    """A requester's HITs that are not disposed, oldest first: one Query per page."""
    limit = max_results or MAX_RESULTS_DEFAULT
    cursor = decode_token(next_token, r"(\d{13})#([A-Z0-9]{1,64})")
    start = (
        {"HITId": {"S": cursor.group(2)}, "ListedBy": {"S": requester_id}, "ListedAt": {"S": cursor.group(0)}}
        if cursor
        else None
    )
    items = list(
        Hit.by_requester.query(requester_id, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start)
    )
    return page_of(items, limit, lambda hit: hit.listed_at)


def list_reviewable(
    requester_id: str,
    hit_type_id: str | None,
    wanted: str | None,
    max_results: int | None,
    next_token: str | None,
    now: float,
) -> tuple[list[Hit], str | None]:
    """Reviewable (default) or Reviewing HITs of a requester: one Query per page."""
    wanted = wanted or REVIEWABLE
    if wanted not in (REVIEWABLE, REVIEWING):
        raise InvalidParameter(
            f"Value {wanted} for parameter Status is invalid. Valid values: Reviewable, Reviewing."
        )
    limit = max_results or MAX_RESULTS_DEFAULT
    key = f"{requester_id}#{wanted}"
    cursor = decode_token(next_token, r"(-?\d+(?:\.\d+)?)#([A-Z0-9]{1,64})")
    start = (
        {"HITId": {"S": cursor.group(2)}, "ReviewKey": {"S": key}, "ReviewableAt": {"N": cursor.group(1)}}
        if cursor
        else None
    )
    condition = (Hit.hit_type_id == hit_type_id) if hit_type_id else None
    # The range condition is built on the model's attribute (the index's own attribute objects are not
    # bound to a model and fail when used); PynamoDB overloads <= to build a Condition, its stubs say bool.
    range_condition = Hit.reviewable_at <= now if wanted == REVIEWABLE else None
    # One item more than the page: a next page is promised only when an item for it exists.
    result = Hit.by_review.query(
        key,
        cast(Condition | None, range_condition),
        filter_condition=condition,
        limit=limit + 1,
        page_size=limit + 1,
        last_evaluated_key=start,
    )
    page, token = page_of(list(result), limit, lambda hit: f"{hit.reviewable_at!r}#{hit.hit_id}")
    # Work still pending (counted with its deadlines) keeps an expired HIT out until it is done.
    return [hit for hit in page if status(hit, now) == wanted], token


# ---- creating ----------------------------------------------------------------------------------------


def create_hit_type(requester_id: str, request: dict[str, Any], now: float) -> str:
    """Register a HIT type; the same properties give the same id, so this is one idempotent write."""
    hit_type = terms.type_properties(requester_id, request, now)
    if hit_type.hit_type_id not in _registered:
        tx = Transaction()
        _register(tx, hit_type)
        tx.commit()
        _registered.add(hit_type.hit_type_id)
    return hit_type.hit_type_id


# HIT types this process has written: CreateHIT of a known type is then one write, not two.
_registered: set[str] = set()


def _register(tx: Transaction, hit_type: HitType) -> None:
    """Write a HIT type's properties, leaving anything else on its item (notification settings) alone.
    The id is derived from the properties, so writing them again changes nothing."""
    actions: list[Action] = [
        HitType.requester_id.set(hit_type.requester_id),
        HitType.title.set(hit_type.title),
        HitType.description.set(hit_type.description),
        HitType.reward_cents.set(hit_type.reward_cents),
        HitType.assignment_duration.set(hit_type.assignment_duration),
        HitType.auto_approval_delay.set(hit_type.auto_approval_delay),
        HitType.creation_time.set(HitType.creation_time | hit_type.creation_time),  # if_not_exists
    ]
    if hit_type.keywords is not None:
        actions.append(HitType.keywords.set(hit_type.keywords))
    if hit_type.qualification_requirements is not None:
        actions.append(HitType.qualification_requirements.set(hit_type.qualification_requirements))
    tx.update(HitType(hit_type.hit_type_id), actions=actions, name="hit_type")


def get_hit_type(requester_id: str, hit_type_id: str) -> HitType:
    try:
        hit_type = HitType.get(hit_type_id, consistent_read=True)
    except DoesNotExist:
        raise HitTypeNotFound(hit_type_id) from None
    if hit_type.requester_id != requester_id:
        raise HitTypeNotFound(hit_type_id)
    return hit_type


def create_hit(
    requester_id: str, request: dict[str, Any], now: float, hit_type: HitType | None = None
) -> Hit:
    """CreateHIT (a type from the request's properties) or CreateHITWithHITType (hit_type given)."""
    new_type = hit_type is None
    if hit_type is None:
        hit_type = terms.type_properties(requester_id, request, now)
    else:
        terms.check_ranges(request)
        # The type's requirements were checked when it was made; a type they name may since be gone.
        requirement_rules.check_types_usable(hit_type.qualification_requirements)
    question = terms.question(request, requester_id)
    hit_id = ids.entity_id(20)
    hit = new_hit(hit_id, requester_id, hit_type, question, request, now)
    register = new_type and hit_type.hit_type_id not in _registered
    token = request.get("UniqueRequestToken")
    key = token_key(requester_id, "CreateHIT", token) if token else None

    def attempt() -> None:
        tx = Transaction()
        tx.put(hit, condition=Hit.hit_id.does_not_exist(), name="hit")
        if register:  # racing first CreateHITs of one type conflict here; Transaction retries those
            _register(tx, hit_type)
        if key:
            record = RequestToken(key, result_id=hit_id, expires_at=now + TOKEN_LIFETIME)
            tx.put(record, condition=absent_or_expired(now), name="token")
        ledger.hold(tx, requester_id, int(hit.held_slots * hit.cost_cents), now, hit_id)
        events.record(tx, events.HIT_CREATED, hit, now)
        tx.commit()

    try:
        with_funds(requester_id, now, attempt)
    except TransactionRefused as refused:
        if "token" in refused.failed and key:
            existing = RequestToken.get(key, consistent_read=True)
            raise HitAlreadyExists(
                f'The idempotency token "{token}" has already been processed. HIT {existing.result_id} already exists.'
            ) from None
        raise
    if register:
        _registered.add(hit_type.hit_type_id)
    return hit


def new_hit(
    hit_id: str, requester_id: str, hit_type: HitType, question: str, request: dict[str, Any], now: float
) -> Hit:
    """The item of a new HIT, exactly as every read path expects it (CreateHIT and batches build it here).
    `request` gives MaxAssignments, LifetimeInSeconds and the optional CreateHIT fields."""
    slots = request.get("MaxAssignments", 1)
    expiration = now + request["LifetimeInSeconds"]
    listed_at = sort_key(now, hit_id)
    return Hit(
        hit_id,
        hit_type_id=hit_type.hit_type_id,
        requester_id=requester_id,
        title=hit_type.title,
        description=hit_type.description,
        keywords=hit_type.keywords,
        question=question,
        reward_cents=hit_type.reward_cents,
        creation_time=now,
        expiration=expiration,
        assignment_duration=hit_type.assignment_duration,
        auto_approval_delay=hit_type.auto_approval_delay,
        max_assignments=slots,
        available=slots,
        pending=0,
        open=slots,
        completed=0,
        requester_annotation=request.get("RequesterAnnotation"),
        qualification_requirements=hit_type.qualification_requirements,
        hit_layout_id=request.get("HITLayoutId"),
        assignment_review_policy=request.get("AssignmentReviewPolicy"),
        hit_review_policy=request.get("HITReviewPolicy"),
        listed_by=requester_id,
        listed_at=listed_at,
        review_key=f"{requester_id}#{REVIEWABLE}",
        reviewable_at=expiration,
        market_key=MARKET_OPEN,
        market_at=listed_at,
        cost_cents=assignment_cost(hit_type.reward_cents, slots, hit_type.qualification_requirements),
        held_slots=slots,
        settle_by=requester_id,
        settle_at=expiration,
        expiry_key=due_key("expiry", hit_id),
    )


def assignment_cost(reward_cents: float, max_assignments: float, requirements: list[dict] | None) -> int:
    """What one assignment costs the requester: the reward and MTurk's fee on it."""
    fee = money.assignment_fee(int(reward_cents), int(max_assignments), money.requires_masters(requirements))
    return int(reward_cents) + fee


def with_funds(requester_id: str, now: float, attempt: Callable[[], None]) -> None:
    """Run a transaction that spends money; if the balance refuses, first give back what is due
    (expired HITs' holds, auto-approvals) and try once more before saying InsufficientFunds."""
    try:
        attempt()
        return
    except TransactionRefused as refused:
        if ledger.BALANCE not in refused.failed:
            raise
    from openturk.domain import review  # review builds on this module

    if not review.settle_due(requester_id, now):
        raise InsufficientFunds()
    try:
        attempt()
    except TransactionRefused as refused:
        if ledger.BALANCE in refused.failed:
            raise InsufficientFunds() from None
        raise


# ---- changing ----------------------------------------------------------------------------------------


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


# ---- the worker's view ------------------------------------------------------------------------------


def worker_view(hit: Hit, now: float) -> dict[str, Any]:
    """What a worker sees of a HIT: the task and its terms, not the requester's annotations."""
    return {
        "HITId": hit.hit_id,
        "HITTypeId": hit.hit_type_id,
        "HITGroupId": hit.hit_type_id,
        "RequesterId": hit.requester_id,
        "Title": hit.title,
        "Description": hit.description,
        "Keywords": hit.keywords or "",
        "Reward": money.format(int(hit.reward_cents)),
        "CreationTime": hit.creation_time,
        "Expiration": hit.expiration,
        "AssignmentDurationInSeconds": int(hit.assignment_duration),
        "NumberOfAssignmentsAvailable": slots(hit, now)[0],
        "HITStatus": status(hit, now),
        "Question": hit.question,
        "QualificationRequirements": hit.qualification_requirements or [],
    }


def list_marketplace(now: float, next_token: str | None, limit: int = 25) -> tuple[list[Hit], str | None]:
    """HITs with a free slot, newest first: one Query per page on the marketplace index."""
    cursor = decode_token(next_token, r"(\d{13})#([A-Z0-9]{1,64})")
    start = (
        {"HITId": {"S": cursor.group(2)}, "MarketKey": {"S": MARKET_OPEN}, "MarketAt": {"S": cursor.group(0)}}
        if cursor
        else None
    )
    result = Hit.marketplace.query(
        MARKET_OPEN,
        scan_index_forward=False,
        filter_condition=(Hit.expiration > now) & (Hit.available > 0),
        limit=limit,
        page_size=limit,
        last_evaluated_key=start,
    )
    items = list(result)
    last = result.last_evaluated_key
    return items, (encode_token(last["MarketAt"]["S"]) if last else None)
