"""Assignments: a worker accepts a HIT, submits answers or returns it (the requester's reads are in
requester_assignments).

An AssignmentId is the HITId (20 characters) followed by 10 characters derived from the worker, so one
BatchGetItem reads an assignment together with its HIT, and a worker can hold one assignment per HIT.
"""

import re
import time
from typing import Any

from pynamodb.expressions.update import Action

from openturk.data import base as db
from openturk.data.assignments import ABANDONED, ACCEPTED, RETURNED, SUBMITTED, Assignment
from openturk.data.base import Transaction, TransactionRefused, due_key
from openturk.data.blocks import Block
from openturk.data.hits import MARKET_OPEN, Hit, sort_key
from openturk.domain import answers, events, ids, paging, requirements, workers
from openturk.domain import hits as hit_rules
from openturk.domain.errors import (
    AssignmentNotFound,
    Conflict,
    HitNotFound,
    InvalidAssignmentState,
    QualificationRequirementsNotMet,
    WorkerBlocked,
)

HIT_ID_LENGTH = 20
HIT_ID = re.compile(r"[A-Z0-9]{1,64}")  # MTurk's EntityId; anything else cannot name a HIT
_RETRIES = 5
# Abandoned slots one accept takes back (a transaction holds at most 100 items).
_RECLAIM_AT_MOST = 20


def assignment_id(hit_id: str, worker_id: str) -> str:
    return hit_id + ids.derived_id("assignment", hit_id, worker_id, length=10)


def _hit_id_of(assignment_id: str) -> str:
    return assignment_id[:HIT_ID_LENGTH]


def load_with_hit(assignment_id: str) -> tuple[Assignment, Hit]:
    if len(assignment_id) != 30:
        raise AssignmentNotFound(assignment_id)
    assignment, hit = db.batch_get((Assignment, assignment_id), (Hit, _hit_id_of(assignment_id)))
    if assignment is None or hit is None:
        raise AssignmentNotFound(assignment_id)
    return assignment, hit


def to_wire(assignment: Assignment) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "AssignmentId": assignment.assignment_id,
        "WorkerId": assignment.worker_id,
        "HITId": assignment.hit_id,
        "AssignmentStatus": assignment.status,
    }
    optional = {
        "AcceptTime": assignment.accept_time,
        "Deadline": assignment.deadline,
        "AutoApprovalTime": assignment.auto_approval_time,
        "SubmitTime": assignment.submit_time,
        "ApprovalTime": assignment.approval_time,
        "RejectionTime": assignment.rejection_time,
        "Answer": assignment.answer,
        "RequesterFeedback": assignment.requester_feedback,
    }
    wire.update({k: v for k, v in optional.items() if v is not None})
    return wire


# ---- the worker's actions ---------------------------------------------------------------------------


def worker_hit(hit_id: str) -> Hit:
    """A HIT as a worker may read it by id: any HIT that has not been disposed of."""
    if not HIT_ID.fullmatch(hit_id):
        raise HitNotFound(hit_id[:64])
    hit = hit_rules.load(hit_id)
    if hit.disposed:
        raise HitNotFound(hit_id)
    _recent[hit_id] = (time.monotonic(), hit)
    return hit


# HITs this process read in the last moments, so that the accept after a preview does not read again.
# Safe because accept's transaction checks everything it decided on (slots, type, expiry, state) and
# reads afresh when refused.
_RECENT_SECONDS = 2.0
_recent: dict[str, tuple[float, Hit]] = {}


def _recently_read(hit_id: str) -> Hit | None:
    seen = _recent.get(hit_id)
    if seen is None or time.monotonic() - seen[0] > _RECENT_SECONDS:
        return None
    if len(_recent) > 10_000:
        _recent.clear()
    return seen[1]


def accept(worker_id: str, hit_id: str, now: float) -> Assignment:
    """Take one free slot of a HIT: one read (none right after a preview), then one transaction.

    Slots of work abandoned past its deadline are taken back in the same transaction, so the HIT's
    counts stay exact whether or not the schedule has run yet. The same transaction checks that the HIT's
    requester has not blocked the worker. A HIT with QualificationRequirements costs one BatchGetItem more:
    the worker's scores, all at once.
    """
    recent = _recently_read(hit_id) if HIT_ID.fullmatch(hit_id) else None
    checked: list | None = None  # the requirements the worker was found to meet
    for _ in range(_RETRIES):
        hit = recent or worker_hit(hit_id)
        if hit.qualification_requirements and hit.qualification_requirements != checked:
            scores = requirements.read_scores(worker_id, hit.qualification_requirements)
            if not requirements.access(hit.qualification_requirements, scores).accept:
                raise QualificationRequirementsNotMet(hit_id)
            checked = hit.qualification_requirements
        if hit_rules.status(hit, now) != hit_rules.ASSIGNABLE:
            if recent is not None:  # decide on fresh data, never on a remembered copy
                recent = None
                continue
            raise Conflict(f"HIT {hit_id} is not available to accept: it is {hit_rules.status(hit, now)}.")
        assignment = Assignment(
            assignment_id(hit_id, worker_id),
            hit_id=hit_id,
            worker_id=worker_id,
            requester_id=hit.requester_id,
            status=ACCEPTED,
            accept_time=now,
            deadline=now + hit.assignment_duration,
            auto_approval_delay=hit.auto_approval_delay,
            accepted_at=sort_key(now, hit_id),
            batch_id=hit.batch_id,
        )
        assignment.deadline_key = due_key("deadline", assignment.assignment_id)
        reclaimed = hit_rules.abandoned(hit, now)[:_RECLAIM_AT_MOST]
        left_after = hit.available + len(reclaimed) - 1
        actions: list[Action] = [
            Hit.available.add(len(reclaimed) - 1),
            Hit.pending.add(1 - len(reclaimed)),
            Hit.deadlines[assignment.assignment_id].set(assignment.deadline),
        ]
        actions += [Hit.deadlines[gone].remove() for gone in reclaimed]
        if left_after == 0:  # the HIT leaves the marketplace index with its last free slot
            actions.append(Hit.market_key.remove())
        elif reclaimed:  # and comes back when abandoned slots free up
            actions += [Hit.market_key.set(MARKET_OPEN), Hit.market_at.set(hit.listed_at)]
        if reclaimed:
            slots_condition = Hit.available == hit.available
            for gone in reclaimed:
                slots_condition &= Hit.deadlines[gone].exists()
        else:
            slots_condition = Hit.available == 1 if left_after == 0 else Hit.available > 1
        condition = (
            slots_condition
            & (Hit.hit_type_id == hit.hit_type_id)  # the terms (and requirements) checked above
            & (Hit.expiration > now)
            & (Hit.disposed == False)  # noqa: E712
            & (Hit.reviewing == False)  # noqa: E712
        )
        tx = Transaction()
        # Invariant: a blocked worker never takes a new slot of the blocking requester's HITs.
        tx.check(Block, hit.requester_id, Block.worker_id.does_not_exist(), name="block", range_key=worker_id)
        tx.put(assignment, condition=Assignment.assignment_id.does_not_exist(), name="assignment")
        tx.update(hit, actions=actions, condition=condition, name="hit")
        for gone in reclaimed:
            tx.update(
                Assignment(gone),
                actions=[Assignment.status.set(ABANDONED), Assignment.deadline_key.remove()],
                condition=(Assignment.status == ACCEPTED) & (Assignment.deadline <= now),
                name="abandoned",
            )
            events.record(tx, events.ASSIGNMENT_ABANDONED, hit, now, gone)
        events.record(tx, events.ASSIGNMENT_ACCEPTED, hit, now, assignment.assignment_id)
        try:
            tx.commit()
            return assignment
        except TransactionRefused as refused:
            if "block" in refused.failed:
                raise WorkerBlocked(hit_id) from None
            if "assignment" in refused.failed:
                raise InvalidAssignmentState(
                    f"You have already accepted HIT {hit_id}; a HIT can be worked on once."
                ) from None
            if not refused.failed:
                raise
            recent = None  # the slot count moved under us: read again and decide again
    raise Conflict(f"HIT {hit_id} is busy; try again.")


def _own_accepted(worker_id: str, assignment_id: str, now: float) -> tuple[Assignment, Hit]:
    assignment, hit = load_with_hit(assignment_id)
    _check_own_accepted(worker_id, assignment_id, assignment, now)
    return assignment, hit


def _check_own_accepted(
    worker_id: str, assignment_id: str, assignment: Assignment | None, now: float
) -> None:
    """Why this worker cannot act on this assignment any more, as an error; nothing if it can."""
    if assignment is None or assignment.worker_id != worker_id:
        raise AssignmentNotFound(assignment_id)
    if assignment.status != ACCEPTED:
        raise InvalidAssignmentState(
            f"Assignment {assignment_id} is {assignment.status}; it can no longer change."
        )
    if now >= assignment.deadline:
        raise InvalidAssignmentState(f"The time allotted for assignment {assignment_id} has run out.")


def own_accepted(worker_id: str, assignment_id: str, now: float) -> tuple[Assignment, Hit]:
    """The worker's own accepted assignment whose time has not run out (file uploads for it)."""
    return _own_accepted(worker_id, assignment_id, now)


def _still_mine(worker_id: str, now: float):
    return (Assignment.status == ACCEPTED) & (Assignment.worker_id == worker_id) & (Assignment.deadline > now)


def _last_pending(hit: Hit, now: float) -> bool:
    """Whether this assignment is the HIT's last pending work, after which nothing more can come in."""
    available, pending = hit_rules.slots(hit, now)
    return pending == 1 and (available == 0 or now >= hit.expiration)


def submit(
    worker_id: str,
    assignment_id: str,
    answer_fields: dict[str, str | list[str]],
    now: float,
    selection_fields: frozenset[str] | set[str] = frozenset(),
) -> Assignment:
    """Submit answers once: usually one transaction and no read.

    The first attempt writes without reading anything: the transaction's conditions check what a read
    would have (the assignment is this worker's, still Accepted, in time), and it assumes the common
    case, a HIT still open with more than this one open slot. The submission that closes a HIT's last
    slot, or comes after the HIT expired, is refused by that assumption; the refusal carries the HIT
    as it is, and the second attempt, knowing it, marks when the HIT became reviewable and records
    HITReviewable with AssignmentSubmitted.
    """
    answer = answers.question_form_answers(answer_fields, selection_fields)
    if len(assignment_id) != 30:
        raise AssignmentNotFound(assignment_id)
    hit_id = _hit_id_of(assignment_id)
    hit: Hit | None = None  # None: not read, assumed open with other open slots
    for _ in range(_RETRIES):
        tx = Transaction()
        tx.update(
            Assignment(assignment_id),
            actions=[
                Assignment.status.set(SUBMITTED),
                Assignment.submit_time.set(now),
                Assignment.auto_approval_time.set(Assignment.auto_approval_delay + now),
                Assignment.answer.set(answer),
                Assignment.listed_at.set(sort_key(now, assignment_id)),
                Assignment.auto_approve_by.set(Assignment.requester_id),
                Assignment.approval_key.set(due_key("approval", assignment_id)),
                Assignment.deadline_key.remove(),
            ],
            condition=_still_mine(worker_id, now),
            name="assignment",
            return_old=True,
        )
        hit_actions: list[Action] = [
            Hit.pending.add(-1),
            Hit.open.add(-1),
            Hit.submitted_awaiting_review.add(1),
            Hit.deadlines[assignment_id].remove(),
        ]
        if hit is None:
            hit_condition = (Hit.open > 1) & (Hit.expiration > now)
        elif hit.open == 1:  # this closes the HIT's last slot
            hit_actions.append(Hit.reviewable_at.set(min(now, hit.expiration)))
            hit_condition = (Hit.open == 1) & (Hit.pending == hit.pending)
        else:
            hit_condition = (Hit.open > 1) & (Hit.pending == hit.pending)
        tx.update(Hit(hit_id), actions=hit_actions, condition=hit_condition, name="hit", return_old=True)
        events.record(tx, events.ASSIGNMENT_SUBMITTED, hit or hit_id, now, assignment_id)
        workers.count(tx, worker_id, submitted=1)
        if hit is not None and _last_pending(hit, now):
            events.record(tx, events.HIT_REVIEWABLE, hit, now)
        try:
            tx.commit()
        except TransactionRefused as refused:
            if "assignment" in refused.failed:
                old = refused.items.get("assignment")
                mine = Assignment.from_raw_data(old) if old else None
                _check_own_accepted(worker_id, assignment_id, mine, now)
            if "hit" in refused.failed:
                old = refused.items.get("hit")
                if old is None:
                    raise AssignmentNotFound(assignment_id) from None
                hit = Hit.from_raw_data(old)  # decide again on the HIT as it is now
            elif not refused.failed:
                raise
            continue
        return Assignment(
            assignment_id,
            hit_id=hit_id,
            worker_id=worker_id,
            status=SUBMITTED,
            submit_time=now,
            answer=answer,
        )
    raise Conflict(f"Assignment {assignment_id} is busy; try again.")


def _give_back(assignment: Assignment, hit: Hit, status: str, condition: Any, now: float) -> None:
    """Return or abandonment: the assignment ends and its slot is free again (if the HIT is still open;
    after expiry, what was held for it is due back). One transaction, with its events."""
    hit_actions: list[Action] = [
        Hit.pending.add(-1),
        Hit.available.add(1),
        Hit.deadlines[assignment.assignment_id].remove(),
    ]
    if now < hit.expiration and not hit.disposed:
        hit_actions += [Hit.market_key.set(MARKET_OPEN), Hit.market_at.set(hit.listed_at)]
    elif not hit.disposed:  # work given back after expiry will never be done: its hold is due back now
        hit_actions += [Hit.settle_by.set(hit.requester_id), Hit.settle_at.set(now)]
    tx = Transaction()
    tx.update(
        assignment,
        actions=[Assignment.status.set(status), Assignment.deadline_key.remove()],
        condition=condition,
        name="assignment",
    )
    tx.update(hit, actions=hit_actions, condition=(Hit.pending == hit.pending), name="hit")
    kind = events.ASSIGNMENT_RETURNED if status == RETURNED else events.ASSIGNMENT_ABANDONED
    events.record(tx, kind, hit, now, assignment.assignment_id)
    if now >= hit.expiration and _last_pending(hit, now):
        events.record(tx, events.HIT_REVIEWABLE, hit, now)
    tx.commit()


def return_(worker_id: str, assignment_id: str, now: float) -> Assignment:
    """Give the work back: the slot is free again for someone else."""
    for _ in range(_RETRIES):
        assignment, hit = _own_accepted(worker_id, assignment_id, now)
        try:
            _give_back(assignment, hit, RETURNED, _still_mine(worker_id, now), now)
        except TransactionRefused as refused:
            if not refused.failed:
                raise
            continue
        assignment.status = RETURNED
        return assignment
    raise Conflict(f"Assignment {assignment_id} is busy; try again.")


def abandon(assignment_id: str, now: float) -> bool:
    """The schedule's side of a deadline: work not submitted in time is abandoned, its slot free again.
    Returns whether this call made the change (False if it was already submitted, returned or taken back)."""
    for _ in range(_RETRIES):
        assignment, hit = load_with_hit(assignment_id)
        if assignment.status != ACCEPTED or now < assignment.deadline:
            return False
        condition = (Assignment.status == ACCEPTED) & (Assignment.deadline <= now)
        try:
            _give_back(assignment, hit, ABANDONED, condition, now)
            return True
        except TransactionRefused as refused:
            if not refused.failed:
                raise
    raise Conflict(f"Assignment {assignment_id} is busy; the next sweep takes it.")


def list_for_worker(
    worker_id: str, next_token: str | None, limit: int = 25
) -> tuple[list[Assignment], str | None]:
    """A worker's own assignments, newest first, one Query per page."""
    cursor = paging.decode_token(next_token, r"(\d{13})#([A-Z0-9]{20})#([A-Z0-9]{30})")
    start = None
    if cursor:
        start = {
            "AssignmentId": {"S": cursor.group(3)},
            "WorkerId": {"S": worker_id},
            "AcceptedAt": {"S": f"{cursor.group(1)}#{cursor.group(2)}"},
        }
    result = Assignment.by_worker.query(
        worker_id, scan_index_forward=False, limit=limit, page_size=limit, last_evaluated_key=start
    )
    items = list(result)
    last = result.last_evaluated_key
    token = paging.encode_token(f"{last['AcceptedAt']['S']}#{last['AssignmentId']['S']}") if last else None
    return items, token


def worker_view(assignment: Assignment, now: float) -> dict[str, Any]:
    """A worker's own assignment. Work whose time ran out reads as Abandoned before any sweep."""
    status = assignment.status
    if status == ACCEPTED and assignment.deadline is not None and now >= assignment.deadline:
        status = ABANDONED
    view = to_wire(assignment)
    view["AssignmentStatus"] = status
    return view
