"""The schedules' work: make due transitions durable — HIT expiry, abandoned assignments, auto-approval —
then deliver the events they recorded.

Due items are found through sparse "due" indexes (a Query per shard, bounded pages), never a Scan, so a
sweep with nothing due costs the same few requests however many HITs exist. Every transition goes through
the same domain function the API uses, under conditions, so two sweeps at once, or a sweep racing a
request, change each item once; a sweep that dies half way leaves the rest due for the next one. One
item's failure is logged and skipped: it stays due, and the others go on.
"""

from collections.abc import Callable
from typing import Any

from openturk.data.assignments import Assignment
from openturk.data.base import DUE_SHARDS, batch_get
from openturk.data.hits import Hit
from openturk.domain import assignments, hit_changes, notifications, review
from openturk.edge.observability import logger

PAGE = 100
PAGES_PER_SHARD = 10  # a sweep's work is bounded; what is left is due for the next sweep


def _due(query: Callable[[str, Any], Any], kind: str) -> list:
    found: list = []
    for shard in range(DUE_SHARDS):
        last = None
        for _ in range(PAGES_PER_SHARD):
            result = query(f"{kind}#{shard}", last)
            page = list(result)
            found += page
            last = result.last_evaluated_key
            if not last:
                break
    return found


def _each(items: list, action: Callable[[Any], bool], what: str) -> int:
    done = 0
    for item in items:
        try:
            done += bool(action(item))
        except Exception:  # a poison item must not stop the others; it stays due
            logger.exception("sweep: could not make due work durable", what=what)
    return done


def sweep(now: float) -> dict[str, int]:
    """One pass over everything due at `now`. Returns how many of each transition this pass made."""
    expired = _due(
        lambda key, start: Hit.expiry_due.query(
            key, Hit.expiration <= now, limit=PAGE, page_size=PAGE, last_evaluated_key=start
        ),
        "expiry",
    )
    late = _due(
        lambda key, start: Assignment.deadlines_due.query(
            key, Assignment.deadline <= now, limit=PAGE, page_size=PAGE, last_evaluated_key=start
        ),
        "deadline",
    )
    approvable = _due(
        lambda key, start: Assignment.auto_approvals_due.query(
            key, Assignment.auto_approval_time <= now, limit=PAGE, page_size=PAGE, last_evaluated_key=start
        ),
        "approval",
    )
    counts = {
        "Abandoned": _each(late, lambda a: assignments.abandon(a.assignment_id, now), "abandonment"),
        "AutoApproved": _each(approvable, lambda a: _auto_approve(a, now), "auto-approval"),
        "Expired": _each(expired, lambda h: hit_changes.expire(h.hit_id, now), "expiry"),
    }
    counts["EventsDelivered"] = notifications.deliver_pending(now)["Delivered"]
    return counts


def _auto_approve(assignment: Assignment, now: float) -> bool:
    (hit,) = batch_get((Hit, assignment.hit_id))
    if hit is None:
        return False
    before = assignment.status
    return review.approve_if_due(assignment, hit, now).status != before
