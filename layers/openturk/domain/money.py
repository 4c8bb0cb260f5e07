"""Money as integer cents, and MTurk's string form of it ("0.25")."""

import re

_AMOUNT = re.compile(r"^([0-9]+)(?:\.([0-9]{0,2}))?$")


def parse(amount: str) -> int:
    """ "0.25" -> 25. Raises ValueError for anything that is not a CurrencyAmount."""
    match = _AMOUNT.match(amount or "")
    if not match:
        raise ValueError(amount)
    whole, frac = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(frac)


def format(cents: int) -> str:
    """25 -> "0.25", as MTurk prints amounts."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
