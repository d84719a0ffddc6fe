"""Job shop fixtures: the bundled instance folders, references, and a result check."""

from __future__ import annotations

import csv
from pathlib import Path

import schedkit
from schedkit.jobshop.model import JobShopInstance

ROOT = Path(__file__).resolve().parents[2]
JOBSHOP = ROOT / "instances" / "jobshop"
CLASSIC = JOBSHOP / "classic"
FJSP = JOBSHOP / "fjsp"
DATA = ROOT / "tests" / "data" / "jobshop"

REFERENCES = {row["instance"]: row for row in csv.DictReader((JOBSHOP / "references.csv").open())}


def classic(name: str) -> JobShopInstance:
    """A classic instance of `instances/jobshop/classic` by name."""
    return schedkit.load(CLASSIC / name)


def flexible(name: str) -> JobShopInstance:
    """A flexible instance of `instances/jobshop/fjsp` by name (without .fjs)."""
    return schedkit.load(FJSP / f"{name}.fjs")


def checked(instance: JobShopInstance, result: schedkit.Result) -> int:
    """The checker's objective, after asserting feasibility and the claimed objective; the bound
    never exceeds the objective and optimal means they meet."""
    report = schedkit.check(instance, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective
    if result.bound is not None:
        assert result.bound <= result.objective
    if result.status == "optimal":
        assert result.bound == result.objective
    return report.objective
