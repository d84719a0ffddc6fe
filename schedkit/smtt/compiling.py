"""numba compilation inside the caller's budget (issue 16).

A cold numba cache makes the first call of a method compile its kernels: seconds to a minute.
`within_budget` wraps a registered method: before the first real run it compiles the method's
kernels by running the method itself on tiny instances, in a background thread when there is
a time limit. When the limit comes first, the call returns the best of the EDD, SPT and WSPT
orders (computed with numpy alone) as `feasible`, and the compilation goes on so that a later
call finds it done. The time waited is `stats["compile_seconds"]`; it is 0 once a method is
compiled in this process.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from schedkit.common.compile import MARGIN, compile_until
from schedkit.deadline import offer_better
from schedkit.registry import SolveOptions
from schedkit.result import Result
from schedkit.smtt.bounds import strengthen
from schedkit.smtt.model import SMTTInstance
from schedkit.smtt.sorting import OFFERED, sorting_result

# Tiny instances with late jobs, so that warm-up runs reach the kernels (no early exit at 0).
_P = np.array([4, 7, 2, 9, 5, 3, 8, 6])
_D = np.array([6, 12, 5, 20, 9, 14, 18, 10])
TINY_WEIGHTED = SMTTInstance(p=_P, d=_D, w=np.array([3, 1, 4, 2, 5, 1, 2, 3]), name="warm-up")
TINY_UNWEIGHTED = SMTTInstance(p=_P, d=_D, name="warm-up")

Solver = Callable[[SMTTInstance, SolveOptions], Result]


def _warm_up(solver: Solver, instances: tuple[SMTTInstance, ...],
             also: Callable[[], object] | None, extra: Mapping[str, Any]) -> Callable[[], None]:
    """The warm-up call of a method: itself on `instances` (then `also`)."""
    def warm() -> None:
        for instance in instances:
            solver(instance, SolveOptions(workers=1, extra=extra))
        if also is not None:
            also()
    return warm


def compile_within(name: str, solver: Solver, instances: tuple[SMTTInstance, ...],
                   deadline: float, also: Callable[[], object] | None = None,
                   extra: Mapping[str, Any] | None = None) -> float | None:
    """Compile `name`'s kernels by running `solver` (with options `extra`) on `instances`
    (then `also`, for kernels those runs do not reach); the seconds waited, or None when
    `deadline` (a perf_counter value) came first (compilation goes on)."""
    warm = _warm_up(solver, instances, also, dict(extra or {}))
    ready, waited = compile_until(f"smtt.{name}", warm, deadline - MARGIN)
    return waited if ready else None


def nothing_late(instance: SMTTInstance) -> bool:
    """Whether the EDD order is on time (then every method answers optimal 0 at once): exact
    methods refuse a size they cannot model only when something is late."""
    edd = np.argsort(instance.d, kind="stable")
    return not bool(np.any(np.cumsum(instance.p[edd]) > instance.d[edd]))


def sorting_fallback(instance: SMTTInstance, waited: float, exact: bool) -> Result:
    """What a method answers while its kernels compile: `sorting_result`."""
    return sorting_result(instance, exact, {
        "workers": 1, "compile_seconds": round(waited, 3), "compiling": True,
        "note": "the numba kernels were still compiling: the best of the EDD, SPT and WSPT orders (numpy)"})


def within_budget(exact: bool, instances: tuple[SMTTInstance, ...] = (TINY_WEIGHTED,),
                  also: Callable[[], object] | None = None,
                  refuse: Callable[[SMTTInstance], None] | None = None) -> Callable[[Solver], Solver]:
    """Decorate a method: its kernels compile inside the caller's budget (see the module);
    `refuse(instance)` raises for an instance the method never serves, before any compiling.
    An exact method's `feasible` answer gets `bounds.cheap_bound` when its own is weaker."""
    def wrap(solver: Solver) -> Solver:
        name = solver.__name__

        @functools.wraps(solver)
        def method(instance: SMTTInstance, options: SolveOptions) -> Result:
            if refuse is not None:
                refuse(instance)
            waited = compile_within(name, solver, instances, options.deadline, also,
                                    options.extra)
            if waited is None:
                return sorting_fallback(instance, time.perf_counter() - options.started, exact)
            if options.time_limit is not None:  # what the guard returns if the method overruns
                offer_better(sorting_result(instance, exact, {"workers": 1, "offered": OFFERED}))
            result = solver(instance, options)
            if exact:
                result = strengthen(instance, result)
            return result.with_context(stats={**result.stats, "compile_seconds": round(waited, 3)})

        return method

    return wrap
