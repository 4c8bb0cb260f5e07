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
    HitAlreadyExists,
    HitNotFound,
    HitTypeNotFound,
    InsufficientFunds,
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
