"""`ga`: an activity-list genetic algorithm with forward-backward improvement, in the manner of
Hartmann (1998, "A competitive genetic algorithm for resource-constrained project scheduling",
NRL 45; two-point crossover and swap mutation of activity lists) and Valls, Ballestín &
Quintanilla (2005 double justification of every child, 2008 peak crossover).

The generation loop runs inside numba (heuristics/ga_kernels.py): tournament parents, peak or
two-point crossover, mutation, serial SGS decoding, justification while it shortens the
schedule (Lamarckian: the justified schedule's list replaces the child's), survival of the
best distinct individuals, and a restart of all but the best after PATIENCE generations
without progress. Python hands the kernel chunks of generations sized to a
fraction of the time left, so the time limit holds. Reproducible for a seed with
`generations=` or `schedules=` (every forward or backward SGS pass counts as one schedule);
under a time limit alone the number of generations depends on the machine's speed.

The method runs one population per worker (up to `common.walks.MAX_WALKS`) on threads (the
kernels release the GIL), seeds seed, seed + 1, ..., each with the whole budget; the best
schedule wins (ties to the lower), and under a time limit alone a population that meets the
lower bound stops the others.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.common.rng import seed_state
from schedkit.common.walks import run_walks, walk_count
from schedkit.errors import SchedkitError
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics import ga_kernels as rcpsp_ga_kernels
from schedkit.rcpsp.heuristics.methods import (
    arrays,
    kernels_or_plain,
    priorities,
    refuse_lags,
    schedule_result,
)
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

kernels: Any = rcpsp_ga_kernels
POPULATION = 40
DEFAULT_GENERATIONS = 100  # without a time limit or a schedule count
MUTATION = 0.05  # per position: swap with the next activity
ALPHA = 1.0  # regret-biased sampling of the first population (and of restarts)
PATIENCE = 50  # generations without a better best before a restart
CHUNK_SECONDS = 0.05  # aim of one kernel call under a time limit
NO_LIMIT = 2**62


class Evolution(NamedTuple):
    """What `evolve` returns: the best schedule and how much search it took."""

    start: np.ndarray
    span: int
    generations: int
    schedules: int


def _energy(instance: RCPSPInstance) -> np.ndarray:
    """Per activity d_j · Σ_k q_jk / c_k: the work the peak crossover measures."""
    c = instance.capacities.astype(np.float64)
    share = np.divide(instance.demands, c, out=np.zeros(instance.demands.shape), where=c > 0)
    return np.ascontiguousarray(instance.durations * share.sum(axis=1), dtype=np.float64)


def _read_only_arrays(instance: RCPSPInstance) -> tuple[np.ndarray, ...]:
    """The kernels' arrays as read-only views (a project without resources has a writable
    demands array): one compiled signature, the one `ensure_ga_compiled` loads, for all."""
    views = []
    for array in arrays(instance):
        view = array.view()
        view.setflags(write=False)
        views.append(view)
    return tuple(views)


def _seed_list(instance: RCPSPInstance, start: np.ndarray) -> np.ndarray:
    """The activities by start (ties in topological order): a precedence-feasible list that
    the serial SGS decodes to `start` or better."""
    rank = np.empty(instance.n, dtype=np.int64)
    rank[instance.order] = np.arange(instance.n)
    return np.lexsort((rank, np.asarray(start, dtype=np.int64))).astype(np.int64)


def _sort(population: tuple[np.ndarray, ...]) -> None:
    """Reorder every array of the population by makespan (stable), in place."""
    lists, starts, spans, hashes = population
    by_span = np.argsort(spans, kind="stable")
    lists[:], starts[:], spans[:], hashes[:] = (lists[by_span], starts[by_span], spans[by_span],
                                                hashes[by_span])


def evolve(instance: RCPSPInstance, deadline: float, generations: int | None, seed: int,
           bound: int, start: np.ndarray | None = None, schedules: int | None = None,
           population: int = POPULATION, incumbents: Incumbents | None = None,
           stop: threading.Event | None = None) -> Evolution:
    """Evolve until `generations`, `schedules` SGS passes, the deadline, the bound or `stop`
    (set here when the bound is met); `start`, if given, joins the first population. Each new
    best goes to `incumbents` (progress)."""
    data = _read_only_arrays(instance)
    n = instance.n
    state = seed_state(seed)
    limit = NO_LIMIT if schedules is None else schedules
    lists = np.full((population, n), -1, dtype=np.int64)
    starts = np.zeros((population, n), dtype=np.int64)
    spans = np.full(population, NO_LIMIT, dtype=np.int64)
    hashes = np.zeros(population, dtype=np.uint64)
    if start is not None:
        lists[min(1, population - 1)] = _seed_list(instance, start)
    rule = priorities(instance, "lft")
    filled = used = 0
    while filled < population and used < limit and (filled == 0 or time.perf_counter() < deadline):
        got, spent, state = kernels.initialise(*data, rule, ALPHA, lists, starts, spans, hashes,
                                               filled, 1, False, limit - used, state)
        state = np.uint64(state)  # numba hands it back as a Python int: keep it uint64
        filled, used = filled + int(got), used + int(spent)
    if filled < population:  # out of time or budget: the best of those made
        best = int(np.argmin(spans[:filled]))
        return Evolution(starts[best].copy(), int(spans[best]), 0, used)
    population_arrays = (lists, starts, spans, hashes)
    _sort(population_arrays)
    energy = _energy(instance)
    done, chunk, stall = 0, 1, 0
    while spans[0] > bound and (generations is None or done < generations) and used < limit:
        now = time.perf_counter()
        if now >= deadline or (stop is not None and stop.is_set()):
            break
        count = chunk if generations is None else min(chunk, generations - done)
        ran, spent, stall, state = kernels.generations(
            *data, energy, rule, ALPHA, lists, starts, spans, hashes, count, limit - used, bound,
            MUTATION, PATIENCE, stall, state)
        state = np.uint64(state)
        done, used = done + int(ran), used + int(spent)
        if incumbents is not None:  # improved() ignores a best that is not new, and polls
            incumbents.improved(int(spans[0]), partial(schedule_result, instance, starts[0].copy(), bound,
                                                       offered="ga"))
        took = time.perf_counter() - now
        per = took / max(1, int(ran))
        aim = min(CHUNK_SECONDS, max(0.0, deadline - time.perf_counter()) / 4)
        chunk = int(max(1, min(4 * chunk, aim / per if per > 0 else 4 * chunk)))
        if ran == 0:
            break
    if stop is not None and spans[0] <= bound:
        stop.set()
    return Evolution(starts[0].copy(), int(spans[0]), done, used)


def evolve_walks(instance: RCPSPInstance, deadline: float, generations: int | None, seed: int,
                 bound: int, walks: int, start: np.ndarray | None = None, schedules: int | None = None,
                 incumbents: Incumbents | None = None) -> list[Evolution]:
    """`evolve` once per walk on threads (seeds seed, seed + 1, ...), each with the whole budget;
    under a deadline alone the first to meet the bound stops the others."""
    stop = threading.Event() if generations is None and schedules is None else None  # a count: reproducible

    def one(i: int) -> Evolution:
        return evolve(instance, deadline, generations, seed + i, bound, start, schedules,
                      incumbents=incumbents, stop=stop)

    return run_walks(one, walks)


def best_walk(runs: list[Evolution]) -> int:
    """The walk with the shortest schedule (ties: the lower walk)."""
    return min(range(len(runs)), key=lambda i: runs[i].span)


def _count(options: SolveOptions, name: str) -> int | None:
    """A positive integer option, or None."""
    value = options.get(name)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise SchedkitError(f"{name} must be a positive integer, got {value!r}")
    return value


@register(
    "rcpsp", "ga", exact=False, options={"generations": None, "schedules": None},
    description="activity-list genetic algorithm (Hartmann 1998; peak crossover and double "
    "justification of Valls et al.) compiled with numba; generations=100 unless a time limit "
    "or schedules= is given",
)
def solve_ga(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Best schedule of the evolved population."""
    refuse_lags(instance, "ga")
    compile_seconds, fallback = kernels_or_plain(instance, options.deadline, ga=True)
    if fallback is not None:
        return fallback
    generations = _count(options, "generations")
    schedules = _count(options, "schedules")
    if generations is None and schedules is None and options.time_limit is None:
        generations = DEFAULT_GENERATIONS
    bound = lower_bound(instance)
    runs = evolve_walks(instance, options.deadline, generations, options.seed, bound,
                        walk_count(options.workers), schedules=schedules, incumbents=Incumbents())
    best = best_walk(runs)
    return schedule_result(instance, runs[best].start, bound, workers=len(runs),
                           walk_spans=[run.span for run in runs], best_walk=best,
                           generations=sum(run.generations for run in runs),
                           schedules=sum(run.schedules for run in runs), compile_seconds=compile_seconds)
