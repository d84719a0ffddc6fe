"""Numba compilation inside a method's budget: compile on a helper thread, wait until a deadline.

A kernel compiles (or loads from the on-disk cache) the first time a process calls it: from
scratch that takes seconds to tens of seconds. `compile_until(key, warm, deadline)` runs `warm`,
a call of the kernels behind `key` on a tiny input, once per process on a helper thread, and
waits for it until `deadline`. A method whose kernels are not ready by then returns what it can
build without them (a numpy/Python fallback plan, or the model without its warm start) instead
of overrunning its time limit; the compilation goes on, so a later call (or `schedkit warmup`,
which fills the cache ahead) finds it done. Methods report the seconds waited as
`stats["compile_seconds"]`.
"""

from __future__ import annotations

import atexit
import math
import os
import threading
import time
import types
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from schedkit.deadline import mute_offers
from schedkit.registry import SolveOptions

MARGIN = 0.05  # seconds a method keeps back before its deadline to answer without its kernels
WAIT_SHARE = 0.2  # a method with work of its own waits this share of its limit for its kernels,
WAIT_LEAST = 1.0  # and at least this long (loading them from a warm cache takes well under it)

_DONE: set[str] = set()
_threads: dict[str, threading.Thread] = {}
_errors: dict[str, BaseException] = {}
_lock = threading.Lock()  # guards the three tables above
# One warm-up at a time: two threads compiling the same numba dispatcher (methods share
# kernels) fail with "unsupported recursion"; warm-ups queue on this lock instead.
_compiling = threading.Lock()
_inside = threading.local()  # set on a warm-up thread: what it calls compiles inline


def is_kernel(value: Any) -> bool:
    """True for a numba dispatcher (an `@njit` function), without importing numba."""
    return hasattr(value, "py_func") and hasattr(value, "signatures") and hasattr(value, "compile")


def compiled(kernels: Iterable[Any]) -> bool:
    """True when every kernel has at least one compiled signature in this process."""
    return all(kernel.signatures for kernel in kernels)


def _warm(key: str, warm: Callable[[], object]) -> None:
    _inside.warming = True
    mute_offers()  # the warm-up's tiny instances are nobody's incumbent
    try:
        with _compiling:
            warm()
        _DONE.add(key)
    except BaseException as error:  # raised again in the caller's thread
        _errors[key] = error


def compile_until(key: str, warm: Callable[[], object], deadline: float = math.inf,
                  done: Callable[[], bool] | None = None) -> tuple[bool, float]:
    """(ready, seconds waited): run `warm` once per process on a helper thread and wait until
    `deadline` (a perf_counter value; inf waits as long as it takes) for it and for every
    other warm-up running (no kernel runs beside a compilation). Not ready: the deadline came
    first, and the compilation goes on in the background. `done()`, when given, says whether
    the kernels are there already (then no wait) and must hold for `ready`."""
    if done is not None and done():
        return True, 0.0
    ready, waited = _wait_for(key, warm, deadline)
    return ready and (done is None or done()), waited


def _wait_for(key: str, warm: Callable[[], object], deadline: float) -> tuple[bool, float]:
    if key in _DONE or getattr(_inside, "warming", False):
        return True, 0.0
    started = time.perf_counter()
    with _lock:
        thread = _threads.get(key)
        if thread is None or (not thread.is_alive() and key not in _DONE and key not in _errors):
            thread = threading.Thread(target=_warm, args=(key, warm), daemon=True,
                                      name=f"schedkit-compile-{key}")
            _threads[key] = thread
            thread.start()
    wait_for_compiling(deadline)
    with _lock:
        error = _errors.pop(key, None)
        if error is not None:
            _threads.pop(key, None)
    if error is not None:
        raise error
    return key in _DONE and not compiling(), time.perf_counter() - started


def wait_until(options: SolveOptions) -> float:
    """Until when a method with something to do meanwhile waits for its kernels: WAIT_SHARE of
    its time limit and at least WAIT_LEAST seconds from its start, never past its deadline less
    MARGIN (a perf_counter value; inf without a limit)."""
    if options.time_limit is None:
        return math.inf
    wait = max(WAIT_LEAST, WAIT_SHARE * options.time_limit)
    return min(options.deadline - MARGIN, options.started + wait)


def compile_once(key: str, warm: Callable[[], object]) -> float:
    """Run `warm` the first time `key` is asked for in this process; its wall seconds, else 0.0."""
    return compile_until(key, warm)[1]


def compile_later(key: str, warm: Callable[[], object]) -> None:
    """Start `warm` on a helper thread (once per process) and return at once: for a run that
    answered without its kernels; the `schedkit` command waits for it before exiting."""
    compile_until(key, warm, deadline=time.perf_counter())


def compiling() -> bool:
    """True while a warm-up is compiling on a helper thread."""
    return any(thread.is_alive() for thread in list(_threads.values()))


def wait_for_compiling(deadline: float = math.inf) -> None:
    """Wait for every running warm-up, until `deadline` (a perf_counter value)."""
    for thread in list(_threads.values()):
        if math.isinf(deadline):
            thread.join()
        else:
            thread.join(max(0.0, deadline - time.perf_counter()))


def python_twin(kernel: Any) -> Any:
    """The kernel's own Python code, with every kernel it calls by a global name replaced by
    that kernel's twin in turn: the same computation (slower), compiling nothing. For what a
    method runs while its kernels compile on a cold cache."""
    twins: dict[int, Any] = {}

    def twin(dispatcher: Any) -> Any:
        if id(dispatcher) not in twins:
            code = dispatcher.py_func
            names = dict(code.__globals__)
            twins[id(dispatcher)] = types.FunctionType(code.__code__, names, code.__name__,
                                                       code.__defaults__, code.__closure__)
            for name in code.__code__.co_names:
                if is_kernel(names.get(name)):
                    names[name] = twin(names[name])
        return twins[id(dispatcher)]

    body = twin(kernel)

    def run(*args: Any) -> Any:
        with np.errstate(over="ignore"):  # integer arithmetic wraps, as compiled (random states)
            return body(*args)

    return run


def compiled_or_twin(kernel: Any) -> Any:
    """The kernel when this process has compiled it, or on a warm-up thread (whose job is to
    compile it); else its Python twin (which compiles nothing)."""
    if kernel.signatures or getattr(_inside, "warming", False):
        return kernel
    return python_twin(kernel)


class _KernelsOrTwins:
    """A kernel module seen through `compiled_or_twin`: other names pass through unchanged."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        return compiled_or_twin(value) if is_kernel(value) else value


def kernels_or_twins(module: Any) -> Any:
    """`module` (of kernels) whose kernels come compiled once this process has them, and as
    their Python twins before: code written against it runs, slower, on a cold cache."""
    return _KernelsOrTwins(module)


def add_compile_seconds(stats: dict[str, Any], seconds: float) -> dict[str, Any]:
    """`stats` with `compile_seconds` increased by `seconds` (rounded to the microsecond)."""
    stats["compile_seconds"] = round(float(stats.get("compile_seconds", 0.0)) + seconds, 6)
    return stats


# At exit a warm-up still compiling ends first (an interpreter torn down under numba's compiler
# can crash; the finished cache serves the next process). A fork while one holds numba's
# compiler lock would hand the child a lock that no thread there releases: forks wait too.
atexit.register(wait_for_compiling)
os.register_at_fork(before=wait_for_compiling)
