"""Kubernetes pod packing: nodes with allocatable CPU, memory and pods; running and pending pods
with priorities; lexicographic objective over priority tiers (place most, then disturb least)."""

from collections.abc import Mapping
from typing import Any

from schedkit.family import Family
from schedkit.pods import check as checker
from schedkit.pods import gantt
from schedkit.pods import generate as pods_generator
from schedkit.pods.formats import kubectl as pods_kubectl
from schedkit.pods.formats import records as pods_json


def _json_sniff(record: Mapping[str, Any]) -> bool:
    """kubectl output: `kind` List / NodeList / PodList whose items are Nodes and Pods."""
    return pods_kubectl.is_kubectl(record)



FAMILY = Family(
    name="pods",
    description="Kubernetes pod packing: place the most pods per priority tier, then disturb the fewest",
    from_record=pods_json.from_record,
    check=checker.check,
    readers={"kubectl": pods_kubectl.read_file},
    writers={"kubectl": pods_kubectl.write_file},
    json_sniff=_json_sniff,
    read_directory=pods_kubectl.read_directory,
    generators={"pods": pods_generator.pods},
    generate_command=pods_generator.generate_command,
    gantt=gantt.gantt,
)
