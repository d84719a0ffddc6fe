"""The build deadline of the DAG CP-SAT model: its loops over tasks and edges look at the clock
once per CHUNK of them and stop the build (OutOfTime) once the deadline has passed, so that a
large graph under a short limit answers with its warm start instead of overrunning."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from schedkit.registry import SolveOptions

BUILD_SHARE = 0.5  # of the time left after the warm start: past it, the warm start is returned unsolved
# Items (tasks, edges) between two looks at the clock: about 10-40 ms of model building
# (40,000 tasks on 2 processors took 2.9 s to build).
CHUNK = 1_000

Item = TypeVar("Item")


class OutOfTime(Exception):
    """The build deadline passed before the model was complete."""


def build_until(options: SolveOptions) -> float:
    """perf_counter() value by which the model must be built: BUILD_SHARE of what is left (inf
    without a limit)."""
    return options.phase_deadline(BUILD_SHARE)


def polled(items: Iterable[Item], until: float,
           clock: Callable[[], float] = time.perf_counter) -> Iterator[Item]:
    """`items`, with a look at `clock` before the first of every CHUNK: OutOfTime once it reads
    `until` or later."""
    for count, item in enumerate(items):
        if count % CHUNK == 0 and clock() >= until:
            raise OutOfTime
        yield item
