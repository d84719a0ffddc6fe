"""The RCPSP family through the CLI: solve with --gantt, generate, convert, check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.errors import InvalidInstance
from tests.rcpsp.conftest import RCPSP

J301_1 = str(RCPSP / "j30" / "j301_1.sm")


def test_solve_writes_a_gantt_png(tmp_path):
    """`solve --gantt` draws the schedule with its resource profiles as a PNG."""
    chart = tmp_path / "j301_1.png"
    out = CliRunner().invoke(main, ["solve", J301_1, "-m", "fbi", "--gantt", str(chart)])
    assert out.exit_code == 0, out.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_solve_json_then_check(tmp_path):
    """`solve --json` output passes `check` and carries {"start": [...]} for all 32 activities."""
    results = tmp_path / "r.json"
    runner = CliRunner()
    out = runner.invoke(main, ["solve", J301_1, "-m", "sgs-parallel", "-o", "rule=mts",
                               "--json", str(results)])
    assert out.exit_code == 0, out.output
    data = json.loads(results.read_text())
    assert len(data[0]["solution"]["start"]) == 32
    checked = runner.invoke(main, ["check", J301_1, str(results)])
    assert checked.exit_code == 0 and "feasible" in checked.output


def test_generate_and_convert(tmp_path):
    """`generate rcpsp` writes a reproducible project; `convert` turns it into .rcp and .json."""
    runner = CliRunner()
    first, second = tmp_path / "a.sm", tmp_path / "b.sm"
    for target in (first, second):
        out = runner.invoke(main, ["generate", "rcpsp", "-n", "12", "-k", "2", "--rs", "0.3",
                                   "--seed", "5", "-o", str(target)])
        assert out.exit_code == 0, out.output
    assert first.read_text().replace("a.bas", "") == second.read_text().replace("b.bas", "")
    for suffix in (".rcp", ".json"):
        assert runner.invoke(main, ["convert", str(first), str(tmp_path / f"c{suffix}")]).exit_code == 0
    a, c = schedkit.load(tmp_path / "c.rcp"), schedkit.load(first)
    assert a.replace(name="", meta={}) == c.replace(name="", meta={})


def test_bad_file_is_one_line(tmp_path):
    """A truncated file exits with status 2 and one line naming the file, no traceback."""
    path = tmp_path / "cut.sm"
    path.write_text(Path(J301_1).read_text()[:900])
    out = CliRunner().invoke(main, ["solve", str(path)])
    assert out.exit_code == 2
    assert "cut.sm" in out.output and "Traceback" not in out.output


def test_generator_parameters():
    """The generator honours its parameters: same seed same project; RS 0 sets each capacity
    to the largest demand; dummies 0 and n+1 have no duration; arcs per activity near NC."""
    a = schedkit.generate.rcpsp(30, 4, seed=2, nc=1.8, rf=0.5, rs=0.0)
    assert a == schedkit.generate.rcpsp(30, 4, seed=2, nc=1.8, rf=0.5, rs=0.0)
    assert a.n == 32 and a.durations[0] == a.durations[31] == 0
    assert a.capacities.tolist() == a.demands.max(axis=0).tolist()
    assert abs(a.arcs / a.n - 1.8) < 0.2
    loose = schedkit.generate.rcpsp(30, 4, seed=2, nc=1.8, rf=0.5, rs=1.0)
    assert schedkit.solve(loose, "sgs-serial").status == "optimal"  # RS 1: the ES schedule fits


@pytest.mark.parametrize("bad", [0, -2, True, 1.5])
def test_generator_refuses_a_bad_start_activity_count(bad):
    """start_activities is a positive whole number (more than the project has is capped)."""
    with pytest.raises(InvalidInstance, match="start_activities"):
        schedkit.generate.rcpsp(10, 2, seed=1, start_activities=bad)
    assert schedkit.generate.rcpsp(2, 1, seed=1).n == 4  # the default 3 capped at 2 activities
