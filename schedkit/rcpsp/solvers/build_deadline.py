"""The build deadline of the RCPSP CP-SAT models (`cpsat`, with or without time lags): their
redundant constraints stop at it, and past it the warm start is returned unsolved."""

from __future__ import annotations

from schedkit.registry import SolveOptions

BUILD_SHARE = 0.5  # of the time left: past it, the warm start is returned unsolved


def build_until(options: SolveOptions) -> float:
    """perf_counter() value by which the model must be built: BUILD_SHARE of what is left."""
    return options.phase_deadline(BUILD_SHARE)
