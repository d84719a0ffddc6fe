"""Before/after figures of branch gsserv (report: benchmarks/reports/gsserv_loose_ends.md). Run once
per checkout, side by side, each with an empty numba cache of its own:

    NUMBA_CACHE_DIR=/tmp/nc-<label> PYTHONPATH=<checkout> python benchmarks/gsserv_loose_ends.py LABEL

Prints one JSON line per measurement: las on the bundled traces and on generated traces on a
preemptive server (rows, mean JCT, log digest), a long prefill preempted by two decodes taking
turns, lns on a tiny instance whose optimum leaves a mission out, and a trace of one long line."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

from click.testing import CliRunner

import schedkit
from schedkit.cli import main as cli
from schedkit.groundstation.model import Alternative, GroundStationInstance, Request, ViewPeriod
from schedkit.serving import model
from schedkit.serving.formats import trace as trace_format
from schedkit.serving.model import Server, Turn, build_instance

H = 3600
ROOT = Path(__file__).resolve().parents[1]
LOGS = ("ready", "start", "finish", "prefilled", "reused", "reloaded", "pin_until", "event_time",
        "event_program", "event_gpu", "event_kind")


def row(label: str, what: str, **values: object) -> None:
    load = round(os.getloadavg()[0], 1)
    print(json.dumps({"label": label, "what": what, "load": load, **values}), flush=True)


def digest(log: dict) -> str:
    """The per-turn and cache-event logs' digest (as tests/serving/test_serving_las_rotation.py)."""
    found = hashlib.sha256()
    for key in LOGS:
        found.update(repr(log[key]).encode())
    return found.hexdigest()[:16]


def las(label: str, what: str, x: object) -> None:
    result = schedkit.solve(x, "las")
    row(label, what, rows=len(result.solution.rows), iterations=result.stats["iterations"],
        jct=result.objective, jct_hex=result.objective.hex(), digest=digest(result.solution.to_dict()),
        simulate_seconds=round(result.stats["simulate_seconds"], 4))


def serving(label: str) -> None:
    for name in ("swe-8", "bfcl-30"):
        x = schedkit.load(ROOT / "instances" / "serving" / f"{name}.jsonl")
        las(label, f"las {name}", x)
        server = dataclasses.replace(x.server, preemptive=True, kv_capacity=10**9)
        las(label, f"las {name} preemptive", dataclasses.replace(x, server=server))
    binary = Server(name="binary-preemptive", kv_capacity=10**9, token_budget=64, max_batch=4,
                    a=2.0**-7, b=2.0**-15, c=2.0**-12, e=2.0**-24, preemptive=True)
    wide = dataclasses.replace(binary, token_budget=256, max_batch=8)
    for workload, programs, load, seed, server in (("bfcl", 40, 1.5, 1, binary), ("swe", 12, 1.2, 2, binary),
                                                   ("bfcl", 60, 3.0, 3, binary), ("swe", 200, 1.5, 5, wide)):
        x = schedkit.generate.serving(programs, workload, load=load, seed=seed, server=server)
        las(label, f"las {workload}-{programs}-{load}-{seed} {server.max_batch}/{server.token_budget}", x)
    degenerate = Server(name="degenerate", kv_capacity=10**9, token_budget=1, max_batch=1, a=0.0, b=1.0,
                        c=1.0, e=0.0, preemptive=True)
    for prompt in (10**5, 10**7):
        x = build_instance([("big", 0.0, [Turn(prompt, 1)]), ("x", prompt / 2, [Turn(0, prompt // 5)]),
                            ("y", prompt / 2, [Turn(0, prompt // 5)])], degenerate, name="preempted-prefill")
        for _ in range(2):  # the first compiles
            las(label, f"las preempted prefill {prompt:.0e}", x)


def rivals() -> GroundStationInstance:
    """Two missions, each 1 h (min 1 h) on antenna A over [0, 1 h) only (tests' cases.rivals)."""
    def one(track: str, mission: str) -> Request:
        return Request(track, mission, H, H, 0, 0, 0, 48 * H, (Alternative(("A",), (ViewPeriod(0, H),)),))
    return GroundStationInstance((one("first", "m1"), one("second", "m2")), name="rivals")


def groundstation(label: str) -> None:
    x = rivals()
    for options in ({"workers": 1}, {"workers": 2}, {"workers": 1, "time_limit": 2.0}):
        began = time.perf_counter()
        result = schedkit.solve(x, "lns", **options)
        row(label, f"lns rivals {options}", seconds=round(time.perf_counter() - began, 2),
            status=result.status, objective=result.objective, bound=result.bound,
            steps=result.stats.get("lns_steps"), missions_floor=result.stats.get("missions_floor"))


def one_line(label: str) -> None:
    tool = {"prompt_tokens": 5, "output_tokens": 3, "tool": "bash", "tool_seconds": 1}
    path = Path(f"/tmp/gsserv-one-line-{label}.jsonl")
    turns = 10**6
    path.write_text(json.dumps({"id": "long", "arrival": 0, "turns": [tool] * (turns - 1)
                                + [{"prompt_tokens": 5, "output_tokens": 3}]}) + "\n")
    size = path.stat().st_size
    for limit in (10, model.MAX_TURNS):
        model.MAX_TURNS = trace_format.MAX_TURNS = limit
        tracemalloc.start()
        began = time.perf_counter()
        result = CliRunner().invoke(cli, ["solve", str(path), "-m", "fcfs"])
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        row(label, f"one line of {turns:,} turns, MAX_TURNS {limit:,}", file_mb=round(size / 1e6, 1),
            peak_mb=round(peak / 1e6, 1), seconds=round(seconds, 2), exit=result.exit_code,
            output=result.output.strip()[:160])
    path.unlink()


if __name__ == "__main__":
    serving(sys.argv[1])
    groundstation(sys.argv[1])
    one_line(sys.argv[1])
