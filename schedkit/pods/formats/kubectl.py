"""Clusters from kubectl JSON: `kubectl get nodes,pods -A -o json` (a `List`), or a `NodeList`
and a `PodList` (`kubectl get nodes -o json`, `kubectl get pods -A -o json`), also read from a
directory holding both files.

What is read, and how:
- Node: `metadata.name`, `metadata.labels`, `spec.unschedulable`, `spec.taints`,
  `status.allocatable` (`cpu`, `memory`, `pods`; `status.capacity` where allocatable is absent).
- Pod: `metadata.namespace/name`, `metadata.creationTimestamp` (queue order, ties by file
  order), `spec.priority` (0 when absent), `spec.nodeName` (running; absent: pending),
  `spec.nodeSelector`, required node affinity, `spec.tolerations`. Pods in phase Succeeded or
  Failed are finished and ignored.
- A pod's request per resource is what the scheduler uses: max(Σ containers + Σ sidecars,
  max over init containers of (its request + the sidecars started before it)) + overhead,
  where sidecars are init containers with `restartPolicy: Always`.
- A pod is immovable when a DaemonSet or a Node (static pod) owns it, when it is a mirror pod
  (`kubernetes.io/config.mirror`), or when `cluster-autoscaler.kubernetes.io/safe-to-evict`
  is "false".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from schedkit.common.jsonparse import parse_json
from schedkit.common.records import is_text
from schedkit.common.textfile import file_stem, read_text
from schedkit.errors import InvalidInstance, ParseError
from schedkit.pods.formats.quantity import count, cpu_millicores, format_cpu, format_memory, memory_bytes
from schedkit.pods.model import Node, Pod, PodsInstance, Requirement, Taint, Toleration

LIST_KINDS = ("List", "NodeList", "PodList")
FINISHED_PHASES = ("Succeeded", "Failed")
IMMOVABLE_OWNERS = ("DaemonSet", "Node")
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict"


def is_kubectl(record: Mapping[str, Any]) -> bool:
    """A kubectl list: `kind` List/NodeList/PodList with `items` of Nodes and Pods."""
    if record.get("kind") not in LIST_KINDS or not isinstance(record.get("items"), list):
        return False
    kinds = [item.get("kind") for item in record["items"] if isinstance(item, Mapping)]
    return all(kind in ("Node", "Pod", None) for kind in kinds)  # a list-valued kind is no kind


def _items(record: Mapping[str, Any], where: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(kind, item) for each item; items of a NodeList/PodList may omit their kind."""
    implied = {"NodeList": "Node", "PodList": "Pod"}.get(str(record.get("kind")))
    out = []
    for i, item in enumerate(record.get("items") or []):
        if not isinstance(item, Mapping):
            raise InvalidInstance(f"{where}: items[{i}] is not an object")
        kind = item.get("kind", implied)
        if kind not in ("Node", "Pod"):
            raise InvalidInstance(f"{where}: items[{i}] has kind {kind!r}; only Node and Pod are read")
        out.append((str(kind), item))
    return out


def _object(value: Any, where: str) -> Mapping[str, Any]:
    """`value` when it is a JSON object, {} when absent (null); InvalidInstance otherwise."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInstance(f"{where} must be an object, found {type(value).__name__}")
    return value


def _array(value: Any, where: str) -> list[Any]:
    """`value` when it is a JSON list, [] when absent (null); InvalidInstance otherwise."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInstance(f"{where} must be a list, found {type(value).__name__}")
    return value


def _string(value: Any, where: str, default: str = "") -> str:
    """`value` when it is a JSON string (a number is read as its text), `default` when absent."""
    if value is None:
        return default
    if not is_text(value):
        raise InvalidInstance(f"{where} must be a string, found {type(value).__name__}")
    return str(value)


def _get(item: Mapping[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(item, Mapping):
            return None
        item = item.get(key)  # type: ignore[assignment]
    return item


def _node(item: Mapping[str, Any], where: str) -> Node:
    """A Node item; errors name the item and the node."""
    try:
        return _read_node(item, where)
    except InvalidInstance as error:
        text = str(error)
        name = _get(item, "metadata", "name")
        raise InvalidInstance(text if where in text else f"{where} (node {name}): {text}") from None


def _read_node(item: Mapping[str, Any], where: str) -> Node:
    name = _get(item, "metadata", "name")
    if not isinstance(name, str) or not name:
        raise InvalidInstance(f"{where}: a Node without metadata.name")
    where = f"{where} (node {name!r})"
    resources = _get(item, "status", "allocatable") or _get(item, "status", "capacity")
    if not isinstance(resources, Mapping):
        raise InvalidInstance(f"{where}: status.allocatable (or status.capacity) is missing")
    for key in ("cpu", "memory"):
        if key not in resources:
            raise InvalidInstance(f"{where}: status.allocatable.{key} is missing")
    taints = []
    _object(item.get("metadata"), f"{where}: metadata")
    spec = _object(item.get("spec"), f"{where}: spec")
    for k, taint in enumerate(_array(spec.get("taints"), f"{where}: spec.taints")):
        if not isinstance(taint, Mapping) or "effect" not in taint:
            raise InvalidInstance(f"{where}: spec.taints[{k}] needs a key and an effect")
        at = f"{where}: spec.taints[{k}]"
        taints.append(Taint(_string(taint.get("key"), f"{at}.key"),
                            _string(taint.get("value"), f"{at}.value"),
                            _string(taint["effect"], f"{at}.effect")))
    return Node(
        name=name,
        cpu=cpu_millicores(resources["cpu"], f"{where}: status.allocatable.cpu"),
        memory=memory_bytes(resources["memory"], f"{where}: status.allocatable.memory"),
        max_pods=count(resources.get("pods", 110), f"{where}: status.allocatable.pods"),
        unschedulable=bool(_get(item, "spec", "unschedulable") or False),
        labels=_get(item, "metadata", "labels") or {},
        taints=tuple(taints),
    )


def _requests(container: Any, where: str) -> tuple[int, int]:
    if not isinstance(container, Mapping):
        raise InvalidInstance(f"{where} is not an object")
    resources = _object(container.get("resources"), f"{where}: resources")
    requests = _object(resources.get("requests"), f"{where}: resources.requests")
    cpu = cpu_millicores(requests["cpu"], f"{where}: requests.cpu") if "cpu" in requests else 0
    memory = memory_bytes(requests["memory"], f"{where}: requests.memory") if "memory" in requests else 0
    return cpu, memory


def pod_requests(spec: Mapping[str, Any], where: str) -> tuple[int, int]:
    """(cpu millicores, memory bytes) the scheduler reserves for a pod `spec` (module docstring)."""
    totals = []
    containers = _array(spec.get("containers"), f"{where}: spec.containers")
    inits = _array(spec.get("initContainers"), f"{where}: spec.initContainers")
    for resource in range(2):
        main = sum(_requests(c, f"{where}: containers[{k}]")[resource] for k, c in enumerate(containers))
        sidecars = 0
        peak_init = 0
        for k, c in enumerate(inits):
            amount = _requests(c, f"{where}: initContainers[{k}]")[resource]
            if isinstance(c, Mapping) and c.get("restartPolicy") == "Always":
                sidecars += amount
                peak_init = max(peak_init, sidecars)
            else:
                peak_init = max(peak_init, sidecars + amount)
        totals.append(max(main + sidecars, peak_init))
    overhead = _object(spec.get("overhead"), f"{where}: spec.overhead")
    if overhead:
        totals[0] += cpu_millicores(overhead.get("cpu", 0), f"{where}: overhead.cpu")
        totals[1] += memory_bytes(overhead.get("memory", 0), f"{where}: overhead.memory")
    return totals[0], totals[1]


def _affinity(spec: Mapping[str, Any], where: str) -> tuple[tuple[Requirement, ...], ...]:
    node_affinity = _object(_object(spec.get("affinity"), f"{where}: spec.affinity").get("nodeAffinity"),
                            f"{where}: spec.affinity.nodeAffinity")
    required = _object(node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution"),
                       f"{where}: requiredDuringSchedulingIgnoredDuringExecution")
    terms = _array(required.get("nodeSelectorTerms"), f"{where}: nodeSelectorTerms")
    out = []
    for t, term in enumerate(terms):
        requirements = []
        term = _object(term, f"{where}: nodeSelectorTerms[{t}]")
        for kind in ("matchExpressions", "matchFields"):
            for e, expr in enumerate(_array(term.get(kind), f"{where}: nodeSelectorTerms[{t}].{kind}")):
                if not isinstance(expr, Mapping) or "key" not in expr or "operator" not in expr:
                    raise InvalidInstance(
                        f"{where}: nodeSelectorTerms[{t}].{kind}[{e}] needs key and operator"
                    )
                if kind == "matchFields" and expr["key"] != "metadata.name":
                    raise InvalidInstance(
                        f"{where}: matchFields on {expr['key']!r}: only metadata.name exists"
                    )
                at = f"{where}: nodeSelectorTerms[{t}].{kind}[{e}]"
                values = tuple(_string(v, f"{at}.values[{i}]")
                               for i, v in enumerate(_array(expr.get("values"), f"{at}.values")))
                requirements.append(
                    Requirement(_string(expr["key"], f"{at}.key"),
                                _string(expr["operator"], f"{at}.operator"), values)
                )
        if requirements:
            out.append(tuple(requirements))
    return tuple(out)


def _movable(metadata: Mapping[str, Any], where: str) -> bool:
    owners = _array(metadata.get("ownerReferences"), f"{where}: metadata.ownerReferences")
    for k, owner in enumerate(owners):
        kind = _string(_object(owner, f"{where}: metadata.ownerReferences[{k}]").get("kind"),
                       f"{where}: metadata.ownerReferences[{k}].kind")
        if kind in IMMOVABLE_OWNERS:
            return False
    annotations = _object(metadata.get("annotations"), f"{where}: metadata.annotations")
    return MIRROR_ANNOTATION not in annotations and str(annotations.get(SAFE_TO_EVICT, "")).lower() != "false"


def _pod(item: Mapping[str, Any], where: str, position: int) -> tuple[str, Pod] | None:
    """(creation timestamp, pod) or None for a finished pod."""
    try:
        return _read_pod(item, where, position)
    except InvalidInstance as error:
        name = _get(item, "metadata", "name")
        text = str(error)
        raise InvalidInstance(text if where in text else f"{where} (pod {name}): {text}") from None


def _read_pod(item: Mapping[str, Any], where: str, position: int) -> tuple[str, Pod] | None:
    metadata = _object(item.get("metadata"), f"{where}: metadata")
    spec = _object(item.get("spec"), f"{where}: spec")
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidInstance(f"{where}: a Pod without metadata.name")
    namespace = _string(metadata.get("namespace"), f"{where}: metadata.namespace") or "default"
    where = f"{where} (pod {namespace}/{name})"
    if _get(item, "status", "phase") in FINISHED_PHASES:
        return None
    if not isinstance(spec, Mapping) or not isinstance(spec.get("containers"), list):
        raise InvalidInstance(f"{where}: spec.containers is missing")
    cpu, memory = pod_requests(spec, where)
    priority = spec.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise InvalidInstance(f"{where}: spec.priority must be an integer, got {priority!r}")
    tolerations = []
    for k, t in enumerate(_array(spec.get("tolerations"), f"{where}: spec.tolerations")):
        if not isinstance(t, Mapping):
            raise InvalidInstance(f"{where}: spec.tolerations[{k}] is not an object")
        at = f"{where}: spec.tolerations[{k}]"
        tolerations.append(
            Toleration(
                _string(t.get("key"), f"{at}.key"),
                _string(t.get("operator"), f"{at}.operator", "Equal"),
                _string(t.get("value"), f"{at}.value"),
                _string(t.get("effect"), f"{at}.effect"),
            )
        )
    pod = Pod(
        name=name,
        namespace=namespace,
        cpu=cpu,
        memory=memory,
        priority=priority,
        node=spec.get("nodeName") or None,
        movable=_movable(metadata, where),
        node_selector=spec.get("nodeSelector") or {},
        affinity=_affinity(spec, where),
        tolerations=tuple(tolerations),
        order=position,
    )
    return _string(metadata.get("creationTimestamp"), f"{where}: metadata.creationTimestamp"), pod


def from_lists(records: list[tuple[str, Mapping[str, Any]]], name: str) -> PodsInstance:
    """One cluster from kubectl lists, each given with where it came from (for messages)."""
    nodes: list[Node] = []
    pods: list[tuple[str, int, Pod]] = []
    for where, record in records:
        for i, (kind, item) in enumerate(_items(record, where)):
            if kind == "Node":
                nodes.append(_node(item, f"{where}: items[{i}]"))
            else:
                found = _pod(item, f"{where}: items[{i}]", len(pods))
                if found is not None:
                    pods.append((found[0], len(pods), found[1]))
    if not nodes:
        raise InvalidInstance(
            f"{', '.join(w for w, _ in records)}: no Node items (pass the nodes too, "
            "e.g. `kubectl get nodes,pods -A -o json`)"
        )
    ranked = sorted(pods, key=lambda entry: (entry[0], entry[1]))  # creation time, then file order
    rank = {position: k for k, (_, position, _) in enumerate(ranked)}
    ordered = tuple(replace(pod, order=rank[position]) for _, position, pod in pods)
    return PodsInstance(nodes=tuple(nodes), pods=ordered, name=name, meta={"source": "kubectl"})


def from_record(record: Mapping[str, Any], name: str) -> PodsInstance:
    """A `List` (or a lone NodeList) read as one cluster."""
    return from_lists([(name, record)], name)


def read_directory(path: Path) -> list[tuple[str, Any]]:
    """A directory holding kubectl lists (`nodes.json`, `pods.json`...): one cluster, or []
    when no `.json` file in it is a kubectl list (the directory is someone else's)."""
    records = []
    for file in sorted(path.glob("*.json")):
        record = parse_json(read_text(file), file)
        if isinstance(record, Mapping) and is_kubectl(record):
            records.append((str(file), record))
    if not records:
        return []
    return [("1", from_lists(records, path.name))]


def write_kubectl(instance: PodsInstance, path: Path) -> None:
    """The cluster as a kubectl `List` (requests on one container; enough to read it back)."""

    items: list[dict[str, Any]] = []
    for node in instance.nodes:
        spec: dict[str, Any] = {}
        if node.unschedulable:
            spec["unschedulable"] = True
        if node.taints:
            spec["taints"] = [{"key": t.key, "value": t.value, "effect": t.effect} for t in node.taints]
        items.append(
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {"name": node.name, "labels": dict(node.labels)},
                "spec": spec,
                "status": {
                    "allocatable": {
                        "cpu": format_cpu(node.cpu),
                        "memory": format_memory(node.memory),
                        "pods": str(node.max_pods),
                    }
                },
            }
        )
    for pod in sorted(instance.pods, key=lambda p: p.order):
        metadata: dict[str, Any] = {
            "name": pod.name,
            "namespace": pod.namespace,
            "creationTimestamp": f"2025-01-01T00:00:00Z#{pod.order:09d}",
        }
        if not pod.movable:
            metadata["annotations"] = {SAFE_TO_EVICT: "false"}
        requests = {"cpu": format_cpu(pod.cpu), "memory": format_memory(pod.memory)}
        pod_spec: dict[str, Any] = {
            "priority": pod.priority,
            "containers": [{"name": "main", "resources": {"requests": requests}}],
        }
        if pod.node is not None:
            pod_spec["nodeName"] = pod.node
        if pod.node_selector:
            pod_spec["nodeSelector"] = dict(pod.node_selector)
        if pod.tolerations:
            pod_spec["tolerations"] = [
                {"key": t.key, "operator": t.operator, "value": t.value, "effect": t.effect}
                for t in pod.tolerations
            ]
        if pod.affinity:
            terms = [
                {
                    "matchExpressions": [
                        {"key": r.key, "operator": r.operator, "values": list(r.values)} for r in term
                    ]
                }
                for term in pod.affinity
            ]
            pod_spec["affinity"] = {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}
                }
            }
        items.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": metadata,
                "spec": pod_spec,
                "status": {"phase": "Running" if pod.node else "Pending"},
            }
        )
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, indent=1) + "\n")


def write_file(instances: Any, path: Path, arg: str | None) -> None:
    """`--to kubectl`: exactly one pods cluster as a kubectl List."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: the kubectl format holds one pods cluster, got {len(items)}")
    if not isinstance(items[0], PodsInstance):
        raise InvalidInstance(f"{path}: the kubectl format holds a pods cluster, not a "
                              f"{getattr(items[0], 'family', '?')} instance")
    write_kubectl(items[0], path)


def read_file(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """`--format kubectl`: a kubectl List / NodeList / PodList file, whatever its name."""
    record = parse_json(text, path)
    if not isinstance(record, dict) or not is_kubectl(record):
        raise ParseError(str(path), None, "a kubectl List, NodeList or PodList", "another JSON document")
    return [("1", from_record(record, file_stem(path)))]
