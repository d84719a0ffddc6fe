"""The job shop model: validation with clear messages, derived views, replace, equality, JSON."""

from __future__ import annotations

import re

import numpy as np
import pytest

import schedkit
from schedkit.errors import InvalidInstance
from schedkit.jobshop.model import JobShopInstance, JobShopSolution

TWO_JOBS = [[(0, 3), (1, 2)], [(1, 4), (0, 1)]]


def test_from_jobs_builds_the_flat_arrays():
    """Nested lists become CSR arrays; machines default to the largest index + 1."""
    x = JobShopInstance.from_jobs([[(0, 3), [(1, 2), (2, 5)]], [(2, 4)]])
    assert x.n == 2 and x.m == 3 and x.operations == 3 and x.flexible
    assert x.job_ptr.tolist() == [0, 2, 3]
    assert x.op_ptr.tolist() == [0, 1, 3, 4]
    assert x.alt_machine.tolist() == [0, 1, 2, 2]
    assert x.alt_duration.tolist() == [3, 2, 5, 4]
    assert x.jobs() == [[[(0, 3)], [(1, 2), (2, 5)]], [[(2, 4)]]]


@pytest.mark.parametrize(("jobs", "fields", "message"), [
    ([[(0, 3), (5, 2)]], {"machines": 2}, "job 0, operation 1: machine 5 is out of range 0..1"),
    ([[(0, 3)], []], {}, "job 1 has no operations"),
    ([[(0, -1)]], {}, "job 0, operation 0: duration -1 is negative"),
    ([[[(0, 1), (0, 2)]]], {}, "a machine is listed twice among its alternatives"),
    ([[(0, 1)]], {"machines": 0}, "at least one machine"),
    ([[(0, 1)]], {"release": [1, 2]}, "release has 2 entries for 1 jobs"),
    ([[(0, 1)]], {"release": [-1]}, "release[0] = -1 is outside"),
    ([[(0, 1)]], {"weight": [-2]}, "weight[0] = -2 is outside"),
    ([[(0, 1)]], {"objective": "lateness"}, "objective 'lateness' is not one of"),
    ([[(0, 1)]], {"objective": "weighted_tardiness"}, "needs due dates"),
    ([[(0, 1.5)]], {}, "is not an integer"),
    ([[(0,)]], {}, "expected [machine, duration]"),
    ([], {}, "at least one job"),
])
def test_invalid_data_names_the_rule(jobs, fields, message):
    """Each broken rule raises InvalidInstance naming the job, operation and rule."""
    with pytest.raises(InvalidInstance) as error:
        JobShopInstance.from_jobs(jobs, **fields)
    assert message in str(error.value)


def test_a_job_may_visit_a_machine_twice():
    """Recirculation is allowed (documented): the rules and the checker handle it."""
    x = JobShopInstance.from_jobs([[(0, 2), (0, 3)], [(0, 1)]])
    result = schedkit.solve(x, "spt")
    assert schedkit.check(x, result).feasible and result.objective == 6


def test_replace_revalidates_and_equality_compares_every_field():
    """replace() builds a new validated instance; == looks at arrays, optional fields and meta."""
    x = JobShopInstance.from_jobs(TWO_JOBS, name="a")
    y = x.replace(release=[0, 2])
    assert y.release.tolist() == [0, 2] and x.release is None
    assert x != y and x == JobShopInstance.from_jobs(TWO_JOBS, name="a")
    with pytest.raises(InvalidInstance):
        x.replace(machines=1)
    assert not x.job_ptr.flags.writeable


def test_json_round_trip_keeps_every_field(tmp_path):
    """dump then load gives an equal instance, release/due/weight/objective/meta included."""
    x = JobShopInstance.from_jobs(TWO_JOBS, release=[0, 1], due=[5, 6], weight=[1, 2],
                                  objective="weighted_tardiness", name="t", meta={"source": "test"})
    assert schedkit.load(schedkit.dump(x, tmp_path / "t.json")) == x


def test_solution_json_shape():
    """A solution is {"start": [[...]], "machine": [[...]]} per job, per operation; bad shapes raise."""
    x = JobShopInstance.from_jobs(TWO_JOBS)
    solution = JobShopSolution.from_flat(x, np.array([0, 4, 0, 4]), np.array([0, 1, 1, 0]))
    assert solution.to_dict() == {"start": [[0, 4], [0, 4]], "machine": [[0, 1], [1, 0]]}
    assert JobShopSolution.from_dict(solution.to_dict()) == solution
    with pytest.raises(InvalidInstance):
        JobShopSolution.from_dict({"start": [[0.5]], "machine": [[0]]})


@pytest.mark.parametrize("objective", ["flow_time", "weighted_tardiness"])
def test_refuses_an_objective_beyond_int64_arithmetic(objective):
    """200 one-operation jobs of 10^9 on one machine, weight 10^6: the flow time of any
    sequence (about 2·10^19) wraps around int64, so the model refuses the instance."""
    with pytest.raises(InvalidInstance, match=f"the {objective} could reach 4e\\+19"):
        JobShopInstance.from_jobs([[(0, 10**9)]] * 200, 1, weight=[10**6] * 200, due=[0] * 200,
                                  objective=objective)


def test_an_objective_near_the_limit_is_solved_exactly():
    """60 such jobs stay below 2^62 (worst 3.6·10^18): accepted, and the rule's flow time
    Σ_k 10^6·k·10^9 = 1.83·10^18 is what the checker recomputes."""
    instance = JobShopInstance.from_jobs([[(0, 10**9)]] * 60, 1, weight=[10**6] * 60,
                                         objective="flow_time")
    result = schedkit.solve(instance, "spt", workers=1)
    assert result.objective == 10**15 * 60 * 61 // 2
    assert schedkit.check(instance, result).feasible


@pytest.mark.parametrize(("jobs", "named"), [
    ([[(0, 3)], [(1.5, 2)]], "alt_machine[1] = 1.5"),  # said "machines must be an integer, got 2.5"
    ([[(float("nan"), 3)]], "not finite"),  # said "machines must be an integer, got nan"
    ([[]], "job 0 has no operations"),  # said "machines = 0"
])
def test_from_jobs_names_the_entry_at_fault(jobs, named):
    with pytest.raises(InvalidInstance, match=re.escape(named)):
        JobShopInstance.from_jobs(jobs)


def test_from_jobs_counts_machines_from_whole_floats():
    """A machine index 0.0 is whole (accepted with machines=1); the default count said 1.0."""
    assert JobShopInstance.from_jobs([[(0.0, 3)]]).m == 1
