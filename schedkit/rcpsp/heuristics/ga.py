"""`ga`: an activity-list genetic algorithm with forward-backward improvement, in the manner of
Hartmann (1998, "A competitive genetic algorithm for resource-constrained project scheduling",
NRL 45) and Valls, Ballestín & Quintanilla (2005, justification).

An individual is an activity list (priorities = positions) decoded by the serial SGS (kernels)
and then justified forward and backward; the justified schedule's start order becomes its list
again (Lamarckian). Each generation: one-point crossover (the first part from one parent, the
rest in the other's relative order), a swap mutation of neighbours, ranking selection of the
best `population` among parents and children. Randomness: numpy's Generator from `seed`
outside the kernels. Reproducible for a given seed with `generations=`; under a time limit
alone the number of generations depends on the machine's speed.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.common.rng import seed_state
from schedkit.errors import SchedkitError
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics import kernels as rcpsp_kernels
from schedkit.rcpsp.heuristics.compiled import ensure_compiled
from schedkit.rcpsp.heuristics.methods import arrays, priorities, refuse_lags, schedule_result
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

kernels: Any = rcpsp_kernels
POPULATION = 40
DEFAULT_GENERATIONS = 100  # without a time limit
MUTATION = 0.05  # per position: swap with the next activity


def _decode(data: tuple[np.ndarray, ...], order: np.ndarray, state: Any
            ) -> tuple[np.ndarray, np.ndarray, int, Any]:
    """(justified starts, the list they imply, makespan, state) of an activity list."""
    priority = np.empty(order.size, dtype=np.float64)
    priority[order] = np.arange(order.size, dtype=np.float64)
    start, state = kernels.serial_sgs(*data, priority, -1.0, state)
    state = np.uint64(state)  # numba hands it back as a Python int: keep it uint64
    span = int(kernels.makespan(start, data[0]))
    while True:
        better, state = kernels.justify(start, *data, state)
        state = np.uint64(state)
        better_span = int(kernels.makespan(better, data[0]))
        if better_span >= span:
            break
        start, span = better, better_span
    return start, np.lexsort((priority, start)), span, state


def _crossover(mother: np.ndarray, father: np.ndarray, cut: int) -> np.ndarray:
    """The first `cut` activities of `mother`, then the rest in `father`'s order."""
    head = mother[:cut]
    taken = np.zeros(mother.size, dtype=bool)
    taken[head] = True
    return np.concatenate([head, father[~taken[father]]])


def _mutate(order: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    order = order.copy()
    for p in np.flatnonzero(rng.random(order.size - 1) < MUTATION).tolist():
        order[p], order[p + 1] = order[p + 1], order[p]
    return order


def evolve(instance: RCPSPInstance, deadline: float, generations: int | None, seed: int,
           bound: int, start: np.ndarray | None = None) -> tuple[np.ndarray, int, int]:
    """Best starts, makespan and generations run (until `generations`, the deadline or the
    bound); `start`, if given, joins the first population."""
    data = arrays(instance)
    rng = np.random.default_rng(seed)
    state = seed_state(seed)
    base = priorities(instance, "lft")
    population: list[tuple[int, np.ndarray, np.ndarray]] = []
    seeds = [np.lexsort((base, start))] if start is not None else []
    for k in range(POPULATION):
        if k < len(seeds):
            order = seeds[k]
        else:
            noise = base + rng.random(base.size) * (0.0 if k == 0 else max(1.0, float(base.std())))
            order = np.argsort(noise, kind="stable")
        begin, order, span, state = _decode(data, order, state)
        population.append((span, order, begin))
        if time.perf_counter() >= deadline:
            break
    population.sort(key=lambda item: item[0])
    done = 0
    while population[0][0] > bound and (generations is None or done < generations) \
            and time.perf_counter() < deadline:
        children = []
        for _ in range(len(population) // 2):
            a, b = rng.choice(len(population), 2, replace=False)
            cut = int(rng.integers(1, instance.n)) if instance.n > 1 else 0
            for mother, father in ((population[a][1], population[b][1]),
                                   (population[b][1], population[a][1])):
                begin, order, span, state = _decode(data, _mutate(
                    _crossover(mother, father, cut), rng), state)
                children.append((span, order, begin))
        population = sorted(population + children, key=lambda item: item[0])[:POPULATION]
        done += 1
    return population[0][2], population[0][0], done


@register(
    "rcpsp", "ga", exact=False, options={"generations": None},
    description="activity-list genetic algorithm (Hartmann 1998) on the serial SGS with "
    "forward-backward improvement of every child; generations=100 unless a time limit is given",
)
def solve_ga(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Best schedule of the evolved population."""
    refuse_lags(instance, "ga")
    compile_seconds = ensure_compiled()
    generations = options.get("generations")
    if generations is not None and (not isinstance(generations, int)
                                    or isinstance(generations, bool) or generations < 1):
        raise SchedkitError(f"generations must be a positive integer, got {generations!r}")
    if generations is None and options.time_limit is None:
        generations = DEFAULT_GENERATIONS
    bound = lower_bound(instance)
    start, _, done = evolve(instance, options.deadline, generations, options.seed, bound)
    return schedule_result(instance, start, bound, generations=done,
                           compile_seconds=compile_seconds)
