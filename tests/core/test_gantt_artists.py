"""Gantt charts carry a legend, and every bar label they keep lies inside its bar and the axes."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.common.gantt import COLOURS, Bar, colour, figure
from schedkit.jobshop.gantt import bars as jobshop_bars
from schedkit.pods.gantt import figure as pods_figure
from tests.conftest import ROOT

pytest.importorskip("matplotlib")


def test_legend_names_the_groups_and_labels_stay_inside():
    bars = [Bar("M0", 0, 10, 0, "0.0"), Bar("M1", 0, 0.2, 1, "a label far too long"),
            Bar("M1", 10, 20, 1, "1.1")]
    fig = figure(bars, "chart", legend_title="job")
    chart = fig.axes[0]
    assert [t.get_text() for t in chart.get_legend().get_texts()] == ["job 0", "job 1"]
    renderer = fig.canvas.get_renderer()
    frame = chart.get_window_extent(renderer)
    kept = [t.get_text() for t in chart.texts]
    assert "a label far too long" not in kept and "0.0" in kept
    for text in chart.texts:
        box = text.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1


def test_many_groups_get_a_bounded_legend():
    bars = [Bar(f"M{i % 3}", i, i + 1, i) for i in range(30)]
    legend = figure(bars, "chart", legend_title="job").axes[0].get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert len(texts) == 21 and "10 more" in texts[-1] and "repeat" not in texts[-1]


def test_sixty_groups_get_sixty_colours_and_a_legend_says_when_they_repeat():
    assert len({tuple(colour(g)) for g in range(COLOURS)}) == COLOURS == 60
    bars = [Bar("M0", i, i + 1, i) for i in range(COLOURS + 1)]
    texts = [t.get_text() for t in figure(bars, "chart").axes[0].get_legend().get_texts()]
    assert "colours repeat" in texts[-1]


def test_pods_view_has_tiers_in_a_legend_and_pending_apart():
    instance = schedkit.generate.pods(64, 4, 4, 1.05, seed=1)
    result = schedkit.solve(instance, "kube-default")
    fig = pods_figure(instance, result.solution)
    top, bottom = fig.axes
    assert len(top.get_xticklabels()) == 64  # one stacked bar per node
    assert len(top.get_legend().get_texts()) == 4  # one entry per priority tier
    assert top.get_xlim()[1] < 64  # pending pods stretch no node axis
    assert bottom.get_title() == "pending (not placed)"
    assert [t.get_text() for t in bottom.get_yticklabels()] == [
        f"priority {t}" for t in instance.tiers.tolist()]


def test_jobshop_chart_is_written_with_its_legend(tmp_path):
    shop = schedkit.load(ROOT / "instances" / "jobshop" / "classic" / "ft06")
    result = schedkit.solve(shop, "spt")
    path = tmp_path / "ft06.png"
    schedkit.family.get("jobshop").gantt(shop, result.solution, path)
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_a_blocking_chart_shows_each_held_machine_as_a_hatched_bar(tmp_path):
    shop = schedkit.load(ROOT / "instances" / "jobshop" / "classic" / "ft06", blocking=True)
    solution = schedkit.solve(shop, "mwkr").solution
    drawn = jobshop_bars(shop, solution)
    held = [bar for bar in drawn if bar.hatch]
    ends = {(bar.row, bar.end) for bar in drawn if not bar.hatch}
    assert held and all((bar.row, bar.start) in ends for bar in held)
    leaves = {leave for job in solution.leave for leave in job}
    assert all(bar.end in leaves for bar in held)
    texts = [t.get_text() for t in figure(drawn, "chart", hatches={"////": "held (blocked)"})
             .axes[0].get_legend().get_texts()]
    assert texts[-1] == "held (blocked)"
    schedkit.family.get("jobshop").gantt(shop, solution, tmp_path / "ft06.png")
    assert (tmp_path / "ft06.png").read_bytes()[:4] == b"\x89PNG"
