"""What cpsat and auto claim against an independent brute force of every placement, on
adversarial tiny clusters: capacities 0, demands equal to capacity, zero demands, max_pods 0,
one node, identical pods, cordoned and tainted nodes, and CP-SAT stopped early (its bounds read
from unfinished stages)."""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
import schedkit.pods.solvers.cpsat as pods_cpsat
from schedkit.cli import main
from schedkit.errors import SchedkitError
from schedkit.pods.model import Node, Pod, PodsInstance, Taint, Toleration


@st.composite
def edgy_clusters(draw) -> PodsInstance:
    """1-3 nodes of 0-4 cpu, 0-3 memory, 0-3 slots; 1-5 pods, identical ones sometimes, placed
    where they fit; priorities 0-2."""
    effects = st.sampled_from(["NoSchedule", "NoExecute", "PreferNoSchedule"])
    nodes = [Node(f"n{i}", cpu=draw(st.sampled_from([0, 1, 2, 3, 4])),
                  memory=draw(st.sampled_from([0, 1, 2, 3])), max_pods=draw(st.integers(0, 3)),
                  unschedulable=draw(st.integers(0, 6)) == 0, labels={"z": draw(st.sampled_from(["a", "b"]))},
                  taints=(Taint("t", "x", draw(effects)),) if draw(st.booleans()) else ())
             for i in range(draw(st.integers(1, 3)))]
    used = {n.name: [0, 0, 0] for n in nodes}
    identical = draw(st.booleans())
    pods = []
    for j in range(draw(st.integers(1, 5))):
        cpu = 1 if identical else draw(st.integers(0, 3))
        memory = 1 if identical else draw(st.integers(0, 2))
        node = draw(st.sampled_from([None, *used]))
        if node is not None:
            limit, u = next(n for n in nodes if n.name == node), used[node]
            if u[0] + cpu > limit.cpu or u[1] + memory > limit.memory or u[2] + 1 > limit.max_pods:
                node = None
            else:
                u[0], u[1], u[2] = u[0] + cpu, u[1] + memory, u[2] + 1
        pods.append(Pod(f"p{j}", cpu=cpu, memory=memory, priority=draw(st.integers(0, 2)), node=node,
                        movable=draw(st.integers(0, 3)) > 0, order=j,
                        node_selector={"z": "a"} if draw(st.integers(0, 3)) == 0 else {},
                        tolerations=(Toleration("t", "Equal", "x", ""),) if draw(st.booleans()) else ()))
    return PodsInstance(nodes=tuple(nodes), pods=tuple(pods), name="edgy")


def _may_go(pod: Pod, node: Node) -> bool:
    """Cordon, nodeSelector and blocking taints re-stated (no affinity is drawn here)."""
    if node.unschedulable or any(node.labels.get(k) != v for k, v in pod.node_selector.items()):
        return False
    tolerated = {(t.key, t.value) for t in pod.tolerations}
    return all(taint.effect == "PreferNoSchedule" or (taint.key, taint.value) in tolerated
               for taint in node.taints)


def _allowed(x: PodsInstance, where: tuple[Node | None, ...]) -> bool:
    """Capacities, immovable pods kept, and every pod that changes node allowed there."""
    for n in x.nodes:
        mine = [p for p, w in zip(x.pods, where, strict=True) if w is n]
        over = sum(p.cpu for p in mine) > n.cpu or sum(p.memory for p in mine) > n.memory
        if over or len(mine) > n.max_pods:
            return False
    for p, w in zip(x.pods, where, strict=True):
        name = None if w is None else w.name
        if p.node is not None and not p.movable and name != p.node:
            return False
        if w is not None and name != p.node and not _may_go(p, w):
            return False
    return True


def _digits(x: PodsInstance, where: tuple[Node | None, ...]) -> list[int]:
    """Per tier (highest first): pods of at least that priority unplaced, then their
    disturbance (an eviction 1, a move 2)."""
    digits = []
    for tier in sorted({p.priority for p in x.pods}, reverse=True):
        mine = [(p, None if w is None else w.name) for p, w in zip(x.pods, where, strict=True)
                if p.priority >= tier]
        digits.append(sum(name is None for _, name in mine))
        digits.append(sum(0 if name == p.node else 1 if name is None else 2
                          for p, name in mine if p.node is not None))
    return digits


def brute_optimum(x: PodsInstance) -> int:
    """The least scalar objective over every placement: the digits in base 2n + 1."""
    best = min(_digits(x, where) for where in itertools.product([None, *x.nodes], repeat=len(x.pods))
               if _allowed(x, where))  # leaving everything as it is always fits
    value = 0
    for digit in best:
        value = value * (2 * len(x.pods) + 1) + digit
    return value


def _claims_hold(x: PodsInstance, result, optimum: int) -> None:
    report = schedkit.check(x, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective >= optimum
    assert result.bound is None or result.bound <= optimum
    assert result.status != "optimal" or result.objective == optimum
    for row in result.stats.get("tiers", []):
        assert row["placed"] <= row["placed_bound"] and row["disturbance_bound"] <= row["disturbance"]


@settings(max_examples=40, deadline=None)
@given(edgy_clusters(), st.sampled_from([1, 2]), st.sampled_from(["LeastAllocated", "MostAllocated"]))
def test_cpsat_and_auto_claims_against_brute_force(x, workers, scoring):
    """No time limit: cpsat (either warm-start scoring) and auto prove brute force's optimum."""
    optimum = brute_optimum(x)
    for result in (schedkit.solve(x, "cpsat", time_limit=None, workers=workers, scoring=scoring),
                   schedkit.solve(x, "auto", time_limit=None, workers=workers)):
        _claims_hold(x, result, optimum)
        assert result.status == "optimal"


@settings(max_examples=40, deadline=None)
@given(edgy_clusters(), st.sampled_from([True, False]))
def test_unfinished_stages_give_valid_bounds(x, first_solution):
    """CP-SAT stopped after its first solution or a sliver of deterministic time in every stage
    (as a slow machine would): the bound read from the unfinished stages stays below brute
    force's optimum, and `optimal` is claimed only at it."""
    optimum = brute_optimum(x)
    plain = pods_cpsat.new_solver

    def early(*args):
        solver = plain(*args)
        if first_solution:
            solver.parameters.stop_after_first_solution = True
        else:
            solver.parameters.max_deterministic_time = 0.0005
        return solver

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pods_cpsat, "new_solver", early)
        result = schedkit.solve(x, "cpsat", time_limit=None, workers=1)
    _claims_hold(x, result, optimum)


def test_a_stage_cpsat_calls_infeasible_is_reported_as_a_bug(tmp_path):
    """The incumbent satisfies every stage, so CP-SAT answering INFEASIBLE is schedkit's bug:
    it raised SchedkitError, the bad-input class (CLI exit 2); now a RuntimeError (exit 3)."""
    x = PodsInstance(nodes=(Node("n", cpu=1, memory=1),),
                     pods=(Pod("a", cpu=1, memory=1), Pod("b", cpu=1, memory=1, order=1)), name="one")
    plain = pods_cpsat._one_node_per_pod

    def contradictory(m):
        plain(m)
        m.model.add_bool_or([])  # no literal can hold: every stage is infeasible

    path = tmp_path / "one.json"
    schedkit.dump(x, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pods_cpsat, "_one_node_per_pod", contradictory)
        with pytest.raises(RuntimeError, match="this is a bug in schedkit") as raised:
            schedkit.solve(x, "cpsat", time_limit=None, workers=1)
        assert not isinstance(raised.value, SchedkitError)
        done = CliRunner().invoke(main, ["solve", "-m", "cpsat", str(path)])
    assert done.exit_code == 3, done.output
