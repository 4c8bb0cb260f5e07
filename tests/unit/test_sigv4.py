"""SigV4 verification agrees with botocore's signer, and refuses every kind of forgery."""

import datetime
import json
from unittest import mock

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from openturk.domain.errors import NotAuthorized
from openturk.edge import sigv4

SECRET = "s3cr3t/key+value"
BODY = json.dumps({"HITId": "ABC"}).encode()


def signed(
    body: bytes = BODY,
    secret: str = SECRET,
    when: datetime.datetime | None = None,
    url: str = "http://127.0.0.1:8000/",
):
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={
            "X-Amz-Target": "MTurkRequesterServiceV20170117.GetHIT",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    signer = SigV4Auth(Credentials("OTKKEY", secret), "mturk-requester", "us-east-1")
    if when is None:
        signer.add_auth(request)
    else:
        with mock.patch("botocore.auth.get_current_datetime", return_value=when.replace(tzinfo=None)):
            signer.add_auth(request)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers["host"] = url.split("/")[2]
    return headers


def check(headers, body=BODY, secret=SECRET, path="/", query=""):
    match = sigv4.parse_authorization(headers)
    sigv4.verify(match, secret, "POST", path, query, headers, body)


def test_a_request_signed_by_botocore_verifies():
    check(signed())


def test_a_changed_body_is_refused():
    with pytest.raises(NotAuthorized, match="signature we calculated does not match"):
        check(signed(), body=BODY.replace(b"ABC", b"ABD"))


def test_a_wrong_secret_is_refused():
    with pytest.raises(NotAuthorized, match="does not match"):
        check(signed(secret="another"))


def test_another_host_than_the_one_signed_is_refused():
    headers = signed()
    headers["host"] = "evil.example:8000"
    with pytest.raises(NotAuthorized):
        check(headers)


@pytest.mark.parametrize("minutes", [-16, 16])
def test_a_signature_more_than_15_minutes_off_is_refused(minutes):
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=minutes)
    with pytest.raises(NotAuthorized, match="expired"):
        check(signed(when=when))


def test_a_signature_14_minutes_old_is_accepted():
    check(signed(when=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=14)))


def test_an_unsigned_request_is_refused():
    with pytest.raises(NotAuthorized, match="not signed"):
        sigv4.parse_authorization({"host": "x"})


def test_a_signature_for_another_service_is_refused():
    headers = signed()
    headers["authorization"] = headers["authorization"].replace("/mturk-requester/", "/s3/")
    with pytest.raises(NotAuthorized, match="service"):
        sigv4.parse_authorization(headers)
