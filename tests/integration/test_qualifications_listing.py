"""ListQualificationTypes: owned or requestable, the Query text, pagination."""

import uuid

import pytest

from tests.integration.conftest import mturk_client
from tests.support import funded_requester


@pytest.fixture
def other(endpoint):
    return mturk_client(endpoint, funded_requester(endpoint))


def create(client, name: str, status: str = "Active", **extra) -> str:
    return client.create_qualification_type(
        Name=name, Description=f"About {name}", QualificationTypeStatus=status, **extra
    )["QualificationType"]["QualificationTypeId"]


def all_pages(client, **kwargs) -> list[dict]:
    paginator = client.get_paginator("list_qualification_types")
    return [q for page in paginator.paginate(**kwargs) for q in page["QualificationTypes"]]


def test_owned_by_caller_lists_only_my_live_types_active_or_not_oldest_first(mturk, other):
    first = create(mturk, "first")
    second = create(mturk, "second", status="Inactive")
    create(other, "theirs")

    listed = mturk.list_qualification_types(MustBeRequestable=False, MustBeOwnedByCaller=True)

    assert [q["QualificationTypeId"] for q in listed["QualificationTypes"]] == [first, second]
    assert listed["NumResults"] == 2


def test_requestable_types_of_everyone_are_the_active_ones(mturk, other):
    tag = uuid.uuid4().hex
    mine = create(mturk, f"mine {tag}")
    theirs = create(other, f"theirs {tag}")
    create(other, f"inactive {tag}", status="Inactive")
    deleted = create(other, f"deleted {tag}")
    other.delete_qualification_type(QualificationTypeId=deleted)

    found = all_pages(mturk, MustBeRequestable=True, Query=tag, MaxResults=100)

    assert [q["QualificationTypeId"] for q in found] == [mine, theirs]


def test_query_matches_name_description_and_keywords_case_insensitively(mturk):
    by_name = create(mturk, "Bird Watcher")
    by_keywords = create(mturk, "other", Keywords="birds, nature")
    create(mturk, "unrelated")

    found = all_pages(mturk, MustBeRequestable=True, MustBeOwnedByCaller=True, Query="BIRD")

    assert [q["QualificationTypeId"] for q in found] == [by_name, by_keywords]


def test_pages_cover_every_type_once(mturk):
    created = [create(mturk, f"type {n}") for n in range(5)]

    first = mturk.list_qualification_types(MustBeRequestable=True, MustBeOwnedByCaller=True, MaxResults=2)
    assert first["NumResults"] == 2 and "NextToken" in first
    found = all_pages(
        mturk, MustBeRequestable=True, MustBeOwnedByCaller=True, PaginationConfig={"PageSize": 2}
    )

    assert [q["QualificationTypeId"] for q in found] == created


def test_bad_pagination_token_is_refused(mturk):
    with pytest.raises(mturk.exceptions.RequestError):
        mturk.list_qualification_types(MustBeRequestable=True, NextToken="not-a-token")
