"""RCPSP heuristic methods: serial and parallel SGS with a priority rule, regret-biased random
sampling, and sampling with forward-backward improvement (thin wrappers over the kernels).

Each reports the makespan with max(critical path, resource bound) as its `bound`, so a schedule
that reaches the bound comes back `optimal`. Sampling and fbi are reproducible for a given seed
when their budget is a schedule count (`schedules=`); under a time limit alone the number of
schedules, and so the result, depends on the machine's speed.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

import numpy as np

from schedkit.common.compile import MARGIN
from schedkit.common.incumbents import Incumbents
from schedkit.common.pacing import Pacer
from schedkit.common.rng import seed_state
from schedkit.errors import ProblemTooLarge, SchedkitError, UnsupportedInstance
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics import kernels as rcpsp_kernels
from schedkit.rcpsp.heuristics import plain
from schedkit.rcpsp.heuristics.compiled import ensure_compiled, ensure_ga_compiled
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.registry import SolveOptions, register
from schedkit.result import Result, Status

kernels: Any = rcpsp_kernels  # numba dispatchers: their call signatures are not typed

RULES = ("lft", "lst", "mts", "grpw", "spt", "lpt")
DEFAULT_SCHEDULES = 1000  # without a time limit: the schedule budget of Hartmann & Kolisch (2000)
MAX_MTS_ACTIVITIES = 20_000  # the transitive successor bitsets are n²/8 bytes
LAG_METHODS = ("cpsat", "sgs-lags", "auto")  # the RCPSP methods that take time lags


def refuse_lags(instance: RCPSPInstance, method: str) -> None:
    """UnsupportedInstance for a project with time lags, naming the methods that take them."""
    if instance.lags is not None:
        raise UnsupportedInstance(
            f"{method} cannot take time lags (RCPSP/max); use one of {', '.join(LAG_METHODS)}"
        )


def arrays(instance: RCPSPInstance) -> tuple[np.ndarray, ...]:
    """(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c): what every SGS kernel takes."""
    return (instance.durations, instance.pred_ptr, instance.pred_idx, instance.succ_ptr,
            instance.succ_idx, instance.demands, instance.capacities)


def priorities(instance: RCPSPInstance, rule: str) -> np.ndarray:
    """Priority values of `rule` (smaller first): LFT and LST from the precedence-only latest
    times at horizon Σd, MTS most total successors, GRPW greatest rank positional weight
    (own duration plus the immediate successors'), SPT shortest, LPT longest duration."""
    rule = str(rule).lower()
    d = instance.durations
    if rule in ("lft", "lst"):
        ls = kernels.latest_starts(instance.order, d, instance.succ_ptr, instance.succ_idx,
                                   int(d.sum()))
        values = ls + d if rule == "lft" else ls
    elif rule == "mts":
        if instance.n > MAX_MTS_ACTIVITIES:
            raise ProblemTooLarge(f"rule mts counts successors by bitsets: at most "
                                  f"{MAX_MTS_ACTIVITIES} activities, got {instance.n}")
        values = -kernels.successor_totals(instance.order, instance.succ_ptr, instance.succ_idx)
    elif rule == "grpw":
        following = np.add.reduceat(np.append(d[instance.succ_idx], 0), instance.succ_ptr[:-1])
        following[instance.succ_ptr[:-1] == instance.succ_ptr[1:]] = 0
        values = -(d + following)
    elif rule == "spt":
        values = d
    elif rule == "lpt":
        values = -d
    else:
        raise SchedkitError(f"unknown priority rule {rule!r}; choose one of {', '.join(RULES)}")
    return np.asarray(values, dtype=np.float64)


def schedule_result(instance: RCPSPInstance, start: np.ndarray, bound: int, **stats: Any) -> Result:
    """A heuristic's Result: makespan, the lower bound, optimal when they meet."""
    value = plain.makespan(start, instance.durations)
    status: Status = "optimal" if value == bound else "feasible"
    return Result(status, value, bound, RCPSPSolution(start), {"workers": 1, "lower_bound": bound,
                                                              **stats})


def kernels_or_plain(instance: RCPSPInstance, deadline: float,
                     ga: bool = False) -> tuple[float, Result | None]:
    """(seconds waited, None) when the SGS kernels (and with `ga` the GA's) are ready by
    `deadline`, else (seconds waited, the plain schedule of `plain.fallback` as a Result) while
    they go on compiling."""
    ready, waited = ensure_compiled(deadline - MARGIN)
    if ready and ga:
        ready, more = ensure_ga_compiled(deadline - MARGIN)
        waited += more
    if ready:
        return waited, None
    left = None if deadline == float("inf") else max(0.0, deadline - time.perf_counter())
    start, note = plain.fallback(instance, left)
    return waited, schedule_result(instance, start, lower_bound(instance), compiling=True,
                                   note=note, compile_seconds=round(waited, 3))


def sgs(instance: RCPSPInstance, rule: str, parallel: bool) -> np.ndarray:
    """The starts of one deterministic SGS pass with `rule`."""
    scheme = kernels.parallel_sgs if parallel else kernels.serial_sgs
    start, _ = scheme(*arrays(instance), priorities(instance, rule), -1.0, seed_state(0))
    return start


def _sgs_method(name: str, parallel: bool) -> None:
    description = (f"{'parallel' if parallel else 'serial'} schedule generation scheme with a "
                   f"priority rule (rule= {', '.join(RULES)})")

    def method(instance: RCPSPInstance, options: SolveOptions) -> Result:
        refuse_lags(instance, name)
        compile_seconds, fallback = kernels_or_plain(instance, options.deadline)
        if fallback is not None:
            return fallback
        rule = str(options.get("rule")).lower()
        start = sgs(instance, rule, parallel)
        return schedule_result(instance, start, lower_bound(instance), rule=rule,
                               compile_seconds=compile_seconds)

    method.__name__ = f"solve_{name.replace('-', '_')}"
    method.__doc__ = description
    register("rcpsp", name, exact=False, description=description, options={"rule": "lft"})(method)


_sgs_method("sgs-serial", parallel=False)
_sgs_method("sgs-parallel", parallel=True)


def sample(instance: RCPSPInstance, deadline: float, schedules: int | None, seed: int, *,
           rule: str = "lft", alpha: float = 1.0, parallel: bool = True, improve: bool = False,
           bound: int | None = None, incumbents: Incumbents | None = None) -> tuple[np.ndarray, int, int]:
    """Regret-biased random sampling in batches until `schedules` SGS passes (None: until the
    deadline), the deadline, or the bound is reached: (best starts, makespan, passes used).
    Each new best goes to `incumbents` (progress)."""
    data = arrays(instance)
    values = priorities(instance, rule)
    bound = lower_bound(instance) if bound is None else bound
    state = seed_state(seed)
    best, state = kernels.serial_sgs(*data, values, -1.0, state)  # the deterministic rule first
    state = np.uint64(state)  # numba hands it back as a Python int: keep it uint64
    best_span = int(kernels.makespan(best, instance.durations))
    used = 1
    if incumbents is not None:
        incumbents.improved(best_span, partial(schedule_result, instance, best, bound, offered=rule))
    batch = int(max(1, min(100, 20_000 // instance.n)))
    pacer = None if improve else Pacer(batch)  # fbi justifies within a batch: its batches keep their size
    while best_span > bound and (schedules is None or used < schedules) \
            and time.perf_counter() < deadline:
        size = batch if pacer is None else pacer.size(deadline - time.perf_counter())
        size = size if schedules is None else min(size, schedules - used)
        if size == 0:
            break  # not even one pass fits in the time left at the last batch's pace
        tick = time.perf_counter()
        start, span, spent, state = kernels.sample_batch(*data, values, float(alpha), parallel,
                                                         improve, size, state)
        state = np.uint64(state)
        used += int(spent)
        if pacer is not None:
            pacer.record(int(spent), time.perf_counter() - tick)
        if span < best_span:
            best, best_span = start, int(span)
            if incumbents is not None:
                incumbents.improved(best_span, partial(schedule_result, instance, best, bound,
                                                       offered="fbi" if improve else "sampling"))
        elif incumbents is not None:
            incumbents.poll()
    return best, best_span, used


def _schedules(options: SolveOptions) -> int | None:
    """The `schedules` option; its default is 1000 without a time limit, unbounded with one."""
    value = options.get("schedules")
    if value is None:
        return DEFAULT_SCHEDULES if options.time_limit is None else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SchedkitError(f"schedules must be a positive integer, got {value!r}")
    return value


@register(
    "rcpsp", "sampling", exact=False,
    options={"rule": "lft", "schedules": None, "alpha": 1.0, "scheme": "parallel"},
    description="regret-biased random sampling (Drexl 1991) on an SGS; schedules=1000 unless a "
    "time limit is given",
)
def solve_sampling(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Best of `schedules` random schedules (or as many as the time limit allows)."""
    refuse_lags(instance, "sampling")
    compile_seconds, fallback = kernels_or_plain(instance, options.deadline)
    if fallback is not None:
        return fallback
    scheme = str(options.get("scheme")).lower()
    if scheme not in ("serial", "parallel"):
        raise SchedkitError(f"scheme must be serial or parallel, got {scheme!r}")
    bound = lower_bound(instance)
    start, _, used = sample(instance, options.deadline, _schedules(options), options.seed,
                            rule=str(options.get("rule")), alpha=float(options.get("alpha")),
                            parallel=scheme == "parallel", bound=bound, incumbents=Incumbents())
    return schedule_result(instance, start, bound, schedules=used, scheme=scheme,
                           compile_seconds=compile_seconds)


@register(
    "rcpsp", "fbi", exact=False, options={"rule": "lft", "schedules": None, "alpha": 1.0},
    description="random sampling on the serial SGS with forward-backward improvement "
    "(justification) of every schedule; schedules=1000 unless a time limit is given",
)
def solve_fbi(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Every sampled schedule is justified until it stops improving (each pass is a schedule)."""
    refuse_lags(instance, "fbi")
    compile_seconds, fallback = kernels_or_plain(instance, options.deadline)
    if fallback is not None:
        return fallback
    bound = lower_bound(instance)
    start, _, used = sample(instance, options.deadline, _schedules(options), options.seed,
                            rule=str(options.get("rule")), alpha=float(options.get("alpha")),
                            parallel=False, improve=True, bound=bound, incumbents=Incumbents())
    return schedule_result(instance, start, bound, schedules=used, compile_seconds=compile_seconds)
