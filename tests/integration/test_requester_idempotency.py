"""UniqueRequestToken: a repeated request within 24 hours is refused and changes nothing, even when raced."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.conftest import mturk_client
from tests.support import HTML_QUESTION, advance_clock, funded_requester, hit_args

HIT_ALREADY_EXISTS = "AWS.MechanicalTurk.HitAlreadyExists"
RACERS = 8


def refusal(client, operation: str, **kwargs) -> dict:
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response


def race(call, count: int = RACERS) -> list:
    """Run `call` on `count` threads released together; each result, or the exception it raised."""
    start = threading.Barrier(count)

    def one(_):
        start.wait()
        try:
            return call()
        except Exception as error:  # collected: the test asserts on what each racer saw
            return error

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def hit_type(mturk) -> str:
    return mturk.create_hit_type(Title="t", Description="d", Reward="0.10", AssignmentDurationInSeconds=60)[
        "HITTypeId"
    ]


def test_repeating_a_create_hit_token_is_refused_naming_the_existing_hit(mturk):
    hit_id = mturk.create_hit(**hit_args(UniqueRequestToken="batch-1-row-1"))["HIT"]["HITId"]

    error = refusal(mturk, "create_hit", **hit_args(UniqueRequestToken="batch-1-row-1"))

    assert error["TurkErrorCode"] == HIT_ALREADY_EXISTS
    assert hit_id in error["Error"]["Message"]
    assert mturk.list_hits()["NumResults"] == 1


def test_a_repeated_token_is_refused_even_with_other_parameters(mturk):
    mturk.create_hit(**hit_args(UniqueRequestToken="retry-me"))

    error = refusal(mturk, "create_hit", **hit_args(Title="Something else", UniqueRequestToken="retry-me"))

    assert error["TurkErrorCode"] == HIT_ALREADY_EXISTS
    assert mturk.list_hits()["NumResults"] == 1


def test_repeating_a_create_hit_with_hit_type_token_is_refused_naming_the_existing_hit(mturk):
    args = {"HITTypeId": hit_type(mturk), "LifetimeInSeconds": 3600, "Question": HTML_QUESTION}
    hit_id = mturk.create_hit_with_hit_type(**args, UniqueRequestToken="row-7")["HIT"]["HITId"]

    error = refusal(mturk, "create_hit_with_hit_type", **args, UniqueRequestToken="row-7")

    assert error["TurkErrorCode"] == HIT_ALREADY_EXISTS
    assert hit_id in error["Error"]["Message"]
    assert mturk.list_hits()["NumResults"] == 1


def test_different_tokens_create_different_hits(mturk):
    first = mturk.create_hit(**hit_args(UniqueRequestToken="a"))["HIT"]["HITId"]
    second = mturk.create_hit(**hit_args(UniqueRequestToken="b"))["HIT"]["HITId"]

    assert first != second
    assert mturk.list_hits()["NumResults"] == 2


def test_a_refused_request_does_not_use_up_its_token(mturk):
    refusal(mturk, "create_hit", **hit_args(LifetimeInSeconds=1, UniqueRequestToken="fix-and-retry"))

    hit = mturk.create_hit(**hit_args(UniqueRequestToken="fix-and-retry"))["HIT"]

    assert mturk.list_hits()["HITs"][0]["HITId"] == hit["HITId"]


def test_a_token_is_remembered_per_requester(mturk, endpoint):
    other = mturk_client(endpoint, funded_requester(endpoint))
    mine = mturk.create_hit(**hit_args(UniqueRequestToken="shared-token"))["HIT"]["HITId"]

    theirs = other.create_hit(**hit_args(UniqueRequestToken="shared-token"))["HIT"]["HITId"]

    assert mine != theirs
    assert other.list_hits()["NumResults"] == 1


def test_a_token_may_be_used_again_after_24_hours(mturk, endpoint):
    mturk.create_hit(**hit_args(UniqueRequestToken="daily-job"))

    advance_clock(endpoint, 24 * 3600 + 1)
    mturk.create_hit(**hit_args(UniqueRequestToken="daily-job"))

    assert mturk.list_hits()["NumResults"] == 2


def test_racing_create_hit_calls_with_one_token_create_exactly_one_hit(mturk, endpoint, requester):
    clients = [mturk_client(endpoint, requester) for _ in range(RACERS)]
    calls = iter(clients)

    results = race(lambda: next(calls).create_hit(**hit_args(UniqueRequestToken="raced")))

    created = [r["HIT"]["HITId"] for r in results if isinstance(r, dict)]
    refused = [r for r in results if not isinstance(r, dict)]
    assert len(created) == 1, results
    assert all(isinstance(r, mturk.exceptions.RequestError) for r in refused), refused
    assert {r.response["TurkErrorCode"] for r in refused} == {HIT_ALREADY_EXISTS}
    assert all(created[0] in r.response["Error"]["Message"] for r in refused)
    assert [hit["HITId"] for hit in mturk.list_hits()["HITs"]] == created


def test_racing_create_hit_with_hit_type_calls_with_one_token_create_exactly_one_hit(
    mturk, endpoint, requester
):
    args = {"HITTypeId": hit_type(mturk), "LifetimeInSeconds": 3600, "Question": HTML_QUESTION}
    clients = iter([mturk_client(endpoint, requester) for _ in range(RACERS)])

    results = race(lambda: next(clients).create_hit_with_hit_type(**args, UniqueRequestToken="raced"))

    assert sum(isinstance(r, dict) for r in results) == 1, results
    assert mturk.list_hits()["NumResults"] == 1


def test_racing_create_hit_calls_of_one_hit_type_all_succeed(mturk, endpoint, requester):
    clients = iter([mturk_client(endpoint, requester) for _ in range(RACERS)])

    results = race(lambda: next(clients).create_hit(**hit_args()))

    assert all(isinstance(r, dict) for r in results), results
    assert len({r["HIT"]["HITTypeId"] for r in results}) == 1
    assert mturk.list_hits()["NumResults"] == RACERS


def test_repeating_an_additional_assignments_token_adds_nothing(mturk):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=2))["HIT"]["HITId"]
    mturk.create_additional_assignments_for_hit(
        HITId=hit_id, NumberOfAdditionalAssignments=2, UniqueRequestToken="more-please"
    )

    refusal(
        mturk,
        "create_additional_assignments_for_hit",
        HITId=hit_id,
        NumberOfAdditionalAssignments=2,
        UniqueRequestToken="more-please",
    )

    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert (hit["MaxAssignments"], hit["NumberOfAssignmentsAvailable"]) == (4, 4)


def test_racing_additional_assignments_with_one_token_add_once(mturk, endpoint, requester):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=10))["HIT"]["HITId"]
    clients = iter([mturk_client(endpoint, requester) for _ in range(RACERS)])

    results = race(
        lambda: next(clients).create_additional_assignments_for_hit(
            HITId=hit_id, NumberOfAdditionalAssignments=5, UniqueRequestToken="once"
        )
    )

    assert sum(isinstance(r, dict) for r in results) == 1, results
    assert all(isinstance(r, dict | mturk.exceptions.RequestError) for r in results), results
    assert mturk.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 15
