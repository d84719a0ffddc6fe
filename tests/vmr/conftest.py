"""VMR fixtures: hand-made clusters with known optima and a brute-force optimum for tiny ones."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

from schedkit.vmr.model import VMRInstance


def two_machines(limit: int, groups: dict[str, list[str]] | None = None) -> VMRInstance:
    """Two machines with two 16-core / 64 GiB NUMA nodes each; VMs a (4) on pm0/0, b (4) on
    pm0/1, c (8) on pm1/0, d (4) on pm1/1. Free 12, 12, 8, 12: Σ (free mod 16) = 44 and the
    total free CPU is 44, so every reachable value is 12 mod 16. One migration lowers the sum
    by at most 16 (optimum 28 for K = 1, e.g. a to pm1/0); a and b both to pm1/0 fill it
    (free 0, 16, 0 then 12 with d): optimum 12 for K >= 2, the residue bound."""
    record: dict[str, Any] = {
        "family": "vmr", "name": f"two_machines_k{limit}", "migration_limit": limit,
        "machines": [{"id": "pm0", "numa": [{"cpu": 16, "mem": 64}, {"cpu": 16, "mem": 64}]},
                     {"id": "pm1", "numa": [{"cpu": 16, "mem": 64}, {"cpu": 16, "mem": 64}]}],
        "vms": [{"id": "a", "cpu": 4, "mem": 8, "machine": "pm0", "numa": [0]},
                {"id": "b", "cpu": 4, "mem": 8, "machine": "pm0", "numa": [1]},
                {"id": "c", "cpu": 8, "mem": 8, "machine": "pm1", "numa": [0]},
                {"id": "d", "cpu": 4, "mem": 8, "machine": "pm1", "numa": [1]}],
    }
    if groups:
        record["anti_affinity"] = groups
    from schedkit.vmr.formats.records import from_record

    return from_record(record, "two_machines")


TWO_MACHINES_OPTIMUM = {0: 44, 1: 28, 2: 12, 3: 12}


def _placements(x: VMRInstance, shape: int) -> list[tuple[int, ...]]:
    """Every node set a VM of `shape` nodes may take (sorted node tuples)."""
    found = []
    for m in range(x.num_machines):
        found.extend(itertools.combinations(list(x.machine_nodes(m)), shape))
    return found


def brute_force(x: VMRInstance) -> int:
    """Best Σ (free mod F) over every ordered plan of at most K migrations (a VM may move more
    than once), each state checked for capacity and anti-affinity; shares no solver code."""
    cpu = [int(c) for c in x.vm_cpu]
    mem = [int(c) for c in x.vm_mem]
    machine = [int(m) for m in x.node_machine]
    start = tuple(tuple(sorted((int(x.vm_node0[v]),) + ((int(x.vm_node1[v]),) if x.vm_node1[v] >= 0 else ())))
                  for v in range(x.num_vms))
    options = {1: _placements(x, 1), 2: _placements(x, 2)}

    def value(state: tuple[tuple[int, ...], ...]) -> int | None:
        used_c = [0] * len(machine)
        used_m = [0] * len(machine)
        for v, nodes in enumerate(state):
            for n in nodes:
                used_c[n] += cpu[v] // len(nodes)
                used_m[n] += mem[v] // len(nodes)
        if any(u > int(c) for u, c in zip(used_c, x.node_cpu, strict=True)):
            return None
        if any(u > int(c) for u, c in zip(used_m, x.node_mem, strict=True)):
            return None
        seen = set()
        for v, nodes in enumerate(state):
            g = int(x.vm_group[v])
            if g >= 0:
                key = (g, machine[nodes[0]])
                if key in seen:
                    return None
                seen.add(key)
        return sum((int(c) - u) % x.fragment_size for c, u in zip(x.node_cpu, used_c, strict=True))

    best = value(start)
    assert best is not None
    frontier = {start}
    seen_states = {start}
    for _ in range(x.migration_limit):
        following = set()
        for state in frontier:
            for v, nodes in enumerate(state):
                for target in options[len(nodes)]:
                    if target == nodes:
                        continue
                    new = state[:v] + (target,) + state[v + 1:]
                    if new in seen_states:
                        continue
                    found = value(new)
                    if found is None:
                        continue
                    seen_states.add(new)
                    following.add(new)
                    best = min(best, found)
        frontier = following
    return best


@st.composite
def tiny_clusters(draw: st.DrawFn, groups: bool = True) -> VMRInstance:
    """2-3 machines of two NUMA nodes (6-16 cores, 8-32 GiB each), up to 5 VMs placed where
    they fit (one of them possibly split over both nodes), K in 0..2, F in {4, 8}."""
    machines = draw(st.integers(2, 3))
    node_cpu = [draw(st.integers(6, 16)) for _ in range(2 * machines)]
    node_mem = [draw(st.integers(8, 32)) for _ in range(2 * machines)]
    free_c, free_m = list(node_cpu), list(node_mem)
    vms = []
    for _ in range(draw(st.integers(1, 5))):
        split = draw(st.booleans()) and draw(st.booleans())
        c = draw(st.integers(1, 6)) * (2 if split else 1)
        m = draw(st.integers(0, 4)) * (2 if split else 1)
        if split:
            homes = [(2 * k, 2 * k + 1) for k in range(machines)
                     if all(free_c[n] >= c // 2 and free_m[n] >= m // 2 for n in (2 * k, 2 * k + 1))]
        else:
            homes = [(n,) for n in range(2 * machines) if free_c[n] >= c and free_m[n] >= m]
        if homes:
            vms.append((c, m, take_home(draw, homes, free_c, free_m, c, m)))
    group = [-1] * len(vms)
    names: list[str] = []
    if groups and len(vms) >= 2 and draw(st.booleans()):
        first, second = vms[0][2][0] // 2, vms[1][2][0] // 2
        if first != second:
            group[0] = group[1] = 0
            names = ["g"]
    return VMRInstance(
        machine_ids=[f"pm{k}" for k in range(machines)],
        node_machine=[k // 2 for k in range(2 * machines)], node_cpu=node_cpu, node_mem=node_mem,
        vm_ids=[f"v{i}" for i in range(len(vms))], vm_cpu=[v[0] for v in vms], vm_mem=[v[1] for v in vms],
        vm_node0=[v[2][0] for v in vms], vm_node1=[v[2][1] if len(v[2]) == 2 else -1 for v in vms],
        migration_limit=draw(st.integers(0, 2)), fragment_size=draw(st.sampled_from([4, 8])),
        vm_group=group, group_names=names, name="tiny",
    )


def take_home(draw: st.DrawFn, homes: list[tuple[int, ...]], free_c: list[int], free_m: list[int],
              cpu: int, mem: int) -> tuple[int, ...]:
    """One of `homes` (a node or a node pair), its free capacity taken by a VM of `cpu`, `mem`
    split evenly over its nodes."""
    nodes = draw(st.sampled_from(homes))
    for n in nodes:
        free_c[n] -= cpu // len(nodes)
        free_m[n] -= mem // len(nodes)
    return nodes
