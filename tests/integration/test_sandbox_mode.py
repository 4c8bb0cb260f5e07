"""Sandbox mode (`openturk serve --sandbox`, or the stack's openturk:sandbox context): as MTurk's sandbox,
every balance reads 10000.00 and never refuses work."""

import pytest

from tests.integration.conftest import mturk_client
from tests.support import create_requester, hit_args


def test_in_sandbox_mode_an_unfunded_requester_posts_work_and_sees_10000(endpoint, monkeypatch):
    monkeypatch.setenv("OPENTURK_SANDBOX", "1")  # read per call, so this process's runtime switches now
    mturk = mturk_client(endpoint, create_requester(endpoint))

    mturk.create_hit(**hit_args(Reward="5.00", MaxAssignments=100, LifetimeInSeconds=31_536_000))
    balance = mturk.get_account_balance()

    assert (balance["AvailableBalance"], balance["OnHoldBalance"]) == ("10000.00", "0.00")


def test_outside_sandbox_mode_an_unfunded_requester_cannot_post_paid_work(endpoint):
    mturk = mturk_client(endpoint, create_requester(endpoint))
    with pytest.raises(mturk.exceptions.RequestError) as refused:
        mturk.create_hit(**hit_args(LifetimeInSeconds=31_536_000))
    assert refused.value.response["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    assert mturk.get_account_balance()["AvailableBalance"] == "0.00"
