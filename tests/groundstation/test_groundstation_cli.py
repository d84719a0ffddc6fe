"""The ground station through the CLI: besides the generic row (objective and bound in unserved
seconds), a row in hours: tracked, requested, at most (what the proven bound leaves), their gap."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from schedkit.cli import main
from schedkit.groundstation.measures import hours

ROOT = Path(__file__).resolve().parents[2]


def test_solve_prints_the_plan_in_hours() -> None:
    out = CliRunner().invoke(main, ["solve", str(ROOT / "tests/data/groundstation/W10_tiny"), "-m", "greedy"])
    assert out.exit_code == 0, out.output
    assert "tracked h" in out.output and "hours gap %" in out.output


def test_the_hours_row_turns_the_unserved_bound_into_hours() -> None:
    """10 h requested, 7 h tracked (3 h = 10,800 s unserved), at least 7,200 s proven unserved:
    at most 8 h trackable, 12.5 % short of it."""
    stats = {"tracked_hours": 7.0, "requested_hours": 10.0, "requests_satisfied": 3, "u_rms": 0.2,
             "u_max": 0.5}
    row = hours(10_800, 7_200, stats)
    assert row is not None
    columns = ("tracked h", "requested h", "at most h", "hours gap %")
    assert [row[k] for k in columns] == [7.0, 10.0, 8.0, 12.5]
    assert row["satisfied"] == 3 and row["U_max"] == 0.5
    unbounded = hours(10_800, None, stats)
    assert unbounded is not None and unbounded["at most h"] is None and unbounded["hours gap %"] is None
    assert hours(10_800, 7_200, {}) is None
