"""ttl-opt keeps the time its final pass needs: tuning stopped at 70 % of the limit whatever the
trace, so on a 10,000-program trace the final pass (about a second) overran -t 1.5 and -t 3 and
the run ended with no answer. Asserted on a fake clock: each pass costs its turns."""

from __future__ import annotations

import types
from typing import Any

import pytest

import schedkit
from schedkit import registry
from schedkit.registry import SolveOptions
from schedkit.serving.heuristics import ttl_opt

SECONDS_PER_TURN = 1e-4


@pytest.fixture
def clock(monkeypatch):
    """ttl-opt on a fake clock: a warm-up score and the final pass advance it by their turns."""
    now = {"t": 0.0, "final_start": None, "final_end": None}

    def score(instance: Any, policy: Any, simulate: Any) -> float:
        now["t"] += SECONDS_PER_TURN * instance.turns
        return 1.0 / (1.0 + now["t"])  # every move improves: tuning goes on while it may

    def serve(instance: Any, policy: Any, options: Any, simulation: Any, **stats: Any) -> Any:
        now["final_start"] = now["t"]
        now["t"] += SECONDS_PER_TURN * instance.turns
        now["final_end"] = now["t"]
        return stats

    fake = types.SimpleNamespace(perf_counter=lambda: now["t"])
    monkeypatch.setattr(ttl_opt, "time", fake)
    monkeypatch.setattr(registry, "time", fake)  # SolveOptions.remaining()
    monkeypatch.setattr(ttl_opt, "_score", score)
    monkeypatch.setattr(ttl_opt, "serve", serve)
    monkeypatch.setattr(ttl_opt, "simulator", lambda options: (None, {}))
    return now


@pytest.mark.parametrize("passes", [1.3, 2.0, 4.0, 10.0])
def test_tuning_leaves_the_final_pass_its_time(clock, passes):
    """A limit of 1.3 to 10 full passes: the final pass ends within it (it ended at 0.7 of the
    limit plus a pass: 1.91 passes of 1.3), and tuning goes on while the limit allows."""
    x = schedkit.generate.serving(400, "swe", seed=2)
    full = SECONDS_PER_TURN * x.turns
    options = SolveOptions(time_limit=passes * full, started=0.0, extra={"warmup": 0.25, "rounds": 100})
    stats = ttl_opt.solve_ttl_opt(x, options)
    assert clock["final_end"] - clock["final_start"] == pytest.approx(full)
    assert clock["final_end"] <= passes * full
    if passes >= 4:
        assert stats["evaluations"] >= 2 * passes
