"""Kubernetes pod packing: nodes with allocatable CPU, memory and pods; running and pending pods
with priorities; lexicographic objective over priority tiers (place most, then disturb least)."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schedkit.checker import pods as checker
from schedkit.families import Family
from schedkit.instances import pods_generator, pods_json, pods_kubectl
from schedkit.model.pods import PodsInstance


def _json_sniff(record: Mapping[str, Any]) -> bool:
    """kubectl output: `kind` List / NodeList / PodList whose items are Nodes and Pods."""
    return pods_kubectl.is_kubectl(record)


def _write_kubectl(instances: Any, path: Path, arg: str | None) -> None:
    items = list(instances)
    if len(items) != 1 or not isinstance(items[0], PodsInstance):
        raise ValueError(f"{path}: the kubectl format holds exactly one pods cluster")
    pods_kubectl.write_kubectl(items[0], path)


def _read_kubectl(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """`--format kubectl`: a kubectl List / NodeList / PodList file, whatever its name."""
    import json

    from schedkit.errors import ParseError

    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(str(path), error.lineno, "a JSON document", error.msg.lower()) from None
    if not isinstance(record, dict) or not pods_kubectl.is_kubectl(record):
        raise ParseError(str(path), None, "a kubectl List, NodeList or PodList", "another JSON document")
    return [("1", pods_kubectl.from_record(record, path.stem))]


def _gantt(instance: PodsInstance, solution: Any, path: Path) -> None:
    """One row per node (and one for unplaced pods): the pods it hosts side by side along its
    CPU, in percent of the node's allocatable CPU, coloured by priority tier."""
    from schedkit.charts.gantt import Bar, draw

    tier = {int(t): k for k, t in enumerate(instance.tiers.tolist())}
    allocatable = {node.name: max(1, node.cpu) for node in instance.nodes}
    filled: dict[str, float] = dict.fromkeys([*allocatable, "(pending)"], 0.0)
    bars = []
    for pod in sorted(instance.pods, key=lambda p: (-p.priority, p.order)):
        row = solution.assignment.get(pod.key) or "(pending)"
        scale = allocatable.get(row, max(allocatable.values()))
        width = 100.0 * pod.cpu / scale
        bars.append(Bar(row, filled[row], filled[row] + width, tier[pod.priority], pod.name))
        filled[row] += width
    draw(
        bars,
        path,
        f"{instance.name}: pods per node (colour: priority tier, highest first)",
        rows=list(filled),
        time_label="CPU requested (% of the node's allocatable)",
    )


FAMILY = Family(
    name="pods",
    description="Kubernetes pod packing: place the most pods per priority tier, then disturb the fewest",
    method_modules=(
        "schedkit.heuristics.pods_methods",
        "schedkit.solvers.cpsat.pods",
        "schedkit.solvers.auto_pods",
    ),
    from_record=pods_json.from_record,
    check=checker.check,
    readers={"kubectl": _read_kubectl},
    writers={"kubectl": _write_kubectl},
    json_sniff=_json_sniff,
    read_directory=pods_kubectl.read_directory,
    generators={"pods": pods_generator.pods},
    generate_command=pods_generator.generate_command,
    gantt=_gantt,
)
