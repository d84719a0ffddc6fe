"""The aggregated final-state view of VMR shared by the exact models (CP-SAT and MIP).

Interchangeable VMs (one kernel "class": same CPU, memory and shape, in no anti-affinity
group) are counted per placement instead of named one by one: for class t and placement p,
`out[p, t]` VMs leave p and `inflow[p, t]` VMs arrive there. A VM in an anti-affinity group is
a class of its own. Per class, arrivals equal departures; Σ out <= K; every node's final CPU
and memory use fit; free_n = F·q_n + r_n with 0 <= r_n < F; minimise Σ r_n.

A node no migration touches keeps r_n = r0_n; `touched[n]` >= the migrations at n / (2K)
and r_n >= r0_n·(1 − touched[n]) strengthen the LP without cutting a final state.

The model ignores the order of the migrations, so its optimum is a lower bound for every
ordered plan of at most K migrations (any such plan ends in a state it allows). Solutions are
turned back into ordered plans by `schedkit.vmr.heuristics.search.realise`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from schedkit.vmr.heuristics.arrays import VMRArrays


@dataclass(frozen=True)
class Aggregate:
    """Index sets of the aggregated model."""

    classes: int
    class_cpu: np.ndarray  # per class: CPU per node (half for split VMs)
    class_mem: np.ndarray
    class_double: np.ndarray
    count: dict[tuple[int, int], int]  # (placement, class) -> VMs there initially
    arrivals: list[tuple[int, int, int]]  # (placement, class, upper bound) for each in-variable
    at_node: list[list[tuple[int, int]]]  # per node: (placement, class) keys whose VMs use it
    groups: dict[int, list[int]]  # group -> its classes (one VM each)
    class_group: np.ndarray  # -1 when the class has no group
    fixed: frozenset[tuple[int, int]] = frozenset()  # count keys whose VMs must stay (restricted model)


def aggregate(a: VMRArrays, cap_cpu: np.ndarray, cap_mem: np.ndarray,
              allowed: np.ndarray | None = None) -> Aggregate:
    """The index sets for `a` (capacities per node given as arrays). With `allowed` (a mask
    over nodes) only placements whose nodes are all allowed take arrivals or give departures:
    a restriction of the problem (its plans are plans of the whole), used as a fast primal
    heuristic."""
    classes = int(a.vm_class.max(initial=-1)) + 1
    class_cpu = np.zeros(classes, dtype=np.int64)
    class_mem = np.zeros(classes, dtype=np.int64)
    class_double = np.zeros(classes, dtype=np.bool_)
    class_group = np.full(classes, -1, dtype=np.int64)
    count: dict[tuple[int, int], int] = defaultdict(int)
    for v in range(a.vm_class.size):
        t = int(a.vm_class[v])
        class_cpu[t], class_mem[t], class_double[t] = a.vm_half_cpu[v], a.vm_half_mem[v], a.vm_double[v]
        class_group[t] = a.vm_group[v]
        count[int(a.place0[v]), t] += 1
    nodes = a.nodes
    places = a.place_a.size
    arrivals = []
    open_place = np.ones(places, dtype=np.bool_)
    if allowed is not None:
        open_place = allowed[a.place_a] & ((a.place_b < 0) | allowed[np.maximum(a.place_b, 0)])
    for t in range(classes):
        lo, hi = (nodes, places) if class_double[t] else (0, nodes)
        for p in range(lo, hi):
            if not open_place[p]:
                continue
            room = min(_fit(a, p, cap_cpu, class_cpu[t]), _fit(a, p, cap_mem, class_mem[t]))
            bound = min(room, a.limit)
            if class_group[t] >= 0:
                bound = min(bound, 1)
            if bound > 0:
                arrivals.append((p, t, int(bound)))
    at_node: list[list[tuple[int, int]]] = [[] for _ in range(nodes)]
    keys = set(count) | {(p, t) for p, t, _ in arrivals}
    for p, t in sorted(keys):
        at_node[int(a.place_a[p])].append((p, t))
        if a.place_b[p] >= 0:
            at_node[int(a.place_b[p])].append((p, t))
    groups: dict[int, list[int]] = defaultdict(list)
    for t in range(classes):
        if class_group[t] >= 0:
            groups[int(class_group[t])].append(t)
    fixed = frozenset(key for key in count if not open_place[key[0]])
    return Aggregate(classes, class_cpu, class_mem, class_double, dict(count), arrivals, at_node,
                     dict(groups), class_group, fixed)


def _fit(a: VMRArrays, p: int, cap: np.ndarray, need: int) -> int:
    """How many VMs of `need` per node fit on placement p's nodes when they are empty."""
    if need <= 0:
        return a.limit
    room = int(cap[a.place_a[p]]) // need
    if a.place_b[p] >= 0:
        room = min(room, int(cap[a.place_b[p]]) // need)
    return room


def machine_placements(a: VMRArrays, machine: int) -> range:
    """The single-node placement indices on `machine` (its node pairs: `pair_placements`)."""
    return range(int(a.machine_first[machine]), int(a.machine_first[machine + 1]))


def pair_placements(a: VMRArrays, machine: int) -> range:
    """The node-pair placements of `machine`."""
    return range(int(a.pair_first[machine]), int(a.pair_first[machine + 1]))


def target_from_counts(a: VMRArrays, agg: Aggregate, out: dict[tuple[int, int], int],
                       inflow: dict[tuple[int, int], int]) -> np.ndarray:
    """A final placement per VM realising the counts (net of arrivals and departures at the
    same placement); named VMs leave in the order of the kernel's runs."""
    target = a.place0.copy()
    leaving: dict[int, list[int]] = defaultdict(list)  # class -> VMs that leave, in order
    arriving: dict[int, list[int]] = defaultdict(list)  # class -> placements, one per arrival
    members: dict[tuple[int, int], list[int]] = defaultdict(list)
    for v in a.rep_order.tolist():
        members[int(a.place0[v]), int(a.vm_class[v])].append(v)
    keys = set(out) | set(inflow)
    for p, t in sorted(keys):
        net = out.get((p, t), 0) - inflow.get((p, t), 0)
        if net > 0:
            leaving[t].extend(members[p, t][:net])
        elif net < 0:
            arriving[t].extend([p] * (-net))
    for t, vms in leaving.items():
        for v, p in zip(vms, arriving.get(t, []), strict=False):
            target[v] = p
    return target


Counts = dict[tuple[int, int], int]


def counts_of(a: VMRArrays, place: np.ndarray) -> tuple[Counts, Counts]:
    """(out, inflow) counts of a final placement per VM (used as a hint)."""
    out: dict[tuple[int, int], int] = defaultdict(int)
    inflow: dict[tuple[int, int], int] = defaultdict(int)
    for v in np.flatnonzero(place != a.place0).tolist():
        t = int(a.vm_class[v])
        out[int(a.place0[v]), t] += 1
        inflow[int(place[v]), t] += 1
    return dict(out), dict(inflow)


def final_free(a: VMRArrays, place: np.ndarray) -> np.ndarray:
    """Free CPU per node for a final placement per VM."""
    free = a.free_cpu0.copy()
    for v in np.flatnonzero(place != a.place0).tolist():
        for p, sign in ((int(a.place0[v]), 1), (int(place[v]), -1)):
            free[a.place_a[p]] += sign * a.vm_half_cpu[v]
            if a.place_b[p] >= 0:
                free[a.place_b[p]] += sign * a.vm_half_cpu[v]
    return free
