"""How many independent walks a heuristic runs for `workers`: one per worker, at most MAX_WALKS.

The cap is fixed, not the machine's core count, so that a seed and a worker count give the same
plan on any machine; it keeps `workers=10_000` (valid for CP-SAT) from starting thousands of
threads or child interpreters."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

MAX_WALKS = 16
T = TypeVar("T")


def walk_count(workers: int) -> int:
    """One walk per worker, between 1 and MAX_WALKS."""
    return max(1, min(int(workers), MAX_WALKS))


def run_walks(walk: Callable[[int], T], walks: int) -> list[T]:
    """`walk(i)` for i = 0 .. walks - 1, on threads (kernels that release the GIL run in
    parallel); one walk runs on the calling thread."""
    if walks == 1:
        return [walk(0)]
    with ThreadPoolExecutor(walks) as pool:
        return list(pool.map(walk, range(walks)))
