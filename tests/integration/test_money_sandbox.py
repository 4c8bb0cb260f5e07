"""Sandbox mode (OPENTURK_SANDBOX=1): as in MTurk's sandbox, every balance reads 10000.00 and never runs out.

The tests run in the runtime's process, so setting the variable switches the running runtime to sandbox
mode for one test. (The ledger invariants are not checked here: in the sandbox, balances may go below
zero by design.)
"""

import pytest

from tests.integration.conftest import mturk_client
from tests.money_support import YEAR, earnings, submitted
from tests.support import create_requester, hit_args


@pytest.fixture
def sandbox(monkeypatch):
    monkeypatch.setenv("OPENTURK_SANDBOX", "1")


def test_in_the_sandbox_an_unfunded_requester_posts_and_pays_and_always_reads_10000(
    endpoint, sandbox, new_worker
):
    client = mturk_client(endpoint, create_requester(endpoint))
    hit = client.create_hit(**hit_args(Reward="5.00", MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])

    client.approve_assignment(AssignmentId=assignment_id)
    client.send_bonus(WorkerId=worker.worker_id, AssignmentId=assignment_id, BonusAmount="2.00", Reason="+")

    result = client.get_account_balance()
    assert (result["AvailableBalance"], result["OnHoldBalance"]) == ("10000.00", "0.00")
    assert (earnings(worker)["Approved"], earnings(worker)["Bonuses"]) == ("5.00", "2.00")


def test_in_the_sandbox_a_hit_costing_more_than_10000_is_posted(endpoint, sandbox):
    client = mturk_client(endpoint, create_requester(endpoint))

    client.create_hit(**hit_args(Reward="20000.00", MaxAssignments=1, LifetimeInSeconds=YEAR))

    assert client.get_account_balance()["AvailableBalance"] == "10000.00"
