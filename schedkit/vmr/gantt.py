"""The chart `solve --gantt` draws for VM rescheduling (there is no time axis): how many NUMA
nodes leave each amount of free CPU mod F (the fragment the objective sums) before and after
the migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from schedkit.common.gantt import colour, legend_handles, pyplot, save
from schedkit.vmr.model import VMRInstance, VMRSolution

BEFORE, AFTER = 15, 0  # tab20 groups: grey, blue


def free_cpu(instance: VMRInstance, solution: VMRSolution) -> tuple[np.ndarray, np.ndarray]:
    """(free CPU per NUMA node before, after the migrations carried out in order)."""
    used, _ = instance.node_usage()
    before = (instance.node_cpu - used).astype(np.int64)
    after = before.copy()
    index = {ident: i for i, ident in enumerate(instance.vm_ids)}
    machine = {ident: m for m, ident in enumerate(instance.machine_ids)}
    nodes = [[int(instance.vm_node0[i])] + ([int(instance.vm_node1[i])] if instance.vm_node1[i] >= 0 else [])
             for i in range(instance.num_vms)]
    for move in solution.migrations:
        i = index[move.vm]
        share = int(instance.vm_cpu[i]) // len(nodes[i])
        first = instance.machine_nodes(machine[move.to_machine]).start
        for n in nodes[i]:
            after[n] += share
        nodes[i] = [first + k for k in move.to_numa]
        for n in nodes[i]:
            after[n] -= share
    return before, after


def gantt(instance: VMRInstance, solution: Any, path: Path) -> None:
    """Bars: NUMA nodes per value of free CPU mod F, before (grey) and after (blue)."""
    if not isinstance(solution, VMRSolution):
        solution = VMRSolution.from_dict(solution)
    save(figure(instance, solution), path)


def figure(instance: VMRInstance, solution: VMRSolution) -> Any:
    """The matplotlib Figure behind `gantt`."""
    plt = pyplot()
    size = instance.fragment_size
    before, after = free_cpu(instance, solution)
    values = np.arange(size)
    fig, ax = plt.subplots(figsize=(9, 4))
    for offset, (free, group) in zip((-0.2, 0.2), ((before, BEFORE), (after, AFTER)), strict=True):
        counts = np.bincount(free % size, minlength=size)
        ax.bar(values + offset, counts, width=0.4, color=colour(group), edgecolor="black", linewidth=0.3)
    frag_before, frag_after = int(np.sum(before % size)), int(np.sum(after % size))
    ax.set_xticks(values)
    ax.set_xlabel(f"free CPU mod {size} on a NUMA node (0: no fragment)")
    ax.set_ylabel("NUMA nodes")
    ax.set_title(f"{instance.name}: fragment rate {instance.fragment_rate(frag_before):.4f} -> "
                 f"{instance.fragment_rate(frag_after):.4f} with {len(solution.migrations)} of "
                 f"{instance.migration_limit} migrations")
    ax.legend(handles=legend_handles({BEFORE: f"before (Σ {frag_before})", AFTER: f"after (Σ {frag_after})"}),
              fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    return fig
