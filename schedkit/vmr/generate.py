"""`schedkit.generate.vmr`: public-cloud-like clusters, fragmented by arrivals and departures.

Machines (two NUMA nodes each) are drawn from three host types, per NUMA node
32 cores / 128 GiB (20 %), 48 / 192 (50 %) and 64 / 256 (30 %). VMs come in the usual
flavour grid: 1, 2, 4, 8, 16 or 32 cores (probabilities 5, 10, 15, 25, 25, 20 %) times
1, 2, 4 or 8 GiB per core (15, 35, 35, 15 %); 32-core VMs are split half and half over the
two NUMA nodes of a machine, the others take one node.

Filling: VMs arrive until the CPU utilisation reaches the target; then, for three times as
many rounds as there are VMs, a random VM departs and new ones arrive until the target is
met again. An arrival goes to a uniformly random node (or node pair) that fits with
probability 1/2, else to the best fit (least free CPU left): a mixed scheduler of the kind
that leaves realistic fragmentation (initial fragment rate around 0.5 at 90 %). With
`anti_affinity_groups` > 0, that many groups of 3 to 5 VMs on distinct machines are formed.
"""

from __future__ import annotations

import click
import numpy as np

from schedkit.common.arguments import number, whole
from schedkit.common.numbers import MAX_VALUE, is_whole
from schedkit.common.rng import generator_rng
from schedkit.errors import InvalidInstance, ParseError
from schedkit.loading import write
from schedkit.vmr.model import DEFAULT_FRAGMENT_SIZE, MAX_MIGRATION_LIMIT, VMRInstance

HOST_TYPES = ((32, 128), (48, 192), (64, 256))  # per NUMA node: cores, GiB
HOST_WEIGHTS = (0.2, 0.5, 0.3)
VM_CORES = (1, 2, 4, 8, 16, 32)
VM_CORE_WEIGHTS = (0.05, 0.10, 0.15, 0.25, 0.25, 0.20)
GIB_PER_CORE = (1, 2, 4, 8)
GIB_WEIGHTS = (0.15, 0.35, 0.35, 0.15)
SPLIT_FROM = 32  # VMs of this many cores or more are split over two NUMA nodes
MAX_REJECTIONS = 200  # consecutive arrivals that fit nowhere before filling stops
# Filling scans every node per arrival, so the time grows with machines squared: 10,000 take
# about 20 s, 20,000 about 80 s (100,000 would take hours).
MAX_GENERATED_MACHINES = 20_000
BEST_FIT_SHARE = 0.5


class _Cluster:
    """Free capacity per node and the VMs placed, with arrival and departure."""

    def __init__(self, cpu: np.ndarray, mem: np.ndarray, rng: np.random.Generator) -> None:
        self.cap = int(cpu.sum())
        self.free_cpu = cpu.copy()
        self.free_mem = mem.copy()
        self.rng = rng
        self.vms: list[tuple[int, int, int, int]] = []  # cores, GiB, node0, node1 (-1)

    def utilisation(self) -> float:
        return 1.0 - self.free_cpu.sum() / self.cap

    def arrive(self) -> bool:
        """Draw a flavour and place it; False when it fits nowhere."""
        cores = int(self.rng.choice(VM_CORES, p=VM_CORE_WEIGHTS))
        mem = cores * int(self.rng.choice(GIB_PER_CORE, p=GIB_WEIGHTS))
        best_fit = self.rng.random() < BEST_FIT_SHARE
        if cores >= SPLIT_FROM:
            half_c, half_m = cores // 2, mem // 2
            even, odd = self.free_cpu[0::2], self.free_cpu[1::2]
            fits = ((even >= half_c) & (odd >= half_c) & (self.free_mem[0::2] >= half_m)
                    & (self.free_mem[1::2] >= half_m))
            choices = np.flatnonzero(fits)
            if choices.size == 0:
                return False
            left = even[choices] + odd[choices]
            m = int(choices[np.argmin(left)] if best_fit else self.rng.choice(choices))
            self.free_cpu[[2 * m, 2 * m + 1]] -= half_c
            self.free_mem[[2 * m, 2 * m + 1]] -= half_m
            self.vms.append((cores, mem, 2 * m, 2 * m + 1))
            return True
        choices = np.flatnonzero((self.free_cpu >= cores) & (self.free_mem >= mem))
        if choices.size == 0:
            return False
        n = int(choices[np.argmin(self.free_cpu[choices])] if best_fit else self.rng.choice(choices))
        self.free_cpu[n] -= cores
        self.free_mem[n] -= mem
        self.vms.append((cores, mem, n, -1))
        return True

    def depart(self) -> None:
        """A uniformly random VM leaves."""
        cores, mem, a, b = self.vms.pop(int(self.rng.integers(len(self.vms))))
        share = 2 if b >= 0 else 1
        for n in (a, b) if b >= 0 else (a,):
            self.free_cpu[n] += cores // share
            self.free_mem[n] += mem // share

    def fill(self, target: float) -> None:
        """Arrivals until the utilisation reaches `target` (or nothing fits for a while)."""
        rejected = 0
        while self.utilisation() < target and rejected < MAX_REJECTIONS:
            rejected = 0 if self.arrive() else rejected + 1


def _groups(vms: list[tuple[int, int, int, int]], count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` anti-affinity groups of 3-5 VMs, each on distinct machines."""
    group = np.full(len(vms), -1, dtype=np.int64)
    order = rng.permutation(len(vms))
    cursor = 0
    for g in range(count):
        if cursor == order.size:  # every VM seen: no later group gets a member (nor draws again)
            break
        size = int(rng.integers(3, 6))
        machines: set[int] = set()
        members = 0
        while members < size and cursor < order.size:
            v = int(order[cursor])
            cursor += 1
            if vms[v][2] // 2 not in machines:
                machines.add(vms[v][2] // 2)
                group[v] = g
                members += 1
    return group


def vmr(machines: int = 300, utilisation: float = 0.9, seed: int = 0, migration_limit: int = 50,
        fragment_size: int = DEFAULT_FRAGMENT_SIZE, anti_affinity_groups: int = 0) -> VMRInstance:
    """A cluster of `machines` two-NUMA hosts at about `utilisation` CPU use (see the module
    docstring); reproducible from `seed`."""
    if not is_whole(machines, 1, MAX_GENERATED_MACHINES):
        raise InvalidInstance(f"machines must lie in 1..{MAX_GENERATED_MACHINES:,}, got {machines!r} "
                            "(each arrival scans every node: 10,000 machines take about 20 s)")
    utilisation = number("utilisation", utilisation, 0, 1, open_low=True, open_high=True)
    migration_limit = whole("migration_limit", migration_limit, 0, MAX_MIGRATION_LIMIT)
    # stops when VMs run out
    anti_affinity_groups = whole("anti_affinity_groups", anti_affinity_groups, 0, MAX_VALUE)
    rng = generator_rng(seed)
    kinds = rng.choice(len(HOST_TYPES), size=machines, p=HOST_WEIGHTS)
    cpu = np.repeat([HOST_TYPES[k][0] for k in kinds], 2).astype(np.int64)
    mem = np.repeat([HOST_TYPES[k][1] for k in kinds], 2).astype(np.int64)
    cluster = _Cluster(cpu, mem, rng)
    cluster.fill(utilisation)
    for _ in range(3 * len(cluster.vms)):
        cluster.depart()
        cluster.fill(utilisation)
    vms = cluster.vms
    group = _groups(vms, anti_affinity_groups, rng)
    used = {int(g) for g in group if g >= 0}
    renumber: dict[int, int] = {}
    for g in group:  # group names in order of first appearance, like the CSV reader
        if g >= 0 and int(g) not in renumber:
            renumber[int(g)] = len(renumber)
    group = np.array([renumber.get(int(g), -1) for g in group], dtype=np.int64)
    name = f"vmr_m{machines}_u{round(100 * utilisation)}_k{migration_limit}_s{seed}"
    return VMRInstance(
        machine_ids=[f"pm{m}" for m in range(machines)],
        node_machine=np.repeat(np.arange(machines), 2),
        node_cpu=cpu, node_mem=mem,
        vm_ids=[f"vm{v}" for v in range(len(vms))],
        vm_cpu=[v[0] for v in vms], vm_mem=[v[1] for v in vms],
        vm_node0=[v[2] for v in vms], vm_node1=[v[3] for v in vms],
        migration_limit=migration_limit, fragment_size=fragment_size,
        vm_group=group, group_names=[f"aa{g}" for g in range(len(used))],
        name=name,
        meta={"generator": "schedkit.generate.vmr", "machines": machines, "utilisation": utilisation,
              "seed": seed, "achieved_utilisation": round(float(cluster.utilisation()), 4)},
    )


WRITTEN_FORMATS = ("json", "jsonl", "vmr-csv")


@click.command("vmr")
@click.option("--machines", type=click.IntRange(1, MAX_GENERATED_MACHINES), default=300, show_default=True)
@click.option("--utilisation", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.9,
              show_default=True, help="target CPU utilisation")
@click.option("--migration-limit", "-k", type=click.IntRange(0), default=50, show_default=True,
              help="K, the most migrations allowed")
@click.option("--fragment-size", type=click.IntRange(1), default=16, show_default=True, help="F")
@click.option("--anti-affinity-groups", type=click.IntRange(0), default=0, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(), required=True,
              help="a .json file, or a directory with --format vmr-csv")
@click.option("--format", "format", default=None, help="output format (json or vmr-csv)")
def generate_command(machines: int, utilisation: float, migration_limit: int, fragment_size: int,
                     anti_affinity_groups: int, seed: int, out: str, format: str | None) -> None:
    """A public-cloud-like cluster fragmented by arrivals and departures."""
    if format is not None and format.partition(":")[0] not in WRITTEN_FORMATS:  # orlib-wt: AttributeError
        formats = ", ".join(WRITTEN_FORMATS)
        raise ParseError("--format", None, f"a format that holds a VMR cluster ({formats})", repr(format))
    instance = vmr(machines, utilisation, seed, migration_limit, fragment_size,
                            anti_affinity_groups)
    write([instance], out, format)
    click.echo(f"wrote {out} ({instance.name}, {instance.num_vms} VMs, initial FR "
               f"{instance.fragment_rate(instance.initial_objective):.4f})")

