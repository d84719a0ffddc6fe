"""The Markdown report of benchmarks/jobshop_rules_speed.py, built from its stored JSON lines."""

from __future__ import annotations

import argparse
import statistics
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _pairs(by_instance: dict[str, dict[str, dict[str, Any]]], rule: str) -> list[tuple[dict, dict, str]]:
    """(ours, peer, instance) for one rule, where both sides ran it."""
    found = []
    for name, sides in by_instance.items():
        ours, peer = (sides.get(s, {}).get("rules", {}).get(rule) for s in ("ours", "peer"))
        if ours and peer:
            found.append((ours, peer, name))
    return found


def _headline(rule: str, pairs: list[tuple[dict, dict, str]], refs: dict[str, tuple[int, int]]) -> str:
    """One row per rule: speed ratio (median and range over instances), times, makespans, checks."""
    ratios = [p["median"] / o["median"] for o, p, _ in pairs]
    ours_gap = statistics.mean(100.0 * (o["objective"] - refs[n][1]) / refs[n][1] for o, _, n in pairs)
    peer_gap = statistics.mean(100.0 * (p["objective"] - refs[n][1]) / refs[n][1] for _, p, n in pairs)
    better = sum(o["objective"] < p["objective"] for o, p, _ in pairs)
    equal = sum(o["objective"] == p["objective"] for o, p, _ in pairs)
    failed = sum((o["valid"] is not True) + (p["valid"] is not True) for o, p, _ in pairs)
    return (f"| {rule} | {len(pairs)} | **{statistics.median(ratios):.0f}×** | "
            f"{min(ratios):.0f}×–{max(ratios):.0f}× | "
            f"{1000 * statistics.median(o['median'] for o, _, _ in pairs):.2f} | "
            f"{1000 * statistics.median(p['median'] for _, p, _ in pairs):.1f} | "
            f"{statistics.mean(o['objective'] for o, _, _ in pairs):.1f} | "
            f"{statistics.mean(p['objective'] for _, p, _ in pairs):.1f} | "
            f"{ours_gap:.1f} / {peer_gap:.1f} | "
            f"{better} / {equal} / {len(pairs) - better - equal} | {failed} |")


def _by_size(by_instance: dict[str, dict[str, dict[str, Any]]], rules: list[str]) -> list[str]:
    """One row per instance size: the median speed ratio of each rule."""
    sizes: dict[str, list[str]] = {}
    for name, sides in by_instance.items():
        sizes.setdefault(next(iter(sides.values()))["size"], []).append(name)
    rows = []
    for size, names in sizes.items():
        cells = []
        for rule in rules:
            ratios = [p["median"] / o["median"] for o, p, n in _pairs(by_instance, rule) if n in names]
            cells.append(f"{statistics.median(ratios):.0f}×" if ratios else "-")
        rows.append(f"| {size} | {len(names)} | " + " | ".join(cells) + " |")
    return rows


def report(rows: list[dict[str, Any]], refs: dict[str, tuple[int, int]], machine: str,
           peer: dict[str, str], args: argparse.Namespace) -> str:
    """Header, the headline per rule, then one row per instance."""
    by_instance: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_instance.setdefault(row["instance"], {})[row["side"]] = row
    rules = args.rules.split(",")
    loads = [row["load"] for row in rows]
    colds = [row["rules"][rules[0]]["first"] for row in rows if row["side"] == "ours" and row["rules"]]
    commit = subprocess.run(["git", "log", "-1", "--format=%h", "--", "schedkit"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    names = list(by_instance)
    counts = [found["calls"] for row in rows for found in row["rules"].values()]
    calls = f"{min(counts)} to {max(counts)} timed calls per rule here"
    lines = [
        "# Job shop dispatching rules: schedkit against job-shop-lib, time per instance",
        "",
        f"- Run: {rows[0]['began']} to {rows[-1]['began']} UTC (start of the first and last run), "
        f"schedkit/ at {commit} (its last commit)",
        f"- Machine: {machine}",
        f"- Peer: job-shop-lib {peer['job-shop-lib']} (numpy {peer['numpy']}) in its own venv, "
        "`DispatchingRuleSolver` with its default ready-operation filters (dominated and "
        "non-immediate operations: non-delay schedules); ours are the non-delay methods "
        f"`{'-nd`, `'.join(rules)}-nd` through `schedkit.solve`. Both sides get the instance we parsed "
        "(the peer builds its `JobShopInstance` from JSON on stdin).",
        f"- Timing: inside each side's process, per instance and rule, one warm-up call, then up to "
        f"{args.repeats} timed calls (`time.perf_counter`), fewer once they add up to {args.budget:g} s "
        f"(at least one; {calls}); the median of these is the time. Our warm-up "
        "call excludes imports and the numba cache load from our times (kernels are compiled once "
        "by `schedkit warmup`, not here). Our cold first call in a fresh process (the first rule's "
        f"warm-up, `{rules[0]}-nd`, kernels loaded from the disk cache) is reported apart: median "
        f"{1000 * statistics.median(colds):.0f} ms, max {1000 * max(colds):.0f} ms over "
        f"{len(colds)} processes.",
        "- One fresh process per instance per side, runs interleaved, who goes first alternating; "
        f"load (1 min, before each run): min {min(loads):.2f}, median {statistics.median(loads):.2f}, "
        f"max {max(loads):.2f}. Ratios compare the two sides within one run.",
        f"- Command: `make bench-jobshop-rules-speed`, i.e. `python benchmarks/jobshop_rules_speed.py "
        f"--peer-python $(PEER_JSL_VENV)/bin/python --repeats {args.repeats} --budget {args.budget:g} "
        "--store benchmarks/reports/jobshop_rules_speed.jsonl "
        "--out benchmarks/reports/jobshop_rules_speed.md "
        f"instances/jobshop/classic/{{{names[0]}..{names[-1]}}}` ({len(names)} instances)",
        "- Ties: the two libraries break ties differently and define FIFO (ours: earliest ready; "
        "theirs: lowest position in the job) and MOR (theirs counts scheduled but unfinished "
        "operations) a little differently, so the makespans differ; mean makespans and gaps to the "
        "best known upper bound (instances/jobshop/references.csv) show what the speed costs. Every "
        "schedule of both sides is checked with `schedkit.check`.",
        "",
        "| rule | instances | speed ratio, median per instance | range | schedkit median ms | "
        "job-shop-lib median ms | schedkit mean makespan | job-shop-lib mean makespan | mean gap % "
        "(ours / theirs) | schedkit better / equal / worse | failed checks |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    lines += [_headline(rule, _pairs(by_instance, rule), refs) for rule in rules if _pairs(by_instance, rule)]
    lines += ["", "Speed ratio by size (median over the size's instances, per rule):", "",
              "| size (jobs x machines) | instances | " + " | ".join(rules) + " |",
              "| --- | ---: | " + " | ".join("---:" for _ in rules) + " |"]
    lines += _by_size(by_instance, rules)
    header = " | ".join(f"{r} ms | {r} makespan" for r in rules)
    lines += ["", "Per instance: time in ms (ours / theirs) and makespan (ours / theirs) per rule.", "",
              f"| instance | size | load (ours / peer) | {header} |",
              "| --- | --- | --- | " + " | ".join("---: | ---:" for _ in rules) + " |"]
    for name, sides in by_instance.items():
        ours, theirs = sides.get("ours", {}), sides.get("peer", {})
        cells = []
        for rule in rules:
            o, p = ours.get("rules", {}).get(rule), theirs.get("rules", {}).get(rule)
            if o and p:
                cells.append(f"{1000 * o['median']:.2f} / {1000 * p['median']:.1f} | "
                             f"{o['objective']} / {p['objective']}")
            else:
                cells.append("- | -")
        size = (ours or theirs).get("size", "")
        lines.append(f"| {name} | {size} | {ours.get('load', 0):.2f} / {theirs.get('load', 0):.2f} | "
                     + " | ".join(cells) + " |")
    missing = [n for n, s in by_instance.items() if len(s) < 2 or not all(r.get("rules") for r in s.values())]
    lines += ["", f"Instances with no result on one side: {', '.join(missing) or 'none'}."]
    for note in args.note:
        lines += ["", note]
    return "\n".join(lines) + "\n"
