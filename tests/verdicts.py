"""The verdict every matrix test asks of a method's result against a known optimum."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import schedkit
from schedkit.cli import main


def assert_agrees(instance: Any, result: schedkit.Result, optimum: int | float,
                  proven: bool = False) -> None:
    """Checker-verified objective; bound <= optimum <= objective; "optimal" only at the optimum
    (and then the bound equal to it). With `proven` (an exact method without a time
    limit) the result must be that proof: a worse "feasible" fails."""
    if proven:
        assert result.status == "optimal", f"{result.method} did not prove: {result.summary()}"
    report = schedkit.check(instance, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective >= optimum
    if result.bound is not None:
        assert result.bound <= optimum
    if result.status == "optimal":
        assert result.objective == result.bound == optimum


def assert_checked(instance: Any, result: Any) -> None:
    """Checked plan, objective recomputed, bound at most the objective, optimal only at it."""
    report = schedkit.check(instance, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective
    assert result.bound is None or result.bound <= result.objective
    if result.status == "optimal":
        assert result.bound == result.objective



def assert_claims(instance: Any, result: schedkit.Result, optimum: int | None) -> None:
    """What any result may claim, at any speed: a checked plan at or above the optimum,
    `optimal` only at it, a bound at most it, `infeasible` only when there is no plan
    (optimum None); `unknown` without a plan is always allowed."""
    if optimum is None:
        assert result.solution is None and result.status in ("infeasible", "unknown")
        return
    assert result.status != "infeasible"
    if result.solution is not None:
        report = schedkit.check(instance, result)
        assert report.feasible, report.violations
        assert report.objective == result.objective >= optimum
    assert result.bound is None or result.bound <= optimum
    if result.status == "optimal":
        assert result.objective == optimum


def cli_solve_then_check(instance: Any, folder: Path, method: str = "cpsat") -> dict[str, Any]:
    """The CLI path: dump, `solve --json` (one worker), then `check` must accept the file and
    print the same objective; returns the solution record."""
    path, out = folder / "instance.json", folder / "out.json"
    schedkit.dump(instance, path)
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(path), "--method", method, "--workers", "1",
                                  "--json", str(out)])
    assert solved.exit_code == 0, solved.output
    record: dict[str, Any] = json.loads(out.read_text())[0]
    checked = runner.invoke(main, ["check", str(path), str(out)])
    assert checked.exit_code == 0, checked.output
    assert f"objective {record['objective']}" in checked.output
    return record
