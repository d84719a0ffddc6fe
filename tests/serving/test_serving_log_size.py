"""The simulator's iteration log grows with the events, not with the token counts: a long
prompt in small chunks (or a long decode behind a full batch) is one row per batch, not one
per iteration. A 10^9-token prompt in 1-token chunks made 10^9 rows (64 GB) before."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.cli import main
from schedkit.serving.heuristics import simulate as serving_simulate
from schedkit.serving.model import Server, Turn, build_instance
from tests.serving.conftest import DEGENERATE

METHODS = [m.name for m in schedkit.methods("serving")]


def _server(budget: int, batch: int = 1, e: float = 1e-9) -> Server:
    return Server(name="chunks", kv_capacity=10**7, token_budget=budget, max_batch=batch,
                  a=1e-3, b=1e-6, c=2e-6, e=e)


@pytest.mark.parametrize("method", METHODS)
def test_a_long_prompt_in_one_token_chunks_is_a_few_rows(method):
    """10^6 prompt tokens, 1 per iteration: a handful of rows, 10^6 + 3 iterations, and the
    checker takes the log (times from the same formula, row by row)."""
    x = build_instance([("p", 0.0, [Turn(10**6, 3)])], _server(1), name="long-prompt")
    result = schedkit.solve(x, method, time_limit=60)
    rows = result.solution.rows
    assert len(rows) <= 4 and int(rows[:, 2].sum()) == 10**6 + 3
    assert schedkit.check(x, result).feasible


def test_a_long_decode_behind_a_full_batch_is_a_few_rows():
    """A batch of one busy for 10^6 decodes while another program waits: one row for the run."""
    programs = [("a", 0.0, [Turn(1, 10**6)]), ("b", 0.0, [Turn(1, 1)])]
    x = build_instance(programs, _server(1), name="queue")
    result = schedkit.solve(x, "fcfs", time_limit=60)
    assert len(result.solution.rows) <= 6
    assert schedkit.check(x, result).feasible


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 300), st.integers(1, 40)), min_size=1,
                max_size=5),
       st.integers(1, 3), st.integers(0, 4), st.sampled_from([0.0, 1e-9, 1e-6]))
def test_chunked_prefill_logs_pass_the_checker(jobs, batch, extra, e):
    """Small budgets and batches over prompts of many chunks: each method's log passes the
    checker (iteration times recomputed from the time model row by row) with its metrics."""
    x = build_instance([(str(k), float(r), [Turn(p, o)]) for k, (r, p, o) in enumerate(jobs)],
                       _server(batch + extra, batch, e), name="chunked")
    for method in ("fcfs", "las", "srpt", "program-fcfs"):
        result = schedkit.solve(x, method, time_limit=60)
        report = schedkit.check(x, result)
        assert report.feasible, report.violations[:3]
        assert report.objective == pytest.approx(result.objective, rel=1e-12)


@pytest.mark.parametrize("a", [1.203e-6, 2.449e-6])
def test_a_row_of_many_iterations_keeps_its_float_sum(a):
    """5·10^7 decodes of one program make one row whose end the simulator sums iteration by
    iteration: the checker allows each sum's rounding (it rejected the simulator's own log,
    60.14999992 s against 60.15 s, and the CLI called it an internal error)."""
    server = Server(name="fast", kv_capacity=10**8, token_budget=1, max_batch=1, a=a, b=0.0, c=0.0, e=0.0)
    x = build_instance([("p", 0.0, [Turn(0, 5 * 10**7)])], server, name="long-decode")
    result = schedkit.solve(x, "fcfs", time_limit=60)
    report = schedkit.check(x, result)
    assert report.feasible, report.violations


def test_the_float_allowance_does_not_hide_a_wrong_duration():
    """A row of many iterations stretched by one iteration's time is still refused."""
    server = Server(name="fast", kv_capacity=10**8, token_budget=1, max_batch=1, a=1e-3, b=0.0, c=0.0, e=0.0)
    x = build_instance([("p", 0.0, [Turn(0, 10**6)])], server, name="long-decode")
    log = schedkit.solve(x, "fcfs", time_limit=60).solution.to_dict()
    log["rows"][-1][1] += 1e-3
    log["finish"][-1] += 1e-3
    log["event_time"][-1] += 1e-3
    assert any("time model" in v for v in schedkit.check(x, log).violations)


def test_iterations_that_read_no_cached_tokens_are_refused():
    """A log whose rows claim no context read (the e·context term of the time model dropped,
    here from a run on the same server with e = 0) was accepted with a mean JCT of 284 s
    where the server takes 332 s: each decode step reads its whole context, so the rows must
    read at least that much in all."""
    x = schedkit.generate.serving(30, "swe", load=1.2, seed=3)
    free = x.with_server(Server(**{**x.server.__dict__, "e": 0.0}))
    fake = schedkit.solve(free, "fcfs").solution.to_dict()
    for row in fake["rows"]:
        row[5] = 0
    assert any("cached tokens" in v for v in schedkit.check(x, fake).violations)
    honest = schedkit.solve(x, "fcfs")
    assert schedkit.check(x, honest).feasible


def test_a_turn_reuses_only_what_its_program_still_holds():
    """An honest fcfs-lru log with one tool call's "keep" turned into an eviction was accepted:
    the next turn still reused the evicted cache (memory counted free for others)."""
    tight = Server(name="tight", kv_capacity=60_000, token_budget=2048, max_batch=8, a=0.006,
                   b=3e-5, c=3e-5, e=4e-8)
    x = schedkit.generate.serving(10, "swe", load=1.5, seed=5).with_server(tight)
    log = schedkit.solve(x, "fcfs-lru").solution.to_dict()
    assert schedkit.check(x, log).feasible
    k = next(j for j, kind in enumerate(log["event_kind"]) if kind == "keep")
    log["event_kind"][k], log["event_gpu"][k] = "evict", 0
    assert any("reuses" in v for v in schedkit.check(x, log).violations)


def test_a_log_beyond_memory_is_one_line_not_an_internal_error(tmp_path, monkeypatch):
    """las on a preemptive server logged a row per iteration while programs took turns: two
    10^8-token decodes ran out of memory and the CLI called it an internal error (exit 3,
    "please report"); now exit 2 naming the trace, the server and why (the kernel's
    MemoryError stands in here for the machine's)."""

    def out_of_memory(*args):
        raise MemoryError("Allocation failed (probably too large).")

    monkeypatch.setattr(serving_simulate, "simulator", lambda options: (out_of_memory, {}))
    server = tmp_path / "degenerate.json"
    server.write_text(json.dumps(DEGENERATE.to_dict()))
    trace = tmp_path / "pair.jsonl"
    trace.write_text("".join(json.dumps({"id": k, "arrival": 0, "turns": [
        {"prompt_tokens": 10, "output_tokens": 10**8}]}) + "\n" for k in ("a", "b")))
    result = CliRunner().invoke(main, ["solve", str(trace), "--server", str(server), "-m", "las"])
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "pair: the simulator's log" in result.output and "re-chooses its batch" in result.output
