"""Identifiers in MTurk's shapes: 30 characters of [A-Z0-9] for entities, A + 13 for workers."""

import base64
import hashlib
import secrets

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def entity_id(length: int = 30) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def derived_id(*parts: str, length: int = 30) -> str:
    """A stable id for a tuple of values (HIT types, one assignment per worker and HIT)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return base64.b32encode(digest).decode().rstrip("=")[:length]


def worker_id(subject: str) -> str:
    """A worker's MTurk-style id, derived from the identity provider's subject."""
    return "A" + derived_id("worker", subject, length=13)


def requester_id() -> str:
    return "A" + "".join(secrets.choice(_ALPHABET) for _ in range(13))
