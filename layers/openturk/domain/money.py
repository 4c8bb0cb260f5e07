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


# ---- MTurk's fees -----------------------------------------------------------------------------------

COMMISSION_PERCENT = 20  # on every reward and bonus
LARGE_HIT_SURCHARGE_PERCENT = 20  # on rewards of HITs with 10 or more assignments
MASTERS_SURCHARGE_PERCENT = 5  # on rewards of HITs that require the Masters qualification
MINIMUM_FEE_CENTS = 1  # per assignment and per bonus
LARGE_HIT_ASSIGNMENTS = 10
MASTERS_QUALIFICATION_IDS = frozenset({"2F1QJWKUDD8XADTFD2Q0G6UTO95ALH", "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"})


def _percent_half_up(cents: int, percent: int) -> int:
    """cents × percent / 100, rounded half up to the cent (MTurk: $0.104 -> $0.10, $0.105 -> $0.11)."""
    return (cents * percent + 50) // 100


def _fee(amount_cents: int, percent: int) -> int:
    if amount_cents <= 0:
        return 0
    return max(MINIMUM_FEE_CENTS, _percent_half_up(amount_cents, percent))


def assignment_fee(reward_cents: int, max_assignments: int, requires_masters: bool) -> int:
    """MTurk's fee on one assignment's reward, rounded once per assignment."""
    percent = COMMISSION_PERCENT
    if max_assignments >= LARGE_HIT_ASSIGNMENTS:
        percent += LARGE_HIT_SURCHARGE_PERCENT
    if requires_masters:
        percent += MASTERS_SURCHARGE_PERCENT
    return _fee(reward_cents, percent)


def bonus_fee(bonus_cents: int) -> int:
    return _fee(bonus_cents, COMMISSION_PERCENT)


def requires_masters(requirements: list[dict] | None) -> bool:
    return any(r.get("QualificationTypeId") in MASTERS_QUALIFICATION_IDS for r in requirements or [])
