"""The project's JSON for clusters (`{"family": "pods", "nodes": [...], "pods": [...]}`), and the
entry point that also takes kubectl lists.

Fields per node: name, cpu (millicores), memory (bytes), max_pods, unschedulable, labels,
taints [{key, value, effect}]. Per pod: namespace, name, cpu, memory, priority, node (null:
pending), movable, node_selector, affinity [[{key, operator, values}]], tolerations
[{key, operator, value, effect}], order. Amounts are plain integers here (no suffixes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.errors import InvalidInstance
from schedkit.pods.formats import kubectl as pods_kubectl
from schedkit.pods.model import Node, Pod, PodsInstance, Requirement, Taint, Toleration

_TOP = {"family", "name", "nodes", "pods", "meta", "schedkit"}
_NODE = {"name", "cpu", "memory", "max_pods", "unschedulable", "labels", "taints"}
_POD = {
    "namespace",
    "name",
    "cpu",
    "memory",
    "priority",
    "node",
    "movable",
    "node_selector",
    "affinity",
    "tolerations",
    "order",
}


def _fields(where: str, record: Any, allowed: set[str], required: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(record, Mapping):
        raise InvalidInstance(f"{where}: expected an object, found {type(record).__name__}")
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise InvalidInstance(
            f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(allowed))}"
        )
    for key in required:
        if key not in record:
            raise InvalidInstance(f"{where}: missing field {key!r}")
    return record


def _list(where: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInstance(f"{where}: expected a list, found {type(value).__name__}")
    return value


def _text(where: str, value: Any, default: str) -> str:
    """A string field (absent: `default`); InvalidInstance for any other JSON type."""
    if value is None:
        return default
    if not isinstance(value, str):
        raise InvalidInstance(f"{where}: expected a string, found {type(value).__name__}")
    return value


def _built(where: str, kind: Any, *fields: Any) -> Any:
    """`kind(*fields)`, its InvalidInstance prefixed with `where` (the record's place in the file)."""
    try:
        return kind(*fields)
    except InvalidInstance as error:
        raise InvalidInstance(f"{where}: {error}") from None


def _node(i: int, record: Any) -> Node:
    where = f"nodes[{i}]"
    r = _fields(where, record, _NODE, ("name", "cpu", "memory"))
    taints = []
    for k, t in enumerate(_list(f"{where}.taints", r.get("taints"))):
        t = _fields(f"{where}.taints[{k}]", t, {"key", "value", "effect"}, ("key",))
        at = f"{where}.taints[{k}]"
        taints.append(_built(at, Taint, _text(f"{at}.key", t["key"], ""),
                             _text(f"{at}.value", t.get("value"), ""),
                             _text(f"{at}.effect", t.get("effect"), "NoSchedule")))
    try:
        return Node(
            name=r["name"],
            cpu=r["cpu"],
            memory=r["memory"],
            max_pods=r.get("max_pods", 110),
            unschedulable=r.get("unschedulable", False),
            labels=r.get("labels") or {},
            taints=tuple(taints),
        )
    except InvalidInstance as error:
        raise InvalidInstance(f"{where}: {error}") from None


def _pod(j: int, record: Any) -> Pod:
    where = f"pods[{j}]"
    r = _fields(where, record, _POD, ("name",))
    tolerations = []
    for k, t in enumerate(_list(f"{where}.tolerations", r.get("tolerations"))):
        t = _fields(f"{where}.tolerations[{k}]", t, {"key", "operator", "value", "effect"}, ())
        at = f"{where}.tolerations[{k}]"
        tolerations.append(
            _built(at, Toleration, _text(f"{at}.key", t.get("key"), ""),
                   _text(f"{at}.operator", t.get("operator"), "Equal"),
                   _text(f"{at}.value", t.get("value"), ""), _text(f"{at}.effect", t.get("effect"), ""))
        )
    terms = []
    for k, term in enumerate(_list(f"{where}.affinity", r.get("affinity"))):
        requirements = []
        for e, expr in enumerate(_list(f"{where}.affinity[{k}]", term)):
            expr = _fields(
                f"{where}.affinity[{k}][{e}]", expr, {"key", "operator", "values"}, ("key", "operator")
            )
            at = f"{where}.affinity[{k}][{e}]"
            values = tuple(_text(f"{at}.values[{v}]", value, "")
                           for v, value in enumerate(_list(f"{at}.values", expr.get("values"))))
            requirements.append(
                _built(at, Requirement, _text(f"{at}.key", expr["key"], ""),
                       _text(f"{at}.operator", expr["operator"], ""), values)
            )
        terms.append(tuple(requirements))
    try:
        return Pod(
            name=r["name"],
            namespace=r.get("namespace", "default"),
            cpu=r.get("cpu", 0),
            memory=r.get("memory", 0),
            priority=r.get("priority", 0),
            node=r.get("node"),
            movable=r.get("movable", True),
            node_selector=r.get("node_selector") or {},
            affinity=tuple(terms),
            tolerations=tuple(tolerations),
            order=r.get("order", j),
        )
    except InvalidInstance as error:
        raise InvalidInstance(f"{where}: {error}") from None


def from_record(record: Mapping[str, Any], default_name: str) -> PodsInstance:
    """A cluster from the project's JSON, or from a kubectl `List` / `NodeList` / `PodList`."""
    if pods_kubectl.is_kubectl(record):
        return pods_kubectl.from_record(record, default_name)
    r = _fields("cluster", record, _TOP, ("nodes",))
    nodes = tuple(_node(i, n) for i, n in enumerate(_list("nodes", r["nodes"])))
    pods = tuple(_pod(j, p) for j, p in enumerate(_list("pods", r.get("pods"))))
    meta = r.get("meta") or {}
    if not isinstance(meta, Mapping):
        raise InvalidInstance("meta: expected an object")
    return PodsInstance(nodes=nodes, pods=pods, name=r.get("name") or default_name, meta=meta)
