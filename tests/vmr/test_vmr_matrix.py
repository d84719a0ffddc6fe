"""Every registered VMR method on one tiny fixture with a known optimum, through the checker."""

from __future__ import annotations

import pytest

import schedkit
from tests.vmr.conftest import brute_force, two_machines

# two_machines(2) (conftest): free CPU 12, 12, 8, 12 on four 16-core NUMA nodes, Σ (free mod 16)
# = 44. Moving VMs a (4) and b (4) onto pm1/0 beside c (8) fills that node: residues 16 → 0, 16 →
# 0 (pm0 empties), 0, 12, so the optimum is 12, which is also the residue bound (44 mod 16).
OPTIMUM = 12
EXACT = {row.name for row in schedkit.methods("vmr") if row.kind == "exact"}


@pytest.mark.parametrize("method", [row.name for row in schedkit.methods("vmr")])
def test_every_method_on_the_fixture(method):
    """Checker-verified plan within K; bound <= objective; an exact method claiming optimal
    equals the optimum (brute force agrees with the hand derivation)."""
    x = two_machines(2)
    assert brute_force(x) == OPTIMUM
    result = schedkit.solve(x, method, time_limit=2, workers=1)
    report = schedkit.check(x, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective >= OPTIMUM
    assert len(result.solution.migrations) <= x.migration_limit
    if result.bound is not None:
        assert result.bound <= result.objective
        assert result.bound <= OPTIMUM
    if method in EXACT and result.status == "optimal":
        assert result.objective == OPTIMUM
