"""The network model (latency + data / bandwidth) end to end, and the Gantt chart's rows."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.dag.model import DAGInstance
from schedkit.family import get

# Task 1 is cheap on P1, task 2 on P2; the edge carries 8 data units over bandwidth 2.
BASE = DAGInstance(cost=[[1, 100], [10, 1]], edges=[[0, 1]], data=[8],
                   bandwidth=[[1, 2], [2, 1]], latency=[0, 0], name="net")


@pytest.mark.parametrize("method", ["heft", "peft", "cpsat", "cpop"])
@pytest.mark.parametrize(("latency", "expected"), [(0, 6), (6, 11)])
def test_transfer_pays_only_when_cheap_enough(method, latency, expected):
    """Latency 0: 1 on P1, ship 8/2 = 4, 1 on P2 -> 6. Latency 6: 1 + 6 + 4 + 1 = 12 > 11,
    so both on P1 -> 11. HEFT, PEFT and CP-SAT find it (CP-SAT, without a time limit, proves it);
    CPOP puts its whole critical path (both tasks) on the processor cheapest for the pair, P1: 11."""
    expected = 11 if method == "cpop" else expected
    instance = BASE.replace(latency=[latency, 0])
    result = schedkit.solve(instance, method, time_limit=None, workers=1)
    assert result.objective == expected
    assert schedkit.check(instance, result).feasible
    if method == "cpsat":
        assert result.status == "optimal"


def test_rounding_up_of_a_transfer():
    """7 data units over bandwidth 2 take ceil(3.5) = 4: start at 1 + 4 = 5, not 4.5 or 4."""
    instance = BASE.replace(data=[7])
    report = schedkit.check(instance, {"processor": [0, 1], "start": [0, 4]})
    assert not report.feasible and "before 5" in report.violations[0]
    assert schedkit.check(instance, {"processor": [0, 1], "start": [0, 5]}).objective == 6


def test_gantt_rows_are_the_processors(monkeypatch, tmp_path, fig2):
    """The family's Gantt drawer gives one row per processor and one bar per task."""
    captured = {}

    def fake_draw(bars, path, title, rows=None, **kwargs):
        captured.update(bars=bars, rows=rows, title=title)

    monkeypatch.setattr("schedkit.dag.gantt.draw", fake_draw)
    result = schedkit.solve(fig2, "heft")
    gantt = get("dag").gantt
    assert gantt is not None
    gantt(fig2, result.solution, tmp_path / "x.png")
    assert captured["rows"] == ["P1", "P2", "P3"]
    assert len(captured["bars"]) == 10 and "makespan 80" in captured["title"]
    last = next(bar for bar in captured["bars"] if bar.label == "10")
    assert (last.row, last.start, last.end) == ("P2", 73, 80)
