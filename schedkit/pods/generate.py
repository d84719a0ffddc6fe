"""Random clusters after the protocol of Christensen, Giallorenzo & Mauro ("Priority Matters", 2025).

`nodes · pods_per_node` pods in replica sets of 1–4 pods (the last set is cut to fit); per set
a CPU request ~ U[100m, 1000m] (whole millicores), a memory request ~ U[100 MB, 1000 MB]
(whole megabytes, 10^6 bytes) and a priority ~ U{1..P}, shared by its replicas. The nodes are
identical, each sized to the total request divided by `nodes · utilisation` (rounded up), with
room for 110 pods. Every pod is pending, in creation order set by set.
"""

from __future__ import annotations

import math

import click

from schedkit.common.arguments import whole
from schedkit.common.rng import generator_rng
from schedkit.errors import InvalidInstance
from schedkit.loading import write
from schedkit.pods.model import MAX_PRIORITY, Node, Pod, PodsInstance

MEGABYTE = 10**6


# Pods are Python objects: a million take about 35 s to generate; ten million would need tens of GB.
MAX_GENERATED_PODS = 1_000_000


def pods(nodes: int, pods_per_node: int, priorities: int, utilisation: float, seed: int = 0) -> PodsInstance:
    """A generated cluster (see the module docstring); the same arguments give the same cluster."""
    for name, value in (("nodes", nodes), ("pods_per_node", pods_per_node), ("priorities", priorities)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInstance(f"{name} must be a positive integer, got {value!r}")
    # drawn as int64, refused by the model beyond
    priorities = whole("priorities", priorities, 1, MAX_PRIORITY)
    if isinstance(utilisation, bool) or not (isinstance(utilisation, int | float) and 0 < utilisation <= 10):
        raise InvalidInstance(f"utilisation must be in (0, 10], got {utilisation!r}")
    if nodes * pods_per_node > MAX_GENERATED_PODS:
        raise InvalidInstance(f"nodes x pods_per_node = {nodes * pods_per_node:,} pods: at most "
                              f"{MAX_GENERATED_PODS:,} (about 35 s and 2 GB to generate)")
    rng = generator_rng(seed)
    total = nodes * pods_per_node
    cpu: list[int] = []
    memory: list[int] = []
    priority: list[int] = []
    names: list[str] = []
    replica_set = 0
    while len(cpu) < total:
        size = min(int(rng.integers(1, 5)), total - len(cpu))
        c = int(rng.integers(100, 1001))
        m = int(rng.integers(100, 1001)) * MEGABYTE
        prio = int(rng.integers(1, priorities + 1))
        for k in range(size):
            cpu.append(c)
            memory.append(m)
            priority.append(prio)
            names.append(f"rs{replica_set:03d}-{k}")
        replica_set += 1
    node_cpu = math.ceil(sum(cpu) / (nodes * utilisation))
    node_memory = math.ceil(sum(memory) / (nodes * utilisation))
    node_list = tuple(
        Node(name=f"node-{i:02d}", cpu=node_cpu, memory=node_memory, max_pods=110) for i in range(nodes)
    )
    pod_list = tuple(
        Pod(name=names[j], namespace="default", cpu=cpu[j], memory=memory[j], priority=priority[j], order=j)
        for j in range(total)
    )
    name = f"pods_n{nodes}_k{pods_per_node}_p{priorities}_u{utilisation:g}_s{seed}"
    meta = {
        "generator": "pods",
        "nodes": nodes,
        "pods_per_node": pods_per_node,
        "priorities": priorities,
        "utilisation": utilisation,
        "seed": seed,
    }
    return PodsInstance(nodes=node_list, pods=pod_list, name=name, meta=meta)


@click.command("pods")
@click.option("--nodes", type=click.IntRange(1, 10_000), required=True, help="identical nodes")
@click.option("--pods-per-node", type=click.IntRange(1, 1000), required=True, help="pods per node")
@click.option(
    "--priorities",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="priority levels P (priority ~ U{1..P})",
)
@click.option(
    "--utilisation", type=click.FloatRange(0.01, 10), required=True, help="total request / total capacity"
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), required=True)
def generate_command(
    nodes: int, pods_per_node: int, priorities: int, utilisation: float, seed: int, out: str
) -> None:
    """A cluster of the 'Priority Matters' protocol: replica sets, identical nodes, all pods pending."""
    instance = pods(nodes, pods_per_node, priorities, utilisation, seed)
    write([instance], out)
    click.echo(f"wrote {out} ({instance.name})")
