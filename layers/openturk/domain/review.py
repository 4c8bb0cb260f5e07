"""Reviewing work and paying for it: approve, reject, auto-approval, bonuses, and the balance.

Each decision is one transaction: the assignment's new status, the HIT's counters and the money that
moves with them. Approve racing reject: the assignment's condition lets exactly one win.
"""

import contextlib
import re
from typing import Any

from openturk.data.assignments import APPROVED, REJECTED, SUBMITTED, Assignment
from openturk.data.base import Transaction, TransactionRefused, batch_get
from openturk.data.hits import Hit
from openturk.data.ledger import Entry
from openturk.data.tokens import TOKEN_LIFETIME, RequestToken, absent_or_expired, token_key
from openturk.domain import (
    assignments,
    events,
    hit_changes,
    hits,
    ledger,
    money,
    paging,
    requester_assignments,
    workers,
)
from openturk.domain.errors import (
    DuplicateRequest,
    InvalidAssignmentState,
    InvalidParameter,
)

OVERRIDE_WINDOW_SECONDS = 30 * 24 * 3600
MAX_BONUS_CENTS = 100_000_00  # $100,000.00 per bonus: far above any real one, far below overflow
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SETTLE_PAGE = 25
_SETTLE_ROUNDS = 8


def _wrong_state() -> InvalidAssignmentState:
    return InvalidAssignmentState("This operation can be called with a status of: Submitted")


def _feedback(text: str | None, required: bool) -> str | None:
    if text is None:
        if required:
            raise InvalidParameter("RequesterFeedback is required to reject an assignment.")
        return None
    if len(text) > 1024:
        raise InvalidParameter("RequesterFeedback can be at most 1024 characters long.")
    if _FORBIDDEN.search(text):
        raise InvalidParameter(
            "RequesterFeedback may not contain ASCII control characters other than tab, line feed and carriage return."
        )
    return text


def auto_approval_due(assignment: Assignment, now: float) -> bool:
    return (
        assignment.status == SUBMITTED
        and assignment.auto_approval_time is not None
        and now >= assignment.auto_approval_time
    )


def _own(requester_id: str, assignment_id: str, now: float) -> tuple[Assignment, Hit]:
    """The caller's submitted-or-reviewed assignment and its HIT (one BatchGetItem), with a due
    auto-approval made durable first, so that every decision starts from the status a read shows."""
    assignment, hit = requester_assignments.get(requester_id, assignment_id)
    if auto_approval_due(assignment, now):
        _approve(assignment, hit, now, feedback=None, automatic=True)
        assignment, hit = requester_assignments.get(requester_id, assignment_id)
    return assignment, hit


def _review_actions(hit: Hit) -> list:
    """The HIT's side of a first review: one assignment less awaiting review and on hold, one more completed."""
    return [Hit.completed.add(1), Hit.submitted_awaiting_review.add(-1), Hit.held_slots.add(-1)]


def _approve(
    assignment: Assignment, hit: Hit, now: float, feedback: str | None, automatic: bool = False
) -> None:
    """Submitted -> Approved, paid out of the hold, in one transaction."""
    when = assignment.auto_approval_time if automatic else now
    actions = [
        Assignment.status.set(APPROVED),
        Assignment.approval_time.set(when),
        Assignment.auto_approve_by.remove(),
        Assignment.approval_key.remove(),
    ]
    if feedback is not None:
        actions.append(Assignment.requester_feedback.set(feedback))
    due = Assignment.auto_approval_time <= now
    condition = (Assignment.status == SUBMITTED) & (due if automatic else ~due)
    tx = Transaction()
    tx.update(assignment, actions=actions, condition=condition, name="assignment")
    tx.update(hit, actions=_review_actions(hit), condition=Hit.held_slots > 0, name="hit")
    fee = int(hit.cost_cents) - int(hit.reward_cents)
    ledger.pay(
        tx,
        hit.requester_id,
        assignment.worker_id,
        int(hit.reward_cents),
        fee,
        when,
        hit.hit_id,
        assignment.assignment_id,
    )
    events.record(tx, events.ASSIGNMENT_APPROVED, hit, now, assignment.assignment_id)
    workers.reviewed(tx, hit.requester_id, assignment.worker_id, now, approved=1)
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "assignment" in refused.failed:
            raise _wrong_state() from None  # reviewed by someone else first
        raise


def approve(requester_id: str, assignment_id: str, feedback: str | None, override: bool, now: float) -> None:
    """ApproveAssignment: pays reward and fee. A rejection can be overridden within 30 days of submission,
    paid from the available balance since its hold was released when it was rejected."""
    feedback = _feedback(feedback, required=False)
    assignment, hit = _own(requester_id, assignment_id, now)
    if assignment.status == SUBMITTED:
        _approve(assignment, hit, now, feedback)
        return
    if assignment.status != REJECTED or not override:
        raise _wrong_state()
    if hit.disposed or now - assignment.submit_time > OVERRIDE_WINDOW_SECONDS:
        raise InvalidAssignmentState(
            "A rejection can be overridden only within 30 days of submission, while the HIT exists."
        )
    actions = [
        Assignment.status.set(APPROVED),
        Assignment.approval_time.set(now),
        Assignment.rejection_time.remove(),
    ]
    if feedback is not None:
        actions.append(Assignment.requester_feedback.set(feedback))

    def attempt() -> None:
        tx = Transaction()
        tx.update(assignment, actions=actions, condition=Assignment.status == REJECTED, name="assignment")
        fee = int(hit.cost_cents) - int(hit.reward_cents)
        ledger.pay(
            tx,
            requester_id,
            assignment.worker_id,
            int(hit.reward_cents),
            fee,
            now,
            hit.hit_id,
            assignment_id,
            from_hold=False,
        )
        events.record(tx, events.ASSIGNMENT_APPROVED, hit, now, assignment_id)
        workers.reviewed(tx, requester_id, assignment.worker_id, now, approved=1, rejected=-1)
        tx.commit()

    try:
        hits.with_funds(requester_id, now, attempt)
    except TransactionRefused as refused:
        if "assignment" in refused.failed:
            raise _wrong_state() from None
        raise


def reject(requester_id: str, assignment_id: str, feedback: str | None, now: float) -> None:
    """RejectAssignment: no payment; the assignment's cost comes back from the hold."""
    feedback = _feedback(feedback, required=True)
    assignment, hit = _own(requester_id, assignment_id, now)
    if assignment.status != SUBMITTED:
        raise _wrong_state()
    tx = Transaction()
    tx.update(
        assignment,
        actions=[
            Assignment.status.set(REJECTED),
            Assignment.rejection_time.set(now),
            Assignment.requester_feedback.set(feedback or ""),
            Assignment.auto_approve_by.remove(),
            Assignment.approval_key.remove(),
        ],
        condition=(Assignment.status == SUBMITTED) & (Assignment.auto_approval_time > now),
        name="assignment",
    )
    tx.update(hit, actions=_review_actions(hit), condition=Hit.held_slots > 0, name="hit")
    ledger.release(tx, requester_id, int(hit.cost_cents), now, hit.hit_id, assignment_id)
    events.record(tx, events.ASSIGNMENT_REJECTED, hit, now, assignment_id)
    workers.reviewed(tx, requester_id, assignment.worker_id, now, rejected=1)
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "assignment" in refused.failed:
            raise _wrong_state() from None
        raise


def send_bonus(
    requester_id: str,
    worker_id: str,
    assignment_id: str,
    amount: str,
    reason: str,
    token: str | None,
    now: float,
) -> None:
    """SendBonus: only to the worker who did the assignment, once per UniqueRequestToken."""
    try:
        cents = money.parse(amount)
    except ValueError:
        raise InvalidParameter(f"Value {amount} for parameter BonusAmount is invalid.") from None
    if not 0 < cents <= MAX_BONUS_CENTS:
        raise InvalidParameter(
            f"The BonusAmount must be more than 0.00 and at most {money.format(MAX_BONUS_CENTS)}."
        )
    if not reason.strip():
        raise InvalidParameter("The Reason for a bonus must not be empty.")
    assignment, hit = requester_assignments.get(requester_id, assignment_id)
    if assignment.worker_id != worker_id:
        raise InvalidParameter(
            f"Worker {worker_id} did not work on assignment {assignment_id}; only that worker can get its bonus."
        )
    key = token_key(requester_id, "SendBonus", token) if token else None

    def attempt() -> None:
        tx = Transaction()
        if key:
            tx.put(
                RequestToken(key, result_id=assignment_id, expires_at=now + TOKEN_LIFETIME),
                condition=absent_or_expired(now),
                name="token",
            )
        ledger.bonus(tx, requester_id, worker_id, cents, now, hit.hit_id, assignment_id, reason)
        tx.commit()

    try:
        hits.with_funds(requester_id, now, attempt)
    except TransactionRefused as refused:
        if "token" in refused.failed:
            raise DuplicateRequest(f'The idempotency token "{token}" has already been processed.') from None
        raise


def list_bonuses(
    requester_id: str,
    hit_id: str | None,
    assignment_id: str | None,
    max_results: int | None,
    next_token: str | None,
) -> tuple[list[Entry], str | None]:
    """ListBonusPayments for one HIT or one assignment, oldest first within each assignment."""
    if (hit_id is None) == (assignment_id is None):
        raise InvalidParameter("Specify either HITId or AssignmentId, not both and not neither.")
    if assignment_id is not None:
        requester_assignments.get(requester_id, assignment_id)
        hit_id = assignment_id[: assignments.HIT_ID_LENGTH]
    else:
        hits.get(requester_id, hit_id or "")  # the caller's HIT, or HitNotFound
    limit = max_results or paging.MAX_RESULTS_DEFAULT
    key = f"{requester_id}#{hit_id}"
    cursor = paging.decode_token(next_token, r"([A-Z0-9]{30})#(\d{13}#[A-Z0-9]{12})")
    start = (
        {
            "Account": {"S": f"R#{requester_id}"},
            "EntryId": {"S": cursor.group(2)},
            "BonusKey": {"S": key},
            "BonusSort": {"S": cursor.group(0)},
        }
        if cursor
        else None
    )
    range_condition = Entry.bonus_sort.startswith(assignment_id) if assignment_id else None
    items = list(
        Entry.bonuses.query(
            key, range_condition, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start
        )
    )
    return paging.page_of(items, limit, lambda entry: entry.bonus_sort)


def bonus_to_wire(entry: Entry) -> dict[str, Any]:
    return {
        "WorkerId": entry.worker_id,
        "BonusAmount": money.format(int(entry.amount_cents)),
        "AssignmentId": entry.assignment_id,
        "Reason": entry.reason,
        "GrantTime": entry.time,
    }


# ---- time: what is due is made durable by the first read that needs it ------------------------------


def approve_if_due(assignment: Assignment, hit: Hit, now: float) -> Assignment:
    """A submitted assignment past its AutoApprovalTime is approved and paid now (once: conditional)."""
    if not auto_approval_due(assignment, now):
        return assignment
    with contextlib.suppress(
        InvalidAssignmentState
    ):  # reviewed by someone else meanwhile: read what they decided
        _approve(assignment, hit, now, feedback=None, automatic=True)
    return Assignment.get(assignment.assignment_id, consistent_read=True)


def settle_due(requester_id: str, now: float) -> bool:
    """Make due auto-approvals and expired HITs' releases durable for one requester (bounded work per
    call; the schedules do the rest). Returns whether anything changed."""
    changed = False
    for _ in range(_SETTLE_ROUNDS):
        due = list(
            Assignment.approvals_due.query(
                requester_id, Assignment.auto_approval_time <= now, limit=_SETTLE_PAGE, page_size=_SETTLE_PAGE
            )
        )
        if due:
            by_id = {h.hit_id: h for h in batch_get(*[(Hit, a.hit_id) for a in due]) if h is not None}
            for assignment in due:
                if assignment.hit_id in by_id:
                    approve_if_due(assignment, by_id[assignment.hit_id], now)
                    changed = True
        # Read after the approvals: they change the held slots of the HITs they belong to.
        expired = list(
            Hit.holds_due.query(
                requester_id, Hit.settle_at <= now, limit=_SETTLE_PAGE, page_size=_SETTLE_PAGE
            )
        )
        for hit in expired:
            changed = hit_changes.settle(hit, now) or changed
        if len(due) < _SETTLE_PAGE and len(expired) < _SETTLE_PAGE:
            break
    return changed


def balance(requester_id: str, now: float) -> tuple[int, int]:
    """GetAccountBalance: what is due is settled first, so the figures are exact at this moment."""
    if not ledger.sandbox():
        settle_due(requester_id, now)
    return ledger.requester_balance(requester_id)


def get_assignment(requester_id: str, assignment_id: str, now: float) -> tuple[Assignment, Hit]:
    """GetAssignment, with a due auto-approval made durable (and paid) before it is shown."""
    assignment, hit = requester_assignments.get(requester_id, assignment_id)
    if auto_approval_due(assignment, now):
        assignment = approve_if_due(assignment, hit, now)
        hit = hits.load(hit.hit_id)
    return assignment, hit


def list_assignments(
    requester_id: str,
    hit_id: str,
    statuses: list[str] | None,
    max_results: int | None,
    next_token: str | None,
    now: float,
) -> tuple[list[Assignment], str | None]:
    """ListAssignmentsForHIT, with due auto-approvals made durable before they are shown."""
    found, token = requester_assignments.list_for_hit(requester_id, hit_id, statuses, max_results, next_token)
    if any(auto_approval_due(a, now) for a in found):
        hit = hits.load(hit_id)
        found = [approve_if_due(a, hit, now) if auto_approval_due(a, now) else a for a in found]
        if statuses:  # an auto-approval may have moved an item out of the statuses asked for
            found = [a for a in found if a.status in statuses]
    return found, token
