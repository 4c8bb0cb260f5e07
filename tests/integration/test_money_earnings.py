"""A worker's earnings (GET /worker/api/earnings) match, to the cent, what requesters approved and bonused."""

import urllib.parse

import pytest

from tests.integration.conftest import mturk_client
from tests.money_support import (  # noqa: F401
    YEAR,
    another_requester,
    balances,
    earnings,
    ledger_checked,
    submitted,
)
from tests.support import advance_clock, hit_args


def post(client, reward: str, **extra) -> str:
    return client.create_hit(**hit_args(Reward=reward, MaxAssignments=1, LifetimeInSeconds=YEAR, **extra))[
        "HIT"
    ]["HITId"]


@pytest.fixture
def other(endpoint):
    return another_requester(endpoint)


def test_a_new_worker_has_earned_nothing(new_worker):
    assert earnings(new_worker()) == {"Approved": "0.00", "Bonuses": "0.00", "Pending": "0.00", "History": []}


def test_earnings_add_up_approvals_bonuses_and_work_awaiting_review(
    mturk, requester, endpoint, other, new_worker
):
    worker = new_worker()
    second = mturk_client(endpoint, other)
    first_id = submitted(worker, post(mturk, "0.25"))
    second_id = submitted(worker, post(mturk, "0.50"))
    pending_id = submitted(worker, post(second, "0.30"))
    rejected_id = submitted(worker, post(second, "0.70"))
    mturk.approve_assignment(AssignmentId=first_id)
    mturk.approve_assignment(AssignmentId=second_id)
    mturk.send_bonus(WorkerId=worker.worker_id, AssignmentId=first_id, BonusAmount="1.00", Reason="Thanks")
    second.reject_assignment(AssignmentId=rejected_id, RequesterFeedback="Off topic")
    second.send_bonus(WorkerId=worker.worker_id, AssignmentId=pending_id, BonusAmount="0.05", Reason="Tip")

    result = earnings(worker)

    assert (result["Approved"], result["Bonuses"], result["Pending"]) == ("0.75", "1.05", "0.30")
    history = result["History"]
    assert [(h["Kind"], h["Amount"], h["AssignmentId"]) for h in history] == [
        ("BonusEarning", "0.05", pending_id),
        ("BonusEarning", "1.00", first_id),
        ("Earning", "0.50", second_id),
        ("Earning", "0.25", first_id),
    ]
    assert [h["RequesterId"] for h in history] == [
        other["RequesterId"],
        requester["RequesterId"],
        requester["RequesterId"],
        requester["RequesterId"],
    ]
    assert history[0]["Reason"] == "Tip"
    assert all(h["HITId"] == h["AssignmentId"][:20] for h in history)
    assert [h["Time"] for h in history] == sorted((h["Time"] for h in history), reverse=True)


def test_work_past_its_auto_approval_time_counts_as_approved_once(endpoint, mturk, new_worker):
    worker = new_worker()
    submitted(worker, post(mturk, "0.25", AutoApprovalDelayInSeconds=60))
    submitted(worker, post(mturk, "0.40"))
    advance_clock(endpoint, 61)

    before = earnings(worker)
    balances(mturk)  # the requester's read makes the approval durable and pays it
    after = earnings(worker)

    assert (before["Approved"], before["Pending"]) == ("0.25", "0.40")
    assert (after["Approved"], after["Pending"]) == ("0.25", "0.40")
    assert [h["Kind"] for h in after["History"]] == ["Earning"]


def test_an_overridden_rejection_moves_into_approved(mturk, new_worker):
    worker = new_worker()
    assignment_id = submitted(worker, post(mturk, "0.25"))
    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")
    assert earnings(worker)["Approved"] == "0.00"

    mturk.approve_assignment(AssignmentId=assignment_id, OverrideRejection=True)

    assert earnings(worker)["Approved"] == "0.25"


def test_earnings_match_what_the_requester_paid_out(mturk, new_worker):
    workers = [new_worker() for _ in range(3)]
    hit_id = mturk.create_hit(**hit_args(Reward="0.37", MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"][
        "HITId"
    ]
    ids = [submitted(w, hit_id) for w in workers]
    for assignment_id in ids:
        mturk.approve_assignment(AssignmentId=assignment_id)
    for worker, assignment_id in zip(workers, ids, strict=True):
        mturk.send_bonus(
            WorkerId=worker.worker_id, AssignmentId=assignment_id, BonusAmount="0.13", Reason="+"
        )

    earned = sum(
        int(e["Approved"].replace(".", "")) + int(e["Bonuses"].replace(".", ""))
        for e in (earnings(w) for w in workers)
    )

    fees = 3 * 7 + 3 * 3  # 20 % of $0.37 is $0.074 -> $0.07; of $0.13, $0.026 -> $0.03
    assert balances(mturk) == (100_000 - earned - fees, 0)
    assert earned == 3 * 37 + 3 * 13


def test_the_history_pages_with_next_token(mturk, new_worker):
    worker = new_worker()
    assignment_id = submitted(worker, post(mturk, "0.01"))
    for _ in range(51):
        mturk.send_bonus(
            WorkerId=worker.worker_id, AssignmentId=assignment_id, BonusAmount="0.01", Reason="+"
        )

    first = earnings(worker)
    status, second = worker.call(
        "GET", "/worker/api/earnings?NextToken=" + urllib.parse.quote(first["NextToken"])
    )

    assert status == 200, second
    assert len(first["History"]) == 50 and len(second["History"]) == 1
    assert "NextToken" not in second
    assert second["Bonuses"] == first["Bonuses"] == "0.51"
