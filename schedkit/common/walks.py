"""How many independent walks a heuristic runs for `workers`: one per worker, at most MAX_WALKS.

The cap is fixed, not the machine's core count, so that a seed and a worker count give the same
plan on any machine; it keeps `workers=10_000` (valid for CP-SAT) from starting thousands of
threads or child interpreters."""

from __future__ import annotations

MAX_WALKS = 16


def walk_count(workers: int) -> int:
    """One walk per worker, between 1 and MAX_WALKS."""
    return max(1, min(int(workers), MAX_WALKS))
