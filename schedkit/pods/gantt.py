"""The chart `solve --gantt` draws for pods: per-node CPU stacked by priority tier, pending apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import colour, legend_handles, pyplot, save
from schedkit.pods.model import PodsInstance, PodsSolution


def _counted(count: int, noun: str) -> str:
    """'1 pod', '3 pods': the chart's counts read as English."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def usage(instance: PodsInstance, solution: PodsSolution) -> tuple[dict[str, dict[int, float]],
                                                                  dict[int, tuple[int, int]]]:
    """(per node: percent of its allocatable CPU requested per tier, per tier: (pending pods,
    their CPU in millicores)); tiers are indices into `instance.tiers`, highest priority first."""
    tier = {int(t): k for k, t in enumerate(instance.tiers.tolist())}
    per_node: dict[str, dict[int, float]] = {node.name: {} for node in instance.nodes}
    pending: dict[int, tuple[int, int]] = {k: (0, 0) for k in tier.values()}
    allocatable = {node.name: max(1, node.cpu) for node in instance.nodes}
    for pod in instance.pods:
        node = solution.assignment.get(pod.key)
        k = tier[pod.priority]
        if node is None:
            count, cpu = pending[k]
            pending[k] = (count + 1, cpu + pod.cpu)
        else:
            share = 100.0 * pod.cpu / allocatable[node]
            per_node[node][k] = per_node[node].get(k, 0.0) + share
    return per_node, pending


def gantt(instance: PodsInstance, solution: Any, path: Path) -> None:
    """Top: one stacked bar per node, its requested CPU in percent of its allocatable CPU by
    priority tier. Bottom: the pending pods per tier (count, CPU), so they stretch no axis."""
    if not isinstance(solution, PodsSolution):
        solution = PodsSolution.from_dict(solution)
    save(figure(instance, solution), path)


def figure(instance: PodsInstance, solution: PodsSolution) -> Any:
    """The matplotlib Figure behind `gantt`."""
    plt = pyplot()
    per_node, pending = usage(instance, solution)
    tiers = [int(t) for t in instance.tiers.tolist()]
    names = list(per_node)
    width = max(8.0, min(16.0, 3 + 0.2 * len(names)))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(width, 6.5), height_ratios=[3, 1.2])
    base = [0.0] * len(names)
    for k in range(len(tiers)):
        heights = [per_node[name].get(k, 0.0) for name in names]
        top.bar(range(len(names)), heights, bottom=base, width=0.8, color=colour(k),
                edgecolor="black", linewidth=0.3)
        base = [b + h for b, h in zip(base, heights, strict=True)]
    top.axhline(100, color="red", linewidth=0.8, linestyle="--")
    top.set_xticks(range(len(names)), names, rotation=90, fontsize=6 if len(names) > 24 else 8)
    top.set_xlim(-0.6, len(names) - 0.4)
    top.set_ylim(0, max(105.0, max(base, default=0.0) * 1.05))
    top.set_ylabel("CPU requested (% of allocatable)")
    placed = sum(1 for pod in instance.pods if solution.assignment.get(pod.key))
    top.set_title(f"{instance.name}: {placed} of {_counted(len(instance.pods), 'pod')} placed on "
                  f"{_counted(len(names), 'node')}")
    legend = {k: f"priority {t}" for k, t in enumerate(tiers)}
    top.legend(handles=legend_handles(legend), title="tier", fontsize=7, title_fontsize=8,
               loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    counts = [pending[k][0] for k in range(len(tiers))]
    bottom.barh(range(len(tiers)), counts, color=[colour(k) for k in range(len(tiers))],
                edgecolor="black", linewidth=0.3)
    bottom.set_yticks(range(len(tiers)), [f"priority {t}" for t in tiers], fontsize=7)
    bottom.invert_yaxis()
    bottom.set_xlim(0, max(1, max(counts, default=0)) * 1.25)
    for k, (count, cpu) in pending.items():
        if count:
            bottom.text(count, k, f" {_counted(count, 'pod')}, {cpu / 1000:g} CPU", va="center", fontsize=7)
    bottom.set_xlabel("pending pods")
    bottom.set_title("pending (not placed)", fontsize=9)
    fig.tight_layout()
    return fig
