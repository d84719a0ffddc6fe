"""Per-method summary of a suite's records against reference values; Markdown and CSV.

Gap = (objective − reference) / reference. When the reference is 0 a relative gap is
meaningless, so those runs count in `zero-ref abs` (mean absolute difference) instead. A family
with its own measures (ground station hours) adds their means per method, and small suites get
a table per instance, so a suite without references still shows what each method reached.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schedkit.bench.progress import printable
from schedkit.bench.references import Reference
from schedkit.result import relative_gap

Measure = Callable[[dict[str, Any]], "dict[str, Any] | None"]  # a record's family measures


def gap(objective: float, reference: float) -> tuple[float | None, float | None]:
    """(relative gap, absolute difference): relative when reference != 0, else absolute."""
    if reference == 0:
        return None, objective - reference
    return (objective - reference) / abs(reference), None


@dataclass
class MethodSummary:
    """One row of the report."""

    label: str
    runs: int = 0
    instances: int = 0
    feasible: int = 0
    optimal: int = 0
    gaps: list[float] = field(default_factory=list)
    gaps_to_opt: list[float] = field(default_factory=list)
    zero_ref_diffs: list[float] = field(default_factory=list)
    bound_gaps: list[float] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    measures: dict[str, list[float]] = field(default_factory=dict)
    wins: int = 0
    ties: int = 0
    errors: int = 0
    invalid: int = 0

    def row(self) -> dict[str, Any]:
        """Flat values for CSV and Markdown."""
        def stat(values: list[float], how: str) -> float | None:
            if not values:
                return None
            if how == "mean":
                return statistics.fmean(values)
            return statistics.median(values) if how == "median" else max(values)

        return {
            "method": self.label,
            "runs": self.runs,
            "instances": self.instances,
            "feasible": self.feasible,
            "optimal": self.optimal,
            "mean_gap_pct": _pct(stat(self.gaps, "mean")),
            "median_gap_pct": _pct(stat(self.gaps, "median")),
            "max_gap_pct": _pct(stat(self.gaps, "max")),
            "mean_gap_to_opt_pct": _pct(stat(self.gaps_to_opt, "mean")),
            "zero_ref_runs": len(self.zero_ref_diffs),
            "zero_ref_mean_abs": stat([abs(x) for x in self.zero_ref_diffs], "mean"),
            "mean_bound_gap_pct": _pct(stat(self.bound_gaps, "mean")),
            "mean_time_s": stat(self.times, "mean"),
            "median_time_s": stat(self.times, "median"),
            "max_time_s": stat(self.times, "max"),
            "wins": self.wins,
            "ties": self.ties,
            "errors": self.errors,
            "invalid": self.invalid,
            **{f"mean {name}": stat(values, "mean") for name, values in self.measures.items()},
        }

    def add_measures(self, measured: dict[str, Any] | None) -> None:
        """Keep a run's numeric family measures for their means (None and text are skipped)."""
        for name, value in (measured or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                self.measures.setdefault(name, []).append(float(value))


def _pct(value: float | None) -> float | None:
    return None if value is None else 100 * value


def _usable(record: dict[str, Any]) -> bool:
    return record.get("outcome") == "ok" and record.get("objective") is not None


def summarise(records: list[dict[str, Any]], references: dict[str, Reference],
              order: Iterable[str] = (), measure: Measure | None = None
              ) -> tuple[list[MethodSummary], list[str]]:
    """Per-label summaries (labels in `order` first, then by first appearance) and the
    consistency alarms; `measure` gives a record's family measures, averaged per label."""
    summaries: dict[str, MethodSummary] = {label: MethodSummary(label) for label in order}
    instances: dict[str, set[str]] = defaultdict(set)
    alarms: list[str] = []
    by_run: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for record in records:
        label = record.get("label") or record["method"]
        summary = summaries.setdefault(label, MethodSummary(label))
        summary.runs += 1
        instances[label].add(record["instance"])
        if record.get("outcome") == "error":
            summary.errors += 1
            continue
        if record.get("outcome") == "invalid":
            summary.invalid += 1
            alarms.append(f"INVALID solution: {label} on {record['instance']}: "
                          f"{'; '.join(record.get('violations', [])[:2])}")
            continue
        if not _usable(record):
            continue
        objective = record["objective"]
        summary.feasible += 1
        summary.optimal += record.get("status") == "optimal"
        summary.times.append(record.get("wall_time") or record.get("elapsed") or 0.0)
        proven = relative_gap(objective, record.get("bound"))
        if proven is not None and math.isfinite(proven):
            summary.bound_gaps.append(proven)
        if measure is not None:
            summary.add_measures(measure(record))
        by_run[(record["instance"], record.get("seed", 0))][label] = objective
        reference = references.get(record["instance"])
        if reference is None:
            continue
        alarms.extend(_inconsistencies(label, record, reference))
        if reference.upper_bound is not None:
            relative, absolute = gap(objective, reference.upper_bound)
            if relative is not None:
                summary.gaps.append(relative)
                if reference.optimum is not None:
                    summary.gaps_to_opt.append(relative)
            else:
                summary.zero_ref_diffs.append(absolute or 0.0)
    for label, names in instances.items():
        summaries[label].instances = len(names)
    summaries = {label: s for label, s in summaries.items() if s.runs}
    for results in by_run.values():
        best = min(results.values())
        winners = [label for label, value in results.items() if value == best]
        for label in winners:
            if len(winners) == 1:
                summaries[label].wins += 1
            else:
                summaries[label].ties += 1
    return list(summaries.values()), alarms


def _inconsistencies(label: str, record: dict[str, Any], reference: Reference) -> Iterable[str]:
    """Claims that contradict the reference values: one of the two is wrong."""
    objective, bound = record["objective"], record.get("bound")
    where = f"{label} on {record['instance']}"
    if reference.lower_bound is not None and objective < reference.lower_bound:
        yield f"objective {objective} below the reference lower bound {reference.lower_bound}: {where}"
    if (record.get("status") == "optimal" and reference.upper_bound is not None
            and objective > reference.upper_bound):
        yield (f"claimed optimum {objective} worse than the reference upper bound "
               f"{reference.upper_bound}: {where}")
    if bound is not None and reference.upper_bound is not None and bound > reference.upper_bound:
        yield f"proven bound {bound} above the reference upper bound {reference.upper_bound}: {where}"


COLUMNS = [
    ("method", "method"), ("instances", "instances"), ("feasible", "feasible"),
    ("optimal", "proven opt"), ("mean_gap_pct", "mean gap %"), ("median_gap_pct", "median gap %"),
    ("max_gap_pct", "max gap %"), ("mean_gap_to_opt_pct", "gap to opt %"),
    ("zero_ref_mean_abs", "zero-ref abs"), ("mean_bound_gap_pct", "gap to own bound %"),
    ("mean_time_s", "mean s"),
    ("median_time_s", "median s"), ("max_time_s", "max s"), ("wins", "wins"), ("ties", "ties"),
    ("errors", "errors"), ("invalid", "invalid"),
]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1 else f"{value:.3f}"
    return _text(str(value))


def _text(name: str) -> str:
    """A name from a file or a suite as one Markdown table cell: `|` escaped, control characters
    (a newline) spelled out."""
    return printable(name).replace("|", "\\|")


def instance_set(name: str) -> str:
    """The set an instance belongs to: its name before the selector (`wt40#7` -> `wt40`)."""
    return name.split("#", 1)[0]


MAX_SET_TABLES = 50


def set_tables(records: list[dict[str, Any]], references: dict[str, Reference],
               order: list[str], measure: Measure | None = None
               ) -> list[tuple[str, list[MethodSummary]]]:
    """One table per instance set when there are 2 to MAX_SET_TABLES sets; none otherwise
    (a suite of one file per instance, as PSPLIB or the job-shop files, has no sets to show)."""
    sets = sorted({instance_set(r["instance"]) for r in records})
    if not 1 < len(sets) <= MAX_SET_TABLES:
        return []
    return [(name, summarise([r for r in records if instance_set(r["instance"]) == name],
                             references, order, measure)[0]) for name in sets]


def write_csv(tables: list[tuple[str, list[MethodSummary]]], path: Path) -> None:
    """Every table (overall, then per instance set) as CSV rows with a `set` column."""
    rows = [{"set": title, **s.row()} for title, summaries in tables for s in summaries]
    fields = list(dict.fromkeys(key for row in rows for key in row)) or ["set", "method"]
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _table(summaries: list[MethodSummary]) -> list[str]:
    names = list(dict.fromkeys(name for s in summaries for name in s.measures))
    columns = COLUMNS + [(f"mean {name}", f"mean {name}") for name in names]
    lines = ["| " + " | ".join(title for _, title in columns) + " |",
             "| --- " + "| ---: " * (len(columns) - 1) + "|"]
    for summary in summaries:
        row = summary.row()
        lines.append("| " + " | ".join(_cell(row.get(key)) for key, _ in columns) + " |")
    return lines


MAX_INSTANCE_ROWS = 100  # larger suites: per-run values are in the store, not the Markdown


def _run_cell(record: dict[str, Any] | None) -> str:
    """objective, `*` when proven optimal, else `[bound]` when there is one; or what went wrong."""
    if record is None:
        return "-"
    if record.get("outcome") != "ok":
        return str(record.get("outcome"))
    if record.get("objective") is None:
        return str(record.get("status") or "-")
    text = _cell(record["objective"])
    if record.get("status") == "optimal":
        return text + "*"
    return text if record.get("bound") is None else f"{text} [{_cell(record['bound'])}]"


def instance_table(records: list[dict[str, Any]], order: list[str],
                   measure: Measure | None = None) -> list[str]:
    """One row per (instance, seed), one column per method: objective [bound] or optimum*, and a
    second table of the family's first measure when it has one; [] above MAX_INSTANCE_ROWS."""
    labels = list(dict.fromkeys([*order, *(r.get("label") or r["method"] for r in records)]))
    seeds = {r.get("seed", 0) for r in records}
    runs: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
    for record in records:
        key = (record["instance"], record.get("seed", 0))
        runs.setdefault(key, {})[record.get("label") or record["method"]] = record
    labels = [label for label in labels if any(label in row for row in runs.values())]
    if not runs or len(runs) > MAX_INSTANCE_ROWS:
        return []

    def name(key: tuple[str, int]) -> str:
        return _text(key[0] if len(seeds) == 1 else f"{key[0]} (seed {key[1]})")

    head = ["| instance | " + " | ".join(_text(label) for label in labels) + " |",
            "| --- " + "| ---: " * len(labels) + "|"]
    lines = ["## Per instance", "", "Objective per run; `*` proven optimal, `[b]` the proven bound.",
             "", *head]
    lines += [f"| {name(key)} | " + " | ".join(_run_cell(row.get(label)) for label in labels) + " |"
              for key, row in runs.items()]
    measured = {(key, label): measure(record) if measure and record.get("outcome") == "ok" else None
                for key, row in runs.items() for label, record in row.items()}
    first = next((next(iter(m)) for m in measured.values() if m), None)
    if first is not None:
        lines += ["", f"The family's own measure, `{first}`, per run:", "", *head]
        lines += [f"| {name(key)} | " + " | ".join(
            _cell((measured.get((key, label)) or {}).get(first)) for label in labels) + " |"
            for key in runs]
    return lines + [""]


def markdown(suite: str, tables: list[tuple[str, list[MethodSummary]]], alarms: list[str],
             header: list[str], errors: list[str], plots: list[str],
             per_instance: list[str] | None = None) -> str:
    """The Markdown report: context, a table per instance set, per instance, alarms, errors, plots."""
    lines = [f"# Benchmark suite `{suite}`", ""] + [f"- {h}" for h in header] + [""]
    for title, summaries in tables:
        if len(tables) > 1:
            lines += [f"## {title}", ""]
        lines += _table(summaries) + [""]
    lines += ["Gap = (objective − reference upper bound) / reference; instances whose "
              "reference is 0 are counted in `zero-ref abs` (mean absolute difference) instead. "
              "Gap to own bound = (objective − the run's proven bound) / objective. "
              "Times are the solver's wall time per run. Wins/ties: best objective among the "
              "methods on an (instance, seed), alone or shared.", ""]
    lines += per_instance or []
    if alarms:
        lines += [f"## ⚠ {len(alarms)} inconsistencies with the reference values", ""]
        lines += [f"- **{a}**" for a in alarms[:50]] + [""]
    else:
        lines += ["No run contradicts the reference values (no objective below a lower bound, "
                  "no claimed optimum above an upper bound, no bound above an upper bound).", ""]
    if errors:
        lines += [f"## Errors ({len(errors)})", ""] + [f"- {e}" for e in errors[:30]] + [""]
    for plot in plots:
        lines += [f"![{plot}]({plot})", ""]
    return "\n".join(lines)
