"""RCPSP fixtures: the bundled PSPLIB sets, their references and a hand-made project."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import schedkit
from schedkit.rcpsp.model import RCPSPInstance
from tests.verdicts import assert_agrees

ROOT = Path(__file__).resolve().parents[2]
RCPSP = ROOT / "instances" / "rcpsp"
DATA = ROOT / "tests" / "data" / "rcpsp"

with (RCPSP / "references.csv").open() as _handle:
    REFERENCES = {row["instance"]: row for row in csv.DictReader(_handle)}


def optimum(name: str) -> int:
    """The proven optimum of a PSPLIB instance (references.csv, status optimal)."""
    row = REFERENCES[name]
    assert row["status"] == "optimal"
    return int(row["upper_bound"])


def psplib(name: str) -> RCPSPInstance:
    """A bundled PSPLIB instance by name, e.g. j301_1."""
    folder = name[:3]
    return schedkit.load(RCPSP / folder / f"{name}.sm")


def tiny() -> RCPSPInstance:
    """Source 0, sink 4; activities 1 (d 3, q 2), 2 (d 2, q 2) and 3 (d 2, q 1) on one
    resource of capacity 3. 1 and 2 cannot overlap (2 + 2 > 3), so the optimum is 3 + 2 = 5
    with 3 beside either; the critical path is 3 and the resource bound ceil(12 / 3) = 4."""
    return RCPSPInstance(
        durations=[0, 3, 2, 2, 0],
        successors=[[1, 2, 3], [4], [4], [4], []],
        capacities=[3],
        demands=[[0], [2], [2], [1], [0]],
        name="tiny",
    )


@pytest.fixture
def small() -> RCPSPInstance:
    """The hand-made project of `tiny` (optimum 5)."""
    return tiny()


agrees_with = assert_agrees  # the RCPSP tests' name for the shared verdict
