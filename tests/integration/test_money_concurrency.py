"""Money under races, with threads: one decision per assignment, no balance below zero, nothing paid twice."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from openturk.data.ledger import PAYMENT, RELEASE, Entry, requester_account
from tests.integration.conftest import mturk_client
from tests.money_support import (  # noqa: F401
    INSUFFICIENT_FUNDS,
    YEAR,
    another_requester,
    balances,
    earnings,
    ledger_checked,
    submitted,
)
from tests.support import advance_clock, hit_args

FUNDS = 100_000
COST = 30


def outcome(client, call) -> str:
    try:
        call(client)
        return "ok"
    except client.exceptions.RequestError as error:
        return error.response["Error"]["Message"]


def race(clients, calls) -> list[str]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(outcome, clients, calls))


def entries(requester_id: str, kinds: set[str]) -> list[Entry]:
    account = requester_account(requester_id)
    return [e for e in Entry.query(account, consistent_read=True) if e.kind in kinds]


def test_approve_raced_with_reject_is_decided_once(endpoint, requester, mturk, new_worker):
    hit_id = mturk.create_hit(**hit_args(Reward="0.25", MaxAssignments=4, LifetimeInSeconds=YEAR))["HIT"][
        "HITId"
    ]
    workers = [new_worker() for _ in range(4)]
    assignment_ids = [submitted(w, hit_id) for w in workers]
    clients = [mturk_client(endpoint, requester) for _ in range(4)]

    for assignment_id in assignment_ids:
        calls = [
            lambda c, a=assignment_id: c.approve_assignment(AssignmentId=a),
            lambda c, a=assignment_id: c.reject_assignment(AssignmentId=a, RequesterFeedback="No"),
            lambda c, a=assignment_id: c.approve_assignment(AssignmentId=a),
            lambda c, a=assignment_id: c.reject_assignment(AssignmentId=a, RequesterFeedback="No"),
        ]
        outcomes = race(clients, calls)
        assert outcomes.count("ok") == 1, outcomes
        assert all(
            o.startswith("This operation can be called with a status of: Submitted")
            for o in outcomes
            if o != "ok"
        )

    decisions = entries(requester["RequesterId"], {PAYMENT, RELEASE})
    assert sorted(e.assignment_id for e in decisions) == sorted(assignment_ids)
    statuses = {
        a: mturk.get_assignment(AssignmentId=a)["Assignment"]["AssignmentStatus"] for a in assignment_ids
    }
    approved = [a for a, s in statuses.items() if s == "Approved"]
    assert sorted(e.assignment_id for e in decisions if e.kind == PAYMENT) == sorted(approved)
    assert balances(mturk) == (FUNDS - COST * len(approved), 0)
    for worker, assignment_id in zip(workers, assignment_ids, strict=True):
        assert earnings(worker)["Approved"] == ("0.25" if assignment_id in approved else "0.00")
    assert mturk.get_hit(HITId=hit_id)["HIT"]["NumberOfAssignmentsCompleted"] == 4


def test_approvals_of_one_hit_in_parallel_all_pay(endpoint, requester, mturk, new_worker):
    hit_id = mturk.create_hit(**hit_args(Reward="0.25", MaxAssignments=6, LifetimeInSeconds=YEAR))["HIT"][
        "HITId"
    ]
    workers = [new_worker() for _ in range(6)]
    assignment_ids = [submitted(w, hit_id) for w in workers]
    clients = [mturk_client(endpoint, requester) for _ in range(6)]

    outcomes = race(clients, [lambda c, a=a: c.approve_assignment(AssignmentId=a) for a in assignment_ids])

    assert outcomes == ["ok"] * 6
    assert balances(mturk) == (FUNDS - 6 * COST, 0)
    assert {earnings(w)["Approved"] for w in workers} == {"0.25"}


def test_the_last_dollars_raced_by_create_hit_are_spent_once(endpoint):
    keys = another_requester(endpoint, "1.00")
    clients = [mturk_client(endpoint, keys) for _ in range(8)]
    create = lambda c: c.create_hit(**hit_args(Reward="0.25", MaxAssignments=1, LifetimeInSeconds=YEAR))  # noqa: E731

    outcomes = race(clients, [create] * 8)

    assert outcomes.count("ok") == 3, outcomes
    assert all(o.startswith(INSUFFICIENT_FUNDS) for o in outcomes if o != "ok"), outcomes
    assert len(clients[0].list_hits()["HITs"]) == 3
    assert balances(clients[0]) == (10, 90)


def test_bonuses_and_hits_raced_on_one_balance_never_overdraw_it(endpoint, new_worker):
    keys = another_requester(endpoint, "3.00")
    owner = mturk_client(endpoint, keys)
    hit_id = owner.create_hit(**hit_args(Reward="0.25", MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"][
        "HITId"
    ]
    worker = new_worker()
    assignment_id = submitted(worker, hit_id)
    clients = [mturk_client(endpoint, keys) for _ in range(8)]
    calls = [
        lambda c: c.send_bonus(
            WorkerId=worker.worker_id, AssignmentId=assignment_id, BonusAmount="0.50", Reason="+"
        ),
        lambda c: c.create_hit(**hit_args(Reward="0.50", MaxAssignments=1, LifetimeInSeconds=YEAR)),
    ] * 4

    outcomes = race(clients, calls)

    assert all(o == "ok" or o.startswith(INSUFFICIENT_FUNDS) for o in outcomes), outcomes
    paid_bonuses = sum(1 for o, i in zip(outcomes, range(8), strict=True) if o == "ok" and i % 2 == 0)
    new_hits = sum(1 for o, i in zip(outcomes, range(8), strict=True) if o == "ok" and i % 2 == 1)
    assert paid_bonuses * 60 + new_hits * 60 <= 270
    assert paid_bonuses * 60 + new_hits * 60 > 270 - 60  # nothing refused while the money was there
    available, on_hold = balances(owner)
    assert (available, on_hold) == (270 - 60 * (paid_bonuses + new_hits), 30 + 60 * new_hits)
    assert earnings(worker)["Bonuses"] == f"{paid_bonuses * 0.5:.2f}"


def test_balance_reads_racing_to_settle_an_expired_hit_release_it_once(
    endpoint, requester, mturk, new_worker
):
    hit = mturk.create_hit(
        **hit_args(Reward="0.25", MaxAssignments=4, LifetimeInSeconds=YEAR, AutoApprovalDelayInSeconds=60)
    )["HIT"]
    submitted(new_worker(), hit["HITId"])
    submitted(new_worker(), hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=datetime(2015, 1, 1, tzinfo=UTC))
    advance_clock(endpoint, 61)
    clients = [mturk_client(endpoint, requester) for _ in range(6)]

    outcomes = race(clients, [lambda c: c.get_account_balance()] * 6)

    assert outcomes == ["ok"] * 6
    assert balances(mturk) == (FUNDS - 2 * COST, 0)
    assert len(entries(requester["RequesterId"], {PAYMENT})) == 2
