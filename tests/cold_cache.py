"""Shared by the cold-cache tests: a compilation made slow on purpose, and a first call on a
real, empty numba cache. What they assert holds at any machine speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from schedkit import deadline, solve
from schedkit.common import compile as compile_module

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def slow_warm_ups(monkeypatch: pytest.MonkeyPatch, module: Any, warm: tuple[str, ...],
                  compiled: tuple[str, ...] = ()) -> Iterator[None]:
    """Fresh compile tables; in `module` the checks named `compiled` say False and the warm-ups
    named `warm` wait until the block ends. They end then and are waited for, so they mark
    these tables only, never the next test's."""
    release = threading.Event()
    for name, value in (("_DONE", set()), ("_threads", {}), ("_errors", {})):
        monkeypatch.setattr(compile_module, name, value)
    for name in compiled:
        monkeypatch.setattr(module, name, lambda: False)
    for name in warm:
        monkeypatch.setattr(module, name, lambda: release.wait(60))
    try:
        yield
    finally:
        release.set()
        compile_module.wait_for_compiling()


COLD_RUN = """
import json, os, sys
import schedkit
x = schedkit.load(sys.argv[1])
result = schedkit.solve(x, sys.argv[2], time_limit=float(sys.argv[3]))
report = schedkit.check(x, result) if result.solution is not None else None
print(json.dumps({"status": result.status, "checked": bool(report and report.feasible)}))
sys.stdout.flush()
os._exit(0)  # not waiting for the compilation this run may have left going
"""


def cold_answer(path: Path | str, method: str, cache: Path, time_limit: float = 1.0) -> dict[str, Any]:
    """`method` on `path` in a fresh process whose numba cache is the empty folder `cache`, the
    hard deadline off (so no verdict depends on speed): {"status", "checked"}."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "SCHEDKIT_HARD_DEADLINE": "0",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", COLD_RUN, str(path), method, str(time_limit)],
                          env=env, capture_output=True, text=True, timeout=600, check=True)
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def answer_past_a_held_call(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, instance: Any,
                            method: str, after: Any, workers: int | None = None) -> Any:
    """`method`'s answer when `module.<name>` is held past the hard deadline of a 0.5 s call (once
    released it returns `after(*its arguments)`)."""
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    release = threading.Event()

    def held(*args: Any) -> Any:
        deadline.cut_short()
        release.wait()
        return after(*args)

    monkeypatch.setattr(module, name, held)
    try:
        return solve(instance, method, time_limit=0.5, workers=workers)
    finally:
        release.set()
        deadline.wait_for_abandoned()


def answer_past_a_held_import(monkeypatch: pytest.MonkeyPatch, module: Any, instance: Any,
                              method: str, workers: int | None = None) -> Any:
    """`method`'s answer when `module.import_cp_model` (a cpsat's OR-Tools import, as in a fresh
    process) is held past the hard deadline of a 0.5 s call."""
    monkeypatch.delitem(sys.modules, "ortools.sat.python.cp_model", raising=False)  # a fresh process
    return answer_past_a_held_call(monkeypatch, module, "import_cp_model", instance, method,
                                   module.import_cp_model, workers)
