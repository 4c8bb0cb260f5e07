"""Requesters: who they are, and the access keys they sign requests with."""

import time
from typing import Any

from pynamodb.exceptions import DoesNotExist

from openturk.data import base as db
from openturk.data.requesters import AccessKey, Requester
from openturk.domain import credentials, ids, ledger, money
from openturk.domain.errors import InvalidParameter

_KEY_CACHE_SECONDS = 60
DEFAULT_FUNDING_CENTS = 1_000_000  # $10,000.00, as MTurk's sandbox shows
_key_cache: dict[str, tuple[float, str | None]] = {}


def checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 128:
        raise InvalidParameter("A requester needs a name of 1 to 128 characters.")
    return name


def create(
    name: str, now: float, requester_id: str | None = None, access_key_id: str | None = None
) -> dict[str, Any]:
    """A requester with one key pair. Fixed ids are for the local default requester only."""
    name = checked_name(name)
    requester_id = requester_id or ids.requester_id()
    access_key_id = access_key_id or credentials.new_access_key_id()
    tx = db.Transaction()
    tx.put(Requester(requester_id, name=name, created_at=now))
    tx.put(AccessKey(access_key_id, requester_id=requester_id, created_at=now))
    tx.commit()
    return {
        "RequesterId": requester_id,
        "Name": name,
        "AccessKeyId": access_key_id,
        "SecretAccessKey": credentials.secret_for(access_key_id),
    }


def ensure_default(now: float) -> dict[str, Any]:
    """The local runtime's default requester, created on first start."""
    try:
        AccessKey.get(credentials.DEFAULT_ACCESS_KEY_ID)
    except DoesNotExist:
        create("Default requester", now, credentials.DEFAULT_REQUESTER_ID, credentials.DEFAULT_ACCESS_KEY_ID)
        ledger.fund(credentials.DEFAULT_REQUESTER_ID, DEFAULT_FUNDING_CENTS, now, "Sandbox starting balance")
    return {
        "RequesterId": credentials.DEFAULT_REQUESTER_ID,
        "AccessKeyId": credentials.DEFAULT_ACCESS_KEY_ID,
        "SecretAccessKey": credentials.secret_for(credentials.DEFAULT_ACCESS_KEY_ID),
    }


def requester_for_key(access_key_id: str) -> str | None:
    """The requester an active key belongs to (cached a minute per process: one read per key, not per call)."""
    cached = _key_cache.get(access_key_id)
    if cached and time.monotonic() - cached[0] < _KEY_CACHE_SECONDS:
        return cached[1]
    try:
        key = AccessKey.get(access_key_id, consistent_read=True)
        requester_id = key.requester_id if key.status == "Active" else None
    except DoesNotExist:
        requester_id = None
    _key_cache[access_key_id] = (time.monotonic(), requester_id)
    return requester_id


def fund(requester_id: str, amount: str, now: float) -> dict[str, Any]:
    """`openturk requester fund`: a prepayment into a requester's account."""
    try:
        Requester.get(requester_id)
    except DoesNotExist:
        raise InvalidParameter(f"Requester {requester_id} does not exist.") from None
    try:
        cents = money.parse(amount)
    except ValueError:
        raise InvalidParameter(f"{amount!r} is not an amount like 100.00.") from None
    ledger.fund(requester_id, cents, now)
    available, on_hold = ledger.requester_balance(requester_id)
    return {
        "RequesterId": requester_id,
        "AvailableBalance": money.format(available),
        "OnHoldBalance": money.format(on_hold),
    }
