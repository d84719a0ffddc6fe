"""The blocking benchmark harness never overwrites silently: a run refuses an existing CSV, the
report keeps an earlier run's columns (--before) and appends a dated section to an existing report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "jobshop_blocking_static.py"
HEADER = "instance,method,time_limit,workers,status,objective,bound,wall,feasible\n"
_spec = importlib.util.spec_from_file_location("jobshop_blocking_static", SCRIPT)
assert _spec is not None and _spec.loader is not None
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)


def _script(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.setattr(sys, "argv", [str(SCRIPT), *args])
    harness.main()


def test_run_refuses_an_existing_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An earlier run's CSV is neither extended nor replaced without --append."""
    csv = tmp_path / "x_cpsat.csv"
    csv.write_text(HEADER)
    with pytest.raises(SystemExit, match="x_before.csv"):
        _script(monkeypatch, "run", "--csv", str(csv), "ft06")
    assert csv.read_text() == HEADER


def test_report_keeps_before_columns_and_appends_a_section(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """--before adds the earlier run's columns; an existing report gets a dated section."""
    new, before, out = tmp_path / "x_cpsat.csv", tmp_path / "x_before.csv", tmp_path / "x.md"
    new.write_text(HEADER + "ft06,cpsat,60.0,2,optimal,63,63,1.0,True\n")
    before.write_text(HEADER + "ft06,cpsat@abc1234,60.0,2,feasible,65,50,60.0,True\n")
    _script(monkeypatch, "report", str(new), "--before", str(before), "--out", str(out))
    first = out.read_text()
    assert "| ft06 | 63* | 65 |" in first
    out.write_text("# notes written by hand\n")
    _script(monkeypatch, "report", str(new), "--before", str(tmp_path / "none.csv"), "--out", str(out))
    text = out.read_text()
    assert text.startswith("# notes written by hand\n") and "## Run of " in text and "| ft06 | 63* |" in text


def test_unlabelled_before_run_keeps_its_own_column(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A before CSV whose method is plain `cpsat` becomes `cpsat@before` instead of replacing
    this run's rows under the same label."""
    new, before, out = tmp_path / "x_cpsat.csv", tmp_path / "x_before.csv", tmp_path / "x.md"
    new.write_text(HEADER + "ft06,cpsat,60.0,2,optimal,63,63,1.0,True\n")
    before.write_text(HEADER + "ft06,cpsat,60.0,2,feasible,65,50,60.0,True\n")
    _script(monkeypatch, "report", str(new), "--before", str(before), "--out", str(out))
    text = out.read_text()
    assert "| ft06 | 63* | 65 |" in text and "| cpsat@before | 1 |" in text
