"""Exact SMTT by Held–Karp dynamic programming over the 2^n subsets of jobs (method `dp`).

F(S) is the least Σ w·T of the jobs in S when they are processed first, in some order:
F(S) = min over j in S of F(S \\ {j}) + w_j·max(0, P(S) − d_j), P(S) the total processing time
of S. The table is filled in blocks of masks so the wall-clock budget is checked between
blocks; the optimal order is read back by recomputing which job attains each minimum. A run
the budget stops answers the best of the EDD, SPT and WSPT orders with the best cheap lower
bound (`bounds.cheap_bound`: WSPT, pairing and assignment bounds).
"""

from __future__ import annotations

import time

import numpy as np

from schedkit.common.finish import finish
from schedkit.common.kernel_cache import njit
from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.compiling import within_budget
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.model import SMTTInstance, SMTTSolution
from schedkit.smtt.sorting import best_sorting_rule

MAX_JOBS = 25
BLOCK = 1 << 18  # masks per kernel call: a few milliseconds, so the budget is checked often


@njit(cache=True, nogil=True, inline="always")
def _with_last(table, mask, total, j, d, w):  # pragma: no cover - compiled
    """F(S \\ {j}) + cost of j finishing last in S, at P(S) = total."""
    value = np.int64(table[mask ^ (1 << j)])
    late = total - d[j]
    if late > 0:
        value += w[j] * late
    return value


@njit(cache=True, nogil=True)
def _fill_block(table, p, d, w, start, stop):  # pragma: no cover - compiled
    """Fill table[start:stop] (masks in increasing order, so every S \\ {j} is already known)."""
    n = p.size
    for mask in range(start, stop):
        total = 0
        for j in range(n):
            if (mask >> j) & 1:
                total += p[j]
        best = np.int64(np.iinfo(np.int64).max)
        for j in range(n):
            if (mask >> j) & 1:
                best = min(best, _with_last(table, mask, total, j, d, w))
        table[mask] = best


@njit(cache=True, nogil=True)
def _backtrack(table, p, d, w):  # pragma: no cover - compiled
    """An optimal sequence from a full table: peel off, from the back, a job attaining F(S)."""
    n = p.size
    sequence = np.empty(n, dtype=np.int64)
    mask = (1 << n) - 1
    total = 0
    for j in range(n):
        total += p[j]
    for position in range(n - 1, -1, -1):
        target = np.int64(table[mask])
        for j in range(n):
            if (mask >> j) & 1 and _with_last(table, mask, total, j, d, w) == target:
                    sequence[position] = j
                    mask ^= 1 << j
                    total -= p[j]
                    break
    return sequence


def _table_dtype(instance: SMTTInstance) -> type[np.signedinteger]:
    """int32 when the EDD objective fits (every F(S) is at most it), else int64."""
    edd = np.argsort(instance.d, kind="stable")
    upper = int(weighted_tardiness(edd, instance.p, instance.d, instance.w))
    return np.int32 if upper < np.iinfo(np.int32).max else np.int64


def _refuse_too_many(instance: SMTTInstance) -> None:
    """ProblemTooLarge beyond MAX_JOBS (checked before any kernel compiles)."""
    n = instance.n
    if n > MAX_JOBS:
        mib = f"{1 << (n - 18):,}" if n <= 60 else f"2^{n - 18}"  # 4 bytes a subset, in integers
        raise ProblemTooLarge(
            f"dp solves at most {MAX_JOBS} jobs: {n} jobs means 2^{n} subsets, a table of at "
            f"least {mib} MiB; use method "
            f"'{'bdp' if instance.weighted else 'bnb'}' (or 'cpsat', 'mip') instead"
        )


@register(
    "smtt",
    "dp",
    exact=True,
    description="Held–Karp subset dynamic programming, exact up to 25 jobs",
    options={},
)
@within_budget(exact=True, refuse=_refuse_too_many)
def solve_dp(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Optimal sequence by subset DP; on timeout the best sorting rule, feasible, with a cheap bound."""
    n = instance.n
    p, d, w = instance.p, instance.d, instance.w
    dtype = _table_dtype(instance)
    size = 1 << n
    try:
        table = np.empty(size, dtype=dtype)
    except MemoryError as error:  # pragma: no cover - depends on the machine
        raise ProblemTooLarge(
            f"dp needs {size * np.dtype(dtype).itemsize / 2**20:,.0f} MiB for {n} jobs "
            "and that much memory is not available"
        ) from error
    table[0] = 0
    stats = {"workers": 1, "states": size, "memory_bytes": int(table.nbytes),
             "peak_memory_mb": round(table.nbytes / 2**20, 3)}
    deadline = options.deadline
    for start in range(1, size, BLOCK):
        if time.perf_counter() >= deadline:
            sequence, objective = best_sorting_rule(instance)
            stats["states_done"] = start
            return finish(objective, cheap_bound(instance), False, SMTTSolution(sequence), stats)
        _fill_block(table, p, d, w, start, min(size, start + BLOCK))
    sequence = _backtrack(table, p, d, w)
    objective = int(weighted_tardiness(sequence, p, d, w))
    stats["states_done"] = size
    return finish(objective, objective, True, SMTTSolution(sequence), stats)
