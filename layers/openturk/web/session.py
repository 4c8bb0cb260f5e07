"""Who is asking for a page: the session cookie sign-in sets, or the worker API's bearer token.

Both carry the same Cognito ID token. Page routes have no JWT authorizer in front of them (a browser sends
a cookie, not an Authorization header), so the token is checked here: against the local user pool's keys
(moto's) in the laptop runtime, against the user pool's published keys when deployed.
"""

import hashlib
import hmac
import os
import time
from functools import cache
from typing import Any

from openturk import config
from openturk.edge.http import headers_of

COOKIE = "openturk_worker"
# The cookie lives as long as the ID token (Cognito's default: one hour).
MAX_AGE = 3600
_verified: dict[str, dict[str, Any]] = {}


def _issuer() -> str:
    return f"https://cognito-idp.{config.REGION}.amazonaws.com/{os.environ['OPENTURK_USER_POOL_ID']}"


@cache
def _local_keys() -> dict[str, Any]:
    import gzip
    import json
    from pathlib import Path

    import jwt
    import moto.cognitoidp

    path = Path(moto.cognitoidp.__file__).with_name("resources") / "jwks-public.json.gz"
    return {key["kid"]: jwt.PyJWK(key).key for key in json.loads(gzip.decompress(path.read_bytes()))["keys"]}


@cache
def _jwks_client() -> Any:
    import jwt

    return jwt.PyJWKClient(_issuer() + "/.well-known/jwks.json", cache_keys=True)


def _key_for(token: str) -> Any:
    import jwt

    if config.LOCAL:
        return _local_keys()[str(jwt.get_unverified_header(token).get("kid"))]
    return _jwks_client().get_signing_key_from_jwt(token).key


def verify(token: str) -> dict[str, Any] | None:
    """The claims of a valid ID token of this deployment's user pool, or None."""
    known = _verified.get(token)
    if known is not None and known.get("exp", 0) > time.time():
        return known
    if not os.environ.get("OPENTURK_USER_POOL_ID"):
        return None
    import jwt  # cryptography: paid only by requests that carry a session to check

    try:
        claims = jwt.decode(
            token,
            _key_for(token),
            algorithms=["RS256"],
            audience=os.environ["OPENTURK_USER_POOL_CLIENT_ID"],
            issuer=_issuer(),
        )
    except (jwt.PyJWTError, KeyError):
        return None
    if claims.get("token_use", "id") != "id":
        return None
    if len(_verified) >= 10_000:
        _verified.clear()
    _verified[token] = claims
    return claims


def cookies_of(event: dict[str, Any]) -> dict[str, str]:
    """Payload 2.0 puts cookies in event["cookies"]; the local gateway passes the Cookie header."""
    raw = list(event.get("cookies") or [])
    header = headers_of(event).get("cookie")
    if header:
        raw += header.split(";")
    found: dict[str, str] = {}
    for part in raw:
        name, _, value = part.strip().partition("=")
        found.setdefault(name, value)
    return found


def token_of(event: dict[str, Any]) -> tuple[str | None, bool]:
    """(token, whether it came as a bearer header). A bearer header wins over the cookie."""
    authorization = headers_of(event).get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip(), True
    return cookies_of(event).get(COOKIE) or None, False


def csrf_token(session_token: str) -> str:
    """The token the app's forms carry: derived from the session, which another site cannot read."""
    return hmac.new(session_token.encode(), b"openturk-csrf", hashlib.sha256).hexdigest()[:32]


def csrf_ok(session_token: str, given: str) -> bool:
    return hmac.compare_digest(csrf_token(session_token), given or "")


def set_cookie(token: str) -> str:
    # SameSite=None so that an ExternalQuestion page on another origin can post to /mturk/externalSubmit
    # with the worker's session (as on MTurk); the app's own forms are protected by their CSRF tokens.
    # Browsers keep SameSite=None cookies only when Secure; Chromium treats http://127.0.0.1 and
    # localhost as secure for this.
    return f"{COOKIE}={token}; Path=/; Max-Age={MAX_AGE}; HttpOnly; Secure; SameSite=None"


def clear_cookie() -> str:
    return f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None"
