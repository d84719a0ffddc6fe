"""The generator contract: programs, workload, load (offered work / capacity), seed."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from schedkit.serving import presets
from schedkit.serving.generate import program_work


@pytest.mark.parametrize("workload", ["swe", "bfcl"])
def test_offered_load_is_what_was_asked(workload):
    """Observed arrival rate x mean work of the drawn programs is the load (within Poisson noise)."""
    instance = schedkit.generate.serving(1500, workload, load=0.7, seed=9)
    assert instance.server == presets.H100_8B
    work = np.mean([program_work(instance.program_turns(i), instance.server) for i in range(instance.n)])
    rate = (instance.n - 1) / (instance.arrival.max() - instance.arrival.min())
    assert rate * work == pytest.approx(0.7, rel=0.06)


def test_shapes_of_the_two_workloads():
    """SWE-like programs run tens of turns, BFCL-like a few; the last turn calls no tool."""
    swe = schedkit.generate.serving(300, "swe", seed=1)
    bfcl = schedkit.generate.serving(300, "bfcl", seed=1)
    assert 20 <= swe.turns / swe.n <= 40 and 1 <= bfcl.turns / bfcl.n <= 4
    for instance in (swe, bfcl):
        assert np.all(instance.tool[instance.turn_ptr[1:] - 1] == -1)


def test_same_seed_same_trace_and_bad_arguments_refused():
    """Seeded: identical traces; unknown workload, zero load or zero programs: InvalidInstance."""
    a, b = (schedkit.generate.serving(30, "bfcl", load=0.5, seed=4) for _ in range(2))
    assert a.to_dict() == b.to_dict()
    for args in ((30, "chat"), (0, "swe"), (30, "swe", 0.0), (30, "swe", True)):
        with pytest.raises(schedkit.InvalidInstance):
            schedkit.generate.serving(*args)
