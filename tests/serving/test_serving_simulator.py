"""Conservation and reproducibility of the simulator, and a checker that catches tampering."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.serving.check import recompute_metrics
from schedkit.serving.model import Server, Turn, build_instance

METHODS = [m.name for m in schedkit.methods("serving")]
# Tight memory (the largest program still fits) forces evictions; offload exercises reloads.
TIGHT = Server(name="tight", kv_capacity=60_000, token_budget=2048, max_batch=8, a=0.006,
               b=3e-5, c=3e-5, e=4e-8)
OFFLOAD = Server(name="offload", kv_capacity=60_000, token_budget=2048, max_batch=8, a=0.006,
                 b=3e-5, c=3e-5, e=4e-8, offload_capacity=50_000, offload_bandwidth=2e5)


@pytest.fixture(scope="module")
def traces():
    return [schedkit.generate.serving(10, "swe", load=1.5, seed=5).with_server(server)
            for server in (TIGHT, OFFLOAD)]


@pytest.mark.parametrize("method", METHODS)
def test_conservation_and_metrics_recomputed_from_the_log(method, traces):
    """Under memory pressure (with and without CPU offload) every log passes the checker, and
    the checker's metrics from the log equal the stats the method reported."""
    for instance in traces:
        result = schedkit.solve(instance, method)
        report = schedkit.check(instance, result)
        assert report.feasible, report.violations[:3]
        again = recompute_metrics(instance, result.solution.to_dict())
        for key, value in again.items():
            assert value == pytest.approx(result.stats[key], rel=1e-12), key


def test_pressure_really_evicts_and_offloads(traces):
    """The tight fixtures do exercise re-prefill (fcfs-lru) and reloads from CPU (offload)."""
    tight, offload = traces
    assert schedkit.solve(tight, "fcfs-lru").stats["reprefilled_tokens"] > 0
    assert int(np.sum(schedkit.solve(offload, "fcfs").solution.turn_log["reloaded"])) > 0


def test_same_seed_same_numbers():
    """Generating and solving twice with the same seed gives identical logs and metrics."""
    runs = [schedkit.solve(schedkit.generate.serving(20, "swe", load=0.9, seed=11), "ttl-opt")
            for _ in range(2)]
    assert runs[0].objective == runs[1].objective
    assert runs[0].solution.to_dict() == runs[1].solution.to_dict()


def test_checker_catches_tampered_logs(traces):
    """Serving early, dropping a prefill or overfilling memory are each reported."""
    instance = traces[0]
    good = schedkit.solve(instance, "continuum").solution.to_dict()
    early = dict(good, start=list(good["start"]))
    early["start"][1] = early["ready"][1] - 1.0
    fewer = dict(good, prefilled=list(good["prefilled"]))
    fewer["prefilled"][0] -= 1
    rows = [list(r) for r in good["rows"]]
    rows[0][7] = instance.server.kv_capacity + 1
    for bad, words in ((early, "before it exists"), (fewer, "prefilled"),
                       (dict(good, rows=rows), "above capacity")):
        report = schedkit.check(instance, bad)
        assert not report.feasible and any(words in v for v in report.violations), report.violations
    claimed = schedkit.check(instance, good, objective=1.0)
    assert not claimed.feasible and "claimed objective" in claimed.violations[0]



@pytest.mark.parametrize("key, index, value", [
    ("rows", 0, [1.0, 2.0]), ("rows", 0, "12345678"), ("reused", 0, float("inf")),
    ("reused", 0, float("nan")),
    ("prefilled", 0, True), ("first_row", 0, "0"), ("last_row", 0, 2**70), ("start", 0, [1.0]),
    ("event_program", 0, 1.5), ("event_program", 0, 2**70), ("event_gpu", 0, "7"), ("event_gpu", 0, False),
    ("event_time", 0, None), ("event_kind", 0, 3), ("event_kind", None, 3), ("rows", None, {"a": 1}),
])
def test_checker_reports_a_malformed_log_as_violations(traces, key, index, value):
    """A log of the wrong shape or with values that are no numbers (booleans, text, NaN, ints
    beyond int64) is a violation naming the field, never a crash (ragged rows, int(inf) and
    int64 overflow raised) nor a silent reading (True read as 1, "7" as 7, 1.5 as 1)."""
    good = schedkit.solve(traces[0], "continuum").solution.to_dict()
    bad = dict(good, **{key: value if index is None else [value, *good[key][1:]]})
    report = schedkit.check(traces[0], bad)
    assert not report.feasible and any(key in v for v in report.violations), report.violations


def test_a_queue_blocked_by_a_pin_waits_for_its_expiry():
    """Regression (found by hypothesis): the head's own expired entry on top of the LRU heap hid
    the other program's pin, and the simulator found nothing to wait for."""
    server = Server(name="two", kv_capacity=2, token_budget=1, max_batch=1, a=0.0, b=0.001,
                    c=0.002, e=1e-5)
    instance = build_instance([("0", 0.0, [Turn(0, 1, "a", 1.0), Turn(0, 1)]),
                               ("1", 0.0, [Turn(0, 1, "a", 0.0), Turn(0, 1)])], server)
    result = schedkit.solve(instance, "continuum")
    assert schedkit.check(instance, result).feasible


def test_ttl_opt_refuses_negative_rounds():
    """-o rounds=-1 ran no tuning round and answered as if tuned; now one line, exit 2. Zero
    rounds stay Continuum's rule untuned (the warm-up only scored)."""
    trace = str(Path(__file__).resolve().parents[2] / "instances" / "serving" / "swe-8.jsonl")
    result = CliRunner().invoke(main, ["solve", trace, "-m", "ttl-opt", "-o", "rounds=-1"])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "rounds = -1" in result.output
    untuned = schedkit.solve(schedkit.load(trace), "ttl-opt", rounds=0)
    assert untuned.stats["evaluations"] == 1
