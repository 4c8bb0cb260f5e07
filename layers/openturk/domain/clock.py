"""The one clock every rule reads; the local runtime can move it forward for tests."""

import time

_offset = 0.0


def now() -> float:
    """Epoch seconds, as the domain sees them."""
    return time.time() + _offset


def advance(seconds: float) -> float:
    """Move time forward (local runtime only: exposed at POST /local/clock)."""
    global _offset
    if seconds < 0:
        raise ValueError("time only moves forward")
    _offset += seconds
    return now()
