"""HITStatus is derived when read, so a HIT past its expiration reads as expired before any sweep."""

import pytest

from openturk.data.hits import Hit
from openturk.domain.hits import status

NOW = 1_000_000.0


def hit(available=0, pending=0, expiration=NOW + 60, reviewing=False, disposed=False) -> Hit:
    return Hit(
        "H",
        available=available,
        pending=pending,
        expiration=expiration,
        reviewing=reviewing,
        disposed=disposed,
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"available": 3}, "Assignable"),
        ({"available": 2, "pending": 1}, "Assignable"),
        ({"available": 0, "pending": 1}, "Unassignable"),
        ({"available": 0, "pending": 0}, "Reviewable"),
        ({"available": 3, "expiration": NOW}, "Reviewable"),
        ({"available": 1, "pending": 1, "expiration": NOW - 1}, "Unassignable"),
        ({"available": 0, "reviewing": True}, "Reviewing"),
        ({"available": 0, "reviewing": True, "disposed": True}, "Disposed"),
    ],
)
def test_status_follows_slots_time_and_flags(fields, expected):
    assert status(hit(**fields), NOW) == expected
