"""numba compilation inside the caller's budget (issue 16).

A cold numba cache makes the first call of a method compile its kernels: seconds to a minute.
`within_budget` wraps a registered method: before the first real run it compiles the method's
kernels by running the method itself on tiny instances, in a background thread when there is
a time limit. When the limit comes first, the call returns the EDD order (computed with numpy
alone) as `feasible`, and the compilation goes on so that a later call finds it done. The time
waited is `stats["compile_seconds"]`; it is 0 once a method is compiled in this process.
"""

from __future__ import annotations

import atexit
import functools
import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from schedkit.common.finish import finish
from schedkit.registry import SolveOptions
from schedkit.result import Result
from schedkit.smtt.model import SMTTInstance, SMTTSolution

MARGIN = 0.05  # seconds kept back to build the fallback result before the deadline
# Tiny instances with late jobs, so that warm-up runs reach the kernels (no early exit at 0).
_P = np.array([4, 7, 2, 9, 5, 3, 8, 6])
_D = np.array([6, 12, 5, 20, 9, 14, 18, 10])
TINY_WEIGHTED = SMTTInstance(p=_P, d=_D, w=np.array([3, 1, 4, 2, 5, 1, 2, 3]), name="warm-up")
TINY_UNWEIGHTED = SMTTInstance(p=_P, d=_D, name="warm-up")

Solver = Callable[[SMTTInstance, SolveOptions], Result]

_lock = threading.Lock()
# One compilation at a time: two threads compiling the same numba dispatcher (methods share
# kernels) fail with "unsupported recursion"; warm-ups queue on this lock instead.
_compiling = threading.Lock()
_inside = threading.local()  # set in a warm-up thread: methods it calls compile inline
_threads: dict[str, threading.Thread] = {}
_errors: dict[str, BaseException] = {}
_ready: set[str] = set()


def _warm(name: str, solver: Solver, instances: tuple[SMTTInstance, ...],
          also: Callable[[], object] | None, extra: Mapping[str, Any]) -> None:
    _inside.warming = True
    try:
        with _compiling:
            for instance in instances:
                solver(instance, SolveOptions(workers=1, extra=extra))
            if also is not None:
                also()
        _ready.add(name)
    except BaseException as error:  # handed to the caller's thread
        _errors[name] = error


@atexit.register
def _finish_compiling() -> None:
    """At exit, let a compilation still running end (an interpreter torn down under numba's
    compiler can crash; the finished cache serves the next process)."""
    for thread in list(_threads.values()):
        thread.join()


def compile_within(name: str, solver: Solver, instances: tuple[SMTTInstance, ...],
                   deadline: float, also: Callable[[], object] | None = None,
                   extra: Mapping[str, Any] | None = None) -> float | None:
    """Compile `name`'s kernels by running `solver` (with options `extra`) on `instances`
    (then `also`, for kernels those runs do not reach); the seconds waited, or None when
    `deadline` (a perf_counter value) came first (compilation goes on)."""
    if name in _ready or getattr(_inside, "warming", False):
        return 0.0  # compiled, or called by another method's warm-up (which holds the lock)
    started = time.perf_counter()
    with _lock:
        thread = _threads.get(name)
        if thread is None:
            thread = threading.Thread(target=_warm, args=(name, solver, instances, also, dict(extra or {})),
                                      daemon=True,
                                      name=f"smtt-compile-{name}")
            _threads[name] = thread
            thread.start()
    _join_all(deadline)  # no kernel runs while any warm-up (this method's or another's) compiles
    if name in _errors:
        with _lock:
            _threads.pop(name, None)
        raise _errors.pop(name)
    if any(t.is_alive() for t in list(_threads.values())):
        return None
    return time.perf_counter() - started


def _join_all(deadline: float) -> None:
    """Wait for every running warm-up thread, until `deadline` (less MARGIN)."""
    for thread in list(_threads.values()):
        if math.isinf(deadline):
            thread.join()
        else:
            thread.join(max(0.0, deadline - time.perf_counter() - MARGIN))


def edd_fallback(instance: SMTTInstance, waited: float, exact: bool) -> Result:
    """The EDD order from numpy alone (no kernel), as `feasible` (bound 0 for exact methods)."""
    sequence = np.lexsort((np.arange(instance.n), instance.d)).astype(np.int64)
    completion = np.cumsum(instance.p[sequence])
    objective = int(np.sum(instance.w[sequence] * np.maximum(0, completion - instance.d[sequence])))
    stats: dict[str, Any] = {"workers": 1, "compile_seconds": round(waited, 3), "compiling": True}
    if exact:
        return finish(objective, 0, False, SMTTSolution(sequence), stats)
    return Result("optimal" if objective == 0 else "feasible", objective,
                  0 if objective == 0 else None, SMTTSolution(sequence), stats)


def within_budget(exact: bool, instances: tuple[SMTTInstance, ...] = (TINY_WEIGHTED,),
                  also: Callable[[], object] | None = None,
                  refuse: Callable[[SMTTInstance], None] | None = None) -> Callable[[Solver], Solver]:
    """Decorate a method: its kernels compile inside the caller's budget (see the module);
    `refuse(instance)` raises for an instance the method never serves, before any compiling."""
    def wrap(solver: Solver) -> Solver:
        name = solver.__name__

        @functools.wraps(solver)
        def method(instance: SMTTInstance, options: SolveOptions) -> Result:
            if refuse is not None:
                refuse(instance)
            waited = compile_within(name, solver, instances, options.deadline, also,
                                    options.extra)
            if waited is None:
                return edd_fallback(instance, time.perf_counter() - options.started, exact)
            result = solver(instance, options)
            return result.with_context(stats={**result.stats, "compile_seconds": round(waited, 3)})

        return method

    return wrap


# A fork while a warm-up compiles hands the child numba's compiler lock held by a thread that
# does not exist there (the child's first kernel call then waits forever): forks wait for it.
os.register_at_fork(before=_finish_compiling)
