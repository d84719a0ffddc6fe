"""The DAG model: validation names the rule, the index and the task; values are immutable."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from schedkit import InvalidInstance
from schedkit.dag.generate import dag
from schedkit.dag.model import DAGInstance, DAGSolution, frontiers, topological_order
from tests.dag.strategies import dag_instances

COST = [[1, 2], [3, 4], [5, 6]]


@pytest.mark.parametrize(("changes", "message"), [
    ({"edges": [[0, 1], [1, 2], [2, 0]]}, r"cycle: 1 -> 2 -> 3 -> 1"),
    ({"edges": [[1, 1]]}, r"cycle: 2 -> 2"),
    ({"edges": [[0, 3]]}, r"edges\[0\] target index 3 is no task"),
    ({"edges": [[-1, 1]]}, r"edges\[0\] source index -1 is no task"),
    ({"cost": [[1, 2], [3, -4], [5, 6]]}, r"task 2 on processor P2 is -4.*non-negative"),
    ({"cost": [[1, 2], [3], [5, 6]]}, r"ragged"),
    ({"cost": [[1, 2.5], [3, 4], [5, 6]]}, r"cost\[0, 1\] = 2.5 is not an integer"),
    ({"cost": []}, r"at least one task"),
    ({"cost": [[], [], []]}, r"at least one processor"),
    ({"edges": [[0, 1], [0, 1]], "data": [1, 2]}, r"edge 1 -> 2 is listed twice"),
    ({"edges": [[0, 1]], "data": [-3]}, r"edge 1 -> 2 has data .* -3"),
    ({"edges": [[0, 1]], "data": [1, 2]}, r"data has 2 entries but there are 1 edges"),
    ({"bandwidth": [[1, 0], [1, 1]]}, r"bandwidth\[0\]\[1\] = 0: must be at least 1"),
    ({"bandwidth": [[1, 1]]}, r"bandwidth must be 2 x 2"),
    ({"latency": [0, -1]}, r"latency\[1\] = -1"),
    ({"task_ids": [1, 2]}, r"task_ids lists 2 tasks but cost has 3 rows"),
    ({"task_ids": [1, 1, 2]}, r"repeat"),
    ({"processors": ["cpu"]}, r"processors lists 1 names but cost has 2 columns"),
    ({"processors": ["cpu", "cpu"]}, r"processors name .cpu. twice"),
    ({"cost": [[10**10, 1], [1, 1], [1, 1]]}, r"exceeds the limit"),
])
def test_invalid_instances_are_refused(changes, message):
    """Each broken rule raises InvalidInstance with a message naming it."""
    fields = {"cost": COST, **changes}
    with pytest.raises(InvalidInstance, match=message):
        DAGInstance(**fields)


def test_cycle_names_the_file_ids():
    """A cycle is reported with the tasks' own ids, not internal indices."""
    with pytest.raises(InvalidInstance, match=r"cycle: b -> c -> b"):
        DAGInstance(cost=COST, edges=[[0, 1], [1, 2], [2, 1]], task_ids=["a", "b", "c"])


def test_arrays_are_read_only_and_edges_sorted():
    """Arrays cannot be edited in place; edges are kept sorted with their data alongside."""
    x = DAGInstance(cost=COST, edges=[[1, 2], [0, 2], [0, 1]], data=[7, 8, 9])
    assert x.edges.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert x.data.tolist() == [9, 8, 7]
    with pytest.raises(ValueError):
        x.cost[0, 0] = 5
    assert x == DAGInstance(cost=COST, edges=[[0, 1], [0, 2], [1, 2]], data=[9, 8, 7])


def test_replace_revalidates():
    """replace() returns a new instance and checks it again."""
    x = DAGInstance(cost=COST, edges=[[0, 1]])
    y = x.replace(name="other")
    assert y.name == "other" and y != x and x.name == ""
    with pytest.raises(InvalidInstance, match="cycle"):
        x.replace(edges=[[0, 1], [1, 0]], data=[0, 0])


def test_defaults_and_bounds():
    """Default ids 1..n, processors P1..Pp; lower bound = max(cheapest path, work / p)."""
    x = DAGInstance(cost=COST, edges=[[0, 1], [1, 2]])
    assert x.task_ids == (1, 2, 3) and x.processors == ("P1", "P2")
    assert x.cheapest_path() == 1 + 3 + 5
    assert x.lower_bound() == 9
    wide = DAGInstance(cost=[[4, 4]] * 5)
    assert wide.lower_bound() == 10  # ceil(20 / 2)


def test_metrics_with_zero_costs():
    """All-zero costs: SLR and speedup are undefined (None), never a division error."""
    x = DAGInstance(cost=[[0, 0], [0, 0]])
    assert x.metrics(0) == {"slr": None, "speedup": None, "efficiency": None}


def test_solution_round_trip_and_errors():
    """Solution JSON round-trips; missing fields or non-integers are refused."""
    solution = DAGSolution(np.array([0, 1]), [0, 5])
    assert DAGSolution.from_dict(solution.to_dict()) == solution
    assert solution.to_dict() == {"processor": [0, 1], "start": [0, 5]}
    for bad in ({"processor": [0]}, {"processor": [0], "start": [1.5]}, [1, 2],
                {"processor": [True], "start": [0]}):
        with pytest.raises(InvalidInstance):
            DAGSolution.from_dict(bad)  # type: ignore[arg-type]


def _cheapest_path_task_by_task(instance: DAGInstance) -> int:
    """The longest path at cheapest costs, task by task in Kahn's order (the former method)."""
    cheapest = instance.cost.min(axis=1)
    longest = cheapest.copy()
    for task in topological_order(instance.n, instance.edges):
        into = instance.edges[instance.edges[:, 1] == task, 0]
        if into.size:
            longest[task] = cheapest[task] + longest[into].max()
    return int(longest.max())


@settings(max_examples=40, deadline=None)
@given(instance=dag_instances(max_tasks=12, max_processors=3))
def test_frontiers_order_every_task_once_after_its_predecessors(instance: DAGInstance) -> None:
    """Frontier by frontier (numpy), every task comes once and after its predecessors; the
    cheapest path computed on them is the task-by-task one."""
    rounds = list(frontiers(instance.n, instance.edges))
    order = np.concatenate([ready for ready, _ in rounds])
    assert sorted(order.tolist()) == list(range(instance.n))
    place = np.empty(instance.n, np.int64)
    place[order] = np.arange(instance.n)
    assert all(place[a] < place[b] for a, b in instance.edges.tolist())
    assert sorted(np.concatenate([out for _, out in rounds]).tolist()) == list(range(instance.m))
    assert instance.cheapest_path() == _cheapest_path_task_by_task(instance)


def test_frontiers_of_a_large_graph() -> None:
    """20,000 tasks over about 140 frontiers: the same cheapest path as task by task."""
    instance = dag(20_000, 2, 3)
    assert instance.cheapest_path() == _cheapest_path_task_by_task(instance)
