"""Hostile but plausible Python values given to the public constructors and to `solve` and
`check`: a one-line SchedkitError naming the argument, or the right answer; never a TypeError
from deep inside, a truncated number or a wrong verdict."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import schedkit
from schedkit.errors import InvalidInstance


def _instances() -> dict[str, object]:
    """One small instance per family, built from the public generators."""
    return {
        "smtt": schedkit.SMTTInstance(p=[3, 2, 4], d=[2, 4, 5], w=[1, 2, 3]),
        "jobshop": schedkit.JobShopInstance.from_jobs([[(0, 3), (1, 2)], [(1, 4), (0, 1)]]),
        "rcpsp": schedkit.RCPSPInstance([0, 3, 2, 0], [[1, 2], [3], [3], []], [4],
                                        [[0], [2], [3], [0]]),
        "dag": schedkit.DAGInstance([[2, 3], [4, 1], [3, 3]], [(0, 1), (0, 2)], data=[5, 6]),
        "pods": schedkit.generate.pods(3, 2, 2, 0.8, seed=1),
        "vmr": schedkit.generate.vmr(machines=4, seed=1),
        "groundstation": schedkit.generate.groundstation(2, seed=1),
        "serving": schedkit.generate.serving(3, seed=1),
    }


INSTANCES = _instances()


@pytest.mark.parametrize("family", sorted(INSTANCES))
@pytest.mark.parametrize("meta", [None, [("a", 1)], "text", 5])
def test_meta_that_is_not_a_mapping(family, meta):
    """`meta=None` or a list raised TypeError ('NoneType' object is not iterable) from inside
    every family's constructor. None now means no meta; anything else is refused by name."""
    instance = INSTANCES[family]
    if meta is None:
        assert dict(dataclasses.replace(instance, meta=None).meta) == {}
    else:
        with pytest.raises(InvalidInstance, match="meta must be a mapping"):
            dataclasses.replace(instance, meta=meta)
