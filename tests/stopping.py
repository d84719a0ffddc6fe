"""Helpers for the stop-flag tests of each family: solution digests taken on main before the flag,
flags raised or not, and a wait for abandoned solve threads that no machine speed fails."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from typing import Any

import numpy as np

THREAD_END_SECONDS = 30.0  # how long an abandoned run may take to notice its flag, at any load


def digest(solution: Any) -> str:
    """sha256[:12] of a solution's fields as JSON (arrays as lists)."""
    fields = {key: np.asarray(value).tolist() if isinstance(value, np.ndarray) else value
              for key, value in sorted(vars(solution).items())}
    return hashlib.sha256(json.dumps(fields, default=repr, sort_keys=True).encode()).hexdigest()[:12]


def never() -> np.ndarray:
    """A stop flag never raised."""
    return np.zeros(1, dtype=np.uint8)


def raised() -> np.ndarray:
    """A stop flag raised."""
    return np.ones(1, dtype=np.uint8)


def solve_threads() -> set[threading.Thread]:
    """The guarded solves' threads still running."""
    return {thread for thread in threading.enumerate()
            if thread.name == "schedkit-solve" and thread.is_alive()}


def abandoned_threads_end(before: set[threading.Thread]) -> bool:
    """Whether every solve thread not in `before` ends within THREAD_END_SECONDS."""
    until = time.perf_counter() + THREAD_END_SECONDS
    while solve_threads() - before and time.perf_counter() < until:
        time.sleep(0.05)
    return not solve_threads() - before
