"""The report plots carry what a paper needs: title, legend, distinct styles, plain axes."""

from __future__ import annotations

import pytest

from schedkit.bench.plots import gap_time_figure, profile_figure
from schedkit.bench.report import MethodSummary

pytest.importorskip("matplotlib")


def summaries() -> list[MethodSummary]:
    equal = [0.0, 0.01, 0.02, 0.05]
    return [
        MethodSummary("cpsat", runs=4, gaps=list(equal), times=[1.0, 2.0, 3.0, 4.0]),
        MethodSummary("mip", runs=4, gaps=list(equal), times=[5.0, 6.0, 7.0, 8.0]),  # same curve
        MethodSummary("dynasearch", runs=4, gaps=[0.0, 0.1, 0.2, 0.3], times=[0.01] * 4),
    ]


def inside(artist, axes, renderer) -> bool:
    box, frame = artist.get_window_extent(renderer), axes.get_window_extent(renderer)
    return frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and frame.y0 - 1 <= box.y0 \
        and box.y1 <= frame.y1 + 1


def test_profile_has_title_legend_and_distinct_styles():
    figure = profile_figure(summaries(), "wt40")
    axes = figure.axes[0]
    assert axes.get_title() == "Performance profile: wt40"
    assert axes.get_legend() is not None
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["cpsat", "mip", "dynasearch"]
    lines = axes.get_lines()
    assert len({line.get_linestyle() for line in lines}) == 3
    assert len({line.get_marker() for line in lines}) == 3
    assert lines[0].get_linewidth() > lines[1].get_linewidth()  # an equal later curve shows both


def test_gap_time_is_log_time_against_a_plain_percent_axis():
    figure = gap_time_figure(summaries(), "wt40")
    axes = figure.axes[0]
    figure.canvas.draw()
    assert axes.get_xscale() == "log" and axes.get_yscale() == "linear"
    assert axes.get_ylim()[0] == 0  # no empty negative half
    labels = [t.get_text() for t in axes.get_yticklabels() if t.get_text()]
    assert labels and all(label.endswith("%") and "10^" not in label and "×" not in label
                          for label in labels)
    assert axes.get_legend() is not None and len(axes.texts) == 0  # names in the legend only
    assert axes.get_title() == "Gap versus time: wt40"
