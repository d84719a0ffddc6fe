"""Every registered DAG method on the HEFT paper's example (optimum 73, proven by CP-SAT in the
paper test and listed in the file's reference) and on a tiny graph whose optimum brute force
finds, through the checker."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.dag.model import DAGInstance
from tests.dag.conftest import brute_force_makespan
from tests.verdicts import assert_agrees

METHODS = [m.name for m in schedkit.methods("dag")]
# 4 tasks (a diamond) on 2 processors; costs differ per processor, edges carry data.
TINY = DAGInstance(cost=[[2, 3], [3, 1], [2, 4], [1, 1]], edges=[[0, 1], [0, 2], [1, 3], [2, 3]],
                   data=[2, 1, 1, 3], name="diamond")


def _verdict(instance: DAGInstance, method: str, optimum: int) -> None:
    assert_agrees(instance, schedkit.solve(instance, method, time_limit=10, workers=1), optimum)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_on_the_paper_example(method, fig2):
    """Checked plan, bound <= 73 <= objective, and "optimal" only at 73."""
    _verdict(fig2, method, 73)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_on_a_brute_forced_diamond(method):
    """The same on a 4-task diamond whose optimum enumeration gives."""
    _verdict(TINY, method, brute_force_makespan(TINY))
