"""kube-default and cpsat on hand-built clusters with known answers, the checker's verdicts,
and properties on random clusters (every placement feasible, cpsat never behind kube-default,
cpsat's proven optimum equal to brute force)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import schedkit
from schedkit.errors import InvalidInstance
from schedkit.pods import model as pods_model
from schedkit.pods import objective as pods_objective
from schedkit.pods.model import Node, Pod, PodsInstance, Taint
from schedkit.pods.objective import encode
from tests.pods.strategies import clusters

GI = 2**30
ROOT = Path(__file__).resolve().parent.parent.parent


def _cluster(nodes, pods, name="hand") -> PodsInstance:
    return PodsInstance(nodes=tuple(nodes), pods=tuple(pods), name=name)


def _fragmented() -> PodsInstance:
    """Two 1000m nodes, pods of 500m, 500m, 1000m in that order, one priority: LeastAllocated
    spreads the small ones over both nodes and the big one finds no room; packing the two small
    pods on one node places all three."""
    nodes = [Node("node-a", 1000, 4 * GI), Node("node-b", 1000, 4 * GI)]
    pods = [
        Pod("small-1", cpu=500, memory=GI, order=0),
        Pod("small-2", cpu=500, memory=GI, order=1),
        Pod("big", cpu=1000, memory=GI, order=2),
    ]
    return _cluster(nodes, pods, "fragmented")


def test_default_leaves_a_pod_pending_that_cpsat_places_and_proves():
    """The fragmented cluster: kube-default spreads and strands `big`; cpsat places all three,
    proves it (status optimal, objective 0) and reports the tier's count proven."""
    instance = _fragmented()
    default = schedkit.solve(instance, "kube-default")
    assert default.solution.assignment == {
        "default/small-1": "node-a",
        "default/small-2": "node-b",
        "default/big": None,
    }
    assert default.stats["pending"] == 1 and default.status == "feasible"
    # one tier (priority 0): 1 unplaced, 0 disturbed; base 2*3+1 = 7 -> 1*7 + 0
    assert default.objective == 7
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=2)  # a proof at any speed
    assert result.status == "optimal" and result.objective == result.bound == 0
    assert result.stats["pending"] == 0 and result.stats["places_more_than_default"]
    assert result.stats["tiers"][0]["count_proven"] and result.stats["workers"] == 2
    assert schedkit.check(instance, result).feasible


def test_cpsat_moves_a_running_pod_to_make_room_and_says_so():
    """small-2 runs on node-b; to place `big` one pod must move (disturbance 2) and the plan says
    which; the default cannot move running pods and leaves `big` pending."""
    base = _fragmented()
    pods = [
        Pod("small-1", cpu=500, memory=GI, node="node-a", order=0),
        Pod("small-2", cpu=500, memory=GI, node="node-b", order=1),
        Pod("big", cpu=1000, memory=GI, order=2),
    ]
    instance = base.replace(pods=tuple(pods))
    assert schedkit.solve(instance, "kube-default").stats["pending"] == 1
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)  # a proof at any speed
    assert result.status == "optimal"
    assert result.stats["moves"] == 1 and result.stats["evictions"] == 0
    assert result.stats["vector"] == [{"priority": 0, "unplaced": 0, "disturbance": 2}]
    actions = [step["action"] for step in result.stats["plan"]]
    assert sorted(actions) == ["bind", "move"]
    text = result.solution.describe(instance)
    assert "move" in text and "bind    default/big" in text


def test_immovable_pod_blocks_the_fix():
    """The same cluster with both small pods immovable: nothing can be done; cpsat proves that
    the default's placement (big pending) is optimal."""
    nodes = _fragmented().nodes
    pods = [
        Pod("small-1", cpu=500, memory=GI, node="node-a", movable=False, order=0),
        Pod("small-2", cpu=500, memory=GI, node="node-b", movable=False, order=1),
        Pod("big", cpu=1000, memory=GI, order=2),
    ]
    instance = _cluster(nodes, pods)
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)  # a proof at any speed
    assert result.status == "optimal" and result.stats["pending"] == 1
    assert result.stats["default_counts_proven_optimal"] and not result.stats["places_more_than_default"]


def test_preemption_with_reprieve():
    """One 1000m node runs L1 (300m, prio 1, oldest), L2 (300m, prio 2), L3 (300m, prio 1); H
    (400m, prio 10) preempts: after removing all three, L2 then L1 are reprieved (700m, then 400m
    left) and L3 alone is the victim. It returns to the queue and stays pending."""
    nodes = [Node("only", 1000, 4 * GI)]
    pods = [
        Pod("l1", cpu=300, priority=1, node="only", order=0),
        Pod("l2", cpu=300, priority=2, node="only", order=1),
        Pod("l3", cpu=300, priority=1, node="only", order=2),
        Pod("h", cpu=400, priority=10, order=3),
    ]
    instance = _cluster(nodes, pods)
    result = schedkit.solve(instance, "kube-default")
    assert result.solution.assignment == {
        "default/l1": "only",
        "default/l2": "only",
        "default/l3": None,
        "default/h": "only",
    }
    assert result.stats["preemptions"] == 1 and result.stats["evictions"] == 1
    assert schedkit.check(instance, result).feasible
    off = schedkit.solve(instance, "kube-default", preemption=False)
    assert off.solution.assignment["default/h"] is None


def test_preemption_picks_the_node_with_the_least_important_victims():
    """node-a would evict a prio-5 pod, node-b a prio-1 pod: DefaultPreemption picks node-b."""
    nodes = [Node("node-a", 1000, GI), Node("node-b", 1000, GI)]
    pods = [
        Pod("mid", cpu=800, priority=5, node="node-a", order=0),
        Pod("low", cpu=800, priority=1, node="node-b", order=1),
        Pod("urgent", cpu=500, priority=9, order=2),
    ]
    result = schedkit.solve(_cluster(nodes, pods), "kube-default")
    assert result.solution.assignment == {
        "default/mid": "node-a",
        "default/low": None,
        "default/urgent": "node-b",
    }


def test_least_and_most_allocated_choose_differently():
    """LeastAllocated sends a pod to the emptier node, MostAllocated to the fuller one; the
    equal-score tie between empty nodes goes to the first name."""
    nodes = [Node("b-full", 2000, 2 * GI), Node("a-empty", 2000, 2 * GI), Node("c-empty", 2000, 2 * GI)]
    pods = [
        Pod("old", cpu=1000, memory=GI, node="b-full", order=0),
        Pod("new", cpu=500, memory=GI // 2, order=1),
    ]
    instance = _cluster(nodes, pods)
    least = schedkit.solve(instance, "kube-default")
    most = schedkit.solve(instance, "kube-default", scoring="MostAllocated")
    assert least.solution.assignment["default/new"] == "a-empty"
    assert most.solution.assignment["default/new"] == "b-full"
    with pytest.raises(ValueError, match="scoring"):
        schedkit.solve(instance, "kube-default", scoring="Random")


def test_balanced_allocation_breaks_a_least_allocated_tie():
    """LeastAllocated prefers `a-mem-heavy`, but there the pod unbalances CPU and memory and on
    `b-cpu-heavy` it evens them: BalancedAllocation (int((1 - |fc - fm| / 2) * 100)) outweighs."""
    nodes = [Node("a-mem-heavy", 1000, 1000), Node("b-cpu-heavy", 1000, 1000)]
    pods = [
        Pod("m", cpu=0, memory=400, node="a-mem-heavy", order=0),
        Pod("c", cpu=400, memory=0, node="b-cpu-heavy", order=1),
        Pod("new", cpu=0, memory=400, order=2),
    ]
    instance = _cluster(nodes, pods)
    # LeastAllocated (non-zero requests: 100m for a zero CPU request, 200 MiB for zero memory):
    # a = (80 + 20) // 2 = 50, b = (50 + 0) // 2 = 25. BalancedAllocation (real requests):
    # a: fractions 0 / 0.8 -> 60, b: 0.4 / 0.4 -> 100. Sums 110 < 125: b.
    result = schedkit.solve(instance, "kube-default")
    assert result.solution.assignment["default/new"] == "b-cpu-heavy"


def test_taints_and_selectors_and_cordon():
    """A tainted node takes only tolerating pods, a cordoned node none, selectors are obeyed."""
    nodes = [
        Node("tainted", 4000, GI, taints=(Taint("dedicated", "db", "NoSchedule"),)),
        Node("cordoned", 4000, GI, unschedulable=True),
        Node("plain", 1000, GI, labels={"disk": "ssd"}),
    ]
    pods = [
        Pod("web", cpu=800, order=0),
        Pod("web2", cpu=800, order=1),
        Pod("ssd", cpu=100, node_selector={"disk": "ssd"}, order=2),
        Pod("hdd", cpu=100, node_selector={"disk": "hdd"}, order=3),
    ]
    instance = _cluster(nodes, pods)
    for method in ("kube-default", "cpsat"):
        result = schedkit.solve(instance, method, time_limit=10, workers=1)
        assignment = result.solution.assignment
        assert assignment["default/hdd"] is None
        assert assignment["default/ssd"] == "plain"
        assert sorted([assignment["default/web"], assignment["default/web2"]], key=str) == [None, "plain"]
        assert "tainted" not in assignment.values() and "cordoned" not in assignment.values()
        assert schedkit.check(instance, result).feasible


def test_checker_catches_overcommit_moves_and_taints():
    """Overcommitted CPU, a moved immovable pod, an evicted immovable pod, an untolerated taint,
    a missing pod and an unknown node are each reported."""
    nodes = [Node("a", 1000, GI, max_pods=2), Node("t", 1000, GI, taints=(Taint("k", "v", "NoExecute"),))]
    pods = [
        Pod("fixed", cpu=100, node="a", movable=False, order=0),
        Pod("x", cpu=800, order=1),
        Pod("y", cpu=800, order=2),
    ]
    instance = _cluster(nodes, pods)
    over = schedkit.check(
        instance, {"assignment": {"default/fixed": "a", "default/x": "a", "default/y": "a"}}
    )
    assert not over.feasible
    assert any("cpu overcommitted" in v for v in over.violations)
    assert any("pods overcommitted" in v for v in over.violations)
    moved = schedkit.check(
        instance, {"assignment": {"default/fixed": "t", "default/x": "a", "default/y": None}}
    )
    assert any("immovable pod 'default/fixed' is moved" in v for v in moved.violations)
    assert any("taint k=v:NoExecute" in v for v in moved.violations)
    evicted = schedkit.check(instance, {"assignment": {"default/fixed": None, "default/x": "a"}})
    assert any("evicted" in v for v in evicted.violations)
    assert any("missing" in v for v in evicted.violations)
    unknown = schedkit.check(
        instance, {"assignment": {"default/fixed": "a", "default/x": "zz", "default/y": None}}
    )
    assert any("unknown node 'zz'" in v for v in unknown.violations)
    good = schedkit.check(
        instance, {"assignment": {"default/fixed": "a", "default/x": "a", "default/y": None}}
    )
    assert good.feasible and good.objective == encode([(0, 1, 0)], 3)


def test_checker_rejects_a_wrong_claimed_objective():
    """A result whose objective disagrees with the recomputed vector is flagged."""
    instance = _fragmented()
    result = schedkit.solve(instance, "kube-default")
    report = schedkit.check(instance, result.solution, objective=0)
    assert not report.feasible and "claimed objective" in report.violations[-1]


def test_auto_and_determinism():
    """auto picks cpsat on a small cluster; the same seed gives the same answer twice (without a
    wall-clock limit: what a limit allows depends on the machine's speed and load)."""
    instance = schedkit.generate.pods(4, 4, 2, 1.0, seed=3)
    assert schedkit.solve(instance, "auto", time_limit=5, workers=1).stats["chosen"] == "cpsat"
    first = schedkit.solve(instance, "cpsat", workers=1)
    again = schedkit.solve(instance, "cpsat", workers=1)
    assert first.objective == again.objective and first.solution == again.solution
    for method in ("kube-default",):
        a = schedkit.solve(instance, method)
        b = schedkit.solve(instance, method)
        assert a.solution == b.solution


def test_generator_protocol():
    """Replica sets share requests and priority within the paper's ranges; nodes identical and
    sized to the utilisation; same seed same cluster, other seed other cluster."""
    instance = schedkit.generate.pods(8, 4, 3, 0.95, seed=7)
    assert instance.n_nodes == 8 and instance.n_pods == 32
    assert all(100 <= p.cpu <= 1000 and 100 * 10**6 <= p.memory <= 1000 * 10**6 for p in instance.pods)
    assert {p.priority for p in instance.pods} <= {1, 2, 3}
    assert len({(n.cpu, n.memory) for n in instance.nodes}) == 1
    total_cpu = sum(p.cpu for p in instance.pods)
    assert abs(total_cpu / (8 * instance.nodes[0].cpu) - 0.95) < 0.01
    sets: dict[str, set] = {}
    for p in instance.pods:
        sets.setdefault(p.name.split("-")[0], set()).add((p.cpu, p.memory, p.priority))
    assert all(len(v) == 1 for v in sets.values()) and all(p.node is None for p in instance.pods)
    assert schedkit.generate.pods(8, 4, 3, 0.95, seed=7) == instance
    assert schedkit.generate.pods(8, 4, 3, 0.95, seed=8) != instance
    with pytest.raises(InvalidInstance, match="nodes"):  # a SchedkitError: one line, exit 2
        schedkit.generate.pods(0, 4, 3, 0.95)
    with pytest.raises(InvalidInstance, match="utilisation"):
        schedkit.generate.pods(8, 4, 3, True)


def _brute_force(instance: PodsInstance) -> int:
    """The optimal scalar objective by enumerating every placement (tiny clusters only)."""
    allowed = instance.allowed()
    options = [[-1, *[n for n in range(instance.n_nodes) if allowed[p, n]]] for p in range(instance.n_pods)]
    best = None
    for choice in itertools.product(*options):
        report = schedkit.check(
            instance,
            {
                "assignment": {
                    pod.key: None if n < 0 else instance.nodes[n].name
                    for pod, n in zip(instance.pods, choice, strict=True)
                }
            },
        )
        if report.feasible and (best is None or report.objective < best):
            best = report.objective
    assert best is not None
    return best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clusters(max_nodes=3, max_pods=5))
def test_every_method_feasible_and_cpsat_optimal(instance):
    """On random tiny clusters every method's placement passes the checker, cpsat is never
    lexicographically behind kube-default, and cpsat's proven optimum (no time limit; auto's
    default budget) is brute force's."""
    results = {
        m: schedkit.solve(instance, m, time_limit=None, workers=1) for m in ("kube-default", "cpsat", "auto")
    }
    for result in results.values():
        report = schedkit.check(instance, result)
        assert report.feasible, report.violations
        assert report.objective == result.objective
        if result.bound is not None:
            assert result.bound <= result.objective
    assert results["cpsat"].objective <= results["kube-default"].objective
    assert results["cpsat"].status == "optimal"
    assert results["cpsat"].objective == _brute_force(instance)


@settings(max_examples=15, deadline=None)
@given(clusters(max_nodes=3, max_pods=7))
def test_project_json_round_trip_property(instance):
    """to_dict -> from_record is the identity on random clusters."""
    from schedkit.pods.formats.records import from_record

    assert from_record(instance.to_dict(), "x") == instance


def test_relabel_never_trades_a_high_tier_stay_for_low_ones():
    """Two interchangeable nodes; a placement puts h (prio 2) with l1, l2 on one node and l3 on the
    other. Keeping l1 and l2 in place would move h; the renaming keeps h (higher tier) in place,
    and cpsat's result is never lexicographically behind kube-default on such a cluster."""
    import numpy as np

    from schedkit.pods.solvers.relabel import interchangeable_groups, relabel

    nodes = [Node("a", 4000, 4 * GI), Node("b", 4000, 4 * GI)]
    pods = [
        Pod("h", cpu=100, priority=2, node="a", order=0),
        Pod("l3", cpu=100, priority=1, node="a", order=1),
        Pod("l1", cpu=100, priority=1, node="b", order=2),
        Pod("l2", cpu=100, priority=1, node="b", order=3),
    ]
    instance = _cluster(nodes, pods)
    groups = interchangeable_groups(instance)
    assert groups == [[0, 1]]
    renamed = relabel(instance, np.array([0, 1, 0, 0]), groups)
    assert renamed[0] == 0  # h stays on a
    assert renamed.tolist() == [0, 1, 0, 0]


def test_cpsat_out_of_time_keeps_a_valid_bound():
    """A 32-node scenario with a 0.3 s window: the answer is feasible, never behind the default,
    its bound never above its objective, and `optimal` only with bound == objective."""
    instance = schedkit.load(str(ROOT / "instances" / "pods" / "grid.jsonl") + "#175")
    default = schedkit.solve(instance, "kube-default")
    result = schedkit.solve(instance, "cpsat", time_limit=0.3, workers=1)
    report = schedkit.check(instance, result)
    assert report.feasible and report.objective == result.objective
    assert result.objective <= default.objective
    assert result.bound is not None and result.bound <= result.objective
    assert (result.status == "optimal") == (result.bound == result.objective)
    assert result.stats["tiers_total"] == len(result.stats["tiers"]) == len(instance.tiers)


@pytest.mark.parametrize("scenario", [(32, 8, 2, 1.05, 101), (32, 4, 4, 1.05, 100), (16, 4, 2, 0.95, 100)])
@pytest.mark.parametrize("time_limit", [0.01, 0.2])
def test_cpsat_bound_never_above_objective_at_any_speed(scenario, time_limit):
    """Issue 16: with the budget gone before CP-SAT finds anything (status UNKNOWN), its
    objective bound is a meaningless 0 and once made the bound 131328 for objective 13338. On
    generated clusters where kube-default leaves pods pending, any limit (whatever the machine
    reaches in it) gives a checked plan and a bound <= objective (Result refuses otherwise)."""
    n, k, p, u, seed = scenario
    instance = schedkit.generate.pods(n, k, p, u, seed=seed)
    result = schedkit.solve(instance, "cpsat", time_limit=time_limit, workers=2)
    assert schedkit.check(instance, result).feasible
    assert result.bound is not None and result.bound <= result.objective
    for row in result.stats["tiers"]:
        assert row["placed"] <= row["placed_bound"] and row["disturbance_bound"] <= row["disturbance"]


def test_the_objective_still_imports_from_the_model():
    """objective.py holds the objective; `schedkit.pods.model` re-exports it for old scripts."""
    for name in ("objective_vector", "encode", "objective", "placement_stats"):
        assert getattr(pods_model, name) is getattr(pods_objective, name)
