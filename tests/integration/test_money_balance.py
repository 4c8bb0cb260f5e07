"""A requester's balance through boto3: GetAccountBalance, MTurk's fees, and the holds HITs put on it."""

from datetime import UTC, datetime

import pytest

from tests.integration.conftest import mturk_client
from tests.money_support import (  # noqa: F401
    INSUFFICIENT_FUNDS,
    MASTERS_REQUIREMENT,
    YEAR,
    accepted,
    another_requester,
    assignment_cost,
    balances,
    ledger_checked,
    refusal,
    submitted,
)
from tests.support import fund_requester, hit_args

PAST = datetime(2015, 1, 1, tzinfo=UTC)


def long_hit(**overrides):
    return hit_args(**{"LifetimeInSeconds": YEAR, **overrides})


def test_a_funded_requester_has_its_funding_available_and_nothing_on_hold(mturk):
    result = mturk.get_account_balance()

    assert result["AvailableBalance"] == "1000.00"
    assert result["OnHoldBalance"] == "0.00"


@pytest.mark.parametrize(
    ("reward", "max_assignments", "masters", "fee_cents"),
    [
        ("0.05", 1, False, 1),  # 20 % is $0.01
        ("0.01", 1, False, 1),  # $0.002 -> the $0.01 minimum
        ("1.00", 1, False, 20),
        ("0.25", 3, False, 5),
        ("0.52", 1, False, 10),  # $0.104 rounds down
        ("0.53", 1, False, 11),  # $0.106 rounds up
        ("1.00", 10, False, 40),  # 10 or more assignments: 40 %
        ("0.02", 10, False, 1),  # $0.008 -> the minimum
        ("1.00", 1, True, 25),  # Masters: 25 %
        ("0.42", 1, True, 11),  # $0.105 rounds half up
        ("1.00", 10, True, 45),
        ("0.00", 1, False, 0),  # no reward, no fee
    ],
)
def test_create_hit_puts_reward_plus_fee_for_every_assignment_on_hold(
    mturk, reward, max_assignments, masters, fee_cents
):
    extra = {"QualificationRequirements": MASTERS_REQUIREMENT} if masters else {}

    mturk.create_hit(**long_hit(Reward=reward, MaxAssignments=max_assignments, **extra))

    cost = max_assignments * (round(float(reward) * 100) + fee_cents)
    assert cost == max_assignments * assignment_cost(reward, max_assignments, masters)
    assert balances(mturk) == (100_000 - cost, cost)


def test_create_hit_with_hit_type_puts_the_cost_on_hold(mturk):
    hit_type_id = mturk.create_hit_type(
        Title="Label", Description="Label it", Reward="0.30", AssignmentDurationInSeconds=600
    )["HITTypeId"]

    mturk.create_hit_with_hit_type(
        HITTypeId=hit_type_id, MaxAssignments=4, LifetimeInSeconds=YEAR, Question=hit_args()["Question"]
    )

    assert balances(mturk) == (100_000 - 4 * 36, 4 * 36)


def test_create_hit_beyond_the_balance_is_refused_and_creates_nothing(endpoint):
    keys = another_requester(endpoint, "1.00")
    client = mturk_client(endpoint, keys)

    error = refusal(client, "create_hit", **long_hit(Reward="0.50", MaxAssignments=2))

    assert error["Error"]["Message"].startswith(INSUFFICIENT_FUNDS)
    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    assert client.list_hits()["HITs"] == []
    assert balances(client) == (100, 0)


def test_create_hit_that_takes_exactly_the_whole_balance_succeeds(endpoint):
    keys = another_requester(endpoint, "1.20")
    client = mturk_client(endpoint, keys)

    client.create_hit(**long_hit(Reward="0.50", MaxAssignments=2))

    assert balances(client) == (0, 120)
    refusal(client, "create_hit", **long_hit(Reward="0.01", MaxAssignments=1))


def test_a_requester_never_funded_cannot_post_a_paid_hit(endpoint):
    keys = another_requester(endpoint, None)
    client = mturk_client(endpoint, keys)

    error = refusal(client, "create_hit", **long_hit(Reward="0.01", MaxAssignments=1))

    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    result = client.get_account_balance()
    assert (result["AvailableBalance"], result["OnHoldBalance"]) == ("0.00", "0.00")
    assert client.list_hits()["HITs"] == []


def test_a_requester_never_funded_can_post_a_hit_without_reward(endpoint):
    keys = another_requester(endpoint, None)
    client = mturk_client(endpoint, keys)

    client.create_hit(**long_hit(Reward="0.00", MaxAssignments=2))

    assert balances(client) == (0, 0)


def test_additional_assignments_put_their_cost_on_hold(mturk):
    hit = mturk.create_hit(**long_hit(Reward="0.25", MaxAssignments=2))["HIT"]

    mturk.create_additional_assignments_for_hit(HITId=hit["HITId"], NumberOfAdditionalAssignments=3)

    assert balances(mturk) == (100_000 - 5 * 30, 5 * 30)


def test_additional_assignments_beyond_the_balance_are_refused_and_nothing_changes(endpoint):
    keys = another_requester(endpoint, "1.00")
    client = mturk_client(endpoint, keys)
    hit = client.create_hit(**long_hit(Reward="0.50", MaxAssignments=1))["HIT"]

    error = refusal(
        client, "create_additional_assignments_for_hit", HITId=hit["HITId"], NumberOfAdditionalAssignments=1
    )

    assert error["Error"]["Message"].startswith(INSUFFICIENT_FUNDS)
    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["MaxAssignments"] == 1
    assert balances(client) == (40, 60)


def test_changing_the_hit_type_moves_the_hold_to_the_new_price(mturk):
    hit = mturk.create_hit(**long_hit(Reward="0.25", MaxAssignments=3))["HIT"]
    dearer = mturk.create_hit_type(
        Title="Label", Description="Label it", Reward="0.50", AssignmentDurationInSeconds=600
    )["HITTypeId"]

    mturk.update_hit_type_of_hit(HITId=hit["HITId"], HITTypeId=dearer)

    assert balances(mturk) == (100_000 - 3 * 60, 3 * 60)


def test_changing_the_hit_type_beyond_the_balance_is_refused(endpoint):
    keys = another_requester(endpoint, "1.00")
    client = mturk_client(endpoint, keys)
    hit = client.create_hit(**long_hit(Reward="0.25", MaxAssignments=3))["HIT"]
    dearer = client.create_hit_type(
        Title="Label", Description="Label it", Reward="0.50", AssignmentDurationInSeconds=600
    )["HITTypeId"]

    error = refusal(client, "update_hit_type_of_hit", HITId=hit["HITId"], HITTypeId=dearer)

    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["Reward"] == "0.25"
    assert balances(client) == (10, 90)


def test_an_expired_hit_without_work_gives_its_whole_hold_back(mturk):
    hit = mturk.create_hit(**long_hit(Reward="0.25", MaxAssignments=3))["HIT"]

    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)

    assert balances(mturk) == (100_000, 0)


def test_deleting_an_expired_hit_without_work_gives_its_hold_back(mturk):
    hit = mturk.create_hit(**long_hit(Reward="0.25", MaxAssignments=3))["HIT"]
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)

    mturk.delete_hit(HITId=hit["HITId"])

    assert balances(mturk) == (100_000, 0)


def test_extending_an_expired_hit_puts_its_open_assignments_on_hold_again(mturk, new_worker):
    hit = mturk.create_hit(**long_hit(Reward="0.25", MaxAssignments=2))["HIT"]
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)
    assert balances(mturk) == (100_000, 0)

    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=datetime(2100, 1, 1, tzinfo=UTC))

    assert balances(mturk) == (100_000 - 60, 60)
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])
    mturk.approve_assignment(AssignmentId=assignment_id)
    assert balances(mturk) == (100_000 - 60, 30)


def test_extending_an_expired_hit_beyond_the_balance_is_refused(endpoint):
    keys = another_requester(endpoint, "0.60")
    client = mturk_client(endpoint, keys)
    hit = client.create_hit(**long_hit(Reward="0.25", MaxAssignments=2))["HIT"]
    client.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)
    assert balances(client) == (60, 0)
    client.create_hit(**long_hit(Reward="0.25", MaxAssignments=1))

    error = refusal(
        client,
        "update_expiration_for_hit",
        HITId=hit["HITId"],
        ExpireAt=datetime(2100, 1, 1, tzinfo=UTC),
    )

    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    assert client.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Reviewable"
    assert balances(client) == (30, 30)


def test_a_hold_is_released_only_once_however_often_the_balance_is_read(mturk, new_worker):
    hit = mturk.create_hit(**long_hit(Reward="0.25", MaxAssignments=3))["HIT"]
    accepted(new_worker(), hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)

    readings = {balances(mturk) for _ in range(3)}

    assert readings == {(100_000 - 30, 30)}


def test_a_new_hit_may_use_what_an_expired_hit_held_before_the_balance_was_read(endpoint):
    keys = another_requester(endpoint, "1.00")
    client = mturk_client(endpoint, keys)
    old = client.create_hit(**long_hit(Reward="0.25", MaxAssignments=3))["HIT"]
    client.update_expiration_for_hit(HITId=old["HITId"], ExpireAt=PAST)

    client.create_hit(**long_hit(Reward="0.50", MaxAssignments=1))

    assert balances(client) == (40, 60)


def test_a_new_price_may_use_what_an_expired_hit_held_before_the_balance_was_read(endpoint):
    keys = another_requester(endpoint, "1.00")
    client = mturk_client(endpoint, keys)
    old = client.create_hit(**long_hit(Reward="0.25", MaxAssignments=2))["HIT"]
    hit = client.create_hit(**long_hit(Reward="0.25", MaxAssignments=1))["HIT"]
    client.update_expiration_for_hit(HITId=old["HITId"], ExpireAt=PAST)
    dearer = client.create_hit_type(
        Title="Label", Description="Label it", Reward="0.75", AssignmentDurationInSeconds=600
    )["HITTypeId"]

    client.update_hit_type_of_hit(HITId=hit["HITId"], HITTypeId=dearer)

    assert balances(client) == (10, 90)


def test_a_create_hit_refused_for_funds_does_not_use_up_its_token(endpoint):
    keys = another_requester(endpoint, "0.10")
    client = mturk_client(endpoint, keys)
    refusal(client, "create_hit", **long_hit(Reward="0.25", MaxAssignments=1, UniqueRequestToken="post-1"))
    fund_requester(endpoint, keys["RequesterId"], "1.00")

    client.create_hit(**long_hit(Reward="0.25", MaxAssignments=1, UniqueRequestToken="post-1"))

    assert balances(client) == (80, 30)


def test_funding_adds_to_the_available_balance(mturk, endpoint, requester):
    mturk.create_hit(**long_hit(Reward="0.25", MaxAssignments=2))

    fund_requester(endpoint, requester["RequesterId"], "12.34")

    assert balances(mturk) == (100_000 - 60 + 1234, 60)
