"""MTurk's system qualifications computed from real data (review counters, the worker's profile), and the
worker's profile at GET/PUT /worker/api/profile."""

import uuid

import pytest

from openturk.domain import system_qualifications
from tests.support import advance_clock, hit_args

YEAR = 31536000
APPROVED = "00000000000000000040"
PERCENT = "000000000000000000L0"


def system_value(worker, type_id):
    status, body = worker.call("GET", "/worker/api/qualifications")
    assert status == 200, body
    return {q["QualificationTypeId"]: q for q in body["Qualifications"]}.get(type_id, {}).get("IntegerValue")


def submitted_work(mturk, worker, count: int = 1, **overrides):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, MaxAssignments=1, **overrides))["HIT"]
    assignment = worker.accept(hit["HITId"])[1]["Assignment"]
    assert worker.submit(assignment["AssignmentId"], {"comment": "done"})[0] == 200
    return assignment["AssignmentId"]


def test_number_hits_approved_counts_approvals_auto_approvals_and_overrides(mturk, new_worker, endpoint):
    worker = new_worker()
    approved = submitted_work(mturk, worker)
    rejected = submitted_work(mturk, worker)
    auto = submitted_work(mturk, worker, AutoApprovalDelayInSeconds=60)

    mturk.approve_assignment(AssignmentId=approved)
    mturk.reject_assignment(AssignmentId=rejected, RequesterFeedback="Wrong")
    assert system_value(worker, APPROVED) == 1

    advance_clock(endpoint, 61)
    mturk.get_assignment(AssignmentId=auto)  # reading makes the due auto-approval durable
    assert system_value(worker, APPROVED) == 2

    mturk.approve_assignment(AssignmentId=rejected, OverrideRejection=True)
    assert system_value(worker, APPROVED) == 3
    assert system_value(worker, PERCENT) == 100  # fewer than 100 submitted


def test_a_number_hits_approved_requirement_opens_up_after_approvals(mturk, new_worker):
    worker = new_worker()
    guarded = mturk.create_hit(
        **hit_args(
            LifetimeInSeconds=YEAR,
            QualificationRequirements=[
                {"QualificationTypeId": APPROVED, "Comparator": "GreaterThanOrEqualTo", "IntegerValues": [1]},
                {"QualificationTypeId": PERCENT, "Comparator": "GreaterThan", "IntegerValues": [95]},
            ],
        )
    )["HIT"]["HITId"]
    assert worker.accept(guarded)[0] == 403

    mturk.approve_assignment(AssignmentId=submitted_work(mturk, worker))

    assert worker.accept(guarded)[0] == 201


@pytest.mark.parametrize("masters", ["2F1QJWKUDD8XADTFD2Q0G6UTO95ALH", "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"])
def test_both_masters_ids_are_accepted_and_a_new_worker_is_not_a_master(mturk, new_worker, masters):
    hit = mturk.create_hit(
        **hit_args(QualificationRequirements=[{"QualificationTypeId": masters, "Comparator": "Exists"}])
    )["HIT"]
    assert (
        mturk.get_qualification_type(QualificationTypeId=masters)["QualificationType"]["IsRequestable"]
        is False
    )

    assert new_worker().accept(hit["HITId"])[0] == 403


def test_system_types_read_as_mturk_shows_them(mturk):
    locale = mturk.get_qualification_type(QualificationTypeId="00000000000000000071")["QualificationType"]
    assert locale["Name"] == "Worker_Locale"
    assert locale["QualificationTypeStatus"] == "Active"
    listed = mturk.list_qualification_types(MustBeRequestable=False, Query="Worker_")["QualificationTypes"]
    assert {t["QualificationTypeId"] for t in listed} >= {
        APPROVED,
        PERCENT,
        "00000000000000000071",
        "00000000000000000060",
    }
    requestable = mturk.list_qualification_types(MustBeRequestable=True)["QualificationTypes"]
    assert APPROVED not in {t["QualificationTypeId"] for t in requestable}


def test_system_types_lead_the_listing_and_page_with_the_rest(mturk):
    name = f"Paged after the system types {uuid.uuid4().hex[:8]}"
    created = mturk.create_qualification_type(
        Name=name, Description="a custom type", QualificationTypeStatus="Active"
    )["QualificationType"]["QualificationTypeId"]
    pages, token = [], None
    while True:
        page = mturk.list_qualification_types(
            MustBeRequestable=False, MaxResults=4, **({"NextToken": token} if token else {})
        )
        pages.append([t["QualificationTypeId"] for t in page["QualificationTypes"]])
        token = page.get("NextToken")
        if not token:
            break
    listed = [type_id for page in pages for type_id in page]
    assert all(len(page) <= 4 for page in pages)
    assert len(listed) == len(set(listed))  # nothing twice across pages
    assert (
        set(listed[: len(system_qualifications.IDS)]) == system_qualifications.IDS
    )  # the system types first
    assert listed.count(created) == 1


def test_the_profile_is_read_and_updated(new_worker):
    worker = new_worker()
    assert worker.call("GET", "/worker/api/profile")[1]["Profile"] == {
        "WorkerId": worker.worker_id,
        "Adult": False,
    }

    status, body = worker.call(
        "PUT", "/worker/api/profile", {"Locale": {"Country": "US", "Subdivision": "WA"}, "Adult": True}
    )

    assert status == 200
    assert body["Profile"]["Locale"] == {"Country": "US", "Subdivision": "WA"}
    assert worker.call("GET", "/worker/api/profile")[1]["Profile"]["Adult"] is True
    worker.call("PUT", "/worker/api/profile", {"Locale": {"Country": "DE"}})
    profile = worker.call("GET", "/worker/api/profile")[1]["Profile"]
    assert profile["Locale"] == {"Country": "DE"} and profile["Adult"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"Locale": {"Country": "USA"}},
        {"Locale": {"Country": "us"}},
        {"Locale": {"Country": "US", "Subdivision": "Washington"}},
        {"Locale": "US"},
        {"Adult": "yes"},
        {"Nickname": "x"},
    ],
)
def test_a_bad_profile_is_refused(new_worker, body):
    worker = new_worker()
    status, answer = worker.call("PUT", "/worker/api/profile", body)
    assert status == 400
    assert answer["Error"]["Code"] == "InvalidParameterValue"
