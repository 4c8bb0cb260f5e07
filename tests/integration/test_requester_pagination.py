"""Pagination with boto3's paginators: every item exactly once, in order, and no NextToken on the last page."""

import pytest

from tests.support import advance_clock, hit_args

YEAR = 31_536_000


def refusal(client, operation: str, **kwargs) -> dict:
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response


def pages(mturk, operation: str, page_size: int, **kwargs) -> list[dict]:
    paginator = mturk.get_paginator(operation)
    return list(paginator.paginate(PaginationConfig={"PageSize": page_size}, **kwargs))


def ids_of(page: dict, key: str = "HITs", id_key: str = "HITId") -> list[str]:
    return [item[id_key] for item in page[key]]


def create_hits(mturk, count: int, **overrides) -> list[str]:
    return [
        mturk.create_hit(**hit_args(RequesterAnnotation=f"row {i}", **overrides))["HIT"]["HITId"]
        for i in range(count)
    ]


def assert_paged(found: list[dict], expected: list[str], sizes: list[int], **keys) -> None:
    assert [page["NumResults"] for page in found] == sizes
    assert [len(page[keys.get("key", "HITs")]) for page in found] == sizes
    assert [item for page in found for item in ids_of(page, **keys)] == expected
    assert all("NextToken" in page for page in found[:-1])
    assert "NextToken" not in found[-1]


# ---- ListHITs ----------------------------------------------------------------------------------------


def test_list_hits_pages_through_every_hit_once_in_creation_order(mturk):
    created = create_hits(mturk, 25, LifetimeInSeconds=YEAR)

    found = pages(mturk, "list_hits", 10)

    assert_paged(found, created, [10, 10, 5])


def test_list_hits_does_not_promise_a_page_after_one_that_ends_with_the_last_hit(mturk):
    created = create_hits(mturk, 6)

    found = pages(mturk, "list_hits", 3)

    assert_paged(found, created, [3, 3])


def test_list_hits_shows_a_hit_created_while_paging_once_at_the_end(mturk):
    created = create_hits(mturk, 4)
    first = mturk.list_hits(MaxResults=3)

    created += create_hits(mturk, 1)
    rest = mturk.list_hits(MaxResults=3, NextToken=first["NextToken"])

    assert ids_of(first) + ids_of(rest) == created
    assert "NextToken" not in rest


# ---- ListReviewableHITs ---------------------------------------------------------------------------------


def test_list_reviewable_hits_pages_through_every_reviewable_hit_once_in_order(mturk, endpoint):
    created = create_hits(mturk, 25, LifetimeInSeconds=30)
    advance_clock(endpoint, 31)

    found = pages(mturk, "list_reviewable_hits", 10)

    assert_paged(found, created, [10, 10, 5])


def test_list_reviewable_hits_does_not_promise_a_page_after_one_that_ends_with_the_last_hit(mturk):
    created = create_hits(mturk, 6, LifetimeInSeconds=YEAR)
    for hit_id in created:
        mturk.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)

    found = pages(mturk, "list_reviewable_hits", 3)

    assert_paged(found, created, [3, 3])


def test_list_reviewable_hits_pages_through_one_hit_type_among_others(mturk):
    wanted, others = [], []
    for i in range(9):
        hit = mturk.create_hit(**hit_args(Title="Wanted" if i % 3 == 0 else "Other"))["HIT"]
        (wanted if i % 3 == 0 else others).append(hit)
        mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)

    found = pages(mturk, "list_reviewable_hits", 2, HITTypeId=wanted[0]["HITTypeId"])

    assert [hit_id for page in found for hit_id in ids_of(page)] == [hit["HITId"] for hit in wanted]
    assert "NextToken" not in found[-1]


def test_list_reviewable_hits_pages_through_hits_under_review(mturk):
    created = create_hits(mturk, 5)
    for hit_id in created:
        mturk.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
        mturk.update_hit_review_status(HITId=hit_id)

    found = pages(mturk, "list_reviewable_hits", 2, Status="Reviewing")

    assert_paged(found, created, [2, 2, 1])


# ---- ListAssignmentsForHIT -------------------------------------------------------------------------------


def submit_work(mturk, new_worker, count: int) -> tuple[str, list[str]]:
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=count, LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    submitted = []
    for i in range(count):
        worker = new_worker()
        assignment_id = worker.accept(hit_id)[1]["Assignment"]["AssignmentId"]
        worker.submit(assignment_id, {"comment": str(i)})
        submitted.append(assignment_id)
    return hit_id, submitted


def test_list_assignments_for_hit_pages_through_every_submission_once_in_order(mturk, new_worker):
    hit_id, submitted = submit_work(mturk, new_worker, 7)

    found = pages(mturk, "list_assignments_for_hit", 3, HITId=hit_id)

    assert_paged(found, submitted, [3, 3, 1], key="Assignments", id_key="AssignmentId")


def test_list_assignments_for_hit_does_not_promise_a_page_after_one_that_ends_with_the_last_one(
    mturk, new_worker
):
    hit_id, submitted = submit_work(mturk, new_worker, 4)

    found = pages(mturk, "list_assignments_for_hit", 2, HITId=hit_id)

    assert_paged(found, submitted, [2, 2], key="Assignments", id_key="AssignmentId")


# ---- tokens ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["garbage", "eyJvIjoxfQ", "x" * 255, "%%%"])
@pytest.mark.parametrize("operation", ["list_hits", "list_reviewable_hits"])
def test_a_garbage_next_token_is_refused(mturk, operation, token):
    refusal(mturk, operation, NextToken=token)


def test_a_garbage_next_token_for_assignments_is_refused(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]

    refusal(mturk, "list_assignments_for_hit", HITId=hit_id, NextToken="garbage")


def test_a_next_token_of_another_list_is_refused(mturk):
    create_hits(mturk, 2, LifetimeInSeconds=30)
    for hit in mturk.list_hits()["HITs"]:
        mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)
    reviewable_token = mturk.list_reviewable_hits(MaxResults=1)["NextToken"]

    refusal(mturk, "list_hits", NextToken=reviewable_token)
