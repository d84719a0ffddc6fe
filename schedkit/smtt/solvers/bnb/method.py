"""Exact 1||ΣTj by branch and bound over Lawler's decomposition, with memoised subproblems
(method `bnb`).

The longest job k splits a job set started at t into the jobs before it and the jobs after
it, both intervals of the EDD order (Lawler 1977); only the positions that Potts & Van
Wassenhove (1982) and Emmons (1969) leave are tried. Ends are fixed by two rules (a job due
after the set's end goes last; the EDD-first job goes first when no job is shorter), easy
sets are closed directly (EDD on time, SPT all tardy), each subproblem is solved once per
start time (memoised on (job set, start), as in Branch & Memorize, Shang, T'Kindt & Della
Croce 2021), and sides are pruned with the SPT/EDD pairing bound against the best sequence
so far, seeded by iterated dynasearch. Weighted instances are refused: the decomposition
holds for equal weights only.
"""

from __future__ import annotations

import math
import resource
import time

import numpy as np
from numba import types
from numba.typed import Dict

from schedkit.common.finish import finish
from schedkit.deadline import offer_better, stop_flag
from schedkit.errors import InvalidOption, UnsupportedInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.compiling import TINY_UNWEIGHTED, within_budget
from schedkit.smtt.heuristics import rules as smtt_rules
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.heuristics.search import best_rule, iterated_dynasearch
from schedkit.smtt.model import SMTTInstance, SMTTSolution
from schedkit.smtt.solvers.bnb import kernels

ENTRY_BYTES = 96  # a memo entry: 4 + 3 int64 plus the typed dict's hash and index slots
MAX_ENTRIES = 2**62  # a cap this large is no cap: memory runs out first
DEFAULT_MEMORY_MB = 2048.0  # MiB; a fraction is allowed
FIRST_CHUNK = 20_000  # nodes between two looks at the clock, grown to about CHUNK_SECONDS
CHUNK_SECONDS = 0.1
HEURISTIC_SHARE = 0.1  # at most this share of the budget (and 1 s) goes to the upper bound
HEURISTIC_ITERATIONS = 20
SEARCH_MAX_JOBS = 2000  # beyond, the O(n²) rules and dynasearch steps outlast a short budget


class _Problem:
    """The instance renumbered in EDD order and ranked in SPT order, with its memo."""

    def __init__(self, instance: SMTTInstance, memory_mb: float) -> None:
        n = instance.n
        self.edd = np.lexsort((np.arange(n), instance.p, instance.d)).astype(np.int64)
        self.p = np.ascontiguousarray(instance.p[self.edd], dtype=np.int64)
        self.d = np.ascontiguousarray(instance.d[self.edd], dtype=np.int64)
        self.spt = np.lexsort((np.arange(n), self.p)).astype(np.int64)
        self.rank = np.empty(n, dtype=np.int64)
        self.rank[self.spt] = np.arange(n)
        self.memo = Dict.empty(
            key_type=types.UniTuple(types.int64, 5), value_type=types.UniTuple(types.int64, 3)
        )
        self.stats = np.zeros(kernels.STATS_SIZE, dtype=np.int64)
        entries = min(memory_mb * 2**20 / ENTRY_BYTES, MAX_ENTRIES)  # memory_mb = 2^63 overflowed int64
        self.stats[kernels.MAX_ENTRIES] = max(1, int(entries))
        self.rate = FIRST_CHUNK / CHUNK_SECONDS  # nodes per second, as the search last measured
        self.stop = stop_flag()  # raised when the hard deadline abandons the solve

    def root(self) -> tuple[int, int, int, int, int]:
        """All jobs, from time 0."""
        return 0, self.p.size - 1, 0, self.p.size, 0

    def search(self, ub: int, deadline: float) -> int | None:
        """The optimum if it is below `ub` (else a bound >= ub); None when time runs out."""
        chunk = FIRST_CHUNK
        while time.perf_counter() < deadline:  # 20,000 nodes take 0.5 s at 1,500 jobs
            self.stats[kernels.ABORTED] = 0
            self.stats[kernels.CAP] = self.stats[kernels.NODES] + chunk
            started = time.perf_counter()
            value = kernels.solve(
                *self.root(), ub, self.p, self.d, self.rank, self.spt, self.memo, self.stats, self.stop
            )
            if not self.stats[kernels.ABORTED]:
                return int(value)
            if self.stop[0]:
                return None
            self.rate = chunk / max(time.perf_counter() - started, 1e-6)
            chunk = int(min(max(FIRST_CHUNK, self.rate * CHUNK_SECONDS), 4 * chunk))
        return None

    def sequence(self, deadline: float) -> np.ndarray | None:
        """An optimal order (original job ids) read back from the memo; None when re-solving
        what a small memo forgot would outlast the deadline (at the search's node rate)."""
        out = np.full(self.p.size, -1, dtype=np.int64)
        self.stats[kernels.ABORTED] = 0
        if math.isinf(deadline):
            self.stats[kernels.CAP] = np.iinfo(np.int64).max
        else:
            left = max(0.0, deadline - time.perf_counter())
            self.stats[kernels.CAP] = self.stats[kernels.NODES] + int(FIRST_CHUNK + self.rate * left)
        kernels.rebuild(*self.root(), self.p, self.d, self.rank, self.spt, self.memo, self.stats, self.stop,
                        out, 0)
        if self.stats[kernels.ABORTED] or (out < 0).any():
            return None
        return self.edd[out]

    def bound(self) -> int:
        """The best lower bound the memo proves for the whole instance."""
        return int(kernels.known_bound(*self.root(), self.p, self.d, self.rank, self.spt, self.memo))

    def report(self) -> dict[str, int | float]:
        entries = len(self.memo)
        return {
            "nodes": int(self.stats[kernels.NODES]),
            "memo_hits": int(self.stats[kernels.HITS]),
            "bound_prunes": int(self.stats[kernels.BOUND_PRUNES]),
            "memo_entries": entries,
            "memo_bytes": entries * ENTRY_BYTES,
            "peak_memory_mb": round(entries * ENTRY_BYTES / 2**20, 3),
            "memo_full": bool(self.stats[kernels.FULL]),
            "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }


def _upper_bound(instance: SMTTInstance, options: SolveOptions) -> tuple[np.ndarray, int]:
    """A good first sequence: the best rule, then a short iterated dynasearch (the better of
    EDD and SPT beyond SEARCH_MAX_JOBS jobs; the bound's quality barely changes the search)."""
    if instance.n > SEARCH_MAX_JOBS:
        orders = [smtt_rules.edd(instance.p, instance.d, instance.w),
                  smtt_rules.spt(instance.p, instance.d, instance.w)]
        values = [int(weighted_tardiness(x, instance.p, instance.d, instance.w)) for x in orders]
        best = int(np.argmin(values))
        return orders[best], values[best]
    budget = 1.0 if options.time_limit is None else min(1.0, HEURISTIC_SHARE * options.time_limit)
    deadline = min(options.deadline, time.perf_counter() + budget)
    start, _ = best_rule(instance.p, instance.d, instance.w, deadline)
    sequence, value, _ = iterated_dynasearch(
        instance.p, instance.d, instance.w, start, HEURISTIC_ITERATIONS, options.seed, deadline
    )
    return sequence, value


def _common_weight(instance: SMTTInstance) -> int:
    """The weight all jobs share; refuse instances whose weights differ."""
    weights = np.unique(instance.w)
    if weights.size > 1:
        raise UnsupportedInstance(
            f"bnb solves 1||ΣTj (equal weights); {instance.name or 'this instance'} has "
            f"{weights.size} different weights: use method 'bdp', 'cpsat' or 'mip' for 1||ΣwjTj"
        )
    return int(weights[0]) if weights.size else 1


def _refuse_weighted(instance: SMTTInstance) -> None:
    """UnsupportedInstance before any kernel loads: a fresh process at load 5 spent the whole
    limit loading them, then answered a weighted instance with a sorting rule."""
    _common_weight(instance)


@register(
    "smtt", "bnb", exact=True, options={"memory_mb": DEFAULT_MEMORY_MB},
    description="branch and bound over Lawler's decomposition with memoised subproblems "
    "(unweighted; hundreds of jobs)",
)
@within_budget(exact=True, instances=(TINY_UNWEIGHTED,),
               also=lambda: _Problem(TINY_UNWEIGHTED, 1.0).bound(), refuse=_refuse_weighted)
def solve_bnb(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Optimal for equal weights; on timeout the best sequence found and the proven bound."""
    weight = _common_weight(instance)
    memory_mb = float(options.get("memory_mb"))
    if not memory_mb > 0:
        raise InvalidOption(f"memory_mb must be positive, got {memory_mb}")
    heuristic, heuristic_value = _upper_bound(instance, options)
    stats: dict[str, object] = {"workers": 1, "heuristic": heuristic_value}
    if instance.n == 0 or heuristic_value == 0 or weight == 0:
        return finish(heuristic_value, heuristic_value, True, SMTTSolution(heuristic), stats)
    offer_better(finish(heuristic_value, cheap_bound(instance), False, SMTTSolution(heuristic.copy()),
                        {**stats, "offered": "the upper bound"}))  # what a cut call returns
    problem = _Problem(instance, memory_mb)
    value = problem.search(heuristic_value // weight + 1, options.deadline)
    stats.update(problem.report())
    if value is None:
        bound = min(weight * problem.bound(), heuristic_value)
        return finish(heuristic_value, bound, False, SMTTSolution(heuristic), stats)
    sequence = problem.sequence(options.deadline)
    if sequence is None:  # the optimum is proven, its order not rebuilt in time
        stats["rebuild_stopped"] = True
        return finish(heuristic_value, weight * value, heuristic_value == weight * value,
                      SMTTSolution(heuristic), stats)
    objective = int(weighted_tardiness(sequence, instance.p, instance.d, instance.w))
    if objective != weight * value:
        raise RuntimeError(f"bnb rebuilt a sequence of value {objective}, expected {weight * value}")
    return finish(objective, objective, True, SMTTSolution(sequence), stats)
