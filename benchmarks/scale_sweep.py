"""Every method of every family on one large generated instance at a time limit, through the CLI
as a user runs it: does each answer, within the promise, in reasonable memory? The wall time is
the whole command (loading the file and checking the answer included), so it is compared with
the limit plus the promise plus the instance's own load-and-check time, measured by `greedy`-like
one-pass methods on the same file; what to look at is `unknown`, exit 3, timeouts and memory.

    python benchmarks/scale_sweep.py --time-limit 10 --out bench-runs/scale_sweep.md
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from schedkit.bench.machine import describe
from schedkit.registry import methods

SCHEDKIT = str(Path(sys.executable).with_name("schedkit"))
# (label, family, generate arguments, file name, solve flags)
CASES = (
    ("smtt n=5000", "smtt", ["smtt", "--n", "5000", "--tf", "0.6", "--rdd", "0.6", "--weighted"],
     "smtt.json", []),
    ("jobshop 200x50", "jobshop", ["jobshop", "--jobs", "200", "--machines", "50"], "js.json", []),
    ("blocking 100x20", "jobshop", ["jobshop", "--jobs", "100", "--machines", "20", "--blocking"], "jsb.json",
     ["--blocking"]),
    ("flexible 100x20", "jobshop", ["jobshop", "--jobs", "100", "--machines", "20", "--flexible", "2"],
     "fjs.json", []),
    ("rcpsp n=3000 tight", "rcpsp", ["rcpsp", "-n", "3000", "--rs", "0.1", "--nc", "1", "--rf", "1"],
     "rcpsp.json", []),
    ("dag v=5000 p=16", "dag", ["dag", "-v", "5000", "-p", "16"], "dag.json", []),
    ("pods 2000 nodes", "pods", ["pods", "--nodes", "2000", "--pods-per-node", "20", "--utilisation", "0.9"],
     "pods.json", []),
    ("vmr 5000 machines", "vmr", ["vmr", "--machines", "5000"], "vmr.json", []),
    ("groundstation 500 satellites", "groundstation",
     ["groundstation", "--satellites", "500", "--stations", "20"], "gs.json", []),
    ("serving 20000 programs", "serving", ["serving", "--programs", "20000"], "serving.jsonl", []),
)
SKIP = {"edd", "fifo", "lor", "lpt", "lwkr", "mor", "random", "edd-nd", "fifo-nd", "lor-nd", "lpt-nd",
        "lwkr-nd", "mor-nd", "random-nd", "spt-nd"}  # the job shop's rules run one kernel: spt, mwkr stand in


def run(path: Path, method: str, flags: list[str], limit: float) -> dict:
    """One `schedkit solve` in a fresh process: exit code, wall, peak memory, status, last note."""
    command = ["/usr/bin/time", "-f", "TIME %e %M", SCHEDKIT, "solve", str(path), "-m", method,
               "-t", str(limit), "--workers", "2", "--json", str(path) + ".out.json", *flags]
    load = os.getloadavg()[0]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit * 10 + 60)
    except subprocess.TimeoutExpired:
        return {"rc": "timeout", "load": load}
    timing = [line.split() for line in done.stderr.splitlines() if line.startswith("TIME ")]
    notes = [line for line in done.stderr.splitlines()
             if line.strip() and not line.startswith(("TIME ", "Command"))]
    row = {"rc": done.returncode, "load": load, "wall": float(timing[-1][1]) if timing else None,
           "rss_mb": int(timing[-1][2]) // 1024 if timing else None, "note": notes[-1][:140] if notes else ""}
    if done.returncode == 0:
        result = json.loads(Path(str(path) + ".out.json").read_text())[0]
        row.update(status=result["status"], objective=result["objective"])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", default="", help="comma-separated case labels' first words")
    args = parser.parse_args()
    wanted = set(filter(None, args.only.split(",")))
    lines = [f"# Scale sweep: every method on large generated instances at {args.time_limit:g} s", "",
             f"- Machine: {describe()}",
             f"- Command: `python benchmarks/scale_sweep.py --time-limit {args.time_limit:g} "
             f"--out {args.out}`",
             f"- Started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; wall = the whole CLI command "
             "(loading and checking included), 2 workers, after `schedkit warmup`", "",
             "| instance | method | exit | status | objective | wall s | peak MB | load | note |",
             "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    with tempfile.TemporaryDirectory() as folder:
        for label, family, generate, name, flags in CASES:
            if wanted and label.split()[0] not in wanted:
                continue
            path = Path(folder) / name
            subprocess.run([SCHEDKIT, "generate", *generate, "-o", str(path)], check=True,
                           capture_output=True)
            for method in sorted(m.name for m in methods(family) if m.name not in SKIP):
                row = run(path, method, flags, args.time_limit)
                line = (f"| {label} | {method} | {row['rc']} | {row.get('status', '-')} "
                        f"| {row.get('objective', '-')} | {row.get('wall', '-')} | {row.get('rss_mb', '-')} "
                        f"| {row['load']:.1f} "
                        f"| {row.get('note', '').replace('|', '/')} |")
                print(line, flush=True)
                lines.append(line)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
