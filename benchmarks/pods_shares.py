"""The issue 8 figures from the harness stores of the pods suites (pods_1s, pods_10s).

For each window, over the scenarios where kube-default leaves pods pending: the share where
cpsat places more high-priority pods (its per-tier unplaced counts are lexicographically
smaller than the default's), the share where it proves the default's counts optimal, the share
proven optimal overall (every stage, disturbance included), and the time used; per utilisation
too. Run after `schedkit bench benchmarks/suites/pods_1s.toml` (and pods_10s):

    .venv/bin/python benchmarks/pods_shares.py --out benchmarks/reports/pods_shares.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections import defaultdict
from pathlib import Path

REPORTS = Path("benchmarks/reports")
PAPER = {"places more": "44 % (1 s), 73 % (10 s)", "proves default optimal": "19 %"}


def _records(suite: str) -> dict[str, dict]:
    """cpsat's latest ok record per instance in the suite's store."""
    found: dict[str, dict] = {}
    path = REPORTS / f"{suite}.results.jsonl"
    if not path.exists():
        return found
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record.get("method") == "cpsat":
            found[record["instance"]] = record
    return found


def _utilisation(name: str) -> str:
    return name.split("_u")[1].split("_")[0]


def _shares(records: list[dict]) -> dict[str, str]:
    ok = [r for r in records if r["outcome"] == "ok"]
    n = len(records)
    more = sum(bool(r["stats"].get("places_more_than_default")) for r in ok)
    certified = sum(bool(r["stats"].get("default_counts_proven_optimal")) for r in ok)
    proven = sum(r["status"] == "optimal" for r in ok)
    not_more = n - more
    times = [r["wall_time"] for r in ok]

    def pct(k: int, of: int) -> str:
        return f"{100 * k / of:.1f} % ({k}/{of})" if of else "-"

    return {
        "scenarios": str(n),
        "places more high-priority pods": pct(more, n),
        "proves the default optimal": pct(certified, n),
        "… of those it does not improve": pct(certified, not_more),
        "proven optimal overall": pct(proven, n),
        "pending pods, default → cpsat (mean)": (
            f"{statistics.mean(r['stats']['default_pending'] for r in ok):.2f} → "
            f"{statistics.mean(r['stats']['pending'] for r in ok):.2f}"
            if ok
            else "-"
        ),
        "moves / evictions (mean, median moves)": (
            f"{statistics.mean(r['stats']['moves'] for r in ok):.1f} / "
            f"{statistics.mean(r['stats']['evictions'] for r in ok):.1f}, "
            f"{statistics.median(r['stats']['moves'] for r in ok):g}"
            if ok
            else "-"
        ),
        "errors / invalid": str(n - len(ok)),
        "time mean / median / max (s)": (
            f"{statistics.mean(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f}"
            if times
            else "-"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPORTS / "pods_shares.md"))
    args = parser.parse_args()
    windows = {"1 s": _records("pods_1s"), "10 s": _records("pods_10s")}
    windows = {k: v for k, v in windows.items() if v}
    lines = [
        "# Pods: CP-SAT as the fallback of kube-default (issue 8)",
        "",
        "Scenarios: the grid of Christensen, Giallorenzo & Mauro (2025) — nodes {4, 8, 16, 32} × pods per",
        "node {4, 8} × priorities {1, 2, 4} × utilisation {0.90, 0.95, 1.00, 1.05}, seeds 0 and 1 (192",
        "clusters) — kept where `kube-default` leaves pods pending (175), in the state it leaves them",
        "(`benchmarks/pods_make_instances.py`). `cpsat` (2 workers, warm start from kube-default) gets the",
        "window; its result is compared with the default's placement. *Places more*: its unplaced counts per",
        "tier, from the highest priority, are lexicographically smaller. *Proves the default optimal*: every",
        "tier's count proven and equal to the default's. *Proven optimal*: every stage proven, disturbance",
        "(moves 2, evictions 1) included.",
        "",
        f"Paper: places more in {PAPER['places more']} of the failing scenarios; proves the default optimal "
        f"in {PAPER['proves default optimal']}.",
        "",
    ]
    rows = {window: _shares(list(records.values())) for window, records in windows.items()}
    keys = [k for k in next(iter(rows.values())) if not k.startswith("_")] if rows else []
    lines.append("| | " + " | ".join(rows) + " |")
    lines.append("| --- |" + " --- |" * len(rows))
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(rows[w][key] for w in rows) + " |")
    lines += ["", "By utilisation (places more / proves default optimal / proven optimal):", ""]
    lines.append("| utilisation | " + " | ".join(rows) + " |")
    lines.append("| --- |" + " --- |" * len(rows))
    groups: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for window, records in windows.items():
        for name, record in records.items():
            groups[_utilisation(name)][window].append(record)
    for utilisation in sorted(groups):
        cells = []
        for window in rows:
            s = _shares(groups[utilisation][window])
            cells.append(
                " / ".join(
                    s[k].split(" (")[0]
                    for k in (
                        "places more high-priority pods",
                        "proves the default optimal",
                        "proven optimal overall",
                    )
                )
                + f" (n={s['scenarios']})"
            )
        lines.append(f"| {utilisation} | " + " | ".join(cells) + " |")
    load = os.getloadavg()
    lines += [
        "",
        "Commands:",
        "",
        "```bash",
        ".venv/bin/python benchmarks/pods_make_instances.py --seeds 2",
        ".venv/bin/schedkit bench benchmarks/suites/pods_1s.toml --jobs 1 --out benchmarks/reports",
        ".venv/bin/schedkit bench benchmarks/suites/pods_10s.toml --jobs 1 --out benchmarks/reports",
        ".venv/bin/python benchmarks/pods_shares.py --out benchmarks/reports/pods_shares.md",
        "```",
        "",
        f"Machine: 2-core VM shared with other jobs; load average when this report was written "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min). Harness reports: "
        "[pods_1s.md](pods_1s.md), [pods_10s.md](pods_10s.md).",
    ]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
