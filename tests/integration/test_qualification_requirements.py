"""QualificationRequirements on HITs, enforced on the worker API at each ActionsGuarded level, and
validated on CreateHIT / CreateHITType."""

import uuid

import pytest

from tests.support import hit_args

YEAR = 31536000
LOCALE = "00000000000000000071"


def new_type(mturk, **extra) -> str:
    return mturk.create_qualification_type(
        Name=f"Skill {uuid.uuid4().hex[:8]}",
        Description="A skill",
        QualificationTypeStatus="Active",
        **extra,
    )["QualificationType"]["QualificationTypeId"]


def guarded_hit(mturk, requirements: list[dict]) -> str:
    return mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, QualificationRequirements=requirements))[
        "HIT"
    ]["HITId"]


def listed(worker) -> set[str]:
    seen: set[str] = set()
    token = None
    while True:
        status, body = worker.list_hits(token)
        assert status == 200, body
        seen.update(h["HITId"] for h in body["HITs"])
        token = body.get("NextToken")
        if not token:
            return seen


def preview(worker, hit_id):
    return worker.call("GET", f"/worker/api/hits/{hit_id}")


@pytest.mark.parametrize(
    ("guard", "discover", "preview_question", "accept"),
    [
        ("Accept", True, True, False),
        ("PreviewAndAccept", True, False, False),
        ("DiscoverPreviewAndAccept", False, False, False),
    ],
)
def test_an_unqualified_worker_is_stopped_where_the_guard_says(
    mturk, new_worker, guard, discover, preview_question, accept
):
    type_id = new_type(mturk)
    hit_id = guarded_hit(
        mturk,
        [
            {
                "QualificationTypeId": type_id,
                "Comparator": "GreaterThan",
                "IntegerValues": [80],
                "ActionsGuarded": guard,
            }
        ],
    )
    worker = new_worker()
    mturk.associate_qualification_with_worker(
        QualificationTypeId=type_id, WorkerId=worker.worker_id, IntegerValue=50
    )

    assert (hit_id in listed(worker)) is discover
    status, body = preview(worker, hit_id)
    if discover:
        assert status == 200
        assert ("Question" in body["HIT"]) is preview_question
        assert body["HIT"]["Access"] == {"Preview": preview_question, "Accept": False}
    else:
        assert status == 404
    status, body = worker.accept(hit_id)
    assert status == 403
    assert body["Error"]["Code"] == "QualificationRequirementsNotMet"
    assert mturk.get_hit(HITId=hit_id)["HIT"]["NumberOfAssignmentsAvailable"] == 3


def test_a_qualified_worker_discovers_previews_and_accepts(mturk, new_worker):
    type_id = new_type(mturk)
    hit_id = guarded_hit(
        mturk,
        [
            {
                "QualificationTypeId": type_id,
                "Comparator": "GreaterThanOrEqualTo",
                "IntegerValues": [80],
                "ActionsGuarded": "DiscoverPreviewAndAccept",
            }
        ],
    )
    worker = new_worker()
    mturk.associate_qualification_with_worker(
        QualificationTypeId=type_id, WorkerId=worker.worker_id, IntegerValue=80
    )

    assert hit_id in listed(worker)
    status, body = preview(worker, hit_id)
    assert status == 200 and "Question" in body["HIT"]
    assert body["HIT"]["Access"] == {"Preview": True, "Accept": True}
    assert worker.accept(hit_id)[0] == 201


def test_a_revoked_qualification_no_longer_counts(mturk, new_worker):
    type_id = new_type(mturk)
    hit_id = guarded_hit(mturk, [{"QualificationTypeId": type_id, "Comparator": "Exists"}])
    worker = new_worker()
    mturk.associate_qualification_with_worker(
        QualificationTypeId=type_id, WorkerId=worker.worker_id, IntegerValue=1
    )
    mturk.disassociate_qualification_from_worker(QualificationTypeId=type_id, WorkerId=worker.worker_id)

    assert worker.accept(hit_id)[0] == 403


def test_does_not_exist_keeps_out_workers_who_hold_the_type(mturk, new_worker):
    type_id = new_type(mturk)
    hit_id = guarded_hit(mturk, [{"QualificationTypeId": type_id, "Comparator": "DoesNotExist"}])
    did_it_before, newcomer = new_worker(), new_worker()
    mturk.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=did_it_before.worker_id)

    assert did_it_before.accept(hit_id)[0] == 403
    assert newcomer.accept(hit_id)[0] == 201


def test_every_requirement_must_hold(mturk, new_worker):
    first, second = new_type(mturk), new_type(mturk)
    hit_id = guarded_hit(
        mturk,
        [
            {"QualificationTypeId": first, "Comparator": "In", "IntegerValues": [1, 2, 3]},
            {"QualificationTypeId": second, "Comparator": "NotEqualTo", "IntegerValues": [0]},
        ],
    )
    worker = new_worker()
    mturk.associate_qualification_with_worker(
        QualificationTypeId=first, WorkerId=worker.worker_id, IntegerValue=2
    )
    assert worker.accept(hit_id)[0] == 403

    mturk.associate_qualification_with_worker(
        QualificationTypeId=second, WorkerId=worker.worker_id, IntegerValue=5
    )
    assert worker.accept(hit_id)[0] == 201


def test_locale_requirements_read_the_workers_profile(mturk, new_worker):
    hit_id = guarded_hit(
        mturk,
        [
            {
                "QualificationTypeId": LOCALE,
                "Comparator": "In",
                "LocaleValues": [{"Country": "US", "Subdivision": "WA"}, {"Country": "CA"}],
                "ActionsGuarded": "DiscoverPreviewAndAccept",
            }
        ],
    )
    in_oregon, in_seattle, no_profile = new_worker(), new_worker(), new_worker()
    assert (
        in_oregon.call("PUT", "/worker/api/profile", {"Locale": {"Country": "US", "Subdivision": "OR"}})[0]
        == 200
    )
    assert (
        in_seattle.call("PUT", "/worker/api/profile", {"Locale": {"Country": "US", "Subdivision": "WA"}})[0]
        == 200
    )

    assert hit_id not in listed(in_oregon)
    assert hit_id in listed(in_seattle)
    assert in_oregon.accept(hit_id)[0] == 403
    assert no_profile.accept(hit_id)[0] == 403
    assert in_seattle.accept(hit_id)[0] == 201


def test_adult_content_needs_the_worker_to_opt_in(mturk, new_worker):
    hit_id = guarded_hit(
        mturk,
        [{"QualificationTypeId": "00000000000000000060", "Comparator": "EqualTo", "IntegerValues": [1]}],
    )
    worker = new_worker()
    assert worker.accept(hit_id)[0] == 403

    worker.call("PUT", "/worker/api/profile", {"Adult": True})
    assert worker.accept(hit_id)[0] == 201


def test_a_blocked_worker_may_preview_but_not_accept(mturk, new_worker):
    hit_id = guarded_hit(mturk, [])
    worker = new_worker()
    mturk.create_worker_block(WorkerId=worker.worker_id, Reason="Spam")

    status, body = preview(worker, hit_id)

    assert status == 200 and "Question" in body["HIT"]
    assert body["HIT"]["Access"] == {"Preview": True, "Accept": False}
    assert worker.accept(hit_id)[1]["Error"]["Code"] == "WorkerBlocked"


def test_requirements_are_echoed_with_accept_as_the_default_guard(mturk):
    type_id = new_type(mturk)
    hit = mturk.create_hit(
        **hit_args(QualificationRequirements=[{"QualificationTypeId": type_id, "Comparator": "Exists"}])
    )["HIT"]
    assert hit["QualificationRequirements"] == [
        {"QualificationTypeId": type_id, "Comparator": "Exists", "ActionsGuarded": "Accept"}
    ]


@pytest.mark.parametrize(
    "requirement",
    [
        {"QualificationTypeId": "3NOSUCHTYPE0000000000000000001", "Comparator": "Exists"},
        {"QualificationTypeId": "00000000000000000040", "Comparator": "Around", "IntegerValues": [5]},
        {"QualificationTypeId": "00000000000000000040", "Comparator": "Exists", "IntegerValues": [5]},
        {"QualificationTypeId": LOCALE, "Comparator": "EqualTo", "LocaleValues": [{"Country": "Narnia"}]},
        {
            "QualificationTypeId": "00000000000000000040",
            "Comparator": "EqualTo",
            "LocaleValues": [{"Country": "US"}],
        },
    ],
    ids=[
        "unknown type",
        "unknown comparator",
        "values with Exists",
        "bad country",
        "locale on an integer type",
    ],
)
def test_bad_requirements_are_refused_on_create_hit_and_create_hit_type(mturk, requirement):
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.create_hit(**hit_args(QualificationRequirements=[requirement]))
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.create_hit_type(
            Title="t",
            Description="d",
            Reward="0.10",
            AssignmentDurationInSeconds=60,
            QualificationRequirements=[requirement],
        )


def test_inactive_and_deleted_types_cannot_be_required(mturk):
    inactive = new_type(mturk)
    mturk.update_qualification_type(QualificationTypeId=inactive, QualificationTypeStatus="Inactive")
    deleted = new_type(mturk)
    mturk.delete_qualification_type(QualificationTypeId=deleted)

    for type_id in (inactive, deleted):
        with pytest.raises(mturk.exceptions.RequestError):
            mturk.create_hit(
                **hit_args(
                    QualificationRequirements=[{"QualificationTypeId": type_id, "Comparator": "Exists"}]
                )
            )


def test_a_hit_type_whose_required_type_went_inactive_makes_no_more_hits(mturk):
    type_id = new_type(mturk)
    hit_type = mturk.create_hit_type(
        Title="t",
        Description="d",
        Reward="0.10",
        AssignmentDurationInSeconds=60,
        QualificationRequirements=[{"QualificationTypeId": type_id, "Comparator": "Exists"}],
    )["HITTypeId"]
    question = hit_args()["Question"]
    mturk.create_hit_with_hit_type(HITTypeId=hit_type, LifetimeInSeconds=600, Question=question)

    mturk.update_qualification_type(QualificationTypeId=type_id, QualificationTypeStatus="Inactive")

    with pytest.raises(mturk.exceptions.RequestError):
        mturk.create_hit_with_hit_type(HITTypeId=hit_type, LifetimeInSeconds=600, Question=question)


def test_another_requesters_active_type_may_be_required(mturk, endpoint):
    from tests.integration.conftest import mturk_client
    from tests.support import funded_requester

    other = mturk_client(endpoint, funded_requester(endpoint))
    type_id = new_type(other)
    hit = mturk.create_hit(
        **hit_args(QualificationRequirements=[{"QualificationTypeId": type_id, "Comparator": "Exists"}])
    )
    assert hit["HIT"]["QualificationRequirements"][0]["QualificationTypeId"] == type_id


def test_list_hits_for_qualification_type_returns_my_hits_that_require_it(mturk):
    type_id = new_type(mturk)
    required = [
        guarded_hit(mturk, [{"QualificationTypeId": type_id, "Comparator": "Exists"}]) for _ in range(3)
    ]
    guarded_hit(mturk, [])  # not requiring it

    first = mturk.list_hits_for_qualification_type(QualificationTypeId=type_id, MaxResults=2)
    second = mturk.list_hits_for_qualification_type(
        QualificationTypeId=type_id, MaxResults=2, NextToken=first["NextToken"]
    )

    assert [h["HITId"] for h in first["HITs"] + second["HITs"]] == required
    assert "NextToken" not in second
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.list_hits_for_qualification_type(QualificationTypeId="3NOSUCHTYPE0000000000000000001")
