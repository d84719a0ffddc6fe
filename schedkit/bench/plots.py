"""Performance profile and gap-versus-time plots (matplotlib, the `plot` extra)."""

from __future__ import annotations

from pathlib import Path

from schedkit.bench.report import MethodSummary
from schedkit.errors import SolverUnavailable


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SolverUnavailable("plots need matplotlib: pip install 'schedkit[plot]'") from None
    return plt


def _profile_gaps(summary: MethodSummary) -> list[float]:
    """Per run, gap % to the reference; a zero reference met exactly counts as 0 %."""
    return sorted([100 * g for g in summary.gaps] + [0.0 for x in summary.zero_ref_diffs if x == 0])


STYLES = ("-", "--", ":", "-.")


def performance_profile(summaries: list[MethodSummary], path: Path) -> Path:
    """Share of all runs (errors included) within gap x of the reference, per method."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 4.5))
    top = max((max(s.gaps) for s in summaries if s.gaps), default=0.0) * 100
    for index, summary in enumerate(summaries):
        gaps = _profile_gaps(summary)
        if not gaps:
            continue
        shares = [(i + 1) / summary.runs for i in range(len(gaps))]
        axes.step([0.0, *gaps, max(top, 1e-9)], [0.0, *shares, shares[-1]], where="post",
                  label=summary.label, linestyle=STYLES[(index // 10) % len(STYLES)])
    axes.set_xscale("symlog", linthresh=0.1)
    axes.set_xlabel("gap to reference upper bound (%)")
    axes.set_ylabel("share of runs within gap")
    axes.set_ylim(0, 1.02)
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small", ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def gap_versus_time(summaries: list[MethodSummary], path: Path) -> Path:
    """Mean gap against mean time per method (one labelled point each)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for summary in summaries:
        if not summary.gaps or not summary.times:
            continue
        row = summary.row()
        axes.scatter(row["mean_time_s"], row["mean_gap_pct"], s=30)
        axes.annotate(summary.label, (row["mean_time_s"], row["mean_gap_pct"]), fontsize=8,
                      xytext=(4, 3), textcoords="offset points")
    axes.set_xscale("log")
    axes.set_yscale("symlog", linthresh=0.1)
    axes.set_xlabel("mean time per run (s)")
    axes.set_ylabel("mean gap (%)")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
