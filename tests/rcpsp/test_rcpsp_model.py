"""The RCPSP model: validation with messages that name the culprit, replace, equality, JSON."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from schedkit import InvalidInstance
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from tests.rcpsp.conftest import tiny


def _project(**changes):
    fields = tiny().to_dict()
    fields.pop("family")
    fields.update(changes)
    return RCPSPInstance(**fields)


def test_cycle_is_named_by_its_activities():
    """A cycle 1 -> 3 -> 2 -> 1 is refused and the message lists exactly those activities."""
    with pytest.raises(InvalidInstance, match=r"cycle: activities 1 -> 3 -> 2 -> 1"):
        _project(successors=[[1, 2], [3], [1], [2, 4], []])


def test_demand_above_capacity_names_activity_and_resource():
    """Activity 2 asks 4 of resource 0 whose capacity is 3: no schedule exists, say which."""
    with pytest.raises(InvalidInstance, match=r"activity 2 demands 4 of resource 0 but its capacity is 3"):
        _project(demands=[[0], [2], [4], [1], [0]])



@pytest.mark.parametrize("method", ["sgs-serial", "sgs-parallel", "fbi", "ga", "cpsat", "mip"])
def test_a_zero_duration_activity_may_demand_beyond_a_capacity(method):
    """A dummy of duration 0 is never in progress, so its demand uses nothing; the model said
    "no schedule exists" of this feasible project. Every method schedules it; the optimum is
    the chain 0 -> 1 -> 3 of durations 0 + 3 + 2 = 5 (4 would need 1 and 3 side by side, 3
    units of a capacity of 2)."""
    project = RCPSPInstance(durations=[0, 3, 0, 2, 0], successors=[[1, 3], [2], [], [2, 4], []],
                            capacities=[2, 1], demands=[[0, 7], [2, 0], [5, 0], [1, 1], [9, 9]])
    result = schedkit.solve(project, method, time_limit=2, workers=1, seed=1)
    assert schedkit.check(project, result).feasible
    assert result.objective == 5

@pytest.mark.parametrize(("successors", "message"), [
    ([[1, 2, 3], [4], [9], [4], []],
     r"activity 2 lists successor 9, an unknown activity id \(ids are 0..4\)"),
    ([[1, 2, 3], [1], [4], [4], []], "activity 1 lists itself"),
    ([[1, 2, 3, 3], [4], [4], [4], []], "activity 0 lists successor 3 twice"),
    ([[1, 2, 3], [4], [4], [4]], "successors has 4 entries but there are 5 activities"),
])
def test_bad_successor_lists(successors, message):
    """Unknown ids, self arcs, repeated arcs and a missing list are each refused by name."""
    with pytest.raises(InvalidInstance, match=message):
        _project(successors=successors)


@pytest.mark.parametrize(("changes", "message"), [
    ({"durations": [0, -1, 2, 2, 0]}, r"durations\[1\] = -1"),
    ({"durations": [0, 1.5, 2, 2, 0]}, r"durations\[1\] = 1.5 is not an integer"),
    ({"demands": [[0], [2], [2], [1]]}, "one row per activity"),
    ({"demands": [[0], [2], [-2], [1], [0]]}, r"demands\[2\]\[0\] = -2"),
    ({"capacities": [-3]}, r"capacities\[0\] = -3"),
    ({"durations": []}, "at least one activity"),
])
def test_bad_numbers(changes, message):
    """Negative, fractional or misshapen data raises InvalidInstance naming field and index."""
    with pytest.raises(InvalidInstance, match=message):
        _project(**changes)


def test_derived_arrays_and_order():
    """CSR successors/predecessors match the lists, and the order puts every arc forward."""
    x = tiny()
    assert x.succ_ptr.tolist() == [0, 3, 4, 5, 6, 6]
    assert x.pred_ptr.tolist() == [0, 0, 1, 2, 3, 6]
    assert x.pred_idx.tolist() == [0, 0, 0, 1, 2, 3]
    position = {int(j): k for k, j in enumerate(x.order)}
    assert all(position[i] < position[int(j)] for i, row in enumerate(x.successors) for j in row)


def test_replace_revalidates_and_equality():
    """replace returns a new validated instance; equality compares every field."""
    x = tiny()
    y = x.replace(name="other")
    assert y != x and y.replace(name="tiny") == x
    with pytest.raises(InvalidInstance):
        x.replace(capacities=[1])
    assert not x.durations.flags.writeable


def test_solution_json():
    """RCPSPSolution reads and writes {"start": [...]} and refuses anything else."""
    solution = RCPSPSolution(np.array([0, 0, 3, 0, 5]))
    assert solution.to_dict() == {"start": [0, 0, 3, 0, 5]}
    assert RCPSPSolution.from_dict(solution.to_dict()) == solution
    with pytest.raises(InvalidInstance):
        RCPSPSolution.from_dict({"start": [0, 1.5]})
