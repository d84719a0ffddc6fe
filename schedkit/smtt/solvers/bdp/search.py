"""The state the SSDP stages share (`Search`): an instance's time-indexed tables, the
multipliers, the bounds proven so far and the budget, which raises `Stopped` when spent."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.deadline import stop_flag
from schedkit.result import Result
from schedkit.smtt.solvers.bdp.arc_graph import ArcGraph
from schedkit.smtt.solvers.bdp.kernels import cost_table
from schedkit.smtt.solvers.bdp.relaxation import arc_windows
from schedkit.smtt.solvers.bdp.repair import repair
from schedkit.smtt.solvers.bdp.subgradient import STEP_START

TABLE_BYTES = 8 * 5 + 1  # costs, arc, f, g, order (int64) and ok (bool) per (t, j) cell
CHUNK_SECONDS = 0.02  # a kernel call between two looks at the clock lasts about this long
REPAIR_SHARE = 0.1  # of the stages' time, at most, for upper bounds from relaxed paths


class Stopped(Exception):
    """The budget (time or memory) ran out inside a stage."""


@dataclass
class Search:
    """An instance prepared for the stages, the multipliers and what has been proven."""

    p: np.ndarray
    d: np.ndarray
    w: np.ndarray
    before: np.ndarray
    upper: int
    scale: int
    deadline: float
    memory_bytes: int
    costs: np.ndarray = field(init=False)
    ok: np.ndarray = field(init=False)
    arc: np.ndarray = field(init=False)
    f: np.ndarray = field(init=False)
    g: np.ndarray = field(init=False)
    order: np.ndarray = field(init=False)
    count: np.ndarray = field(init=False)
    mult: np.ndarray = field(init=False)
    bound: int = 0  # the best proven lower bound on the optimum (at most `upper`)
    sequence: np.ndarray | None = None  # an optimal sequence, once a stage found one
    proved: bool = False
    factor: float = STEP_START  # the step factor where the last subgradient run ended
    stats: dict[str, Any] = field(default_factory=dict)
    best: np.ndarray | None = None  # a sequence of value `upper` found from a relaxed path
    started: float = field(init=False)
    repair_seconds: float = 0.0
    last_path: int = 0  # hash of the latest relaxed path repaired
    progress: Incumbents | None = None  # where a better (upper, bound) pair is offered
    progress_result: Callable[[], Result] | None = None  # the Result of the current pair
    graph: ArcGraph | None = None  # the sparse stage-2 passes, once few arcs are left
    graph_refused: float = float("inf")  # the arcs left when the graph was last refused

    def __post_init__(self) -> None:
        self.costs = cost_table(self.p, self.d, self.w)
        horizon = self.costs.shape[0] - 1
        self.ok = arc_windows(self.p, self.before)
        self.arc = np.empty_like(self.costs)
        self.f = np.empty_like(self.costs)
        self.g = np.empty_like(self.costs)
        self.order = np.zeros_like(self.costs)
        self.count = np.zeros(horizon + 1, dtype=np.int64)
        self.mult = np.zeros(self.p.size, dtype=np.int64)
        self.stats["peak_memory_mb"] = round(table_bytes(self.p) / 2**20, 3)
        self.stats["repairs"] = self.stats["repair_improvements"] = 0
        self.started = time.perf_counter()

    @property
    def limit(self) -> int:
        """A relaxed path value above this cannot lead to a sequence better than `upper`."""
        return (self.upper - 1) * self.scale

    def prove(self, value: int) -> None:
        """Record a lower bound (scaled relaxed value); the upper bound caps it."""
        bound = min(self.upper, -(-value // self.scale))
        if bound > self.bound:
            self.bound = bound
        if self.bound >= self.upper:
            self.proved = True
        self.report()

    def report(self) -> None:
        """Offer the current upper bound and proven bound when either is better (progress)."""
        if self.progress is not None and self.progress_result is not None:
            self.progress.improved((self.upper, -self.bound), self.progress_result)

    def offer(self, path_of: Callable[[], np.ndarray]) -> None:
        """Repair the relaxed path `path_of()` into a sequence (`repair.repair`) and keep it
        when it beats `upper`; skipped while repairs have used REPAIR_SHARE of the time."""
        now = time.perf_counter()
        if REPAIR_SHARE <= 0 or self.repair_seconds > REPAIR_SHARE * (now - self.started):
            return
        path = path_of()
        key = hash(path.tobytes())
        if path.size == 0 or key == self.last_path:
            return
        self.last_path = key
        sequence, value = repair(path, self.p, self.d, self.w, stop_flag())
        self.repair_seconds += time.perf_counter() - now
        self.stats["repairs"] += 1
        if value < self.upper:
            self.upper, self.best = int(value), sequence
            self.stats["repair_improvements"] += 1
            if self.bound >= self.upper:
                self.bound, self.proved = self.upper, True
            self.report()

    def check_clock(self) -> None:
        if time.perf_counter() >= self.deadline:
            raise Stopped("deadline")


def table_bytes(p: np.ndarray) -> int:
    """Memory of the time-indexed tables for processing times `p`."""
    return (int(np.sum(p)) + 1) * p.size * TABLE_BYTES
