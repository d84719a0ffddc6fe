"""Functions the Spawned tests run in a child interpreter (importable by module name there)."""

from __future__ import annotations

import math
import time


def add(a: int, b: int, deadline: float) -> tuple[int, bool]:
    """a + b, and whether the child's deadline is finite."""
    return a + b, math.isfinite(deadline)


def fail(message: str, deadline: float) -> None:
    """Raise, as a walk with a bug would."""
    raise ValueError(message)


def sleep_past(seconds: float, deadline: float) -> str:
    """Ignore the deadline, as a hung walk would."""
    time.sleep(seconds)
    return "late"


def seconds_left(deadline: float) -> float:
    """How far the child's deadline lies from its own clock's now."""
    return deadline - time.perf_counter()
