"""One Gantt drawer for every family: bars on rows (machines, processors, nodes), coloured by job.

Families turn their solution into `Bar`s and call `draw`; matplotlib is imported here only,
so the core package never needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from schedkit.errors import SchedkitError


@dataclass(frozen=True)
class Bar:
    """One bar: on `row` from `start` to `end`, coloured by `group` (e.g. the job), labelled `label`."""

    row: str
    start: float
    end: float
    group: int
    label: str = ""


@dataclass(frozen=True)
class Profile:
    """A step curve under the chart (e.g. a resource's usage) with its capacity line."""

    name: str
    times: Sequence[float]
    levels: Sequence[float]
    capacity: float


def _pyplot():  # type: ignore[no-untyped-def]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SchedkitError("Gantt charts need matplotlib: pip install 'schedkit[plot]'") from None
    return plt


def draw(bars: Sequence[Bar], path: str | Path, title: str, rows: Sequence[str] | None = None,
         profiles: Sequence[Profile] = (), time_label: str = "time") -> Path:
    """Write a PNG Gantt chart to `path`: one row per entry of `rows` (default: as bars name them,
    first seen first), bars coloured by group, then one small panel per profile below it."""
    plt = _pyplot()
    order = list(rows) if rows is not None else list(dict.fromkeys(bar.row for bar in bars))
    index = {row: i for i, row in enumerate(order)}
    colours = plt.get_cmap("tab20")
    heights = [max(2.0, 0.35 * len(order))] + [1.4] * len(profiles)
    figure, axes = plt.subplots(1 + len(profiles), 1, figsize=(11, sum(heights) + 0.8),
                                sharex=True, squeeze=False, height_ratios=heights)
    chart = axes[0][0]
    for bar in bars:
        y = index[bar.row]
        chart.barh(y, bar.end - bar.start, left=bar.start, height=0.7,
                   color=colours(bar.group % 20), edgecolor="black", linewidth=0.4)
        if bar.label and len(bars) <= 400:
            chart.text((bar.start + bar.end) / 2, y, bar.label, ha="center", va="center", fontsize=6)
    chart.set_yticks(range(len(order)), order, fontsize=7 if len(order) > 20 else 9)
    chart.invert_yaxis()
    chart.set_title(title)
    chart.grid(axis="x", linewidth=0.3)
    for panel, profile in zip(axes[1:], profiles, strict=True):
        ax = panel[0]
        ax.step(profile.times, profile.levels, where="post", linewidth=1)
        ax.axhline(profile.capacity, color="red", linewidth=0.8, linestyle="--")
        ax.set_ylabel(profile.name, fontsize=8)
        ax.set_ylim(0, max(profile.capacity, max(profile.levels, default=0)) * 1.1 or 1)
    axes[-1][0].set_xlabel(time_label)
    figure.tight_layout()
    target = Path(path)
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target
