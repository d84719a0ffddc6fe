"""Independent checker for VM rescheduling plans, in plain Python.

Replays the migrations in order from the instance's placement and, after every single one,
checks the CPU and memory capacity of the nodes it lands on and the anti-affinity of its
machine. Also: at most K migrations, known VM / machine / NUMA ids, and the NUMA shape: a VM
on one node moves to one node, a VM split half and half over two nodes moves to two distinct
nodes of one machine (half on each). Returns Σ_n (free CPU_n mod F) of the final state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.vmr.model import VMRInstance


def _parse(data: Any) -> tuple[list[tuple[Any, Any, Any]], list[str]]:
    """The raw (vm, machine, numa list) triples, or a violation saying what is malformed."""
    items = data.get("migrations") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        return [], ['the solution must be {"migrations": [{"vm", "to_machine", "to_numa"}, ...]}']
    moves, problems = [], []
    for k, item in enumerate(items):
        if not isinstance(item, Mapping) or not {"vm", "to_machine", "to_numa"} <= set(item):
            problems.append(f"migrations[{k}] needs the fields vm, to_machine and to_numa")
            continue
        numa = item["to_numa"]
        ints = isinstance(numa, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in numa)
        if not ints:
            problems.append(f"migrations[{k}].to_numa must be a list of NUMA numbers")
            continue
        moves.append((item["vm"], item["to_machine"], numa))
    return moves, problems


def check(instance: VMRInstance, data: Any) -> tuple[int | None, list[str]]:
    """(Σ free CPU mod F after the plan, violations); the objective is None when the plan
    cannot be read at all."""
    moves, violations = _parse(data)
    if violations:
        return None, violations
    k_max = instance.migration_limit
    if len(moves) > k_max:
        violations.append(f"{len(moves)} migrations exceed the limit K = {k_max}")
    vm_index = {ident: i for i, ident in enumerate(instance.vm_ids)}
    machine_index = {ident: m for m, ident in enumerate(instance.machine_ids)}
    machine_of = [int(m) for m in instance.node_machine]
    first_node: dict[int, int] = {}
    numa_count: dict[int, int] = {}
    for n, m in enumerate(machine_of):
        first_node.setdefault(m, n)
        numa_count[m] = numa_count.get(m, 0) + 1
    cap_cpu = [int(c) for c in instance.node_cpu]
    cap_mem = [int(c) for c in instance.node_mem]
    used_cpu = [0] * len(cap_cpu)
    used_mem = [0] * len(cap_mem)
    nodes_of: list[list[int]] = []
    for i in range(instance.num_vms):
        nodes = [int(instance.vm_node0[i])]
        if instance.vm_node1[i] >= 0:
            nodes.append(int(instance.vm_node1[i]))
        nodes_of.append(nodes)
        share = len(nodes)
        for n in nodes:
            used_cpu[n] += int(instance.vm_cpu[i]) // share
            used_mem[n] += int(instance.vm_mem[i]) // share
    group = [int(g) for g in instance.vm_group]
    on_machine: dict[tuple[int, int], set[int]] = {}
    for i, g in enumerate(group):
        if g >= 0:
            on_machine.setdefault((g, machine_of[nodes_of[i][0]]), set()).add(i)

    for k, (vm, machine, numa) in enumerate(moves):
        where = f"migration {k + 1} (VM {vm!r})"
        if str(vm) not in vm_index:
            violations.append(f"{where}: unknown VM")
            continue
        if str(machine) not in machine_index:
            violations.append(f"{where}: unknown machine {machine!r}")
            continue
        i = vm_index[str(vm)]
        m = machine_index[str(machine)]
        shape = len(nodes_of[i])
        if len(numa) != shape:
            if shape == 2:
                violations.append(f"{where}: the VM is split half and half over two NUMA nodes and "
                                  f"must stay so, but to_numa lists {len(numa)}")
            else:
                violations.append(f"{where}: the VM runs on one NUMA node and cannot be split half and "
                                  f"half ({instance.vm_cpu[i]} cores), but to_numa lists {len(numa)}")
            continue
        if len(set(numa)) != len(numa):
            violations.append(f"{where}: to_numa lists a NUMA node twice, not two halves")
            continue
        if any(not 0 <= x < numa_count[m] for x in numa):
            violations.append(f"{where}: machine {machine!r} has NUMA nodes 0..{numa_count[m] - 1}, "
                              f"not {numa}")
            continue
        target = [first_node[m] + x for x in numa]
        if sorted(target) == sorted(nodes_of[i]):
            violations.append(f"{where}: moves the VM to where it already runs")
        cpu, mem = int(instance.vm_cpu[i]), int(instance.vm_mem[i])
        for n in nodes_of[i]:
            used_cpu[n] -= cpu // shape
            used_mem[n] -= mem // shape
        for n in target:
            used_cpu[n] += cpu // shape
            used_mem[n] += mem // shape
        for n in target:
            label = f"machine {instance.machine_ids[machine_of[n]]!r} NUMA {n - first_node[machine_of[n]]}"
            if used_cpu[n] > cap_cpu[n]:
                violations.append(f"{where}: {label} uses {used_cpu[n]} cpu, over its capacity {cap_cpu[n]}")
            if used_mem[n] > cap_mem[n]:
                violations.append(f"{where}: {label} uses {used_mem[n]} mem, over its capacity {cap_mem[n]}")
        old_machine = machine_of[nodes_of[i][0]]
        nodes_of[i] = target
        g = group[i]
        if g >= 0:
            on_machine[(g, old_machine)].discard(i)
            mates = on_machine.setdefault((g, m), set())
            mates.add(i)
            if len(mates) > 1:
                others = sorted(instance.vm_ids[j] for j in mates if j != i)
                violations.append(f"{where}: anti-affinity group {instance.group_names[g]!r} already "
                                  f"runs {', '.join(others)} on machine {machine!r}")
    size = instance.fragment_size
    objective = sum((c - u) % size for c, u in zip(cap_cpu, used_cpu, strict=True))
    return objective, violations
