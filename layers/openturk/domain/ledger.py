"""Money movements. Each adds a balance update and its ledger entry to the caller's transaction, so money
moves only together with the state change that causes it, and an account's entries sum to its balance.

A requester's AvailableBalance pays for new work; posting a HIT moves the cost of every assignment
(reward + fee) on hold; approval pays it out of the hold; rejection and work never done release it.
"""

import os
import uuid

from pynamodb.exceptions import DoesNotExist

from openturk.data.base import Transaction
from openturk.data.hits import sort_key
from openturk.data.ledger import (
    BONUS,
    BONUS_EARNING,
    EARNING,
    FUNDING,
    HOLD,
    PAYMENT,
    RELEASE,
    Balance,
    Entry,
    requester_account,
    worker_account,
)
from openturk.domain import money
from openturk.domain.errors import InvalidParameter

# The name every balance update carries in a transaction: a refusal there means insufficient funds.
BALANCE = "balance"
SANDBOX_BALANCE_CENTS = 1_000_000
MAX_FUNDING_CENTS = 100_000_000_00  # $100,000,000.00 in one funding


def sandbox() -> bool:
    """Sandbox mode: as in MTurk's sandbox, every balance reads 10000.00 and never limits anything."""
    return os.environ.get("OPENTURK_SANDBOX") == "1"


def _entry(account: str, kind: str, now: float, **fields) -> Entry:
    return Entry(account, sort_key(now, uuid.uuid4().hex[:12].upper()), kind=kind, time=now, **fields)


def _move(
    tx: Transaction, account: str, available: int, on_hold: int, entry: Entry, extra: list | None = None
) -> None:
    """Change a balance and record why, in one transaction; a balance never goes below zero."""
    condition = None
    if not sandbox():
        if available < 0:
            condition = Balance.available_cents >= -available
        if on_hold < 0:
            hold_ok = Balance.on_hold_cents >= -on_hold
            condition = hold_ok if condition is None else condition & hold_ok
    tx.update(
        Balance(account),
        actions=[Balance.available_cents.add(available), Balance.on_hold_cents.add(on_hold)] + (extra or []),
        condition=condition,
        name=BALANCE if account.startswith("R#") else f"{BALANCE}:{account}",
    )
    entry.available_delta, entry.on_hold_delta = available, on_hold
    tx.put(entry, condition=Entry.entry_id.does_not_exist())


def hold(tx: Transaction, requester_id: str, cents: int, now: float, hit_id: str) -> None:
    """Put the cost of new work on hold: refused (InsufficientFunds) when the balance cannot cover it."""
    if cents:
        _move(
            tx,
            requester_account(requester_id),
            -cents,
            cents,
            _entry(requester_account(requester_id), HOLD, now, hit_id=hit_id),
        )


def release(
    tx: Transaction, requester_id: str, cents: int, now: float, hit_id: str, assignment_id: str | None = None
) -> None:
    """Give held money back: the work was rejected, or will never be done."""
    if cents:
        account = requester_account(requester_id)
        _move(
            tx,
            account,
            cents,
            -cents,
            _entry(account, RELEASE, now, hit_id=hit_id, assignment_id=assignment_id),
        )


def pay(
    tx: Transaction,
    requester_id: str,
    worker_id: str,
    reward_cents: int,
    fee_cents: int,
    now: float,
    hit_id: str,
    assignment_id: str,
    from_hold: bool = True,
) -> None:
    """Pay an approved assignment: reward to the worker, reward + fee out of the requester's account
    (out of the hold normally; out of the available balance when a rejection is overridden)."""
    account = requester_account(requester_id)
    cost = reward_cents + fee_cents
    fields = dict(
        hit_id=hit_id,
        assignment_id=assignment_id,
        worker_id=worker_id,
        amount_cents=reward_cents,
        fee_cents=fee_cents,
    )
    _move(
        tx,
        account,
        0 if from_hold else -cost,
        -cost if from_hold else 0,
        _entry(account, PAYMENT, now, **fields),
    )
    if reward_cents:
        earner = worker_account(worker_id)
        earning = _entry(earner, EARNING, now, requester_id=requester_id, **fields)
        _move(tx, earner, reward_cents, 0, earning, [Balance.rewards_cents.add(reward_cents)])


def bonus(
    tx: Transaction,
    requester_id: str,
    worker_id: str,
    bonus_cents: int,
    now: float,
    hit_id: str,
    assignment_id: str,
    reason: str,
) -> None:
    """Pay a bonus out of the available balance, with its fee; the worker gets the bonus."""
    fee = money.bonus_fee(bonus_cents)
    account = requester_account(requester_id)
    fields = dict(
        hit_id=hit_id,
        assignment_id=assignment_id,
        worker_id=worker_id,
        amount_cents=bonus_cents,
        fee_cents=fee,
        reason=reason,
    )
    entry = _entry(account, BONUS, now, **fields)
    entry.bonus_key, entry.bonus_sort = f"{requester_id}#{hit_id}", f"{assignment_id}#{entry.entry_id}"
    _move(tx, account, -(bonus_cents + fee), 0, entry)
    earner = worker_account(worker_id)
    earning = _entry(earner, BONUS_EARNING, now, requester_id=requester_id, **fields)
    _move(tx, earner, bonus_cents, 0, earning, [Balance.bonuses_cents.add(bonus_cents)])


def fund(requester_id: str, cents: int, now: float, note: str = "Prepayment") -> None:
    """Add money to a requester's account (a prepayment), recorded like every other movement."""
    if not 0 < cents <= MAX_FUNDING_CENTS:
        raise InvalidParameter(
            f"A funding amount must be between 0.01 and {money.format(MAX_FUNDING_CENTS)}."
        )
    account = requester_account(requester_id)
    tx = Transaction()
    _move(tx, account, cents, 0, _entry(account, FUNDING, now, reason=note))
    tx.commit()


def balance_item(account: str) -> Balance:
    try:
        return Balance.get(account, consistent_read=True)
    except DoesNotExist:
        return Balance(account)


def balance(account: str) -> tuple[int, int]:
    """(available, on hold) in cents, as stored."""
    item = balance_item(account)
    return int(item.available_cents), int(item.on_hold_cents)


def requester_balance(requester_id: str) -> tuple[int, int]:
    if sandbox():
        return SANDBOX_BALANCE_CENTS, 0
    return balance(requester_account(requester_id))


def history(account: str, limit: int = 50, before: str | None = None) -> tuple[list[Entry], str | None]:
    """An account's entries, newest first, one Query per page."""
    condition = Entry.entry_id < before if before else None
    items = list(
        Entry.query(account, condition, scan_index_forward=False, limit=limit + 1, page_size=limit + 1)
    )
    if len(items) > limit:
        return items[:limit], items[limit - 1].entry_id
    return items, None
