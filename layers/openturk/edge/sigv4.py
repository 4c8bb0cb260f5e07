"""AWS Signature Version 4 verification of requester calls, over the real bytes received.

Requests are signed for the host and path the client used (POST / on the public endpoint). The edge
rewrites POST / to /requester/<Operation>, and keeps the original host and path in X-Openturk-Host and
X-Openturk-Path for this check; a client that sets those itself only changes what its own signature
must cover.
"""

import calendar
import hashlib
import hmac
import re
import time
from urllib.parse import parse_qsl, quote

from openturk.domain.errors import NotAuthorized

SERVICE = "mturk-requester"
MAX_SKEW_SECONDS = 15 * 60
_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/\s]+)/(?P<date>\d{8})/(?P<region>[^/\s]+)/(?P<service>[^/\s]+)/aws4_request,"
    r"\s*SignedHeaders=(?P<headers>[a-z0-9;\-]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)


def _denied(detail: str) -> NotAuthorized:
    return NotAuthorized(f"This user is not authorized to perform the requested operation. ({detail})")


def parse_authorization(headers: dict[str, str]) -> re.Match:
    header = headers.get("authorization", "")
    match = _AUTHORIZATION.match(header.strip())
    if not match:
        raise _denied("The request is not signed with AWS Signature Version 4.")
    if match.group("service") != SERVICE:
        raise _denied(
            f"The credential scope names service {match.group('service')!r}; it must be {SERVICE!r}."
        )
    return match


def verify(
    match: re.Match, secret: str, method: str, path: str, query: str, headers: dict[str, str], body: bytes
) -> None:
    """Raise NotAuthorized unless the signature is right and was made within 15 minutes of now."""
    amz_date = headers.get("x-amz-date", "")
    try:
        signed_at = calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise _denied("X-Amz-Date is missing or not in the form YYYYMMDDTHHMMSSZ.") from None
    if abs(time.time() - signed_at) > MAX_SKEW_SECONDS:
        raise _denied("Signature expired: the request time is more than 15 minutes from the server's time.")
    if not amz_date.startswith(match.group("date")):
        raise _denied("The credential scope date does not match X-Amz-Date.")
    signed = match.group("headers").split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        raise _denied("The signature must cover the host and x-amz-date headers.")
    if any(name not in headers for name in signed):
        raise _denied("A header named in SignedHeaders is missing from the request.")
    canonical = "\n".join(
        [
            method,
            _canonical_path(path),
            _canonical_query(query),
            "".join(f"{name}:{' '.join(headers[name].split())}\n" for name in signed),
            match.group("headers"),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{match.group('date')}/{match.group('region')}/{SERVICE}/aws4_request"
    string_to_sign = (
        f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    )
    key = ("AWS4" + secret).encode()
    for part in (match.group("date"), match.group("region"), SERVICE, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match.group("signature")):
        raise _denied("The request signature we calculated does not match the signature you provided.")


def _canonical_path(path: str) -> str:
    return quote(path or "/", safe="/~")


def _canonical_query(query: str) -> str:
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in pairs)
