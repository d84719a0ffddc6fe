"""A Gantt chart of a large instance stays a picture: at most MAX_ROWS rows (2000 machines made
a PNG 77,000 pixels high, 100,000 would take 18 GB), and many bars drawn a row at a time (one
artist per bar took about a millisecond each: an hour for a million operations)."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.common.gantt import EDGED_BARS, MAX_ROWS, Bar, figure
from schedkit.groundstation.gantt import gantt

pytest.importorskip("matplotlib")


def test_rows_beyond_the_cap_are_left_out_and_said():
    bars = [Bar(f"M{i}", 0, 1 + i % 7, i % 5) for i in range(3 * MAX_ROWS)]
    fig = figure(bars, "big")
    chart = fig.axes[0]
    assert len(chart.get_yticklabels()) == MAX_ROWS
    assert f"the first {MAX_ROWS} of {3 * MAX_ROWS} rows" in chart.get_title()
    assert fig.get_size_inches()[1] < 0.4 * MAX_ROWS + 10


def test_many_bars_are_one_artist_per_row():
    rows = 4
    bars = [Bar(f"M{i % rows}", i, i + 1, i) for i in range(3 * EDGED_BARS)]
    chart = figure(bars, "many").axes[0]
    assert len(chart.patches) == 0 and len(chart.collections) == rows
    assert sum(len(c.get_paths()) for c in chart.collections) == len(bars)


def test_a_ground_station_chart_of_many_antennas_keeps_the_first_rows(tmp_path, monkeypatch):
    """300 antennas: 200 rows drawn and the title says so (every antenna was a row)."""
    shown = {}
    monkeypatch.setattr("matplotlib.figure.Figure.savefig",
                        lambda fig, path, **kw: shown.update(axes=fig.axes[0]))
    x = schedkit.generate.groundstation(20, seed=1, stations=150, antennas=2, requests=2, hours=24)
    result = schedkit.solve(x, "greedy")
    gantt(x, result.solution, tmp_path / "plan.png")
    chart = shown["axes"]
    assert len(chart.get_yticklabels()) == MAX_ROWS and "the first 200 of 300 antennas" in chart.get_title()
    assert len(chart.patches) == 0  # one artist per row and kind, not per bar


def test_many_bars_keep_their_hatches_and_white_no_group():
    """The fast path draws hatched bars (a held machine) and group -1 (no group) as the per-bar
    path does: one artist per row and hatch, white for no group."""
    bars = [Bar(f"M{i % 2}", i, i + 1, -1 if i % 3 == 0 else i, hatch="////" if i % 5 == 0 else "")
            for i in range(3 * EDGED_BARS)]
    chart = figure(bars, "hatched").axes[0]
    assert len(chart.collections) == 4  # two rows, each plain and hatched
    assert {c.get_hatch() for c in chart.collections} == {None, "////"}
    white = [tuple(f) for c in chart.collections for f in c.get_facecolor() if tuple(f) == (1, 1, 1, 1)]
    assert len(white) == sum(1 for bar in bars if bar.group < 0)
