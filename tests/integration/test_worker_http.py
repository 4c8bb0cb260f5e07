"""The worker API as plain HTTP: unknown routes, malformed requests, and JSON errors that are never a 500."""

import http.client
import json
import socket
from urllib.parse import urlsplit

import pytest

from tests.support import hit_args

YEAR = 31536000


def send_bytes(endpoint: str, request: bytes) -> tuple[int, dict]:
    """Send exactly these bytes and read one response (within 5 s: a server that waits is a failure)."""
    url = urlsplit(endpoint)
    with socket.create_connection((url.hostname, url.port), timeout=5) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, json.loads(response.read())


def assert_json_error(status: int, payload: dict, expected: int) -> None:
    assert status == expected, payload
    assert set(payload) == {"Error"}
    assert set(payload["Error"]) == {"Code", "Message"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/worker/api/nothing-here"),
        ("GET", "/worker/api/hits/3XXXXXXXXXXXXXXXXXXX/accept"),
        ("POST", "/worker/api/hits"),
        ("DELETE", "/worker/api/assignments"),
        ("PUT", "/worker/api/hits/3XXXXXXXXXXXXXXXXXXX"),
        ("GET", "/worker/api/hits/"),
        ("GET", "/nowhere"),
    ],
)
def test_an_unknown_route_is_a_json_404(new_worker, method, path):
    worker = new_worker()

    status, payload = worker.call(method, path)

    assert_json_error(status, payload, 404)


@pytest.mark.parametrize("length", ["-5", "abc", "1e3", "²"])
def test_a_bad_content_length_is_a_json_400(endpoint, new_worker, length):
    worker = new_worker()
    request = (
        f"POST /worker/api/hits/3XXXXXXXXXXXXXXXXXXX/accept HTTP/1.1\r\nHost: localhost\r\n"
        f"Authorization: Bearer {worker.token}\r\nContent-Length: {length}\r\n\r\n"
    ).encode("latin-1")

    status, payload = send_bytes(endpoint, request)

    assert_json_error(status, payload, 400)


def test_a_body_on_a_get_is_ignored(endpoint, new_worker):
    worker = new_worker()
    request = (
        f"GET /worker/api/assignments HTTP/1.1\r\nHost: localhost\r\n"
        f"Authorization: Bearer {worker.token}\r\nContent-Length: 2\r\n\r\n{{}}"
    ).encode()

    status, payload = send_bytes(endpoint, request)

    assert status == 200
    assert payload == {"Assignments": []}


def test_an_accept_whose_body_is_not_a_json_object_is_a_json_400(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()

    status, payload = worker.call("POST", f"/worker/api/hits/{hit['HITId']}/accept", ["not", "an object"])

    assert_json_error(status, payload, 400)
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsPending"] == 0


@pytest.mark.parametrize(
    "query",
    ["NextToken=", "NextToken=%ZZ", "NextToken=a&NextToken=b", "Other=1", "%%%", "NextToken=" + "A" * 5000],
)
def test_odd_query_strings_are_never_a_500(new_worker, query):
    worker = new_worker()

    for path in ("/worker/api/hits", "/worker/api/assignments"):
        status, payload = worker.call("GET", f"{path}?{query}")

        assert status in (200, 400), payload
        if status == 400:
            assert_json_error(status, payload, 400)
