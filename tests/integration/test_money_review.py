"""Reviewing work through boto3: ApproveAssignment, RejectAssignment, auto-approval, and what expiry gives back."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from openturk.data.ledger import PAYMENT, Entry, requester_account
from tests.integration.conftest import mturk_client
from tests.money_support import (  # noqa: F401
    YEAR,
    accepted,
    another_requester,
    balances,
    earnings,
    ledger_checked,
    refusal,
    submitted,
    unchecked_client,
)
from tests.support import advance_clock, hit_args

PAST = datetime(2015, 1, 1, tzinfo=UTC)
WRONG_STATE = "This operation can be called with a status of: Submitted"
FUNDS = 100_000
COST = 30  # reward 0.25 + fee 0.05


@pytest.fixture
def hit(mturk) -> dict:
    """Three assignments at $0.25 (cost $0.30 each, $0.90 on hold)."""
    return mturk.create_hit(**hit_args(Reward="0.25", MaxAssignments=3, LifetimeInSeconds=YEAR))["HIT"]


def payments_for(requester_id: str, assignment_id: str) -> list[Entry]:
    return [
        entry
        for entry in Entry.query(requester_account(requester_id), consistent_read=True)
        if entry.kind == PAYMENT and entry.assignment_id == assignment_id
    ]


# ---- approve ----------------------------------------------------------------------------------------


def test_approving_submitted_work_pays_the_worker_out_of_the_hold(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])

    mturk.approve_assignment(AssignmentId=assignment_id, RequesterFeedback="Thank you")

    result = mturk.get_assignment(AssignmentId=assignment_id)
    assignment = result["Assignment"]
    assert assignment["AssignmentStatus"] == "Approved"
    assert assignment["RequesterFeedback"] == "Thank you"
    assert assignment["ApprovalTime"] >= assignment["SubmitTime"]
    assert "RejectionTime" not in assignment
    assert result["HIT"]["NumberOfAssignmentsCompleted"] == 1
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)
    assert (earnings(worker)["Approved"], earnings(worker)["Pending"]) == ("0.25", "0.00")


def test_approving_twice_is_refused_and_pays_once(mturk, new_worker, hit, requester):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])
    mturk.approve_assignment(AssignmentId=assignment_id)

    error = refusal(mturk, "approve_assignment", AssignmentId=assignment_id)

    assert error["Error"]["Message"].startswith(WRONG_STATE)
    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InvalidAssignmentState"
    assert len(payments_for(requester["RequesterId"], assignment_id)) == 1
    assert earnings(worker)["Approved"] == "0.25"
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)


def test_approving_work_still_in_progress_is_refused(mturk, new_worker, hit):
    assignment_id = accepted(new_worker(), hit["HITId"])

    error = refusal(mturk, "approve_assignment", AssignmentId=assignment_id)

    assert error["Error"]["Message"].startswith(f"Assignment {assignment_id} does not exist.")
    assert balances(mturk) == (FUNDS - 3 * COST, 3 * COST)


def test_approving_an_unknown_assignment_is_refused(mturk, hit):
    unknown = hit["HITId"] + "ABCDEFGHIJ"

    error = refusal(mturk, "approve_assignment", AssignmentId=unknown)

    assert error["Error"]["Message"].startswith(f"Assignment {unknown} does not exist.")
    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.AssignmentDoesNotExist"


def test_approving_another_requesters_assignment_is_refused_and_pays_nothing(
    mturk, new_worker, hit, endpoint
):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])
    other_keys = another_requester(endpoint)
    other = mturk_client(endpoint, other_keys)

    error = refusal(other, "approve_assignment", AssignmentId=assignment_id)

    assert error["Error"]["Message"].startswith(f"Assignment {assignment_id} does not exist.")
    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Submitted"
    assert balances(other) == (FUNDS, 0)
    assert earnings(worker)["Approved"] == "0.00"


@pytest.mark.parametrize("feedback", ["x" * 1025, "bell \x07", "null \x00", "escape \x1b"])
def test_approving_with_feedback_too_long_or_with_control_characters_is_refused(
    mturk, new_worker, hit, feedback
):
    assignment_id = submitted(new_worker(), hit["HITId"])

    error = refusal(mturk, "approve_assignment", AssignmentId=assignment_id, RequesterFeedback=feedback)

    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InvalidParameterValue"
    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Submitted"


def test_feedback_of_1024_characters_with_tabs_and_newlines_is_accepted(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])
    feedback = ("é\tline\r\n" * 200)[:1024]

    mturk.approve_assignment(AssignmentId=assignment_id, RequesterFeedback=feedback)

    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["RequesterFeedback"] == feedback


# ---- reject -----------------------------------------------------------------------------------------


def test_rejecting_gives_the_hold_back_and_pays_nothing(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])

    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="Blank answer")

    result = mturk.get_assignment(AssignmentId=assignment_id)
    assignment = result["Assignment"]
    assert assignment["AssignmentStatus"] == "Rejected"
    assert assignment["RequesterFeedback"] == "Blank answer"
    assert assignment["RejectionTime"] >= assignment["SubmitTime"]
    assert "ApprovalTime" not in assignment
    assert result["HIT"]["NumberOfAssignmentsCompleted"] == 1
    assert balances(mturk) == (FUNDS - 2 * COST, 2 * COST)
    assert (earnings(worker)["Approved"], earnings(worker)["Pending"]) == ("0.00", "0.00")


def test_rejecting_without_feedback_is_refused(endpoint, requester, mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])
    raw = unchecked_client(endpoint, requester)

    refusal(raw, "reject_assignment", AssignmentId=assignment_id)

    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Submitted"
    assert balances(mturk) == (FUNDS - 3 * COST, 3 * COST)


def test_rejecting_approved_work_is_refused(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])
    mturk.approve_assignment(AssignmentId=assignment_id)

    error = refusal(mturk, "reject_assignment", AssignmentId=assignment_id, RequesterFeedback="No")

    assert error["Error"]["Message"].startswith(WRONG_STATE)
    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Approved"
    assert earnings(worker)["Approved"] == "0.25"
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)


def test_rejecting_twice_is_refused_and_gives_back_once(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])
    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")

    error = refusal(mturk, "reject_assignment", AssignmentId=assignment_id, RequesterFeedback="No")

    assert error["Error"]["Message"].startswith(WRONG_STATE)
    assert balances(mturk) == (FUNDS - 2 * COST, 2 * COST)


def test_approving_rejected_work_without_override_is_refused(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])
    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")

    error = refusal(mturk, "approve_assignment", AssignmentId=assignment_id)

    assert error["Error"]["Message"].startswith(WRONG_STATE)


def test_overriding_a_rejection_approves_and_pays_from_the_available_balance(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])
    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")

    mturk.approve_assignment(AssignmentId=assignment_id, OverrideRejection=True, RequesterFeedback="Sorry")

    result = mturk.get_assignment(AssignmentId=assignment_id)
    assignment = result["Assignment"]
    assert assignment["AssignmentStatus"] == "Approved"
    assert assignment["RequesterFeedback"] == "Sorry"
    assert "ApprovalTime" in assignment and "RejectionTime" not in assignment
    assert result["HIT"]["NumberOfAssignmentsCompleted"] == 1
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)
    assert earnings(worker)["Approved"] == "0.25"


def test_overriding_an_approval_is_refused(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])
    mturk.approve_assignment(AssignmentId=assignment_id)

    error = refusal(mturk, "approve_assignment", AssignmentId=assignment_id, OverrideRejection=True)

    assert error["Error"]["Message"].startswith(WRONG_STATE)
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)


def test_overriding_a_rejection_without_the_funds_is_refused(endpoint, new_worker):
    keys = another_requester(endpoint, "0.30")
    client = mturk_client(endpoint, keys)
    first = client.create_hit(**hit_args(Reward="0.25", MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = submitted(worker, first["HITId"])
    client.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")
    client.create_hit(**hit_args(Reward="0.25", MaxAssignments=1, LifetimeInSeconds=YEAR))

    error = refusal(client, "approve_assignment", AssignmentId=assignment_id, OverrideRejection=True)

    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InsufficientFunds"
    assert client.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Rejected"
    assert earnings(worker)["Approved"] == "0.00"


def test_overriding_a_rejection_more_than_30_days_after_submission_is_refused(
    endpoint, mturk, new_worker, hit
):
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])
    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")
    advance_clock(endpoint, 30 * 24 * 3600 + 1)

    refusal(mturk, "approve_assignment", AssignmentId=assignment_id, OverrideRejection=True)

    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Rejected"
    assert earnings(worker)["Approved"] == "0.00"


def test_overriding_a_rejection_on_a_deleted_hit_is_refused(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(Reward="0.25", MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])
    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")
    mturk.delete_hit(HITId=hit["HITId"])

    refusal(mturk, "approve_assignment", AssignmentId=assignment_id, OverrideRejection=True)

    assert balances(mturk) == (FUNDS, 0)
    assert earnings(worker)["Approved"] == "0.00"


# ---- auto-approval ----------------------------------------------------------------------------------


@pytest.fixture
def quick_hit(mturk) -> dict:
    """Work on it is approved 60 seconds after submission."""
    return mturk.create_hit(
        **hit_args(Reward="0.25", MaxAssignments=3, LifetimeInSeconds=YEAR, AutoApprovalDelayInSeconds=60)
    )["HIT"]


def test_work_past_its_auto_approval_time_reads_as_approved_at_that_time(
    endpoint, mturk, new_worker, quick_hit
):
    worker = new_worker()
    assignment_id = submitted(worker, quick_hit["HITId"])
    advance_clock(endpoint, 61)

    assignment = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]

    assert assignment["AssignmentStatus"] == "Approved"
    assert assignment["ApprovalTime"] == assignment["AutoApprovalTime"]
    assert "RequesterFeedback" not in assignment
    assert earnings(worker)["Approved"] == "0.25"
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)


def test_auto_approved_work_is_paid_once_however_it_is_read(
    endpoint, mturk, requester, new_worker, quick_hit
):
    worker = new_worker()
    assignment_id = submitted(worker, quick_hit["HITId"])
    advance_clock(endpoint, 61)
    clients = [mturk_client(endpoint, requester) for _ in range(6)]
    reads = [
        lambda c: c.get_assignment(AssignmentId=assignment_id),
        lambda c: c.list_assignments_for_hit(HITId=quick_hit["HITId"]),
        lambda c: c.get_account_balance(),
    ]

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda i: reads[i % 3](clients[i]), range(6)))
    for client in clients:
        for read in reads:
            read(client)

    assert results[0]["Assignment"]["AssignmentStatus"] == "Approved"
    assert results[1]["Assignments"][0]["AssignmentStatus"] == "Approved"
    assert len(payments_for(requester["RequesterId"], assignment_id)) == 1
    assert earnings(worker)["Approved"] == "0.25"
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)


def test_the_balance_read_alone_pays_auto_approved_work(endpoint, mturk, requester, new_worker, quick_hit):
    worker = new_worker()
    assignment_id = submitted(worker, quick_hit["HITId"])
    advance_clock(endpoint, 61)

    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)

    assert len(payments_for(requester["RequesterId"], assignment_id)) == 1
    assert [e["Kind"] for e in earnings(worker)["History"]] == ["Earning"]


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_reviewing_auto_approved_work_is_refused(endpoint, mturk, new_worker, quick_hit, decision):
    worker = new_worker()
    assignment_id = submitted(worker, quick_hit["HITId"])
    advance_clock(endpoint, 61)

    if decision == "approve":
        error = refusal(mturk, "approve_assignment", AssignmentId=assignment_id)
    else:
        error = refusal(mturk, "reject_assignment", AssignmentId=assignment_id, RequesterFeedback="No")

    assert error["Error"]["Message"].startswith(WRONG_STATE)
    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Approved"
    assert earnings(worker)["Approved"] == "0.25"
    assert balances(mturk) == (FUNDS - 3 * COST, 2 * COST)


def test_work_before_its_auto_approval_time_stays_submitted(endpoint, mturk, new_worker, quick_hit):
    worker = new_worker()
    assignment_id = submitted(worker, quick_hit["HITId"])
    advance_clock(endpoint, 30)

    assignment = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]

    assert assignment["AssignmentStatus"] == "Submitted"
    assert (earnings(worker)["Approved"], earnings(worker)["Pending"]) == ("0.00", "0.25")


# ---- expiry gives back what is held for work never done ---------------------------------------------


def test_an_expired_hit_gives_back_the_cost_of_slots_never_worked(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])

    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)

    assert balances(mturk) == (FUNDS - COST, COST)
    mturk.approve_assignment(AssignmentId=assignment_id)
    assert balances(mturk) == (FUNDS - COST, 0)
    mturk.delete_hit(HITId=hit["HITId"])
    assert balances(mturk) == (FUNDS - COST, 0)


def test_an_expired_hit_whose_work_is_rejected_costs_nothing(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)

    mturk.reject_assignment(AssignmentId=assignment_id, RequesterFeedback="No")

    assert balances(mturk) == (FUNDS, 0)


def test_an_expired_hit_expires_when_its_lifetime_runs_out(endpoint, mturk, new_worker):
    hit = mturk.create_hit(**hit_args(Reward="0.25", MaxAssignments=3, LifetimeInSeconds=60))["HIT"]
    submitted(new_worker(), hit["HITId"])

    advance_clock(endpoint, 61)

    assert balances(mturk) == (FUNDS - COST, COST)


def test_deleting_a_reviewed_hit_gives_back_the_rest_of_its_hold(mturk, new_worker, hit):
    assignment_id = submitted(new_worker(), hit["HITId"])
    mturk.approve_assignment(AssignmentId=assignment_id)
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)

    mturk.delete_hit(HITId=hit["HITId"])

    assert balances(mturk) == (FUNDS - COST, 0)


def test_deleting_a_hit_with_unreviewed_work_is_refused_and_keeps_the_hold(mturk, new_worker, hit):
    submitted(new_worker(), hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)

    refusal(mturk, "delete_hit", HITId=hit["HITId"])

    assert balances(mturk) == (FUNDS - COST, COST)


def test_work_abandoned_after_expiry_gives_its_hold_back(endpoint, mturk, new_worker):
    hit = mturk.create_hit(
        **hit_args(Reward="0.25", MaxAssignments=2, LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=60)
    )["HIT"]
    accepted(new_worker(), hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)
    assert balances(mturk) == (FUNDS - COST, COST)

    advance_clock(endpoint, 61)

    assert balances(mturk) == (FUNDS, 0)


def test_work_returned_after_expiry_gives_its_hold_back(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = accepted(worker, hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)
    assert balances(mturk) == (FUNDS - COST, COST)

    status, body = worker.return_(assignment_id)

    assert status == 200, body
    assert balances(mturk) == (FUNDS, 0)


def test_work_submitted_after_expiry_stays_on_hold_until_reviewed(mturk, new_worker, hit):
    worker = new_worker()
    assignment_id = accepted(worker, hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)
    assert balances(mturk) == (FUNDS - COST, COST)

    status, body = worker.submit(assignment_id, {"comment": "late"})

    assert status == 200, body
    assert balances(mturk) == (FUNDS - COST, COST)
    mturk.approve_assignment(AssignmentId=assignment_id)
    assert balances(mturk) == (FUNDS - COST, 0)
    assert earnings(worker)["Approved"] == "0.25"


def test_each_assignment_abandoned_after_expiry_gives_its_hold_back_at_its_own_deadline(
    endpoint, mturk, new_worker
):
    hit = mturk.create_hit(
        **hit_args(Reward="0.25", MaxAssignments=3, LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=60)
    )["HIT"]
    accepted(new_worker(), hit["HITId"])
    advance_clock(endpoint, 30)
    accepted(new_worker(), hit["HITId"])
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=PAST)
    assert balances(mturk) == (FUNDS - 2 * COST, 2 * COST)

    advance_clock(endpoint, 31)  # the first worker's time has run out, the second's has not

    assert balances(mturk) == (FUNDS - COST, COST)
    advance_clock(endpoint, 30)
    assert balances(mturk) == (FUNDS, 0)


def test_one_balance_read_both_auto_approves_and_releases_an_expired_hit(
    endpoint, mturk, requester, new_worker, quick_hit
):
    assignment_id = submitted(new_worker(), quick_hit["HITId"])
    mturk.update_expiration_for_hit(HITId=quick_hit["HITId"], ExpireAt=PAST)
    advance_clock(endpoint, 61)

    assert balances(mturk) == (FUNDS - COST, 0)
    assert len(payments_for(requester["RequesterId"], assignment_id)) == 1


@pytest.mark.parametrize("feedback", ["x" * 1025, "form feed \x0c"])
def test_rejecting_with_feedback_too_long_or_with_control_characters_is_refused(
    mturk, new_worker, hit, feedback
):
    assignment_id = submitted(new_worker(), hit["HITId"])

    error = refusal(mturk, "reject_assignment", AssignmentId=assignment_id, RequesterFeedback=feedback)

    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InvalidParameterValue"
    assert balances(mturk) == (FUNDS - 3 * COST, 3 * COST)


def test_work_on_a_hit_without_auto_approval_delay_is_approved_on_submission(mturk, new_worker):
    hit = mturk.create_hit(
        **hit_args(Reward="0.25", MaxAssignments=1, LifetimeInSeconds=YEAR, AutoApprovalDelayInSeconds=0)
    )["HIT"]
    worker = new_worker()
    assignment_id = submitted(worker, hit["HITId"])

    assignment = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]

    assert assignment["AssignmentStatus"] == "Approved"
    assert assignment["ApprovalTime"] == assignment["SubmitTime"]
    assert earnings(worker)["Approved"] == "0.25"
    assert balances(mturk) == (FUNDS - COST, 0)


def test_auto_approved_work_is_not_listed_as_submitted(endpoint, mturk, new_worker, quick_hit):
    assignment_id = submitted(new_worker(), quick_hit["HITId"])
    advance_clock(endpoint, 61)

    waiting = mturk.list_assignments_for_hit(HITId=quick_hit["HITId"], AssignmentStatuses=["Submitted"])
    approved = mturk.list_assignments_for_hit(HITId=quick_hit["HITId"], AssignmentStatuses=["Approved"])

    assert waiting["Assignments"] == []
    assert [a["AssignmentId"] for a in approved["Assignments"]] == [assignment_id]
