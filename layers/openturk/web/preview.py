"""Signed preview links: a requester shows any of its HITs as a worker would see it, without signing in.

`openturk requester preview-link --hit HITID` makes one (the link is an HMAC of the HIT id and an expiry
under the deployment's master secret, so only whoever holds the requester's credentials can make one for
the requester's HITs, and a link stops working when it expires).
"""

import hashlib
import hmac

from openturk.domain import credentials

LIFETIME = 7 * 86400


def signature(hit_id: str, expires: int, master: bytes | None = None) -> str:
    message = f"preview\x1f{hit_id}\x1f{expires}".encode()
    return hmac.new(master or credentials.master_secret(), message, hashlib.sha256).hexdigest()[:40]


def query(hit_id: str, now: float, master: bytes | None = None) -> str:
    expires = int(now) + LIFETIME
    return f"expires={expires}&signature={signature(hit_id, expires, master)}"


def valid(hit_id: str, expires: str, given: str, now: float) -> bool:
    if not (expires.isascii() and expires.isdigit()) or int(expires) < now:
        return False
    return hmac.compare_digest(signature(hit_id, int(expires)), given or "")
