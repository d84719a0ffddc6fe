"""The command line on pods: generate, solve with the plan in --json, check, directories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.loading import write

CLUSTER = Path(__file__).resolve().parent.parent / "data" / "pods" / "cluster.json"


def test_generate_solve_check(tmp_path):
    """`generate pods` writes a cluster; `solve -m cpsat --json` gives the assignment, the plan
    and the per-tier report; `check` accepts it."""
    runner = CliRunner()
    out = tmp_path / "c.json"
    done = runner.invoke(
        main,
        [
            "generate",
            "pods",
            "--nodes",
            "4",
            "--pods-per-node",
            "4",
            "--priorities",
            "2",
            "--utilisation",
            "0.95",
            "--seed",
            "1",
            "-o",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    assert schedkit.load(out) == schedkit.generate.pods(4, 4, 2, 0.95, seed=1)
    results = tmp_path / "r.json"
    done = runner.invoke(
        main, ["solve", str(out), "-m", "cpsat", "-t", "5", "--workers", "1", "--json", str(results)]
    )
    assert done.exit_code == 0, done.output
    record = json.loads(results.read_text())[0]
    assert set(record["solution"]) == {"assignment"}
    assert len(record["solution"]["assignment"]) == 16
    assert {"plan", "tiers", "moves", "evictions", "placed_per_priority"} <= set(record["stats"])
    done = runner.invoke(main, ["check", str(out), str(results)])
    assert done.exit_code == 0 and "feasible" in done.output


def test_kubectl_file_and_bad_input():
    """The kubectl fixture solves from the CLI; a missing node is one line on stderr, exit 2."""
    runner = CliRunner()
    done = runner.invoke(main, ["solve", str(CLUSTER), "-m", "kube-default"])
    assert done.exit_code == 0 and "kube-default" in done.output
    done = runner.invoke(
        main,
        ["generate", "pods", "--nodes", "0", "--pods-per-node", "4", "--utilisation", "1", "-o", "x.json"],
    )
    assert done.exit_code != 0


def test_methods_listed():
    """Exactly the issue's three method names are registered for pods."""
    assert {row.name for row in schedkit.methods("pods")} == {"kube-default", "cpsat", "auto"}


def test_gantt_chart(tmp_path):
    """`solve --gantt` draws the node chart of a pods placement to a PNG."""
    out = tmp_path / "nodes.png"
    done = CliRunner().invoke(main, ["solve", str(CLUSTER), "-m", "kube-default", "--gantt", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(("value", "shown"), [("NaN", "found NaN"), ("1e400", "found the number 1e400")])
def test_a_number_json_cannot_hold_is_named_by_its_place(tmp_path, value, shown):
    """NaN or a number beyond ±2^62 in a pods JSON: one line naming the file, the field and the
    value, exit 2 (the field was not named before: `file: expected a finite JSON number ...`)."""
    good = write(schedkit.generate.pods(3, 2, 1, 0.9, seed=1), tmp_path / "good.json")
    document = json.loads(good.read_text())
    document["pods"][1]["cpu"] = "@@"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document).replace('"@@"', value))
    done = CliRunner().invoke(main, ["solve", str(bad), "-m", "kube-default"])
    lines = done.output.strip().splitlines()
    assert done.exit_code == 2 and len(lines) == 1 and "Traceback" not in done.output
    assert str(bad) in lines[0] and f"{shown} at pods[1].cpu" in lines[0]
