"""The CLI with job shops: solve (table, JSON, Gantt), check, generate, convert."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.errors import InvalidInstance
from tests.jobshop.conftest import CLASSIC, FJSP


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_solve_ft06_writes_a_gantt_png(runner, tmp_path):
    """`schedkit solve ft06 --gantt out.png` writes a PNG (magic bytes) and prints the row."""
    out = tmp_path / "out.png"
    result = runner.invoke(main, ["solve", str(CLASSIC / "ft06"), "-m", "mwkr", "--gantt", str(out)])
    assert result.exit_code == 0, result.output
    assert "ft06" in result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_solve_json_then_check(runner, tmp_path):
    """solve --json writes {"start", "machine"}; check accepts it and rejects a tampered start."""
    out = tmp_path / "r.json"
    result = runner.invoke(main, ["solve", str(FJSP / "mk01.fjs"), "-m", "spt", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data[0]["solution"]) == {"start", "machine"}
    assert len(data[0]["solution"]["start"]) == 10
    ok = runner.invoke(main, ["check", str(FJSP / "mk01.fjs"), str(out)])
    assert ok.exit_code == 0 and "feasible" in ok.output
    data[0]["solution"]["start"][0][1] = 0
    out.write_text(json.dumps(data))
    bad = runner.invoke(main, ["check", str(FJSP / "mk01.fjs"), str(out)])
    assert bad.exit_code == 1 and "infeasible" in bad.output


def test_generate_jobshop_command(runner, tmp_path):
    """`generate jobshop` writes a reproducible instance; --flexible adds alternatives."""
    out = tmp_path / "g.json"
    result = runner.invoke(main, ["generate", "jobshop", "--jobs", "5", "--machines", "3",
                                  "--flexible", "1", "--seed", "7", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert schedkit.load(out) == schedkit.generate.jobshop(5, 3, 7, flexible=1)
    text = tmp_path / "g"
    result = runner.invoke(main, ["generate", "jobshop", "--jobs", "4", "--machines", "4",
                                  "-o", str(text), "--format", "taillard"])
    assert result.exit_code == 0, result.output
    assert schedkit.load(text).m == 4


def test_generator_refuses_too_many_alternatives_before_drawing():
    """Regression: flexible was unbounded, so 1 x 10,000 x (1 + 9,999) asked for 10^8
    alternatives in Python lists (about 20 GB); and each operation listed every other machine,
    so 5 jobs on 10,000 machines with one alternative took 77 s (500 jobs: two hours, now 6 s
    for 5). The drawn machines are those the list gave (same seed, same instance)."""
    with pytest.raises(InvalidInstance, match="100,000,000 alternatives"):
        schedkit.generate.jobshop(1, 10_000, seed=0, flexible=9_999)
    assert schedkit.generate.jobshop(2, 5, seed=4, flexible=2).jobs()[0] == [
        [(2, 45), (4, 61), (3, 29)], [(4, 58), (1, 18), (2, 67)], [(0, 34), (3, 90), (1, 6)],
        [(1, 14), (4, 79), (2, 96)], [(3, 73), (4, 96), (2, 57)]]


def test_generator_is_reproducible_and_shaped():
    """Each job visits every machine once (classic); flexible k gives k + 1 alternatives."""
    x = schedkit.generate.jobshop(6, 4, seed=1)
    assert x == schedkit.generate.jobshop(6, 4, seed=1) and x != schedkit.generate.jobshop(6, 4, seed=2)
    assert all(sorted(op[0][0] for op in job) == [0, 1, 2, 3] for job in x.jobs())
    f = schedkit.generate.jobshop(3, 4, seed=1, flexible=2)
    assert all(len(op) == 3 for job in f.jobs() for op in job)
    with pytest.raises(InvalidInstance):
        schedkit.generate.jobshop(0, 3)


def test_convert_standard_to_taillard_and_bad_input(runner, tmp_path):
    """convert writes Taillard's format; a malformed file is one line on stderr, exit 2."""
    target = tmp_path / "ft06.tai"
    result = runner.invoke(main, ["convert", str(CLASSIC / "ft06"), str(target), "--to", "taillard"])
    assert result.exit_code == 0, result.output
    assert schedkit.load(target, format="taillard").jobs() == schedkit.load(CLASSIC / "ft06").jobs()
    bad = tmp_path / "bad"
    bad.write_text("2 2\n0 1 1 2\n")
    result = runner.invoke(main, ["solve", str(bad), "--format", "jobshop"])
    assert result.exit_code == 2 and "expected 2 job lines" in result.output
