"""`make fuzz`: N damaged files per input format of every family, seeded, one table per format.

Each format runs in its own process with an address-space limit (so a memory blow-up is a
MemoryError we count, not a dead machine) and a per-case alarm (a hang is counted too). A case
is `loaded` (its heuristic solution passed the checker), `rejected` (a one-line SchedkitError)
or `crashed` (anything else); crashes are listed by kind with one example each.

    python benchmarks/fuzz.py --cases 10000 --seed 1 --jobs 2 --out benchmarks/reports/fuzz.md
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import random
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schedkit.bench.machine import describe  # noqa: E402
from tests.fuzz.cases import Outcome, heuristics, run_case  # noqa: E402
from tests.fuzz.samples import Sample, samples  # noqa: E402

MEMORY_LIMIT = 6 << 30  # bytes of address space per worker process
CASE_SECONDS = 60  # a case running longer counts as a hang


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


def run_format(job: tuple[Sample, int, int, str]) -> dict[str, Any]:
    """N cases of one format in this (worker) process; counts and crash examples."""
    sample, cases, seed, folder = job
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(f"{seed}/{sample.key}")
    counts: collections.Counter[str] = collections.Counter()
    crashes: dict[str, tuple[int, str]] = {}
    started = time.perf_counter()
    case = Path(folder) / sample.key.replace("/", "_")
    heuristics(sample)  # picks and compiles the family's heuristic before any alarm is set
    for _ in range(cases):
        signal.alarm(CASE_SECONDS)
        try:
            outcome = run_case(sample, rng, case)
        except _Hang:
            outcome = Outcome("crashed", ("?",), "hang: a case ran over a minute")
        except MemoryError:
            outcome = Outcome("crashed", ("?",), "MemoryError outside the loader")
        finally:
            signal.alarm(0)
        counts[outcome.verdict] += 1
        if "MemoryError" in outcome.detail:
            counts["memory"] += 1
        if outcome.verdict == "crashed":
            kind = outcome.detail.split(":")[0]
            number, example = crashes.get(kind, (0, f"{'+'.join(outcome.mutations)}: {outcome.detail}"))
            crashes[kind] = (number + 1, example)
    return {"key": sample.key, "counts": dict(counts), "crashes": crashes,
            "seconds": time.perf_counter() - started}


def _table(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| format | cases | loaded | rejected | crashed | memory blow-ups | seconds |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        c = row["counts"]
        total = sum(c.get(k, 0) for k in ("loaded", "rejected", "crashed"))
        out.append(f"| {row['key']} | {total} | {c.get('loaded', 0)} | {c.get('rejected', 0)} | "
                   f"{c.get('crashed', 0)} | {c.get('memory', 0)} | {row['seconds']:.0f} |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="damaged files per format")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="formats fuzzed in parallel")
    parser.add_argument("--only", default="", help="fuzz the formats whose family/format contains one of "
                        "these comma-separated strings")
    parser.add_argument("--out", type=Path, default=None, help="write a Markdown report here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="schedkit-fuzz-"))
    wanted = [w for w in args.only.split(",") if w] or [""]
    found = [s for s in samples(folder / "samples") if any(w in s.key for w in wanted)]
    jobs = [(s, args.cases, args.seed, str(folder / "cases")) for s in found]
    started = time.time()
    load = os.getloadavg()
    rows: list[dict[str, Any]] = []
    with multiprocessing.get_context("spawn").Pool(args.jobs, maxtasksperchild=1) as pool:
        for row in pool.imap(run_format, jobs):
            rows.append(row)
            c = row["counts"]
            print(f"{row['key']:<24} loaded {c.get('loaded', 0):>6}  rejected {c.get('rejected', 0):>6}  "
                  f"crashed {c.get('crashed', 0):>4}  ({row['seconds']:.0f} s)", flush=True)
            for kind, (number, example) in row["crashes"].items():
                print(f"    {number} x {kind}: {example[:200]}", flush=True)
            if args.out:  # after every format, so an interrupted run still leaves its report
                args.out.write_text(_report(args, rows, load, started, len(jobs)))
    if args.out:
        args.out.write_text(_report(args, rows, load, started, len(jobs)))
    totals: collections.Counter[str] = collections.Counter()
    for row in rows:
        totals.update(row["counts"])
    print(f"total: {dict(totals)}")
    if totals.get("crashed"):
        sys.exit(1)


def _report(args: argparse.Namespace, rows: list[dict[str, Any]], load: tuple[float, float, float],
            started: float, formats: int) -> str:
    """The Markdown report of the formats fuzzed so far."""
    progress = "" if len(rows) == formats else f" (partial: {len(rows)} of {formats} formats done)"
    lines = ["# Fuzzing every input format" + progress, "",
             f"Command: `python benchmarks/fuzz.py --cases {args.cases} --seed {args.seed} --jobs {args.jobs}"
             + (f" --only {args.only}" if args.only else "") + "` (`make fuzz FUZZ_CASES=...`).", "",
             f"Machine: {describe()}.", "",
             f"Load average at the start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (other jobs may "
             f"have been running); wall time so far {time.time() - started:.0f} s.", "",
             "Each case copies a valid sample of the format (written by the family's writer from its "
             "smallest bundled instance), applies one to three mutations (truncation, byte flips, "
             "swapped, dropped or repeated lines, huge / negative / fractional / NaN / non-ASCII "
             "numbers, an absurd first number, deep bracket nesting, a wrong JSON type, non-UTF-8 "
             "bytes, an empty file, a BOM, CRLF line ends), loads it (with the format named, and "
             "sniffed), and solves what loads with the family's fastest heuristic, checked by the "
             f"checker. Workers run with a {MEMORY_LIMIT >> 30} GiB address-space limit, so a memory "
             "blow-up is counted rather than felt; a case over a minute counts as a hang.", "",
             *_table(rows), ""]
    crashed = [(row["key"], kind, n, ex) for row in rows for kind, (n, ex) in row["crashes"].items()]
    lines += ["## Crashes", ""]
    lines += [f"- {key}: {n} x {kind} — e.g. {ex[:300]}" for key, kind, n, ex in crashed] or ["None."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
