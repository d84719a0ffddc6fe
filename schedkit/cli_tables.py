"""What `schedkit solve` prints about its results: the result table, each family's measures
and the progress line of a running solve."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from schedkit import family as families
from schedkit.bench.progress import printable
from schedkit.deadline import latest_offer


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value + 0.0:.6g}"  # + 0.0: a rounded -0.0 (e.g. a gap of -1e-15 %) prints as 0
    return str(value)


def print_metrics(results: list[Any]) -> None:
    """Each family's own measures of its results (ground station hours, serving metrics), one table
    per family that has them."""
    for name in dict.fromkeys(r.family for r in results):
        measures = families.get(name).measures if name else None
        if measures is None:
            continue
        rows = [(r, m) for r in results if r.family == name
                and (m := measures(r.objective, r.bound, r.stats)) is not None]
        if rows:
            columns = list(rows[0][1])
            _metrics_table([(r, [_fmt(m.get(c)) for c in columns]) for r, m in rows], columns)


def _metrics_table(rows: list[tuple[Any, list[str]]], columns: Sequence[str]) -> None:
    if not rows:
        return
    table = Table(box=None, header_style="bold")
    for column in ("instance", "method", *columns):
        table.add_column(column, justify="left" if column in ("instance", "method") else "right")
    for r, cells in rows:
        table.add_row(_text(r.instance), _text(r.method), *cells)
    Console(width=200).print(table)


def solve_status(name: str, method: str, limit: float | None, since: float) -> Callable[[float], str]:
    """The text of a running solve's progress line: elapsed time, and the incumbent its
    method has reported so far (deadline.offer) with its bound and phase."""
    def text(elapsed: float) -> str:
        of = "" if limit is None else f" of {limit:g}"
        found = latest_offer(since)
        if found is None:
            return f"{name} {method}: {elapsed:.0f} s{of}, no incumbent reported yet"
        bound = "" if found.bound is None else f", bound {_fmt(found.bound)}"
        phase = f" ({found.stats['offered']})" if "offered" in found.stats else ""
        hours = found.stats.get("tracked_hours")  # the ground station's objective is unserved seconds
        incumbent = _fmt(found.objective) + ("" if hours is None else f" = {hours:.1f} h tracked")
        return f"{name} {method}: {elapsed:.0f} s{of}, incumbent {incumbent}{bound}{phase}"
    return text


def describe_result(result: Any) -> str:
    """`status objective (bound B, gap G) in T s` for a progress line."""
    bound = "" if result.bound is None else f", bound {_fmt(result.bound)}"
    gap = "" if result.gap is None else f", gap {100 * result.gap:.2f}%"
    return f"{result.status} {_fmt(result.objective)}{bound}{gap} in {result.wall_time:.2f} s"


def best_so_far(results: list[Any]) -> str:
    """The best result so far among those with a bound: smallest gap, then its instance; ""
    while no result has a bound (heuristics), so progress shows no meaningless "best"."""
    scored = [(r.gap, i) for i, r in enumerate(results) if r.gap is not None]
    if not scored:
        return ""
    gap, index = min(scored)
    return f"{results[index].instance} gap {100 * gap:.2f}%"


def _text(name: str) -> Text:
    """A table cell for a name from a file: plain text (`[/]` is no rich markup), control
    characters escaped."""
    return Text(printable(name))


def print_table(results: list[Any]) -> None:
    table = Table(box=None, header_style="bold")
    for column in ("instance", "method", "status", "objective", "bound", "gap", "time (s)"):
        left = column in ("instance", "method", "status")
        table.add_column(column, justify="left" if left else "right")
    for r in results:
        chosen = r.stats.get("chosen")
        method = f"{r.method} ({chosen})" if chosen else r.method
        gap = "-" if r.gap is None else f"{100 * r.gap:.2f}%"
        table.add_row(_text(r.instance), _text(method), r.status, _fmt(r.objective), _fmt(r.bound),
                      gap, f"{r.wall_time:.3f}")
    Console(width=200).print(table)
