"""The Markdown report of benchmarks/jobshop_pyjobshop.py, built from its stored JSON lines."""

from __future__ import annotations

import argparse
import statistics
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _gap(objective: float | None, reference: int) -> float | None:
    return None if objective is None else 100.0 * (objective - reference) / reference


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ratio(peer: float, ours: float) -> str:
    return f"{peer / ours:.1f}×" if ours > 0 else ("—" if peer == 0 else "∞ (ours 0)")


def _headline(name: str, pairs: list[tuple[float, float]]) -> str:
    """One summary row: mean gaps, their ratio, and wins / ties / losses on makespan."""
    ours = statistics.mean(p[0] for p in pairs)
    peer = statistics.mean(p[1] for p in pairs)
    wins = sum(o < p for o, p in pairs)
    ties = sum(o == p for o, p in pairs)
    return (f"| {name} | {len(pairs)} | {ours:.2f} | {peer:.2f} | {_ratio(peer, ours)} | "
            f"{wins} / {ties} / {len(pairs) - wins - ties} |")


def report(rows: list[dict[str, Any]], refs: dict[str, tuple[int, int]], machine: str,
           peer: dict[str, str], args: argparse.Namespace) -> str:
    """Header, per-instance table and the headline rows (mean gap to the best known bound)."""
    by_instance: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_instance.setdefault(row["instance"], {})[row["side"]] = row
    loads = [row["load"] for row in rows]
    commit = subprocess.run(["git", "log", "-1", "--format=%h", "--", "schedkit"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    limit, workers = args.time_limit, args.workers
    lines = [
        "# Job shop: schedkit `cpsat` against PyJobShop's CP-SAT model",
        "",
        f"- Run: {rows[0]['began']} to {rows[-1]['began']} UTC (start of the first and last run), "
        f"schedkit/ at {commit} (its last commit)",
        f"- Machine: {machine}",
        f"- Peer: PyJobShop {peer['pyjobshop']} with ortools {peer['ortools']}, in its own venv; "
        "its `read` has no classic job-shop format, so the peer script builds PyJobShop's model "
        "with its `Model` API from our parsed instance (JSON on stdin): one machine mode per "
        "task, end-before-start along each job, objective makespan.",
        f"- Both sides: CP-SAT with num_workers={workers}, time limit {limit:g} s, each run a fresh "
        "process timed from outside (wall includes Python start, imports, model building), runs "
        "interleaved and who goes first alternating per instance.",
        f"- Load (1 min, taken just before each run): min {min(loads):.2f}, median "
        f"{statistics.median(loads):.2f}, max {max(loads):.2f}; per run in the table.",
        f"- Command: {'' if args.peer_first else '`make bench-jobshop-pyjobshop`, i.e. '}"
        f"`python benchmarks/jobshop_pyjobshop.py {'--peer-first ' if args.peer_first else ''}"
        f"--peer-python $(PEER_VENV)/bin/python --time-limit {limit:g} --workers {workers} "
        f"--store {args.store} --out {args.out} "
        f"{' '.join('instances/jobshop/classic/' + n for n in [*by_instance][:1])} ...` "
        f"({len(by_instance)} instances)",
        "- Gap: 100 × (makespan − best known upper bound) / best known upper bound "
        "(instances/jobshop/references.csv). Every schedule, PyJobShop's too, is checked with "
        "`schedkit.check` (column check: ours / peer).",
        "",
        "| instance | LB | best known | schedkit | bound | gap % | PyJobShop | bound | gap % | "
        "wall s (ours / peer) | load (ours / peer) | check |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    sets: dict[str, list[tuple[float, float]]] = {}
    invalid = 0
    for name, sides in by_instance.items():
        lower, upper = refs[name]
        ours, theirs = sides.get("ours", {}), sides.get("peer", {})
        gaps = [_gap(r.get("objective"), upper) for r in (ours, theirs)]
        invalid += sum(r.get("valid") is False for r in (ours, theirs))
        lines.append(
            f"| {name} | {lower} | {upper} | {_num(ours.get('objective'))} | {_num(ours.get('bound'))} | "
            f"{_num(gaps[0], 2)} | {_num(theirs.get('objective'))} | {_num(theirs.get('bound'))} | "
            f"{_num(gaps[1], 2)} | {_num(ours.get('wall'), 1)} / {_num(theirs.get('wall'), 1)} | "
            f"{_num(ours.get('load'), 2)} / {_num(theirs.get('load'), 2)} | "
            f"{ours.get('valid')} / {theirs.get('valid')} |")
        if gaps[0] is not None and gaps[1] is not None and ours.get("valid") and theirs.get("valid"):
            decade = (int(name[2:]) - 1) // 10 * 10
            group = f"{name[:2]}{decade + 1}-{decade + 10}"
            sets.setdefault(group, []).append((gaps[0], gaps[1]))
            sets.setdefault("all", []).append((gaps[0], gaps[1]))
    lines += ["", "Headline (instances where both sides have a checked schedule):", "",
              "| set | instances | schedkit mean gap % | PyJobShop mean gap % | ratio (PyJobShop / schedkit) "
              "| schedkit better / equal / worse |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    lines += [_headline(group, pairs) for group, pairs in sets.items() if group != "all"]
    if "all" in sets:
        lines.append(_headline("all", sets["all"]))
    missing = [n for n, s in by_instance.items() if len(s) < 2]
    lines += ["", f"Schedules failing the check: {invalid}. Instances with no run on one side: "
              f"{', '.join(missing) or 'none'}."]
    for note in args.note:
        lines += ["", note]
    return "\n".join(lines) + "\n"
