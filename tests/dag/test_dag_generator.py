"""The random graph generator (HEFT paper parameters) and its CLI command."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import schedkit
from schedkit import InvalidInstance
from schedkit.cli import main
from tests.dag.conftest import FIG2


def test_same_seed_same_graph_other_seed_other_graph():
    """Reproducible from the seed; a different seed changes the graph."""
    a = schedkit.generate.dag(200, 4, 7, ccr=1.0)
    assert a == schedkit.generate.dag(200, 4, 7, ccr=1.0)
    assert a != schedkit.generate.dag(200, 4, 8, ccr=1.0)


def test_parameters_shape_the_graph():
    """Out-degree 5 gives about 5 edges per task; CCR scales communication to computation;
    β = 0 makes every processor cost the same; meta records the parameters."""
    x = schedkit.generate.dag(2000, 8, 1, out_degree=5, ccr=10.0, beta=0.0)
    assert 4.0 < x.m / x.n < 5.5
    assert np.all(x.cost == x.cost[:, :1])
    ratio = x.data.mean() / x.cost.mean()
    assert 8.0 < ratio < 12.0
    low = schedkit.generate.dag(2000, 8, 1, ccr=0.1)
    assert 0.05 < low.data.mean() / low.cost.mean() < 0.15
    assert x.meta["ccr"] == 10.0 and x.meta["out_degree"] == 5 and x.meta["seed"] == 1


def test_shape_alpha_sets_the_height():
    """α = 0.5 gives a graph about four times as tall (longer critical path) as α = 2."""
    tall = schedkit.generate.dag(400, 4, 3, shape=0.5)
    flat = schedkit.generate.dag(400, 4, 3, shape=2.0)
    assert tall.cheapest_path() > 2 * flat.cheapest_path()


def test_every_non_source_level_is_connected():
    """Only first-level tasks are sources: every other task has a predecessor."""
    x = schedkit.generate.dag(500, 4, 2, shape=1.0)
    sources = set(range(x.n)) - set(x.edges[:, 1].tolist())
    height = round(500**0.5)
    assert len(sources) < 500 / height * 3  # about one level's width


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"tasks": 0}, "tasks"), ({"processors": 0}, "processors"), ({"shape": 0}, "shape"),
    ({"ccr": -1}, "ccr"), ({"beta": 3}, "beta"), ({"out_degree": 0}, "out_degree"),
])
def test_bad_parameters(kwargs, message):
    """Out-of-range parameters raise InvalidInstance naming the parameter."""
    arguments = {"tasks": 10, "processors": 2, "seed": 0, **kwargs}
    with pytest.raises(InvalidInstance, match=message):
        schedkit.generate.dag(**arguments)


def test_cli_generate_solve_gantt_and_convert(tmp_path):
    """generate dag writes JSON; solve --gantt draws it; convert writes a CSV directory."""
    runner = CliRunner()
    out = tmp_path / "g.json"
    made = runner.invoke(main, ["generate", "dag", "-v", "30", "-p", "3", "--ccr", "0.5",
                                "--seed", "4", "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert schedkit.load(out) == schedkit.generate.dag(30, 3, 4, ccr=0.5)
    png = tmp_path / "g.png"
    solved = runner.invoke(main, ["solve", str(out), "-m", "heft", "--gantt", str(png)])
    assert solved.exit_code == 0, solved.output
    assert png.stat().st_size > 1000
    converted = runner.invoke(main, ["convert", str(FIG2), str(tmp_path / "csv"), "--to", "dag-csv"])
    assert converted.exit_code == 0, converted.output
    assert schedkit.load(tmp_path / "csv").cost.tolist() == schedkit.load(FIG2).cost.tolist()


def test_cli_solve_json_and_check(tmp_path):
    """solve --json on the example writes processor/start lists that check accepts."""
    runner = CliRunner()
    out = tmp_path / "r.json"
    solved = runner.invoke(main, ["solve", str(FIG2), "-m", "cpsat", "--workers", "1", "--json", str(out)])
    assert solved.exit_code == 0, solved.output
    data = json.loads(out.read_text())[0]
    assert data["objective"] == 73 and set(data["solution"]) == {"processor", "start"}
    checked = runner.invoke(main, ["check", str(FIG2), str(out)])
    assert checked.exit_code == 0 and "objective 73" in checked.output


def test_cli_bad_input_is_one_line(tmp_path):
    """A cyclic graph on the command line: one error line, non-zero exit, no traceback."""
    path = tmp_path / "cycle.stg"
    path.write_text("1\n0 0 1 2\n1 5 1 0\n2 0 1 1\n")
    result = CliRunner().invoke(main, ["solve", str(path), "-m", "heft"])
    assert result.exit_code != 0 and "cycle" in result.output
    assert "Traceback" not in result.output
