"""Signed preview links: a requester shows any of its HITs as a worker would see it, without signing in.

The requester signs the link itself, with its own key pair (no call to openturk):
/worker/preview/{HITId}?key=<AccessKeyId>&expires=<epoch seconds>&signature=<HMAC-SHA256 hex>, the HMAC
under the secret access key of "preview\\x1f<HITId>\\x1f<expires>". `openturk requester preview-link`
makes one. The page checks that the key is active, that it belongs to the HIT's requester and that the
link has not expired; a link for another requester's HIT, or a wrong one, shows nothing.
"""

import hashlib
import hmac
from urllib.parse import urlencode

LIFETIME = 7 * 86400


def signature(secret_access_key: str, hit_id: str, expires: int) -> str:
    message = f"preview\x1f{hit_id}\x1f{expires}".encode()
    return hmac.new(secret_access_key.encode(), message, hashlib.sha256).hexdigest()


def query(access_key_id: str, secret_access_key: str, hit_id: str, now: float) -> str:
    expires = int(now) + LIFETIME
    return urlencode(
        {"key": access_key_id, "expires": expires, "signature": signature(secret_access_key, hit_id, expires)}
    )


def valid(params: dict[str, str], hit_requester_id: str, now: float) -> bool:
    from openturk.domain import credentials, requesters

    key, expires, given = params.get("key", ""), params.get("expires", ""), params.get("signature", "")
    if not key or not (expires.isascii() and expires.isdigit()) or int(expires) < now:
        return False
    if requesters.requester_for_key(key) != hit_requester_id:
        return False
    expected = signature(credentials.secret_for(key), params.get("hit", ""), int(expires))
    return hmac.compare_digest(expected, given)


def passed_on(params: dict[str, str]) -> str:
    """The signature's parameters, for the preview's HTMLQuestion frame."""
    kept: dict[str, str] = {k: params[k] for k in ("key", "expires", "signature") if k in params}
    return urlencode(kept)
