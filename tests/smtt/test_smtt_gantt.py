"""The SMTT Gantt chart: its bars add up to the checker's objective, lateness rows never overlap."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.cli import main
from schedkit.common.gantt import Bar
from schedkit.smtt.gantt import MAX_LATENESS_ROWS, lateness_rows, machine_bars
from tests.conftest import SMTT
from tests.smtt.strategies import smtt_instances


@settings(max_examples=60, deadline=None)
@given(instance=smtt_instances(max_jobs=12), data=st.data())
def test_bars_follow_the_sequence_and_sum_to_the_objective(instance, data):
    """Jobs sit end to end in sequence order; Σ w·T from the bars is the checker's objective;
    a tardy job's lateness bar runs from its due date to its completion."""
    sequence = data.draw(st.permutations(range(instance.n)))
    solution = schedkit.SMTTSolution(sequence)
    jobs, late, total = machine_bars(instance, solution)
    assert total == schedkit.check(instance, solution).objective
    assert [int(bar.label) - 1 for bar in jobs] == list(sequence)
    assert all(a.end == b.start for a, b in zip(jobs, jobs[1:], strict=False)) and jobs[0].start == 0
    tardy = {bar.label: bar for bar in jobs if bar.end > instance.d[int(bar.label) - 1]}
    assert {bar.label for bar in late} == set(tardy)
    for bar in late:
        assert bar.start == instance.d[int(bar.label) - 1] and bar.end == tardy[bar.label].end


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 30)), max_size=30))
def test_lateness_rows_keep_bars_apart_or_give_up(spans):
    """On each row the bars do not overlap; every bar is placed, unless more than
    MAX_LATENESS_ROWS rows would be needed (then none is)."""
    bars = [Bar("", s, s + length, 7, str(k)) for k, (s, length) in enumerate(spans)]
    placed = lateness_rows(bars)
    rows = {bar.row for bar in placed}
    assert len(rows) <= MAX_LATENESS_ROWS and (not placed or len(placed) == len(bars))
    for row in rows:
        on_row = sorted((b for b in placed if b.row == row), key=lambda b: b.start)
        assert all(a.end <= b.start for a, b in zip(on_row, on_row[1:], strict=False))


def test_solve_draws_an_smtt_chart(tmp_path):
    """`solve --gantt` on an SMTT instance writes a PNG (it was refused: no chart for smtt)."""
    chart = tmp_path / "wt40.png"
    run = CliRunner().invoke(main, ["solve", f"{SMTT}/wt40.txt#1", "-m", "edd", "--gantt", str(chart)])
    assert run.exit_code == 0, run.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
