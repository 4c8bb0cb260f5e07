"""Each requester sees and changes only its own HITs, HIT types and assignments: another's do not exist."""

import pytest

from tests.integration.conftest import mturk_client
from tests.support import funded_requester, hit_args

YEAR = 31_536_000
TYPE_PROPERTIES = {
    "Title": "Sort photos",
    "Description": "Pick one",
    "Reward": "0.05",
    "AssignmentDurationInSeconds": 60,
}


@pytest.fixture
def other(endpoint):
    """boto3's mturk client for a second requester, B."""
    return mturk_client(endpoint, funded_requester(endpoint))


def refused_as_missing(client, operation: str, **kwargs) -> None:
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    assert "does not exist" in caught.value.response["Error"]["Message"]


@pytest.fixture
def reviewable_hit(mturk) -> dict:
    """A HIT of requester A that has expired with no work: Reviewable."""
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=0)
    return hit


def test_another_requesters_hit_does_not_exist_for_get_hit(mturk, other):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]

    refused_as_missing(other, "get_hit", HITId=hit_id)


def test_list_hits_shows_each_requester_only_its_own_hits(mturk, other):
    mine = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    theirs = other.create_hit(**hit_args())["HIT"]["HITId"]

    assert [hit["HITId"] for hit in mturk.list_hits()["HITs"]] == [mine]
    assert [hit["HITId"] for hit in other.list_hits()["HITs"]] == [theirs]


def test_list_reviewable_hits_shows_each_requester_only_its_own_hits(mturk, other, reviewable_hit):
    theirs = other.create_hit(**hit_args())["HIT"]["HITId"]
    other.update_expiration_for_hit(HITId=theirs, ExpireAt=0)

    assert [hit["HITId"] for hit in mturk.list_reviewable_hits()["HITs"]] == [reviewable_hit["HITId"]]
    assert [hit["HITId"] for hit in other.list_reviewable_hits()["HITs"]] == [theirs]
    assert other.list_reviewable_hits(HITTypeId=reviewable_hit["HITTypeId"])["HITs"] == []


def test_another_requester_cannot_change_the_expiration_of_a_hit(mturk, other):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]

    refused_as_missing(other, "update_expiration_for_hit", HITId=hit["HITId"], ExpireAt=0)

    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Assignable"


def test_another_requester_cannot_delete_a_hit(mturk, other, reviewable_hit):
    refused_as_missing(other, "delete_hit", HITId=reviewable_hit["HITId"])

    assert mturk.get_hit(HITId=reviewable_hit["HITId"])["HIT"]["HITStatus"] == "Reviewable"


def test_another_requester_cannot_change_the_review_status_of_a_hit(mturk, other, reviewable_hit):
    refused_as_missing(other, "update_hit_review_status", HITId=reviewable_hit["HITId"])

    assert mturk.get_hit(HITId=reviewable_hit["HITId"])["HIT"]["HITStatus"] == "Reviewable"


def test_another_requester_cannot_add_assignments_to_a_hit(mturk, other):
    hit = mturk.create_hit(**hit_args(MaxAssignments=2))["HIT"]

    refused_as_missing(
        other, "create_additional_assignments_for_hit", HITId=hit["HITId"], NumberOfAdditionalAssignments=1
    )

    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["MaxAssignments"] == 2


def test_another_requester_cannot_use_a_hit_type(mturk, other):
    hit_type_id = mturk.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]

    refused_as_missing(
        other,
        "create_hit_with_hit_type",
        HITTypeId=hit_type_id,
        LifetimeInSeconds=60,
        Question=hit_args()["Question"],
    )

    assert other.list_hits()["NumResults"] == 0
    assert mturk.list_hits()["NumResults"] == 0


def test_the_same_type_properties_give_each_requester_its_own_hit_type(mturk, other):
    assert (
        mturk.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]
        != other.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]
    )


def test_another_requester_cannot_move_a_hit_to_its_type_or_its_hit_to_mine(mturk, other):
    my_hit = mturk.create_hit(**hit_args())["HIT"]
    my_type = mturk.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]
    their_hit = other.create_hit(**hit_args())["HIT"]
    their_type = other.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]

    refused_as_missing(other, "update_hit_type_of_hit", HITId=my_hit["HITId"], HITTypeId=their_type)
    refused_as_missing(other, "update_hit_type_of_hit", HITId=their_hit["HITId"], HITTypeId=my_type)

    assert mturk.get_hit(HITId=my_hit["HITId"])["HIT"]["HITTypeId"] == my_hit["HITTypeId"]
    assert other.get_hit(HITId=their_hit["HITId"])["HIT"]["HITTypeId"] == their_hit["HITTypeId"]


def test_another_requester_cannot_read_an_assignment_or_list_a_hits_assignments(mturk, other, new_worker):
    hit_id = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    worker = new_worker()
    assignment_id = worker.accept(hit_id)[1]["Assignment"]["AssignmentId"]
    worker.submit(assignment_id, {"comment": "mine"})

    refused_as_missing(other, "get_assignment", AssignmentId=assignment_id)
    refused_as_missing(other, "list_assignments_for_hit", HITId=hit_id)

    assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == "Submitted"
