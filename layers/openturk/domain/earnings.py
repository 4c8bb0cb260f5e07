"""A worker's earnings: approved rewards, bonuses, work awaiting review, and each movement."""

from typing import Any

from openturk.data.assignments import SUBMITTED, Assignment
from openturk.data.base import batch_get
from openturk.data.hits import Hit
from openturk.data.ledger import worker_account
from openturk.domain import ledger, money, paging

_PENDING_AT_MOST = 100  # one BatchGetItem of their HITs


def summary(worker_id: str, next_token: str | None, now: float) -> dict[str, Any]:
    """Amounts as MTurk prints money. Submitted work past its auto-approval time counts as approved,
    as it reads everywhere, before the schedule or the requester's next read pays it."""
    account = worker_account(worker_id)
    balance = ledger.balance_item(account)
    approved, bonuses = int(balance.rewards_cents), int(balance.bonuses_cents)
    submitted = list(
        Assignment.by_worker.query(
            worker_id,
            filter_condition=Assignment.status == SUBMITTED,
            limit=_PENDING_AT_MOST,
            page_size=_PENDING_AT_MOST,
        )
    )
    rewards = {
        h.hit_id: int(h.reward_cents)
        for h in batch_get(*[(Hit, a.hit_id) for a in submitted])
        if h is not None
    }
    pending = 0
    for assignment in submitted:
        reward = rewards.get(assignment.hit_id, 0)
        if assignment.auto_approval_time is not None and now >= assignment.auto_approval_time:
            approved += reward
        else:
            pending += reward
    cursor = paging.decode_token(next_token, r"\d{13}#[A-Z0-9]{12}")
    entries, before = ledger.history(account, before=cursor.group(0) if cursor else None)
    result: dict[str, Any] = {
        "Approved": money.format(approved),
        "Bonuses": money.format(bonuses),
        "Pending": money.format(pending),
        "History": [
            {
                "Kind": entry.kind,
                "Amount": money.format(int(entry.available_delta)),
                "Time": entry.time,
                "HITId": entry.hit_id,
                "AssignmentId": entry.assignment_id,
                "RequesterId": entry.requester_id,
                **({"Reason": entry.reason} if entry.reason else {}),
            }
            for entry in entries
        ],
    }
    if before:
        result["NextToken"] = paging.encode_token(before)
    return result
