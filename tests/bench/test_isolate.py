"""Isolated runs: a crash, a hang, an exception, memory exhaustion and an invalid solution all
become records, within their limits, and the harness process survives them."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

import schedkit
from schedkit import registry
from schedkit.bench.isolate import RunSpec, execute
from schedkit.result import Result

INSTANCE = schedkit.load(os.path.join(os.path.dirname(__file__), "..", "..", "instances", "smtt",
                                      "smtt_n20.jsonl#5"))


def _hang(instance, options):
    while True:
        time.sleep(0.05)


def _crash(instance, options):
    os.abort()


def _raise(instance, options):
    raise RuntimeError("solver blew up")


def _hog(instance, options):
    blocks = []
    while True:
        blocks.append(np.ones(50_000_000, dtype=np.uint8))


def _invalid(instance, options):
    return Result(status="feasible", objective=0, solution=schedkit.SMTTSolution([0] * instance.n))


BROKEN = {"test-hang": _hang, "test-crash": _crash, "test-raise": _raise, "test-hog": _hog,
          "test-invalid": _invalid}


@pytest.fixture(autouse=True)
def broken_methods():
    """Register deliberately broken methods for this module only."""
    for name, function in BROKEN.items():
        registry.register("smtt", name, exact=False, description="test")(function)
    yield
    for name in BROKEN:
        registry._METHODS.pop(("smtt", name), None)


def spec(method: str, time_limit: float = 1.0, grace: float = 0.5, memory: int | None = None):
    return RunSpec("test", INSTANCE, method, method, {}, 0, time_limit, 1, grace, memory, {})


def test_ok_run_is_checked():
    """A normal run reports its objective and outcome ok."""
    record = execute(spec("edd"))
    assert record["outcome"] == "ok" and record["objective"] == schedkit.solve(INSTANCE, "edd").objective
    assert len(record["load"]) == 2 and all(v is None or v >= 0 for v in record["load"])


def test_hanging_method_is_killed_at_limit_plus_grace():
    """A method that never returns is killed after time limit + grace and recorded."""
    record = execute(spec("test-hang", time_limit=0.5, grace=0.5))  # a harness that never kills hangs here
    assert record["outcome"] == "error" and record["error"].startswith("timeout")


def test_crashing_method_is_recorded():
    """A hard crash (abort) of the child is an error naming the signal."""
    record = execute(spec("test-crash"))
    assert record["outcome"] == "error" and "SIGABRT" in record["error"]


def test_raising_method_is_recorded():
    """An exception in the method is an error with its message."""
    record = execute(spec("test-raise"))
    assert record["outcome"] == "error" and "solver blew up" in record["error"]


def test_memory_limit():
    """A run over its memory limit ends as an error, not a dead harness. The time limit is
    generous: the hog ends as soon as its memory runs out, but on a loaded machine starting the
    child and writing 1.5 GB took longer than 5 s and the run ended as a timeout instead."""
    record = execute(spec("test-hog", time_limit=60, memory=1500))
    assert record["outcome"] == "error"
    assert "memory" in record["error"] or "crashed" in record["error"]


def test_invalid_solution_is_caught():
    """A solution that fails schedkit.check is recorded as invalid with the violations."""
    record = execute(spec("test-invalid"))
    assert record["outcome"] == "invalid"
    assert any("appears twice" in v for v in record["violations"])
