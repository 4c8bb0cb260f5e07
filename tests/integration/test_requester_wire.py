"""The requester API on the wire: AWS JSON 1.1 errors for what boto3 cannot send, and SigV4 checks.

Raw requests are signed with botocore's own SigV4Auth, so a refusal here is the server's doing.
"""

import http.client
import json
import os
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import botocore
import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from tests.integration.conftest import mturk_client
from tests.support import hit_args

TARGET = "MTurkRequesterServiceV20170117"
NOT_AUTHORIZED = "This user is not authorized to perform the requested operation."


def send(endpoint: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], dict]:
    """POST / to the endpoint, exactly these headers and bytes; the status, headers and JSON body back."""
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(payload or b"{}")
    finally:
        connection.close()


def signed_headers(
    endpoint: str,
    keys: dict[str, str],
    body: bytes,
    target: str,
    service: str = "mturk-requester",
) -> dict[str, str]:
    """The headers boto3 would send for this body, signed for the endpoint's host."""
    request = AWSRequest(
        method="POST",
        url=endpoint.rstrip("/") + "/",
        data=body,
        headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"},
    )
    SigV4Auth(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), service, "us-east-1").add_auth(
        request
    )
    return dict(request.headers.items())


def call(endpoint: str, keys: dict[str, str], operation: str, body: bytes | str | dict):
    """A correctly signed call with any body at all."""
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    return send(endpoint, signed_headers(endpoint, keys, body, f"{TARGET}.{operation}"), body)


def assert_request_error(status: int, payload: dict) -> str:
    assert status == 400, payload
    assert payload["__type"] == "RequestError", payload
    assert payload["Message"]
    return payload["Message"]


def refused_as_unauthorized(client, **kwargs) -> None:
    with pytest.raises(client.exceptions.RequestError) as caught:
        client.list_hits(**kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert caught.value.response["Error"]["Message"].startswith(NOT_AUTHORIZED)


# ---- the protocol -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [f"{TARGET}.LaunchRocket", f"{TARGET}.gethit", "MTurkRequesterServiceV20140815.GetHIT", "GetHIT", ""],
)
def test_an_unknown_target_is_refused_as_an_unknown_operation(endpoint, requester, target):
    headers = signed_headers(endpoint, requester, b"{}", target)

    status, _, payload = send(endpoint, headers, b"{}")

    assert status == 400
    assert payload["__type"] == "UnknownOperationException"


def test_a_request_without_a_target_is_refused_as_an_unknown_operation(endpoint):
    status, _, payload = send(endpoint, {"Content-Type": "application/x-amz-json-1.1"}, b"{}")

    assert (status, payload["__type"]) == (400, "UnknownOperationException")


@pytest.mark.parametrize("body", [b"{", b'{"HITId": }', b"\xff\xfe{}", b'{"HITId": "A"} trailing'])
def test_a_body_that_is_not_json_is_refused_as_a_serialization_error(endpoint, requester, body):
    status, _, payload = call(endpoint, requester, "GetHIT", body)

    assert (status, payload["__type"]) == (400, "SerializationException")


@pytest.mark.parametrize("body", ["[]", '"GetHIT"', "null", "42"])
def test_a_body_that_is_not_an_object_is_refused(endpoint, requester, body):
    assert_request_error(*call(endpoint, requester, "ListHITs", body)[::2])


@pytest.mark.parametrize(
    "operation, body, missing",
    [
        ("GetHIT", {}, "HITId"),
        ("UpdateExpirationForHIT", {"HITId": "3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW"}, "ExpireAt"),
        ("CreateHIT", {k: v for k, v in hit_args().items() if k != "Title"}, "Title"),
        ("CreateHIT", {**hit_args(), "Reward": None}, "Reward"),
        (
            "CreateHITType",
            {"Title": "t", "Description": "d", "Reward": "0.10"},
            "AssignmentDurationInSeconds",
        ),
        (
            "CreateHIT",
            {**hit_args(), "QualificationRequirements": [{"Comparator": "Exists"}]},
            "QualificationTypeId",
        ),
    ],
)
def test_a_missing_required_member_is_refused_by_name(endpoint, requester, operation, body, missing):
    status, _, payload = call(endpoint, requester, operation, body)

    assert missing in assert_request_error(status, payload)


@pytest.mark.parametrize(
    "operation, body",
    [
        ("GetHIT", {"HITId": 5}),
        ("ListHITs", {"MaxResults": "10"}),
        ("ListHITs", {"MaxResults": 1.5}),
        ("ListHITs", {"MaxResults": True}),
        ("ListHITs", {"MaxResults": 0}),
        ("UpdateHITReviewStatus", {"HITId": "3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW", "Revert": "yes"}),
        ("CreateHIT", {**hit_args(), "QualificationRequirements": {"Comparator": "Exists"}}),
        ("CreateHIT", {**hit_args(), "Reward": 0.25}),
        ("CreateHIT", {**hit_args(), "LifetimeInSeconds": "3600"}),
        ("CreateHIT", {**hit_args(), "Title": ["a"]}),
    ],
)
def test_a_member_of_the_wrong_type_is_refused(endpoint, requester, operation, body):
    assert_request_error(*call(endpoint, requester, operation, body)[::2])


@pytest.mark.parametrize(
    "expire_at",
    ["NaN", "Infinity", "-Infinity", "1e300", '"tomorrow"', "true", '"NaN"'],
)
def test_an_expiration_that_is_not_a_usable_time_is_refused(endpoint, requester, mturk, expire_at):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    body = f'{{"HITId": "{hit_id}", "ExpireAt": {expire_at}}}'

    assert_request_error(*call(endpoint, requester, "UpdateExpirationForHIT", body)[::2])

    assert mturk.get_hit(HITId=hit_id)["HIT"]["HITStatus"] == "Assignable"


@pytest.mark.parametrize("member", ["Title", "Description", "Keywords", "RequesterAnnotation"])
def test_text_that_is_not_unicode_is_refused(endpoint, requester, mturk, member):
    body = json.dumps({**hit_args(), member: "broken \ud800 surrogate"})

    assert_request_error(*call(endpoint, requester, "CreateHIT", body)[::2])

    assert mturk.list_hits()["NumResults"] == 0


def test_a_question_that_is_not_unicode_is_refused(endpoint, requester, mturk):
    question = hit_args()["Question"].replace("<textarea", "<p>\ud83d</p><textarea")
    body = json.dumps(hit_args(Question=question))

    assert_request_error(*call(endpoint, requester, "CreateHIT", body)[::2])


def test_unknown_members_are_ignored(endpoint, requester):
    status, _, payload = call(endpoint, requester, "ListHITs", {"MaxResults": 5, "Colour": "blue"})

    assert status == 200
    assert payload == {"NumResults": 0, "HITs": []}


def test_responses_are_aws_json_with_a_request_id(endpoint, requester):
    status, headers, _ = call(endpoint, requester, "ListHITs", {})
    assert status == 200
    assert headers["content-type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-requestid"]

    status, headers, payload = call(
        endpoint, requester, "GetHIT", {"HITId": "3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW"}
    )
    assert status == 400
    assert headers["content-type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-requestid"]
    assert set(payload) <= {"__type", "Message", "TurkErrorCode"}


def test_boto3_sees_the_request_id(mturk):
    assert mturk.list_hits()["ResponseMetadata"]["RequestId"]


def test_an_empty_body_is_an_empty_request(endpoint, requester):
    status, _, payload = call(endpoint, requester, "ListHITs", b"")

    assert (status, payload["NumResults"]) == (200, 0)


# ---- signatures --------------------------------------------------------------------------------------


def test_a_request_signed_with_the_wrong_secret_is_refused(endpoint, requester):
    client = mturk_client(endpoint, {**requester, "SecretAccessKey": "wrong" + requester["SecretAccessKey"]})

    refused_as_unauthorized(client)


def test_a_request_signed_with_an_unknown_access_key_is_refused(endpoint, requester):
    client = mturk_client(endpoint, {**requester, "AccessKeyId": "OTKNOSUCHKEY00000000"})

    refused_as_unauthorized(client)


def test_an_unsigned_request_is_refused(endpoint):
    client = botocore.session.get_session().create_client(
        "mturk",
        region_name="us-east-1",
        endpoint_url=endpoint,
        config=Config(signature_version=botocore.UNSIGNED, retries={"max_attempts": 1}),
    )

    refused_as_unauthorized(client)


def test_a_body_changed_after_signing_is_refused(endpoint, requester, mturk):
    def tamper(request, **_):
        assert b"Label an image" in request.body
        request.body = request.body.replace(b"Label an image", b"Label an imagf")

    mturk.meta.events.register_first("before-send.mturk.CreateHIT", tamper)

    with pytest.raises(mturk.exceptions.RequestError) as caught:
        mturk.create_hit(**hit_args())

    assert caught.value.response["Error"]["Message"].startswith(NOT_AUTHORIZED)
    assert mturk_client(endpoint, requester).list_hits()["NumResults"] == 0


@pytest.mark.parametrize("skew_minutes", [-16, 16, -60 * 24, 60 * 24])
def test_a_request_signed_more_than_fifteen_minutes_off_is_refused(mturk, monkeypatch, skew_minutes):
    signed_at = datetime.now(UTC) + timedelta(minutes=skew_minutes)
    monkeypatch.setattr(
        botocore.auth, "get_current_datetime", lambda *_, **__: signed_at.replace(tzinfo=None)
    )

    refused_as_unauthorized(mturk)


@pytest.mark.parametrize("skew_minutes", [-14, 14])
def test_a_request_signed_less_than_fifteen_minutes_off_is_served(mturk, monkeypatch, skew_minutes):
    signed_at = datetime.now(UTC) + timedelta(minutes=skew_minutes)
    monkeypatch.setattr(
        botocore.auth, "get_current_datetime", lambda *_, **__: signed_at.replace(tzinfo=None)
    )

    assert mturk.list_hits()["NumResults"] == 0


def test_a_request_signed_for_another_service_is_refused(endpoint, requester):
    headers = signed_headers(endpoint, requester, b"{}", f"{TARGET}.ListHITs", service="mturk")

    status, _, payload = send(endpoint, headers, b"{}")

    assert assert_request_error(status, payload).startswith(NOT_AUTHORIZED)


def test_a_request_signed_for_another_host_is_refused(endpoint, requester):
    other_host = endpoint.replace("127.0.0.1", "mturk-requester.us-east-1.amazonaws.com")
    headers = signed_headers(other_host, requester, b"{}", f"{TARGET}.ListHITs")

    status, _, payload = send(endpoint, headers, b"{}")

    assert assert_request_error(status, payload).startswith(NOT_AUTHORIZED)


def test_naming_the_signed_host_in_an_edge_header_does_not_pass_the_check(endpoint, requester):
    other_host = endpoint.replace("127.0.0.1", "mturk-requester.us-east-1.amazonaws.com")
    headers = signed_headers(other_host, requester, b"{}", f"{TARGET}.ListHITs")
    headers["X-Openturk-Host"] = urlsplit(other_host).netloc

    status, _, payload = send(endpoint, headers, b"{}")

    assert assert_request_error(status, payload).startswith(NOT_AUTHORIZED)


def test_the_signature_covers_the_host_the_client_used(endpoint, requester):
    by_name = mturk_client(endpoint.replace("127.0.0.1", "localhost"), requester)

    assert by_name.list_hits()["NumResults"] == 0


def test_a_signature_replayed_for_another_operation_is_refused(endpoint, requester, mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    mturk.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)
    body = json.dumps({"HITId": hit_id}).encode()
    headers = signed_headers(endpoint, requester, body, f"{TARGET}.GetHIT")
    headers["X-Amz-Target"] = f"{TARGET}.DeleteHIT"

    status, _, payload = send(endpoint, headers, body)

    assert assert_request_error(status, payload).startswith(NOT_AUTHORIZED)
    assert mturk.get_hit(HITId=hit_id)["HIT"]["HITStatus"] == "Reviewable"


@pytest.fixture
def daylight_saving_time():
    """This process's local time zone on daylight saving time today (a rule from yesterday to tomorrow)."""
    day = time.gmtime().tm_yday
    before = os.environ.get("TZ")
    os.environ["TZ"] = f"XST0XDT,J{max(day - 1, 1)},J{min(day + 1, 365)}"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_a_server_on_daylight_saving_time_serves_a_request_signed_now(mturk, daylight_saving_time):
    assert mturk.list_hits()["NumResults"] == 0
