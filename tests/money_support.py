"""What the money tests share: MTurk's fee rule written independently of openturk's, and the ledger
invariants read straight from the tables (the tests run in the same process as the local runtime).

Import the autouse fixture into a test module to have every account a test touches checked after it
(second requesters made with another_requester() included):
    from tests.money_support import ledger_checked  # noqa: F401
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import boto3
import pytest
from botocore.config import Config

from openturk.data.hits import Hit
from openturk.data.ledger import Balance, Entry, requester_account, worker_account
from tests.support import WorkerClient, create_requester, funded_requester

YEAR = 31_536_000
MASTERS = "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH"
MASTERS_REQUIREMENT = [{"QualificationTypeId": MASTERS, "Comparator": "Exists"}]
INSUFFICIENT_FUNDS = (
    "This Requester has insufficient funds in their account to complete this transaction. "
    "Please visit https://requester.mturk.com/prepayments/new to purchase Prepaid HITs."
)


# ---- money, computed the way MTurk's pricing page states it ------------------------------------------


def cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


def dollars(amount_cents: int) -> str:
    return f"{Decimal(amount_cents) / 100:.2f}"


def _fee(amount_cents: int, rate: Decimal) -> int:
    if amount_cents == 0:
        return 0
    fee = (Decimal(amount_cents) / 100 * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return max(1, int(fee * 100))


def assignment_fee(reward: str, max_assignments: int = 1, masters: bool = False) -> int:
    rate = Decimal("0.20")
    if max_assignments >= 10:
        rate += Decimal("0.20")
    if masters:
        rate += Decimal("0.05")
    return _fee(cents(reward), rate)


def assignment_cost(reward: str, max_assignments: int = 1, masters: bool = False) -> int:
    return cents(reward) + assignment_fee(reward, max_assignments, masters)


def bonus_cost(amount: str) -> int:
    return cents(amount) + _fee(cents(amount), Decimal("0.20"))


# ---- what the requester and the worker see ----------------------------------------------------------


def balances(client) -> tuple[int, int]:
    """(AvailableBalance, OnHoldBalance) in cents, through GetAccountBalance."""
    result = client.get_account_balance()
    return cents(result["AvailableBalance"]), cents(result["OnHoldBalance"])


def earnings(worker: WorkerClient) -> dict[str, Any]:
    status, body = worker.call("GET", "/worker/api/earnings")
    assert status == 200, body
    return body


def accepted(worker: WorkerClient, hit_id: str) -> str:
    status, body = worker.accept(hit_id)
    assert status == 201, body
    return body["Assignment"]["AssignmentId"]


def submitted(worker: WorkerClient, hit_id: str, answer: str = "a cat") -> str:
    assignment_id = accepted(worker, hit_id)
    status, body = worker.submit(assignment_id, {"comment": answer})
    assert status == 200, body
    return assignment_id


def unchecked_client(endpoint: str, keys: dict[str, str]):
    """boto3's mturk client without its client-side checks: sends what a hand-made request would."""
    return boto3.client(
        "mturk",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        config=Config(parameter_validation=False, retries={"max_attempts": 1}),
    )


def refusal(client, operation: str, **kwargs) -> dict:
    """The RequestError an operation answers with (HTTP 400), as boto3 raises it."""
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response


# ---- the invariants, read from the tables -------------------------------------------------------------


def stored_balance(account: str) -> tuple[int, int]:
    try:
        item = Balance.get(account, consistent_read=True)
    except Balance.DoesNotExist:
        return 0, 0
    return int(item.available_cents), int(item.on_hold_cents)


def assert_ledger_matches(account: str) -> tuple[int, int]:
    """An account's ledger entries sum to its balance, and neither part of it is below zero."""
    entries = list(Entry.query(account, consistent_read=True))
    summed = (
        sum(int(e.available_delta) for e in entries),
        sum(int(e.on_hold_delta) for e in entries),
    )
    balance = stored_balance(account)
    assert summed == balance, f"{account}: entries sum to {summed}, balance is {balance}"
    assert balance[0] >= 0 and balance[1] >= 0, f"{account}: balance below zero: {balance}"
    return balance


def held_for_hits(requester_id: str) -> int:
    """Σ over the requester's HITs of held slots × the cost of one (disposed HITs hold nothing)."""
    hits = Hit.by_requester.query(requester_id)
    return sum(int(hit.held_slots) * int(hit.cost_cents) for hit in hits)


def assert_requester_consistent(requester_id: str) -> tuple[int, int]:
    available, on_hold = assert_ledger_matches(requester_account(requester_id))
    assert on_hold == held_for_hits(requester_id), (
        f"requester {requester_id}: on hold {on_hold}, HITs hold {held_for_hits(requester_id)}"
    )
    return available, on_hold


def assert_worker_consistent(worker_id: str) -> int:
    account = worker_account(worker_id)
    available, on_hold = assert_ledger_matches(account)
    assert on_hold == 0
    try:
        item = Balance.get(account, consistent_read=True)
        assert int(item.rewards_cents) + int(item.bonuses_cents) == available
    except Balance.DoesNotExist:
        assert available == 0
    return available


_other_requesters: set[str] = set()


def another_requester(endpoint: str, amount: str | None = "1000.00") -> dict[str, str]:
    """A second requester for a test (never funded when amount is None), checked after it like the first."""
    keys = funded_requester(endpoint, amount) if amount else create_requester(endpoint)
    _other_requesters.add(keys["RequesterId"])
    return keys


def assert_accounts_consistent(requester_ids: set[str]) -> None:
    """The requesters' accounts, and the account of every worker they paid."""
    workers: set[str] = set()
    for requester_id in sorted(requester_ids):
        assert_requester_consistent(requester_id)
        for entry in Entry.query(requester_account(requester_id), consistent_read=True):
            if entry.worker_id:
                workers.add(entry.worker_id)
    for worker_id in sorted(workers):
        assert_worker_consistent(worker_id)


@pytest.fixture(autouse=True)
def ledger_checked(requester):
    """After each test: the ledger sums to every balance it touched, and holds match the HITs."""
    _other_requesters.clear()
    yield
    assert_accounts_consistent({requester["RequesterId"], *_other_requesters})
