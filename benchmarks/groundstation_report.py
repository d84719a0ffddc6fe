"""The groundstation benchmark report, from the harness's stored runs, beside the published rows.

Run after the suites (`make bench-groundstation`):

    python benchmarks/groundstation_report.py --out benchmarks/reports/groundstation.md

The header and the tables are regenerated; the dated sections between them (written by hand,
session by session) are kept from the file at --out.

Per SatNet week and method: tracked hours, satisfied requests, U_rms, U_max, the proven upper
bound on tracked hours (requested - proven lower bound on unserved seconds) and the hours gap
(bound - tracked) / bound, next to Delta-MILP (Claudet et al. 2022, Table 4) and PPO (Goh et al.
2021, Table 3) as the data README lists them. Then FFEEA vs GA vs cpsat on generated networks.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import schedkit
from schedkit.bench.machine import cpu_model, memory_gib, versions
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.solvers.bounds import mission_flow_bound

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "benchmarks" / "reports"
INSTANCES = ROOT / "instances" / "groundstation"
WEEKS = ("W10_2018", "W20_2018", "W30_2018", "W40_2018", "W50_2018")
REQUESTED = {"W10_2018": 1191.5, "W20_2018": 1406.5, "W30_2018": 1464.0, "W40_2018": 1736.7,
             "W50_2018": 1292.2}
# (tracked hours, satisfied requests, U_rms, U_max) from the data README's published table.
PUBLISHED = {
    "Delta-MILP (Claudet et al. 2022)": {
        "W10_2018": (822, 203, 0.26, 0.48), "W20_2018": (1059, 249, 0.21, 0.64),
        "W30_2018": (983, 231, 0.29, 0.64), "W40_2018": (949, 223, 0.40, 1.00),
        "W50_2018": (816, 197, 0.35, 0.60)},
    "PPO (Goh et al. 2021)": {"W10_2018": (886, 204, 0.28, 0.71), "W20_2018": (1000, 223, 0.27, 0.81),
                              "W30_2018": (1100, 229, 0.28, 0.85), "W40_2018": (1058, 216, 0.39, 0.82),
                              "W50_2018": (879, 185, 0.36, 0.67)},
}
SATNET_SUITES = ("groundstation_satnet_60", "groundstation_satnet_cpsat_60",
                 "groundstation_satnet_fair_60", "groundstation_satnet_300", "groundstation_satnet_cpsat_300",
                 "groundstation_satnet_lns_300")
GENERATED_SUITE = "groundstation_csgsnsp"


def _runs(suite: str) -> list[dict]:
    path = REPORTS / f"{suite}.results.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _kept_runs(old: Path, fresh: set[str]) -> list[dict]:
    """Rows of an earlier report whose runs are not stored here (the harness keeps its .jsonl
    out of git), as run records; rows with a label in `fresh` were re-run and are dropped."""
    if not old.exists():
        return []
    kept, week = [], None
    for line in old.read_text().splitlines():
        if line.startswith("### "):
            week = line.split()[1]
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (week is None or len(cells) != 9 or not cells[0].endswith(" s") or cells[8] == "outcome"
                or cells[0] in fresh):
            continue
        name, limit = cells[0][:-2].rsplit(" ", 1)
        stats = {"tracked_hours": float(cells[1]), "requests_satisfied": int(cells[2]),
                 "u_rms": float(cells[3]), "u_max": float(cells[4])}
        kept.append({"instance": week, "method": name, "label": name, "time_limit": float(limit),
                     "stats": stats, "bound": None, "wall_time": float(cells[7]),
                     "outcome": cells[8], "kept": True})
    if kept:
        kept.sort(key=lambda r: r["instance"])
    return kept


def _old_load(old: Path) -> str:
    """", run at load average ..." from an earlier report's machine line, or ""."""
    for line in old.read_text().splitlines() if old.exists() else []:
        if "load average" in line:
            return ", run at load average " + line.split("load average ", 1)[1].split(":")[0]
    return ""


def _kept_generated(old: Path) -> list[str]:
    """The generated-networks section of an earlier report, verbatim."""
    if not old.exists():
        return []
    text = old.read_text()
    at = text.find("## Generated CS-GSNSP")
    return text[at:].rstrip("\n").splitlines() + [""] if at >= 0 else []


def _label(run: dict) -> str:
    return f"{run.get('label') or run['method']} {run['time_limit']:g} s"


def _flow_upper(week: str) -> float:
    """Most hours any plan can track by the mission transportation bound (solvers/bounds.py)."""
    x = schedkit.load(INSTANCES / f"problems.json#{week}")
    return (x.requested - mission_flow_bound(x, request_options(x))) / 3600


def _offline_bounds(week: str) -> list[dict]:
    """Bounds benchmarks/groundstation_bounds.py stored for `week` (outside any solve)."""
    path = REPORTS / "groundstation_bounds.jsonl"
    if not path.exists():
        return []
    found = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [b for b in found if b["week"] == week]


def _stat_bounds(week: str, runs: list[dict], key: str) -> list[float]:
    """Upper bounds on tracked hours from the runs' stats[key] (a proven unserved bound)."""
    return [_requested_hours(week, r.get("stats", {})) - r["stats"][key] / 3600 for r in runs
            if isinstance(r.get("stats", {}).get(key), int)]


def _satnet_table(week: str, runs: list[dict]) -> list[str]:
    mine = [r for r in runs if r["instance"] == week]
    flow = _flow_upper(week)
    solver = [_requested_hours(week, r.get("stats", {})) - r["bound"] / 3600 for r in mine
              if r.get("bound") is not None]
    offline = _offline_bounds(week)
    upper = min([flow, *solver, *(b["hours_upper_bound"] for b in offline)])
    lp = _stat_bounds(week, mine, "lp_bound")
    interval = _stat_bounds(week, mine, "interval_lp_bound")
    lp_text = f"best preemptive LP bound in a run {min(lp):.1f} h; " if lp else ""
    interval_text = f"best interval LP bound in a run {min(interval):.1f} h; " if interval else ""
    offline_text = "".join(f"interval LP outside the runs {b['hours_upper_bound']:.1f} h "
                           f"({b['grid'] // 60} min buckets"
                           + (", mission caps" if b.get("mission_caps") else "")
                           + f", {b['seconds']:.0f} s at load {b['load'][0]}); " for b in offline)
    lines = [f"### {week} (requested {REQUESTED[week]} h)", "",
             f"Proven upper bound on tracked hours: {upper:.1f} h (mission transportation bound "
             f"{flow:.1f} h; {lp_text}{interval_text}{offline_text}best bound a cpsat run proved "
             f"{min(solver, default=REQUESTED[week]):.1f} h).", "",
             "| method | tracked h | satisfied | U_rms | U_max | run's bound h | gap to proven bound % "
             "| wall s | outcome |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    best_published = max(rows[week][0] for rows in PUBLISHED.values())
    for run in mine:
        s = run.get("stats", {})
        hours = s.get("tracked_hours")
        bound = run.get("bound")
        own = None if bound is None else _requested_hours(week, s) - bound / 3600
        gap = None if hours is None else 100 * (upper - hours) / upper
        lines.append(
            f"| {_label(run)} | {hours if hours is not None else '-'} | {s.get('requests_satisfied', '-')} | "
            f"{_num(s.get('u_rms'))} | {_num(s.get('u_max'))} | {_num(own, 1)} | {_num(gap, 1)} | "
            f"{run.get('wall_time', 0):.1f} | {run.get('outcome')} |")
    for name, rows in PUBLISHED.items():
        hours, satisfied, u_rms, u_max = rows[week]
        lines.append(f"| {name} | {hours} | {satisfied} | {u_rms} | {u_max} | - | - | - | published |")
    ours = [r for r in runs if r["instance"] == week and r.get("outcome") == "ok"]
    winners = [r for r in ours if r["stats"].get("tracked_hours", 0) > best_published
               and r["stats"].get("u_max", 1) < 1]
    best = max(ours, key=lambda r: r["stats"].get("tracked_hours", 0), default=None)
    lines += ["", f"Goal (more than {best_published} h with U_max < 1): "
              + (f"met by {', '.join(sorted({_label(r) for r in winners}))}" if winners else "not met")
              + (f"; best here {best['stats']['tracked_hours']} h ({_label(best)})." if best else "."), ""]
    own_gaps = [f"{_label(r)} {_own_gap(week, r):.1f} %" for r in mine if _own_gap(week, r) is not None]
    if own_gaps:
        lines += ["Gap of a run to the bound it proved itself, (run's bound − tracked) / run's bound: "
                  + ", ".join(own_gaps) + " (goal: within 3 %).", ""]
    return lines


def _own_gap(week: str, run: dict) -> float | None:
    """(run's upper bound - tracked) / run's upper bound in %, None without a bound."""
    s = run.get("stats", {})
    if run.get("bound") is None or s.get("tracked_hours") is None:
        return None
    own = _requested_hours(week, s) - run["bound"] / 3600
    return 100 * (own - s["tracked_hours"]) / own if own > 0 else None


def _requested_hours(week: str, stats: dict) -> float:
    """Requested hours of the week as the run saw them (its stats), else the README's."""
    return float(stats.get("requested_hours", REQUESTED[week]))


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _generated(runs: list[dict]) -> list[str]:
    lines = ["## Generated CS-GSNSP networks (`schedkit.generate.groundstation`, seed 1)", "",
             "| instance | method | unserved s | tracked h | U_max | decodes | decodes saved | bound "
             "| wall s |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for run in sorted(runs, key=lambda r: (len(r["instance"]), r["instance"], r["method"])):
        s = run.get("stats", {})
        bound = run.get("bound")
        lines.append(f"| {run['instance']} | {_label(run)} | {run.get('objective')} | "
                     f"{s.get('tracked_hours', '-')} | {_num(s.get('u_max'))} | {s.get('decodes', '-')} | "
                     f"{s.get('decodes_saved', '-')} | {bound if bound is not None else '-'} | "
                     f"{run.get('wall_time', 0):.1f} |")
    return lines + [""]


def hand_written(path: Path) -> list[str]:
    """The dated sections of the report at `path` (between its header and "## SatNet weeks"):
    written by hand, session by session, so a regenerated report keeps them as they are."""
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    if "## SatNet weeks" not in lines:
        return []
    end = lines.index("## SatNet weeks")
    start = next((k for k, line in enumerate(lines[:end]) if line.startswith("## ")), end)
    return lines[start:end]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPORTS / "groundstation.md"))
    parser.add_argument("--load", default=None, help="load average to state (default: now)")
    parser.add_argument("--keep-from", default=None,
                        help="an earlier report: its rows of suites not stored here are kept")
    parser.add_argument("--note", action="append", default=[],
                        help="a bullet to add under the header (how the runs went); repeatable")
    args = parser.parse_args()
    satnet = [run for suite in SATNET_SUITES for run in _runs(suite)]
    old = Path(args.keep_from) if args.keep_from else Path("/nonexistent")
    kept = _kept_runs(old, {_label(r) for r in satnet})
    satnet = sorted(satnet + kept, key=lambda r: r.get("kept", False) is False)
    generated = _runs(GENERATED_SUITE)
    ran = [suite for suite in (*SATNET_SUITES, GENERATED_SUITE) if _runs(suite)]
    v = versions()
    load = args.load or " / ".join(f"{x:.1f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"
    lines = ["# Groundstation benchmark: SatNet (NASA DSN 2018) and generated CS-GSNSP networks", "",
             f"- Machine: {cpu_model()}, {os.cpu_count()} cores, {memory_gib() or 0:.0f} GiB; shared "
             f"with other jobs, load average {load}: wall-clock figures are noisy.",
             f"- Versions: {', '.join(f'{k} {val}' for k, val in sorted(v.items()))}",
             "- Commands: " + "; ".join(f"`schedkit bench benchmarks/suites/{s}.toml --jobs 1 --out "
                                        "benchmarks/reports`" for s in ran)
             + "; `python benchmarks/groundstation_report.py`",
             "- Suites that ran: " + ", ".join(ran)
             + ". Every plan was checked with `schedkit.check` in its run."
             + (f" Rows of the other suites ({len(kept)} SatNet rows"
                + (", the generated networks" if not generated else "")
                + f") are kept from the earlier report ({old.name}{_old_load(old)}): they were not "
                "re-run here (the code they ran may have changed since; see the dated sections), "
                "their gaps are recomputed against the new bound." if kept else ""),
             *(f"- {note}" for note in args.note),
             "- Our model enforces the satellite-operation-mode rule (one mission tracked by one "
             "alternative at a time); the published rows are reproduced from the data README.",
             "- Run's bound h = requested − the run's proven lower bound on unserved seconds (cpsat: the "
             "best of CP-SAT's own bound, the mission transportation bound and the non-preemptive "
             "LP of solvers/interval_lp.py at 3 h and then 1 h buckets in a thread beside the "
             "search; runs before commit a4edecb ran the preemptive LP of solvers/lp_bound.py "
             "first); gap to proven bound = (U − tracked) / U, U the "
             "week's best proven upper bound: the best of the runs' bounds and the interval LP "
             "bounds computed outside the runs by `python benchmarks/groundstation_bounds.py` "
             "(under our rules, so not shown for the published rows).", ""]
    lines += hand_written(Path(args.out)) + ["## SatNet weeks", ""]
    for week in WEEKS:
        lines += _satnet_table(week, satnet)
    lines += _generated(generated) if generated else _kept_generated(old)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
