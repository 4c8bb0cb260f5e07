"""HITs and HIT types: creation, the status rules, expiry, review status, extension, disposal.

HITStatus is not stored: it is derived when read from the slot counters, the expiration and two flags,
so a HIT past its expiration reads as expired before any schedule runs (see status()).
"""

import base64
import binascii
import json
import random
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from openturk.data import base as db
from openturk.data.hits import MARKET_OPEN, Hit, HitType, sort_key
from openturk.data.tokens import TOKEN_LIFETIME, RequestToken, absent_or_expired, token_key
from openturk.domain import ids, money, questions
from openturk.domain.errors import (
    DuplicateRequest,
    HitAlreadyExists,
    HitLayoutNotFound,
    HitNotFound,
    HitTypeNotFound,
    InvalidHitState,
    InvalidMaximumAssignmentsIncrease,
    InvalidParameter,
)

ASSIGNABLE, UNASSIGNABLE, REVIEWABLE, REVIEWING, DISPOSED = (
    "Assignable",
    "Unassignable",
    "Reviewable",
    "Reviewing",
    "Disposed",
)
DEFAULT_AUTO_APPROVAL_DELAY = 2_592_000
# Far above any real reward, and small enough that reward x a billion assignments x fees stays an exact
# DynamoDB number (38 digits); the pattern alone lets a 40-digit amount through to the store.
MAX_REWARD_CENTS = 100_000_000_000
MAX_RESULTS_DEFAULT = 10
_CONFLICT_ATTEMPTS = 4
T = TypeVar("T")
_RANGES = {
    "LifetimeInSeconds": (30, 31_536_000),
    "AssignmentDurationInSeconds": (30, 31_536_000),
    "AutoApprovalDelayInSeconds": (0, 2_592_000),
    "MaxAssignments": (1, 1_000_000_000),
}
_LENGTHS = {"Title": 128, "Description": 2000, "Keywords": 1000, "RequesterAnnotation": 255}
WORKER_LOCALE = "00000000000000000071"
_POLICIES = {
    "AssignmentReviewPolicy": "ScoreMyKnownAnswers/2011-09-01",
    "HITReviewPolicy": "SimplePlurality/2011-09-01",
}


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


def _page(items: list[T], limit: int, token_of: Callable[[T], str]) -> tuple[list[T], str | None]:
    """Cut a page fetched with limit + 1 items: the extra item only says that another page exists.
    (Also used for ListAssignmentsForHIT, hence any item type.)"""
    if len(items) > limit:
        items = items[:limit]
        return items, encode_token(token_of(items[-1]))
    return items, None


def encode_token(cursor: str) -> str:
    return base64.urlsafe_b64encode(cursor.encode()).decode()


def decode_token(token: str | None, pattern: str) -> re.Match | None:
    if token is None:
        return None
    try:
        cursor = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        cursor = ""
    match = re.fullmatch(pattern, cursor)
    if not match:
        raise InvalidParameter(f"The pagination token {token} is invalid.")
    return match


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
    return _page(items, limit, lambda hit: hit.listed_at)


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
    page, token = _page(list(result), limit, lambda hit: f"{hit.reviewable_at!r}#{hit.hit_id}")
    # Work still pending (counted with its deadlines) keeps an expired HIT out until it is done.
    return [hit for hit in page if status(hit, now) == wanted], token


# ---- creating ----------------------------------------------------------------------------------------


def _check_ranges(request: dict[str, Any]) -> None:
    for name, (low, high) in _RANGES.items():
        value = request.get(name)
        if value is not None and not low <= value <= high:
            raise InvalidParameter(
                f"Value {value} for parameter {name} is invalid. It must be between {low} and {high}."
            )
    for name, limit in _LENGTHS.items():
        value = request.get(name)
        if value is not None and len(value) > limit:
            raise InvalidParameter(
                f"The value of {name} is {len(value)} characters long; the limit is {limit}."
            )
    for name in ("Title", "Description"):
        if name in request and not request[name].strip():
            raise InvalidParameter(f"The value of {name} must not be empty.")
    for name, policy in _POLICIES.items():
        given = request.get(name)
        if given is not None and given.get("PolicyName") != policy:
            raise InvalidParameter(f"{name} must name the policy {policy}, not {given.get('PolicyName')}.")


def _requirements(given: list[dict] | None) -> list[dict] | None:
    if not given:
        return None
    if len(given) > 10:
        raise InvalidParameter("A HIT can have at most 10 QualificationRequirements.")
    result = []
    for index, requirement in enumerate(given):
        _check_values(requirement, f"QualificationRequirements[{index}]")
        requirement = dict(requirement)
        if "ActionsGuarded" not in requirement and "RequiredToPreview" not in requirement:
            requirement["ActionsGuarded"] = "Accept"
        result.append(requirement)
    return result


def _check_values(requirement: dict, where: str) -> None:
    """The values a comparator takes: none for Exists and DoesNotExist, up to 15 integers or 30 locales
    for In and NotIn, exactly one otherwise; locales only for Worker_Locale, and never ordered."""
    comparator = requirement["Comparator"]
    integers, locales = requirement.get("IntegerValues"), requirement.get("LocaleValues")
    if integers is not None and locales is not None:
        raise InvalidParameter(f"{where} may have IntegerValues or LocaleValues, not both.")
    count = len(integers if integers is not None else locales or [])
    if comparator in ("Exists", "DoesNotExist"):
        allowed = range(0, 1)
    elif comparator in ("In", "NotIn"):
        allowed = range(1, (15 if integers is not None else 30) + 1)
    else:
        allowed = range(1, 2)
    if count not in allowed:
        raise InvalidParameter(
            f"{where} with Comparator {comparator} takes {allowed.start} to {allowed.stop - 1} values, not {count}."
        )
    is_locale = requirement["QualificationTypeId"] == WORKER_LOCALE
    if locales and not is_locale:
        raise InvalidParameter(f"{where}: LocaleValues are for Worker_Locale ({WORKER_LOCALE}) only.")
    if integers and is_locale:
        raise InvalidParameter(
            f"{where}: Worker_Locale ({WORKER_LOCALE}) compares LocaleValues, not IntegerValues."
        )
    if is_locale and comparator not in ("EqualTo", "NotEqualTo", "In", "NotIn", "Exists", "DoesNotExist"):
        raise InvalidParameter(f"{where}: a locale cannot be compared with {comparator}.")
    if "ActionsGuarded" in requirement and "RequiredToPreview" in requirement:
        raise InvalidParameter(
            f"{where} may set ActionsGuarded or the deprecated RequiredToPreview, not both."
        )


def _type_properties(requester_id: str, request: dict[str, Any], now: float) -> HitType:
    _check_ranges(request)
    try:
        reward = money.parse(request["Reward"])
    except ValueError:
        raise InvalidParameter(f"Value {request['Reward']} for parameter Reward is invalid.") from None
    if reward > MAX_REWARD_CENTS:
        raise InvalidParameter(
            f"Value {request['Reward']} for parameter Reward is invalid. "
            f"It must be at most {money.format(MAX_REWARD_CENTS)}."
        )
    requirements = _requirements(request.get("QualificationRequirements"))
    delay = request.get("AutoApprovalDelayInSeconds", DEFAULT_AUTO_APPROVAL_DELAY)
    identity = json.dumps(
        [
            request["Title"],
            request["Description"],
            request.get("Keywords"),
            reward,
            request["AssignmentDurationInSeconds"],
            delay,
            requirements,
        ],
        sort_keys=True,
    )
    return HitType(
        ids.derived_id("hit-type", requester_id, identity),
        requester_id=requester_id,
        title=request["Title"],
        description=request["Description"],
        keywords=request.get("Keywords"),
        reward_cents=reward,
        assignment_duration=request["AssignmentDurationInSeconds"],
        auto_approval_delay=delay,
        qualification_requirements=requirements,
        creation_time=now,
    )


def create_hit_type(requester_id: str, request: dict[str, Any], now: float) -> str:
    """Register a HIT type; the same properties give the same id, so this is one idempotent write."""
    hit_type = _type_properties(requester_id, request, now)
    _register(hit_type)
    return hit_type.hit_type_id


def _register(hit_type: HitType) -> None:
    try:
        hit_type.save(condition=HitType.hit_type_id.does_not_exist())
    except PutError as error:
        if not db.condition_failed(error):  # else: already registered, same id, same properties
            raise


def get_hit_type(requester_id: str, hit_type_id: str) -> HitType:
    try:
        hit_type = HitType.get(hit_type_id, consistent_read=True)
    except DoesNotExist:
        raise HitTypeNotFound(hit_type_id) from None
    if hit_type.requester_id != requester_id:
        raise HitTypeNotFound(hit_type_id)
    return hit_type


def _question(request: dict[str, Any]) -> str:
    has_question, has_layout = request.get("Question") is not None, request.get("HITLayoutId") is not None
    if has_question == has_layout:
        raise InvalidParameter("Provide exactly one of Question or HITLayoutId.")
    if has_layout:
        raise HitLayoutNotFound(request["HITLayoutId"])
    questions.parse(request["Question"])
    return request["Question"]


def create_hit(
    requester_id: str, request: dict[str, Any], now: float, hit_type: HitType | None = None
) -> Hit:
    """CreateHIT (a type from the request's properties) or CreateHITWithHITType (hit_type given)."""
    new_type = hit_type is None
    if hit_type is None:
        hit_type = _type_properties(requester_id, request, now)
    else:
        _check_ranges(request)
    question = _question(request)
    slots = request.get("MaxAssignments", 1)
    hit_id = ids.entity_id(20)
    expiration = now + request["LifetimeInSeconds"]
    listed_at = sort_key(now, hit_id)
    hit = Hit(
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
        assignment_review_policy=request.get("AssignmentReviewPolicy"),
        hit_review_policy=request.get("HITReviewPolicy"),
        listed_by=requester_id,
        listed_at=listed_at,
        review_key=f"{requester_id}#{REVIEWABLE}",
        reviewable_at=expiration,
        market_key=MARKET_OPEN,
        market_at=listed_at,
    )
    if new_type:
        _register(hit_type)  # outside the transaction: concurrent CreateHITs of one type must not conflict
    token = request.get("UniqueRequestToken")
    key = token_key(requester_id, "CreateHIT", token) if token else None

    def write(tx: TransactWrite) -> None:
        tx.save(hit, condition=Hit.hit_id.does_not_exist())
        if key:
            record = RequestToken(key, result_id=hit_id, expires_at=now + TOKEN_LIFETIME)
            tx.save(record, condition=absent_or_expired(now))

    try:
        _transact(write)
    except TransactWriteError as error:
        if key and db.reasons(error)[-1:] == ["ConditionalCheckFailed"]:
            existing = RequestToken.get(key, consistent_read=True)
            raise HitAlreadyExists(
                f'The idempotency token "{token}" has already been processed. HIT {existing.result_id} already exists.'
            ) from None
        raise
    return hit


def _transact(write: Callable[[TransactWrite], None]) -> None:
    """One transaction, run again while DynamoDB cancels it only because another transaction was writing
    the same item at that moment (TransactionConflict: racing retries of one UniqueRequestToken). The
    next attempt sees the winner's write, and its conditions decide."""
    for attempt in range(_CONFLICT_ATTEMPTS):
        try:
            with db.transaction() as tx:
                write(tx)
            return
        except TransactWriteError as error:
            codes = db.reasons(error)
            if attempt + 1 == _CONFLICT_ATTEMPTS or "TransactionConflict" not in codes:
                raise
            time.sleep(random.uniform(0, 0.02 * 2**attempt))  # spread the racers out


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
    if expire_at <= now:
        new_expiration = min(hit.expiration, now)
        actions.append(Hit.reviewable_at.set(min(hit.reviewable_at or new_expiration, new_expiration)))
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
    actions.append(Hit.expiration.set(new_expiration))
    _conditional_update(hit, actions, now)


def _conditional_update(hit: Hit, actions: list, now: float, extra=None) -> None:
    """Apply actions decided on a read, only if the HIT has not changed in a way that matters since."""
    condition = (
        (Hit.expiration == hit.expiration)
        & (Hit.open == hit.open)
        & (Hit.disposed == hit.disposed)
        & (Hit.reviewing == hit.reviewing)
        & (Hit.pending == hit.pending)
    )
    if extra is not None:
        condition &= extra
    try:
        hit.update(actions=actions, condition=condition)
    except UpdateError as error:
        if db.condition_failed(error):
            raise InvalidHitState(f"HIT {hit.hit_id} changed while this request ran; try it again.") from None
        raise


def update_review_status(requester_id: str, hit_id: str, revert: bool, now: float) -> None:
    hit = get(requester_id, hit_id)
    current = status(hit, now)
    if not revert:
        if current != REVIEWABLE:
            raise _wrong_state(hit, now, REVIEWABLE)
        _conditional_update(
            hit, [Hit.reviewing.set(True), Hit.review_key.set(f"{requester_id}#{REVIEWING}")], now
        )
    else:
        if current != REVIEWING:
            raise _wrong_state(hit, now, REVIEWING)
        _conditional_update(
            hit, [Hit.reviewing.set(False), Hit.review_key.set(f"{requester_id}#{REVIEWABLE}")], now
        )


def update_hit_type(requester_id: str, hit_id: str, hit_type_id: str, now: float) -> None:
    """The HIT takes on the new type's properties; work already accepted keeps its terms."""
    hit = get(requester_id, hit_id)
    hit_type = get_hit_type(requester_id, hit_type_id)
    if hit.disposed:
        raise _wrong_state(hit, now, "Assignable, Unassignable, Reviewable, Reviewing")
    actions = [
        Hit.hit_type_id.set(hit_type.hit_type_id),
        Hit.title.set(hit_type.title),
        Hit.description.set(hit_type.description),
        Hit.reward_cents.set(hit_type.reward_cents),
        Hit.assignment_duration.set(hit_type.assignment_duration),
        Hit.auto_approval_delay.set(hit_type.auto_approval_delay),
        Hit.keywords.set(hit_type.keywords) if hit_type.keywords is not None else Hit.keywords.remove(),
        (
            Hit.qualification_requirements.set(hit_type.qualification_requirements)
            if hit_type.qualification_requirements
            else Hit.qualification_requirements.remove()
        ),
    ]
    _conditional_update(hit, actions, now)


def add_assignments(requester_id: str, hit_id: str, count: int, token: str | None, now: float) -> None:
    """CreateAdditionalAssignmentsForHIT: more slots; an unexpired HIT becomes Assignable again."""
    if count < 1:
        raise InvalidParameter(
            f"Value {count} for parameter NumberOfAdditionalAssignments is invalid. It must be at least 1."
        )
    hit = get(requester_id, hit_id)
    if hit.disposed:
        raise _wrong_state(hit, now, "Assignable, Unassignable, Reviewable, Reviewing")
    most = _RANGES["MaxAssignments"][1]
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
        Hit.reviewable_at.set(hit.expiration),
    ]
    if now < hit.expiration:
        actions += [
            Hit.reviewing.set(False),
            Hit.review_key.set(f"{requester_id}#{REVIEWABLE}"),
            Hit.market_key.set(MARKET_OPEN),
            Hit.market_at.set(hit.listed_at),
        ]
    condition = (Hit.max_assignments == hit.max_assignments) & (Hit.disposed == False)  # noqa: E712

    def write(tx: TransactWrite) -> None:
        tx.update(hit, actions=actions, condition=condition)
        if token:
            key = token_key(requester_id, "CreateAdditionalAssignmentsForHIT", token)
            tx.save(
                RequestToken(key, result_id=hit_id, expires_at=now + TOKEN_LIFETIME),
                condition=absent_or_expired(now),
            )

    try:
        _transact(write)
    except TransactWriteError as error:
        codes = db.reasons(error)
        if token and codes[-1:] == ["ConditionalCheckFailed"]:
            raise DuplicateRequest(f'The idempotency token "{token}" has already been processed.') from None
        if codes and codes[0] == "ConditionalCheckFailed":
            raise InvalidHitState(f"HIT {hit_id} changed while this request ran; try it again.") from None
        raise


def delete(requester_id: str, hit_id: str, now: float) -> None:
    """DeleteHIT: dispose of a Reviewable or Reviewing HIT whose work is all reviewed. Repeating it is harmless."""
    hit = get(requester_id, hit_id)
    if hit.disposed:
        return
    if status(hit, now) not in (REVIEWABLE, REVIEWING) or hit.submitted_awaiting_review > 0:
        raise _wrong_state(hit, now, "Reviewing, Reviewable")
    actions = [
        Hit.disposed.set(True),
        Hit.listed_by.remove(),
        Hit.review_key.remove(),
        Hit.market_key.remove(),
    ]
    _conditional_update(hit, actions, now, extra=Hit.submitted_awaiting_review == 0)


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
