"""Every registered pods method on the fragmented two-node cluster, whose optimum places all
three pods without moves (objective 0, by hand: pack both 500m pods on one node), through the
checker."""

from __future__ import annotations

import pytest

import schedkit
from tests.pods.test_pods_methods import _fragmented
from tests.verdicts import assert_agrees

OPTIMUM = 0  # every pod placed, nothing moved


@pytest.mark.parametrize("method", [m.name for m in schedkit.methods("pods")])
def test_every_method_on_the_fragmented_cluster(method):
    """Checked placement; bound <= optimum <= objective; an optimal claim equals the optimum."""
    instance = _fragmented()
    assert_agrees(instance, schedkit.solve(instance, method, time_limit=10, workers=1), OPTIMUM)
