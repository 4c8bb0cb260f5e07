"""Workers' qualifications: associate, disassociate, read a score, list the workers of a type."""

import pytest

from tests.integration.conftest import mturk_client
from tests.support import funded_requester

WORKER = "A1WORKER0000001"


@pytest.fixture
def other(endpoint):
    return mturk_client(endpoint, funded_requester(endpoint))


@pytest.fixture
def type_id(mturk) -> str:
    return mturk.create_qualification_type(
        Name="Trusted", Description="Trusted workers", QualificationTypeStatus="Active"
    )["QualificationType"]["QualificationTypeId"]


def refused(client, operation: str, code: str, **kwargs) -> str:
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    assert caught.value.response["TurkErrorCode"] == f"AWS.MechanicalTurk.{code}"
    return caught.value.response["Error"]["Message"]


def test_associated_qualification_has_value_one_by_default(mturk, type_id):
    mturk.associate_qualification_with_worker(
        QualificationTypeId=type_id, WorkerId=WORKER, SendNotification=False
    )

    score = mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)["Qualification"]

    assert score["QualificationTypeId"] == type_id
    assert score["WorkerId"] == WORKER
    assert score["IntegerValue"] == 1
    assert score["Status"] == "Granted"
    assert "GrantTime" in score


def test_associating_again_replaces_the_value(mturk, type_id):
    mturk.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER, IntegerValue=3)
    mturk.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER, IntegerValue=4)

    score = mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)["Qualification"]
    assert score["IntegerValue"] == 4


def test_disassociated_qualification_reads_revoked_and_can_be_granted_again(mturk, type_id):
    mturk.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER, IntegerValue=7)

    mturk.disassociate_qualification_from_worker(QualificationTypeId=type_id, WorkerId=WORKER, Reason="spam")

    assert (
        mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)["Qualification"]["Status"]
        == "Revoked"
    )
    refused(
        mturk,
        "disassociate_qualification_from_worker",
        "QualificationDoesNotExist",
        QualificationTypeId=type_id,
        WorkerId=WORKER,
    )
    mturk.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER)
    assert (
        mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)["Qualification"]["Status"]
        == "Granted"
    )


def test_score_of_a_worker_never_granted_does_not_exist(mturk, type_id):
    refused(
        mturk,
        "get_qualification_score",
        "QualificationDoesNotExist",
        QualificationTypeId=type_id,
        WorkerId=WORKER,
    )
    refused(
        mturk,
        "disassociate_qualification_from_worker",
        "QualificationDoesNotExist",
        QualificationTypeId=type_id,
        WorkerId=WORKER,
    )


def test_only_the_owner_grants_revokes_reads_and_lists(mturk, other, type_id):
    mturk.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=WORKER)

    for operation in (
        "associate_qualification_with_worker",
        "disassociate_qualification_from_worker",
        "get_qualification_score",
    ):
        refused(
            other, operation, "QualificationTypeDoesNotExist", QualificationTypeId=type_id, WorkerId=WORKER
        )
    refused(
        other,
        "list_workers_with_qualification_type",
        "QualificationTypeDoesNotExist",
        QualificationTypeId=type_id,
    )
    assert (
        mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)["Qualification"][
            "IntegerValue"
        ]
        == 1
    )


def test_a_deleted_type_cannot_be_granted(mturk, type_id):
    mturk.delete_qualification_type(QualificationTypeId=type_id)

    refused(
        mturk,
        "associate_qualification_with_worker",
        "QualificationTypeDoesNotExist",
        QualificationTypeId=type_id,
        WorkerId=WORKER,
    )


def test_list_workers_by_status_in_pages(mturk, type_id):
    workers = [f"A1WORKER{n:07d}" for n in range(5)]
    for worker in workers:
        mturk.associate_qualification_with_worker(QualificationTypeId=type_id, WorkerId=worker)
    mturk.disassociate_qualification_from_worker(QualificationTypeId=type_id, WorkerId=workers[1])

    paginator = mturk.get_paginator("list_workers_with_qualification_type")
    granted = [
        q["WorkerId"]
        for page in paginator.paginate(QualificationTypeId=type_id, PaginationConfig={"PageSize": 2})
        for q in page["Qualifications"]
    ]
    revoked = mturk.list_workers_with_qualification_type(QualificationTypeId=type_id, Status="Revoked")

    assert granted == [w for w in workers if w != workers[1]]
    assert [q["WorkerId"] for q in revoked["Qualifications"]] == [workers[1]]
    assert revoked["Qualifications"][0]["Status"] == "Revoked"
    first = mturk.list_workers_with_qualification_type(QualificationTypeId=type_id, MaxResults=2)
    assert first["NumResults"] == 2 and "NextToken" in first
