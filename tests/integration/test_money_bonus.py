"""Bonuses through boto3: SendBonus pays bonus + fee from the available balance; ListBonusPayments lists them."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from openturk.data.ledger import BONUS, Entry, requester_account
from tests.integration.conftest import mturk_client
from tests.money_support import (  # noqa: F401
    INSUFFICIENT_FUNDS,
    YEAR,
    accepted,
    another_requester,
    balances,
    bonus_cost,
    earnings,
    ledger_checked,
    refusal,
    submitted,
    unchecked_client,
)
from tests.support import hit_args

FUNDS = 100_000
HELD = 3 * 30  # the fixture HIT: three assignments at $0.25 + $0.05


@pytest.fixture
def hit(mturk) -> dict:
    return mturk.create_hit(**hit_args(Reward="0.25", MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]


@pytest.fixture
def work(new_worker, hit):
    """A worker and the assignment they submitted on the fixture HIT."""
    worker = new_worker()
    return worker, submitted(worker, hit["HITId"])


def bonus_entries(requester_id: str) -> list[Entry]:
    return [e for e in Entry.query(requester_account(requester_id), consistent_read=True) if e.kind == BONUS]


def bonus(client, worker, assignment_id: str, amount: str = "1.00", **extra):
    return client.send_bonus(
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount=amount,
        Reason="Great work",
        **extra,
    )


def test_a_bonus_costs_the_bonus_plus_a_20_percent_fee_and_the_worker_gets_the_bonus(mturk, work):
    worker, assignment_id = work

    bonus(mturk, worker, assignment_id, "1.00")

    assert balances(mturk) == (FUNDS - HELD - 120, HELD)
    assert earnings(worker)["Bonuses"] == "1.00"
    assert earnings(worker)["Approved"] == "0.00"


@pytest.mark.parametrize(
    ("amount", "cost_cents"),
    [("0.52", 62), ("0.53", 64), ("0.01", 2), ("0.04", 5), ("5", 600), ("2.5", 300), ("101.42", 12170)],
)
def test_a_bonus_fee_is_rounded_half_up_with_a_one_cent_minimum(mturk, work, amount, cost_cents):
    worker, assignment_id = work

    bonus(mturk, worker, assignment_id, amount)

    assert cost_cents == bonus_cost(amount)
    assert balances(mturk) == (FUNDS - HELD - cost_cents, HELD)


def test_a_bonus_on_a_hit_with_ten_assignments_has_no_surcharge(mturk, new_worker):
    big = mturk.create_hit(**hit_args(Reward="0.10", MaxAssignments=10, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = submitted(worker, big["HITId"])

    bonus(mturk, worker, assignment_id, "1.00")

    assert balances(mturk) == (FUNDS - 10 * 14 - 120, 10 * 14)


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_reviewed_work_can_get_a_bonus(mturk, work, decision):
    worker, assignment_id = work
    if decision == "approve":
        mturk.approve_assignment(AssignmentId=assignment_id)
    else:
        mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="Wrong, but thanks")

    bonus(mturk, worker, assignment_id, "0.50")

    assert earnings(worker)["Bonuses"] == "0.50"


def test_list_bonus_payments_by_hit_and_by_assignment(mturk, new_worker, hit):
    first, second = new_worker(), new_worker()
    first_id, second_id = submitted(first, hit["HITId"]), submitted(second, hit["HITId"])
    bonus(mturk, first, first_id, "1.00")
    bonus(mturk, second, second_id, "0.50")
    bonus(mturk, first, first_id, "0.25")

    by_hit = mturk.list_bonus_payments(HITId=hit["HITId"])
    by_assignment = mturk.list_bonus_payments(AssignmentId=first_id)

    assert by_hit["NumResults"] == 3
    assert sorted(
        (b["AssignmentId"], b["WorkerId"], b["BonusAmount"]) for b in by_hit["BonusPayments"]
    ) == sorted(
        [
            (first_id, first.worker_id, "1.00"),
            (first_id, first.worker_id, "0.25"),
            (second_id, second.worker_id, "0.50"),
        ]
    )
    assert by_assignment["NumResults"] == 2
    assert [b["BonusAmount"] for b in by_assignment["BonusPayments"]] == ["1.00", "0.25"]
    payment = by_assignment["BonusPayments"][0]
    assert set(payment) == {"WorkerId", "BonusAmount", "AssignmentId", "Reason", "GrantTime"}
    assert payment["Reason"] == "Great work"
    assert payment["GrantTime"] <= by_assignment["BonusPayments"][1]["GrantTime"]
    assert "NextToken" not in by_hit and "NextToken" not in by_assignment


def test_list_bonus_payments_pages_through_every_bonus_once(mturk, work):
    worker, assignment_id = work
    for amount in ("0.01", "0.02", "0.03", "0.04", "0.05"):
        bonus(mturk, worker, assignment_id, amount)

    pages = list(
        mturk.get_paginator("list_bonus_payments").paginate(
            AssignmentId=assignment_id, PaginationConfig={"PageSize": 2}
        )
    )

    assert [page["NumResults"] for page in pages] == [2, 2, 1]
    amounts = [b["BonusAmount"] for page in pages for b in page["BonusPayments"]]
    assert amounts == ["0.01", "0.02", "0.03", "0.04", "0.05"]


def test_list_bonus_payments_of_a_hit_without_bonuses_is_empty(mturk, hit):
    listed = mturk.list_bonus_payments(HITId=hit["HITId"])

    assert (listed["NumResults"], listed["BonusPayments"]) == (0, [])


def test_list_bonus_payments_needs_exactly_one_of_hit_and_assignment(mturk, work, hit):
    _, assignment_id = work

    refusal(mturk, "list_bonus_payments")
    refusal(mturk, "list_bonus_payments", HITId=hit["HITId"], AssignmentId=assignment_id)


def test_list_bonus_payments_of_an_unknown_or_foreign_hit_is_refused(mturk, hit, endpoint):
    other_keys = another_requester(endpoint)
    other = mturk_client(endpoint, other_keys)

    refusal(mturk, "list_bonus_payments", HITId="3VJ4PFXFJ5VXUC3I783D")
    refusal(other, "list_bonus_payments", HITId=hit["HITId"])


def test_a_bonus_to_a_worker_who_did_not_do_the_assignment_is_refused(mturk, work, new_worker):
    worker, assignment_id = work
    stranger = new_worker()

    refusal(
        mturk,
        "send_bonus",
        WorkerId=stranger.worker_id,
        AssignmentId=assignment_id,
        BonusAmount="1.00",
        Reason="Hi",
    )

    assert earnings(stranger)["Bonuses"] == "0.00"
    assert balances(mturk) == (FUNDS - HELD, HELD)


def test_a_bonus_for_an_unknown_assignment_is_refused(mturk, work, hit):
    worker, _ = work

    error = refusal(
        mturk,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=hit["HITId"] + "ABCDEFGHIJ",
        BonusAmount="1.00",
        Reason="Hi",
    )

    assert error["Error"]["Message"].startswith(f"Assignment {hit['HITId']}ABCDEFGHIJ does not exist.")
    assert balances(mturk) == (FUNDS - HELD, HELD)


def test_a_bonus_for_work_still_in_progress_is_refused(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = accepted(worker, hit["HITId"])

    refusal(
        mturk,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount="1.00",
        Reason="Hi",
    )

    assert earnings(worker)["Bonuses"] == "0.00"
    assert balances(mturk) == (FUNDS - HELD, HELD)


def test_a_bonus_for_another_requesters_assignment_is_refused(work, endpoint):
    worker, assignment_id = work
    other_keys = another_requester(endpoint)
    other = mturk_client(endpoint, other_keys)

    refusal(
        other,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount="1.00",
        Reason="Hi",
    )

    assert balances(other) == (FUNDS, 0)
    assert earnings(worker)["Bonuses"] == "0.00"


@pytest.mark.parametrize("amount", ["0", "0.00", "abc", "1.234", "-1.00", "$1.00", "1,00", ""])
def test_a_bonus_amount_that_is_not_positive_dollars_and_cents_is_refused(mturk, work, amount):
    worker, assignment_id = work

    refusal(
        mturk,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount=amount,
        Reason="Hi",
    )

    assert balances(mturk) == (FUNDS - HELD, HELD)
    assert mturk.list_bonus_payments(AssignmentId=assignment_id)["NumResults"] == 0


def test_a_bonus_beyond_the_available_balance_is_refused_and_pays_nothing(endpoint, new_worker):
    keys = another_requester(endpoint, "2.00")
    client = mturk_client(endpoint, keys)
    hit = client.create_hit(**hit_args(Reward="0.25", MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])

    error = refusal(
        client,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount="1.43",
        Reason="Hi",
    )

    assert error["Error"]["Message"].startswith(INSUFFICIENT_FUNDS)
    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    assert balances(client) == (170, 30)
    assert earnings(worker)["Bonuses"] == "0.00"
    assert client.list_bonus_payments(HITId=hit["HITId"])["NumResults"] == 0
    bonus(client, worker, assignment_id, "1.42")  # $1.42 + $0.28 = $1.70: exactly what is left
    assert balances(client) == (0, 30)


def test_a_repeated_bonus_token_is_refused_and_pays_once(mturk, work, requester):
    worker, assignment_id = work
    bonus(mturk, worker, assignment_id, "1.00", UniqueRequestToken="bonus-1")

    error = refusal(
        mturk,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount="1.00",
        Reason="Great work",
        UniqueRequestToken="bonus-1",
    )

    assert 'The idempotency token "bonus-1" has already been processed.' in error["Error"]["Message"]
    assert len(bonus_entries(requester["RequesterId"])) == 1
    assert earnings(worker)["Bonuses"] == "1.00"
    assert balances(mturk) == (FUNDS - HELD - 120, HELD)


def test_a_refused_bonus_does_not_use_up_its_token(mturk, work):
    worker, assignment_id = work
    refusal(
        mturk,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount="100000.01",
        Reason="Hi",
        UniqueRequestToken="bonus-2",
    )

    bonus(mturk, worker, assignment_id, "1.00", UniqueRequestToken="bonus-2")

    assert earnings(worker)["Bonuses"] == "1.00"


def test_a_bonus_token_sent_from_eight_threads_pays_exactly_once(endpoint, requester, mturk, work):
    worker, assignment_id = work
    clients = [mturk_client(endpoint, requester) for _ in range(8)]

    def send(client):
        try:
            bonus(client, worker, assignment_id, "1.00", UniqueRequestToken="raced-token")
            return "paid"
        except client.exceptions.RequestError as error:
            return error.response["Error"]["Message"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(send, clients))

    assert outcomes.count("paid") == 1
    assert all("has already been processed" in o for o in outcomes if o != "paid"), outcomes
    assert len(bonus_entries(requester["RequesterId"])) == 1
    assert earnings(worker)["Bonuses"] == "1.00"
    assert balances(mturk) == (FUNDS - HELD - 120, HELD)


def test_different_bonus_tokens_each_pay(mturk, work):
    worker, assignment_id = work

    bonus(mturk, worker, assignment_id, "1.00", UniqueRequestToken="a")
    bonus(mturk, worker, assignment_id, "1.00", UniqueRequestToken="b")

    assert earnings(worker)["Bonuses"] == "2.00"
    assert balances(mturk) == (FUNDS - HELD - 240, HELD)


def test_list_bonus_payments_of_a_hit_pages_across_its_assignments(mturk, new_worker, hit):
    first, second = new_worker(), new_worker()
    first_id, second_id = submitted(first, hit["HITId"]), submitted(second, hit["HITId"])
    for worker, assignment_id in [(first, first_id), (second, second_id)] * 2:
        bonus(mturk, worker, assignment_id, "0.10")

    pages = list(
        mturk.get_paginator("list_bonus_payments").paginate(
            HITId=hit["HITId"], PaginationConfig={"PageSize": 3}
        )
    )

    assert [page["NumResults"] for page in pages] == [3, 1]
    listed = [b["AssignmentId"] for page in pages for b in page["BonusPayments"]]
    assert sorted(listed) == sorted([first_id, second_id] * 2)


def test_list_bonus_payments_with_more_than_100_results_a_page_is_refused(mturk, hit):
    refusal(mturk, "list_bonus_payments", HITId=hit["HITId"], MaxResults=101)


def test_list_bonus_payments_with_a_made_up_next_token_is_refused(mturk, hit):
    refusal(mturk, "list_bonus_payments", HITId=hit["HITId"], NextToken="bm90LWEtdG9rZW4=")


def test_a_bonus_without_a_reason_is_refused(mturk, work):
    worker, assignment_id = work

    refusal(
        mturk,
        "send_bonus",
        WorkerId=worker.worker_id,
        AssignmentId=assignment_id,
        BonusAmount="1.00",
        Reason="",
    )

    assert earnings(worker)["Bonuses"] == "0.00"


@pytest.mark.parametrize("missing", ["WorkerId", "AssignmentId", "BonusAmount", "Reason"])
def test_a_hand_made_bonus_request_missing_a_required_parameter_is_refused(
    endpoint, requester, mturk, work, missing
):
    worker, assignment_id = work
    params = {
        "WorkerId": worker.worker_id,
        "AssignmentId": assignment_id,
        "BonusAmount": "1.00",
        "Reason": "+",
    }
    del params[missing]

    refusal(unchecked_client(endpoint, requester), "send_bonus", **params)

    assert balances(mturk) == (FUNDS - HELD, HELD)
