"""Performance profile and gap-versus-time plots (matplotlib, the `plot` extra).

Both are meant to go into a paper as they are: a title, a legend, one colour, line style and
marker per method (so equal curves stay visible), plain tick labels.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from schedkit.bench.report import MethodSummary
from schedkit.errors import PLOT_EXTRA, SolverUnavailable

STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")


def require_matplotlib() -> None:
    """SolverUnavailable naming the extra when matplotlib is not installed (checked up front)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SolverUnavailable(f"plots need matplotlib: {PLOT_EXTRA} (or pass --no-plots)") from None


def _pyplot() -> Any:
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["text.parse_math"] = False  # names from files: "$" is no TeX
    import matplotlib.pyplot as plt

    return plt


def style(index: int) -> dict[str, Any]:
    """Colour, line style, marker and width of the index-th method: all differ between
    neighbours, and earlier curves are wider so a later equal curve does not hide them."""
    return {"color": f"C{index % 10}", "linestyle": STYLES[index % len(STYLES)],
            "marker": MARKERS[index % len(MARKERS)], "linewidth": max(1.0, 2.6 - 0.4 * index)}


def _plain(value: float, _position: Any) -> str:
    return f"{value:g}"


def _profile_gaps(summary: MethodSummary) -> list[float]:
    """Per run, gap % to the reference; a zero reference met exactly counts as 0 %."""
    return sorted([100 * g for g in summary.gaps] + [0.0 for x in summary.zero_ref_diffs if x == 0])


MARKS = 6  # markers per profile curve


def profile_curve(gaps: list[float], runs: int, top: float, index: int, methods: int
                  ) -> tuple[list[float], list[float], list[int]]:
    """The step curve (x: gap %, y: share of runs within it) up to `top`, with MARKS extra
    points spread evenly over the symlog x axis (shifted per method, so equal curves show
    their markers side by side) and their indices, where the markers go."""
    def to_axis(x: float) -> float:  # symlog with linthresh 0.1: linear below, log above
        return x / 0.1 if x <= 0.1 else 1 + math.log10(x / 0.1)

    def from_axis(u: float) -> float:
        return u * 0.1 if u <= 1 else 0.1 * 10 ** (u - 1)

    span = to_axis(top)
    samples = [from_axis(span * (k + 0.5 + index / max(methods, 1)) / (MARKS + 1))
               for k in range(MARKS)]
    points = sorted({0.0, top, *gaps, *samples})
    shares = [sum(1 for g in gaps if g <= x) / runs for x in points]
    marks = [points.index(x) for x in samples]
    return points, shares, marks


def profile_figure(summaries: list[MethodSummary], title: str = "") -> Any:
    """The performance profile's Figure: share of all runs (errors included) within gap x."""
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    figure, axes = plt.subplots(figsize=(7, 4.5))
    top = max(max((max(s.gaps) for s in summaries if s.gaps), default=0.0) * 100, 0.1)
    lowest = 1.0  # the smallest share any curve starts from: the y axis starts just below it
    for index, summary in enumerate(summaries):
        gaps = _profile_gaps(summary)
        if not gaps:
            continue
        xs, ys, marks = profile_curve(gaps, summary.runs, top, index, len(summaries))
        lowest = min(lowest, ys[0])
        axes.step(xs, ys, where="post", label=summary.label, markersize=5, markevery=marks,
                  zorder=3 + len(summaries) - index, **style(index))
    axes.set_xscale("symlog", linthresh=0.1)
    axes.xaxis.set_major_formatter(FuncFormatter(_plain))
    axes.set_xlim(left=0)
    axes.set_xlabel("gap to the reference upper bound (%)")
    axes.set_ylabel("share of runs within the gap")
    bottom = max(0.0, math.floor((lowest - 0.02) * 10) / 10)  # zoomed when every curve starts high
    axes.set_ylim(bottom, 1.0 + 0.02 * (1.0 - bottom))
    axes.set_title(f"Performance profile: {title}" if title else "Performance profile")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small", ncol=2, loc="lower right")
    figure.tight_layout()
    return figure


def performance_profile(summaries: list[MethodSummary], path: Path, title: str = "") -> Path:
    """Write the performance profile PNG (see `profile_figure`)."""
    return _save(profile_figure(summaries, title), path)


def gap_time_figure(summaries: list[MethodSummary], title: str = "") -> Any:
    """Mean gap (plain percent axis) against mean time per run (log axis): one marker per
    method, named in the legend rather than next to the point, so no label overlaps another."""
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    figure, axes = plt.subplots(figsize=(7, 4.5))
    highest = 0.0
    for index, summary in enumerate(summaries):
        if not summary.gaps or not summary.times:
            continue
        row = summary.row()
        highest = max(highest, row["mean_gap_pct"])
        look = style(index)
        axes.plot([max(row["mean_time_s"], 1e-4)], [row["mean_gap_pct"]], linestyle="none",
                  marker=look["marker"], color=look["color"], markersize=8, clip_on=False,
                  label=f"{summary.label}: {row['mean_gap_pct']:.2f} %, {row['mean_time_s']:.3g} s")
    axes.set_xscale("log")
    axes.xaxis.set_major_formatter(FuncFormatter(_plain))
    axes.yaxis.set_major_formatter(PercentFormatter(decimals=None))
    axes.set_ylim(bottom=0, top=max(highest * 1.15, 0.1))
    axes.set_xlabel("mean time per run (s, log scale)")
    axes.set_ylabel("mean gap to the reference")
    axes.set_title(f"Gap versus time: {title}" if title else "Gap versus time")
    axes.grid(alpha=0.3, which="both")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    figure.tight_layout()
    return figure


def gap_versus_time(summaries: list[MethodSummary], path: Path, title: str = "") -> Path:
    """Write the gap-versus-time PNG (see `gap_time_figure`)."""
    return _save(gap_time_figure(summaries, title), path)


def _save(figure: Any, path: Path) -> Path:
    figure.savefig(path, dpi=110, bbox_inches="tight")
    _pyplot().close(figure)
    return path
