"""One Gantt drawer for every family: bars on rows (machines, processors, nodes), coloured by group.

Families turn their solution into `Bar`s and call `draw`; matplotlib is imported here only,
so the core package never needs it. Every chart has a legend mapping colours to groups, and a
bar's label is kept only where it fits inside its bar.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schedkit.errors import PLOT_EXTRA, SchedkitError

PALETTES = ("tab20", "tab20b", "tab20c")  # 60 colours: tab20's first, groups beyond 60 share them
COLOURS = 20 * len(PALETTES)
LEGEND_ENTRIES = 20
EDGED_BARS = 400  # beyond this many bars, bars are drawn without outlines (and without labels)
MAX_ROWS = 200  # rows drawn at most: 2000 machines made a PNG 77,000 pixels high (100,000: 18 GB)


@dataclass(frozen=True)
class Bar:
    """One bar: on `row` from `start` to `end`, coloured by `group` (e.g. the job), labelled `label`;
    a `hatch` (matplotlib's, e.g. "////") marks another state of the group, such as a held machine;
    a negative group is no group (white, out of the legend: e.g. a machine under repair)."""

    row: str
    start: float
    end: float
    group: int
    label: str = ""
    hatch: str = ""


@dataclass(frozen=True)
class Profile:
    """A step curve under the chart (e.g. a resource's usage) with its capacity line."""

    name: str
    times: Sequence[float]
    levels: Sequence[float]
    capacity: float


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend; SchedkitError naming the extra when it is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        matplotlib.rcParams["text.parse_math"] = False  # names from files: "$" is no TeX
        import matplotlib.pyplot as plt
    except ImportError:
        raise SchedkitError(f"Gantt charts need matplotlib: {PLOT_EXTRA}") from None
    return plt


def colour(group: int) -> Any:
    """The colour of a group: tab20, then tab20b and tab20c, cycling after 60 groups."""
    return _palette()[group % COLOURS]


@functools.cache
def _palette() -> list[Any]:
    """The COLOURS colours, looked up once (a chart asks per bar)."""
    return [pyplot().get_cmap(PALETTES[k // 20])(k % 20) for k in range(COLOURS)]


def legend_handles(names: Mapping[int, str], hatches: Mapping[str, str] | None = None) -> list[Any]:
    """Colour patches for at most LEGEND_ENTRIES groups, then one entry saying how many more,
    then one white patch per hatch in `hatches` (hatch -> what it means)."""
    from matplotlib.patches import Patch

    items = list(names.items())
    handles = [Patch(facecolor=colour(g), edgecolor="black", linewidth=0.4, label=name)
               for g, name in items[:LEGEND_ENTRIES]]
    if len(items) > LEGEND_ENTRIES:
        repeat = " (colours repeat)" if len(items) > COLOURS else ""
        handles.append(Patch(facecolor="white", edgecolor="white",
                             label=f"… {len(items) - LEGEND_ENTRIES} more{repeat}"))
    handles += [Patch(facecolor="white", edgecolor="black", linewidth=0.4, hatch=hatch, label=meaning)
                for hatch, meaning in (hatches or {}).items()]
    return handles


def drop_overflowing_labels(figure: Any, pairs: Sequence[tuple[Any, Any]]) -> None:
    """Remove each (text, bar) label whose text does not fit inside its bar."""
    renderer = figure.canvas.get_renderer()
    for text, patch in pairs:
        inner, outer = text.get_window_extent(renderer), patch.get_window_extent(renderer)
        if inner.width > outer.width - 4 or inner.height > outer.height + 1:
            text.remove()


def _fill(bar: Bar) -> Any:
    """A bar's colour: its group's, white for no group."""
    return "white" if bar.group < 0 else colour(bar.group)


def _rows_at_once(chart: Any, bars: Sequence[Bar], index: Mapping[str, int]) -> None:
    """Many bars, drawn one row at a time, without outlines (thousands turn a row black)."""
    by_row: dict[tuple[int, str], list[Bar]] = {}  # a hatch is one per artist: rows split by it
    for bar in bars:
        by_row.setdefault((index[bar.row], bar.hatch), []).append(bar)
    for (y, hatch), row in by_row.items():
        chart.broken_barh([(bar.start, bar.end - bar.start) for bar in row], (y - 0.35, 0.7),
                          facecolors=[_fill(bar) for bar in row],
                          hatch=hatch or None, edgecolor="black" if hatch else "none", linewidth=0)


def figure(bars: Sequence[Bar], title: str, rows: Sequence[str] | None = None,
           profiles: Sequence[Profile] = (), time_label: str = "time",
           legend: Mapping[int, str] | None = None, legend_title: str = "",
           hatches: Mapping[str, str] | None = None) -> Any:
    """The matplotlib Figure of a Gantt chart: one row per entry of `rows` (default: as bars
    name them, first seen first), bars coloured by group with a legend (`legend` names the
    groups; default `<legend_title> g`; `hatches` what hatched bars mean), then one small panel
    per profile below it."""
    plt = pyplot()
    order = list(rows) if rows is not None else list(dict.fromkeys(bar.row for bar in bars))
    if len(order) > MAX_ROWS:
        title = f"{title} (the first {MAX_ROWS} of {len(order)} rows)"
        order = order[:MAX_ROWS]
    index = {row: i for i, row in enumerate(order)}
    bars = [bar for bar in bars if bar.row in index]
    heights = [max(2.0, 0.35 * len(order))] + [1.4] * len(profiles)
    fig, axes = plt.subplots(1 + len(profiles), 1, figsize=(11, sum(heights) + 0.8),
                             sharex=True, squeeze=False, height_ratios=heights)
    chart = axes[0][0]
    labelled = []
    if len(bars) > EDGED_BARS:  # one artist per row: one per bar took an hour for 10^6 bars
        _rows_at_once(chart, bars, index)
    for bar in bars if len(bars) <= EDGED_BARS else ():
        y = index[bar.row]
        patch = chart.barh(y, bar.end - bar.start, left=bar.start, height=0.7,
                           color=_fill(bar), edgecolor="black", linewidth=0.4,
                           hatch=bar.hatch or None)[0]
        if bar.label:
            text = chart.text((bar.start + bar.end) / 2, y, bar.label, ha="center", va="center",
                              fontsize=6, clip_on=True)
            labelled.append((text, patch))
    chart.set_yticks(range(len(order)), order, fontsize=7 if len(order) > 20 else 9)
    chart.invert_yaxis()
    chart.set_title(title)
    chart.grid(axis="x", linewidth=0.3)
    names = dict(legend) if legend is not None else {
        g: f"{legend_title or 'group'} {g}" for g in sorted({bar.group for bar in bars if bar.group >= 0})}
    chart.legend(handles=legend_handles(names, hatches), title=legend_title or None, fontsize=7,
                 title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    for panel, profile in zip(axes[1:], profiles, strict=True):
        ax = panel[0]
        ax.step(profile.times, profile.levels, where="post", linewidth=1, label="usage")
        ax.axhline(profile.capacity, color="red", linewidth=0.8, linestyle="--", label="capacity")
        ax.set_ylabel(profile.name, fontsize=8)
        ax.set_ylim(0, max(profile.capacity, max(profile.levels, default=0)) * 1.1 or 1)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    axes[-1][0].set_xlabel(time_label)
    fig.tight_layout()
    drop_overflowing_labels(fig, labelled)
    return fig


def save(fig: Any, path: str | Path) -> Path:
    """Write the figure as a PNG (legends outside the axes included) and close it."""
    target = Path(path)
    fig.savefig(target, dpi=110, bbox_inches="tight")
    pyplot().close(fig)
    return target


def draw(bars: Sequence[Bar], path: str | Path, title: str, rows: Sequence[str] | None = None,
         profiles: Sequence[Profile] = (), time_label: str = "time",
         legend: Mapping[int, str] | None = None, legend_title: str = "",
         hatches: Mapping[str, str] | None = None) -> Path:
    """Write a PNG Gantt chart to `path` (see `figure`)."""
    return save(figure(bars, title, rows, profiles, time_label, legend, legend_title, hatches), path)
