"""A VMR instance as the flat arrays the numba kernels work on.

Placements: placement p < N is NUMA node p alone; placements N.. are the unordered pairs
(a < b) of NUMA nodes of one machine, for VMs split half and half. A VM's "class" groups VMs
that are interchangeable (same CPU, memory and shape, in no anti-affinity group) so that the
kernels evaluate one representative per (placement, class).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schedkit.vmr.model import VMRInstance


@dataclass(frozen=True)
class VMRArrays:
    """Static data and the initial state of one instance (see the module docstring)."""

    fragment: int
    limit: int
    node_machine: np.ndarray  # (N,)
    place_a: np.ndarray  # (P,) first node of each placement
    place_b: np.ndarray  # (P,) second node, -1 for a single node
    vm_cpu: np.ndarray  # (V,)
    vm_mem: np.ndarray
    vm_half_cpu: np.ndarray  # CPU per node: cpu, or cpu / 2 for split VMs
    vm_half_mem: np.ndarray
    vm_double: np.ndarray  # (V,) bool
    vm_group: np.ndarray  # (V,) -1 for none
    place0: np.ndarray  # (V,) initial placement
    free_cpu0: np.ndarray  # (N,) initial free CPU
    free_mem0: np.ndarray
    group_count0: np.ndarray  # (M, max(G, 1)) VMs of each group per machine
    rep_order: np.ndarray  # VM indices sorted by (initial placement, class)
    rep_start: np.ndarray  # boundaries of equal (placement, class) runs in rep_order
    place_run: np.ndarray  # (P + 1,) runs of placement p are place_run[p] .. place_run[p + 1] - 1
    vm_class: np.ndarray  # (V,)
    size_of: np.ndarray  # (V,) size class: equal (half cpu, half mem, shape)
    size_half_cpu: np.ndarray  # (Z,)
    size_half_mem: np.ndarray
    size_double: np.ndarray
    machine_first: np.ndarray  # (M + 1,) first node of each machine
    pair_first: np.ndarray  # (M + 1,) first pair placement of each machine
    pair_index: dict[tuple[int, int], int]

    @property
    def nodes(self) -> int:
        """Number of NUMA nodes N (= number of single-node placements)."""
        return int(self.node_machine.size)


def placements(instance: VMRInstance) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, int], int]]:
    """(place_a, place_b, pair -> placement index) for the instance's machines."""
    n = instance.node_machine.size
    a = list(range(n))
    b = [-1] * n
    pairs: dict[tuple[int, int], int] = {}
    for m in range(instance.num_machines):
        nodes = instance.machine_nodes(m)
        for i in nodes:
            for j in nodes:
                if i < j:
                    pairs[i, j] = len(a)
                    a.append(i)
                    b.append(j)
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), pairs


def vm_classes(instance: VMRInstance) -> np.ndarray:
    """Class id per VM: equal (cpu, mem, shape) share one unless the VM is in a group."""
    keys: dict[tuple[int, int, int, int], int] = {}
    classes = np.empty(instance.num_vms, dtype=np.int64)
    for v in range(instance.num_vms):
        group = int(instance.vm_group[v])
        unique = v if group >= 0 else -1
        key = (int(instance.vm_cpu[v]), int(instance.vm_mem[v]), int(instance.vm_node1[v] >= 0), unique)
        classes[v] = keys.setdefault(key, len(keys))
    return classes


def build_arrays(instance: VMRInstance) -> VMRArrays:
    """The kernel view of `instance`."""
    place_a, place_b, pairs = placements(instance)
    double = instance.vm_node1 >= 0
    place0 = instance.vm_node0.copy()
    for v in np.flatnonzero(double):
        i, j = sorted((int(instance.vm_node0[v]), int(instance.vm_node1[v])))
        place0[v] = pairs[i, j]
    cpu_used, mem_used = instance.node_usage()
    groups = max(1, len(instance.group_names))
    count = np.zeros((instance.num_machines, groups), dtype=np.int64)
    for v in np.flatnonzero(instance.vm_group >= 0):
        count[instance.node_machine[instance.vm_node0[v]], instance.vm_group[v]] += 1
    classes = vm_classes(instance)
    order = np.lexsort((np.arange(instance.num_vms), classes, place0)).astype(np.int64)
    keys = place0[order] * (int(classes.max(initial=0)) + 1) + classes[order]
    starts = np.flatnonzero(np.diff(keys)) + 1
    rep_start = np.concatenate(([0], starts, [instance.num_vms])).astype(np.int64)
    if instance.num_vms == 0:
        rep_start = np.zeros(1, dtype=np.int64)  # no runs at all
    run_place = place0[order[rep_start[:-1]]]
    place_run = np.searchsorted(run_place, np.arange(place_a.size + 1)).astype(np.int64)
    half_cpu = np.where(double, instance.vm_cpu // 2, instance.vm_cpu).astype(np.int64)
    half_mem = np.where(double, instance.vm_mem // 2, instance.vm_mem).astype(np.int64)
    sizes: dict[tuple[int, int, bool], int] = {}
    size_of = np.array([sizes.setdefault((int(c), int(m), bool(d)), len(sizes))
                        for c, m, d in zip(half_cpu, half_mem, double, strict=True)], dtype=np.int64)
    size_keys = list(sizes)
    machine_first = np.searchsorted(instance.node_machine, np.arange(instance.num_machines + 1))
    pair_first = [instance.node_machine.size]
    for m in range(instance.num_machines):
        k = len(instance.machine_nodes(m))
        pair_first.append(pair_first[-1] + k * (k - 1) // 2)
    return VMRArrays(
        fragment=instance.fragment_size,
        limit=instance.migration_limit,
        node_machine=instance.node_machine.astype(np.int64),
        place_a=place_a,
        place_b=place_b,
        vm_cpu=instance.vm_cpu.astype(np.int64),
        vm_mem=instance.vm_mem.astype(np.int64),
        vm_half_cpu=half_cpu,
        vm_half_mem=half_mem,
        vm_double=double,
        vm_group=instance.vm_group.astype(np.int64),
        place0=place0.astype(np.int64),
        free_cpu0=(instance.node_cpu - cpu_used).astype(np.int64),
        free_mem0=(instance.node_mem - mem_used).astype(np.int64),
        group_count0=count,
        rep_order=order,
        rep_start=rep_start,
        place_run=place_run,
        vm_class=classes,
        size_of=size_of,
        size_half_cpu=np.array([k[0] for k in size_keys], dtype=np.int64),
        size_half_mem=np.array([k[1] for k in size_keys], dtype=np.int64),
        size_double=np.array([k[2] for k in size_keys], dtype=np.bool_),
        machine_first=machine_first.astype(np.int64),
        pair_first=np.array(pair_first, dtype=np.int64),
        pair_index=pairs,
    )
