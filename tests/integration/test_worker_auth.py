"""Worker sign-in and the bearer token every worker route asks for, over real HTTP."""

import base64
import json
import re
import urllib.error
import urllib.request
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support import hit_args

WORKER_ROUTES = [
    ("GET", "/worker/api/hits"),
    ("GET", "/worker/api/hits/3XXXXXXXXXXXXXXXXXXX"),
    ("POST", "/worker/api/hits/3XXXXXXXXXXXXXXXXXXX/accept"),
    ("POST", "/worker/api/assignments/3XXXXXXXXXXXXXXXXXXXXXXXXXXXXX/submit"),
    ("POST", "/worker/api/assignments/3XXXXXXXXXXXXXXXXXXXXXXXXXXXXX/return"),
    ("GET", "/worker/api/assignments"),
    ("POST", "/mturk/externalSubmit"),
]


def raw(endpoint: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """One HTTP call with exactly these bytes and headers: (status, content type, parsed JSON body)."""
    request = urllib.request.Request(endpoint + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


def sign_in(endpoint: str, body: object):
    return raw(
        endpoint,
        "POST",
        "/worker/api/dev/sign-in",
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
    )


def assert_error(status: int, payload: dict, expected_status: int) -> None:
    assert status == expected_status, payload
    assert set(payload) == {"Error"}, payload
    assert isinstance(payload["Error"]["Code"], str) and payload["Error"]["Code"]
    assert isinstance(payload["Error"]["Message"], str) and payload["Error"]["Message"]


def _segment(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


# ---- sign-in -----------------------------------------------------------------------------------------


def test_sign_in_returns_a_worker_id_and_a_token(endpoint):
    status, content_type, body = sign_in(endpoint, {"name": f"alice-{uuid.uuid4().hex[:8]}"})

    assert status == 200
    assert content_type == "application/json"
    assert set(body) == {"WorkerId", "Token"}
    assert re.fullmatch(r"A[A-Z0-9]+", body["WorkerId"])
    assert body["Token"].count(".") == 2  # a JWT


def test_signing_in_again_with_the_same_name_gives_the_same_worker_id(endpoint):
    name = f"bob-{uuid.uuid4().hex[:8]}"

    _, _, first = sign_in(endpoint, {"name": name})
    _, _, second = sign_in(endpoint, {"name": name})
    _, _, other = sign_in(endpoint, {"name": name + "x"})

    assert first["WorkerId"] == second["WorkerId"]
    assert other["WorkerId"] != first["WorkerId"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 65},
        {"name": "has space"},
        {"name": "slash/name"},
        {"name": "<script>"},
        {"name": 42},
        {"name": None},
        {"name": ["alice"]},
        {},
        ["alice"],
    ],
    ids=lambda body: repr(body)[:20],
)
def test_sign_in_with_a_bad_name_is_refused(endpoint, body):
    status, content_type, payload = sign_in(endpoint, body)

    assert_error(status, payload, 400)
    assert content_type == "application/json"


def test_sign_in_with_a_body_that_is_not_json_is_refused(endpoint):
    status, _, payload = raw(
        endpoint, "POST", "/worker/api/dev/sign-in", b"name=alice", {"Content-Type": "application/json"}
    )

    assert_error(status, payload, 400)


def test_a_signed_in_worker_is_served(new_worker):
    worker = new_worker()

    status, body = worker.call("GET", "/worker/api/assignments")

    assert status == 200
    assert body["Assignments"] == []


# ---- the bearer token -----------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), WORKER_ROUTES)
def test_every_worker_route_refuses_a_request_without_a_token(endpoint, method, path):
    status, content_type, payload = raw(endpoint, method, path, b"{}" if method == "POST" else None)

    assert_error(status, payload, 401)
    assert content_type == "application/json"


@pytest.mark.parametrize(("method", "path"), WORKER_ROUTES)
@pytest.mark.parametrize(
    "authorization",
    ["Bearer garbage", "Bearer ", "Bearer a.b.c", "Basic YWxpY2U6c2VjcmV0", "garbage"],
)
def test_every_worker_route_refuses_a_garbage_token(endpoint, method, path, authorization):
    status, _, payload = raw(
        endpoint, method, path, b"{}" if method == "POST" else None, {"Authorization": authorization}
    )

    assert_error(status, payload, 401)


@pytest.fixture(scope="module")
def forged_tokens(endpoint):
    """Tokens that look right but are not signed by the user pool: re-signed, tampered, unsigned."""
    _, _, body = sign_in(endpoint, {"name": f"mallory-{uuid.uuid4().hex[:8]}"})
    token = body["Token"]
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    resigned = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": header["kid"]})
    head, payload, signature = token.split(".")
    tampered = ".".join([head, _segment({**claims, "sub": str(uuid.uuid4())}), signature])
    unsigned = ".".join([_segment({"alg": "none", "typ": "JWT"}), payload, ""])
    hs256 = jwt.encode(claims, "s" * 32, algorithm="HS256", headers={"kid": header["kid"]})
    return {"resigned": resigned, "tampered": tampered, "unsigned": unsigned, "hs256": hs256}


@pytest.mark.parametrize(("method", "path"), WORKER_ROUTES)
@pytest.mark.parametrize("kind", ["resigned", "tampered", "unsigned", "hs256"])
def test_every_worker_route_refuses_a_token_with_a_wrong_signature(
    endpoint, forged_tokens, method, path, kind
):
    status, _, payload = raw(
        endpoint,
        method,
        path,
        b"{}" if method == "POST" else None,
        {"Authorization": f"Bearer {forged_tokens[kind]}"},
    )

    assert_error(status, payload, 401)


def test_a_refused_token_changes_nothing(endpoint, mturk, forged_tokens):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=31536000))["HIT"]

    status, _, payload = raw(
        endpoint,
        "POST",
        f"/worker/api/hits/{hit['HITId']}/accept",
        b"{}",
        {"Authorization": f"Bearer {forged_tokens['resigned']}"},
    )

    assert_error(status, payload, 401)
    after = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert (after["NumberOfAssignmentsAvailable"], after["NumberOfAssignmentsPending"]) == (1, 0)
