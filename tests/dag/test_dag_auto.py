"""`auto` on graphs too large for CP-SAT: the best pass with a schedule wins, and on a cold cache
(the passes as slow plain Python) the passes stop before one would outlast the limit."""

from __future__ import annotations

import time
from typing import Any

import pytest

import schedkit
from schedkit.dag import auto as dag_auto
from schedkit.registry import SolveOptions
from schedkit.result import Result
from tests.dag.conftest import FIG2


def _recording(monkeypatch: pytest.MonkeyPatch, unknown: set[str]) -> list[str]:
    """Replace auto's runner: the real method, except `unknown` ones answer without a schedule."""
    calls: list[str] = []
    real = dag_auto.run_method

    def run(family: str, name: str, instance: Any, options: SolveOptions, limit: float | None) -> Result:
        calls.append(name)
        if name in unknown:
            return Result("unknown", None, None, None, {"workers": 1})
        return real(family, name, instance, options, limit)

    monkeypatch.setattr(dag_auto, "run_method", run)
    monkeypatch.setattr(dag_auto, "CPSAT_MAX_TASKS", 0)  # the heuristics' branch on a small graph
    return calls


def test_a_pass_without_a_schedule_never_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """HEFT answering `unknown` used to count as makespan 0 and win; now PEFT's schedule does."""
    calls = _recording(monkeypatch, {"heft"})
    x = schedkit.load(FIG2)
    result = dag_auto.solve_auto(x, SolveOptions(time_limit=None))
    assert calls == ["heft", "peft", "cpop"]
    assert result.solution is not None and result.stats["chosen"] in ("peft", "cpop")
    assert schedkit.check(x, result).feasible


def test_the_passes_stop_when_the_next_would_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each pass seems to take 1 s (a clock that steps); with 1 s left after HEFT, PEFT is not
    started (it needs NEXT_PASS_MARGIN times that) and HEFT's schedule is the answer."""
    calls = _recording(monkeypatch, set())
    ticks = iter(range(0, 100))

    class SteppingClock:
        @staticmethod
        def perf_counter() -> float:
            return float(next(ticks))

    monkeypatch.setattr(dag_auto, "time", SteppingClock)
    options = SolveOptions(time_limit=60.0, started=time.perf_counter() - 59.0)  # about 1 s left
    x = schedkit.load(FIG2)
    result = dag_auto.solve_auto(x, options)
    assert calls == ["heft"]
    assert result.stats["chosen"] == "heft" and schedkit.check(x, result).feasible
