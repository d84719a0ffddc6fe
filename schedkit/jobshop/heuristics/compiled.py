"""Numba compilation inside a time budget: is a kernel ready to run (compiled in this process or
in numba's on-disk cache), and how long the first calls took (`compile_seconds`).

A cold compile of the dispatching kernel took 2.3 s and of the tabu kernel 8.4 s here (load 3);
the classic shops' `dispatch_classic` 2.8 s against `dispatch`'s 1.8 s side by side (load 6.5);
a method whose budget cannot absorb the estimate below skips the phase rather than overrun.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

DISPATCH_SECONDS = 6.0  # cold-compile estimates at load 5, counted against the budget
BLOCKING_SECONDS = 12.0  # the blocking simulation: 11 s measured cold at load 18
TABU_SECONDS = 20.0


def ready(kernel: Any) -> bool:
    """True when calling `kernel` costs no compilation: compiled here, or cached on disk."""
    if getattr(kernel, "signatures", None):
        return True
    cache = getattr(kernel, "_cache", None)
    index = getattr(getattr(cache, "_cache_file", None), "_index_path", None)
    source = getattr(getattr(kernel, "py_func", None), "__code__", None)
    if not index or not os.path.exists(str(index)) or source is None:
        return False
    # an index older than its source file is stale: numba will compile again
    return os.path.getmtime(str(index)) >= os.path.getmtime(source.co_filename)


def affordable(kernel: Any, estimate: float, seconds: float | None) -> bool:
    """Whether a call fits `seconds` (None: no limit) when it may first have to compile."""
    return seconds is None or ready(kernel) or seconds >= estimate


class CompileClock:
    """Adds to `seconds` the wall time of calls that found their kernel not yet loaded."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def run(self, kernel: Any, call: Callable[[], Any]) -> Any:
        """`call()`, timed into `seconds` when `kernel` had no compiled signature before it."""
        cold = not getattr(kernel, "signatures", None)
        began = time.perf_counter()
        out = call()
        if cold:
            self.seconds += time.perf_counter() - began
        return out
