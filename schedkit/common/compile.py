"""Numba compilation inside a method's budget: compile first on a tiny call, and say how long.

A kernel compiles (or loads from the on-disk cache) the first time a process calls it.
`compile_once(key, warm)` runs `warm`, a call of the kernels behind `key` on a tiny input,
once per process, and returns its wall seconds (0.0 on every later call): a method adds that
to `stats["compile_seconds"]` and plans its budget from what is left (`SolveOptions.remaining`
already counts it, since the clock started before). `schedkit warmup` fills the cache so that
this is milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

_DONE: set[str] = set()


def is_kernel(value: Any) -> bool:
    """True for a numba dispatcher (an `@njit` function), without importing numba."""
    return hasattr(value, "py_func") and hasattr(value, "signatures") and hasattr(value, "compile")


def compiled(kernels: Iterable[Any]) -> bool:
    """True when every kernel has at least one compiled signature in this process."""
    return all(kernel.signatures for kernel in kernels)


def compile_once(key: str, warm: Callable[[], object]) -> float:
    """Run `warm` the first time `key` is asked for in this process; its wall seconds, else 0.0."""
    if key in _DONE:
        return 0.0
    started = time.perf_counter()
    warm()
    _DONE.add(key)
    return time.perf_counter() - started


def add_compile_seconds(stats: dict[str, Any], seconds: float) -> dict[str, Any]:
    """`stats` with `compile_seconds` increased by `seconds` (rounded to the microsecond)."""
    stats["compile_seconds"] = round(float(stats.get("compile_seconds", 0.0)) + seconds, 6)
    return stats
