"""Kubernetes pod packing: nodes, pods and a placement, and the lexicographic objective.

Nodes have allocatable CPU (millicores), memory (bytes) and a pod count, may be cordoned
(`unschedulable`) and carry labels and taints. Pods request CPU and memory, have a
priority, run on a node or are pending, and may be movable (a running pod that may be moved
or evicted) or not. A placement puts each pod on one node or leaves it unplaced.

Rules of a placement: per node the summed CPU, memory and pod count stay within the
allocatable amounts; a pod goes to a node only if the node is schedulable, its labels
satisfy the pod's nodeSelector and required node affinity, and the pod tolerates each of its
`NoSchedule` / `NoExecute` taints — except that a running pod may always stay where it is;
an immovable running pod stays on its node.

Objective, lexicographic over the priority tiers τ1 > τ2 > ... (the distinct priorities):
for each tier in turn, first place as many pods of priority >= τ as possible, then disturb as
few running pods of priority >= τ as possible (an eviction costs 1, a move 2). The `vector`
lists per tier (unplaced, disturbance) to be minimised in that order; the scalar `objective`
encodes it as one integer, Σ_k v_k·B^(2T−1−k) with B = 2·(number of pods) + 1 and T tiers, so
that a smaller scalar is exactly a lexicographically better vector (0: everything placed,
nothing disturbed). It is computed in `objective` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from schedkit.common import arguments
from schedkit.errors import InvalidInstance

# The objective lives in objective.py; scripts import it from here too.
from schedkit.pods.objective import encode as encode
from schedkit.pods.objective import objective as objective
from schedkit.pods.objective import objective_vector as objective_vector
from schedkit.pods.objective import placement_stats as placement_stats
from schedkit.pods.validate import check_int, check_labels, check_str, int64

FAMILY = "pods"
MAX_CPU = 10**12  # millicores: a billion cores
MAX_MEMORY = 2**60  # bytes: one exbibyte
MAX_PODS_PER_NODE = 10**6
MAX_PRIORITY = 2**31  # Kubernetes priorities are int32
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
BLOCKING_EFFECTS = ("NoSchedule", "NoExecute")
OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
NODE_NAME_FIELD = "metadata.name"  # the one node field affinity's matchFields may use


@dataclass(frozen=True)
class Taint:
    """A node taint `key=value:effect`; only NoSchedule and NoExecute keep pods away."""

    key: str
    value: str = ""
    effect: str = "NoSchedule"

    def __post_init__(self) -> None:
        check_str("taint key", self.key)
        check_str(f"taint {self.key!r} value", self.value, empty=True)
        if self.effect not in TAINT_EFFECTS:
            raise InvalidInstance(f"taint {self.key!r}: effect {self.effect!r} is not one of {TAINT_EFFECTS}")


@dataclass(frozen=True)
class Toleration:
    """A pod toleration; empty key with `Exists` tolerates every taint, empty effect every effect."""

    key: str = ""
    operator: str = "Equal"
    value: str = ""
    effect: str = ""

    def __post_init__(self) -> None:
        if self.operator not in ("Equal", "Exists"):
            raise InvalidInstance(
                f"toleration {self.key!r}: operator {self.operator!r} is not Equal or Exists"
            )
        if not self.key and self.operator != "Exists":
            raise InvalidInstance("a toleration with an empty key must use operator Exists")
        if self.effect and self.effect not in TAINT_EFFECTS:
            raise InvalidInstance(
                f"toleration {self.key!r}: effect {self.effect!r} is not one of {TAINT_EFFECTS}"
            )

    def tolerates(self, taint: Taint) -> bool:
        """Kubernetes' ToleratesTaint: effect, key and (for Equal) value match."""
        if self.effect and self.effect != taint.effect:
            return False
        if self.key and self.key != taint.key:
            return False
        return self.operator == "Exists" or self.value == taint.value


@dataclass(frozen=True)
class Requirement:
    """One node-affinity expression `key operator values`; key `metadata.name` tests the node's name."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_str("affinity key", self.key)
        if self.operator not in OPERATORS:
            raise InvalidInstance(
                f"affinity {self.key!r}: operator {self.operator!r} is not one of {OPERATORS}"
            )
        object.__setattr__(self, "values", tuple(str(v) for v in self.values))
        if self.operator in ("In", "NotIn") and not self.values:
            raise InvalidInstance(f"affinity {self.key!r} {self.operator} needs at least one value")
        if self.operator in ("Gt", "Lt") and (len(self.values) != 1 or int64(self.values[0]) is None):
            raise InvalidInstance(f"affinity {self.key!r} {self.operator} needs one integer value")

    def matches(self, name: str, labels: Mapping[str, str]) -> bool:
        """Does a node with this name and these labels satisfy the expression?"""
        if self.key == NODE_NAME_FIELD:
            present, value = True, name
        else:
            present, value = self.key in labels, labels.get(self.key, "")
        if self.operator == "In":
            return present and value in self.values
        if self.operator == "NotIn":
            return not present or value not in self.values
        if self.operator == "Exists":
            return present
        if self.operator == "DoesNotExist":
            return not present
        number, limit = int64(value), int64(self.values[0])
        if not present or number is None or limit is None:
            return False
        return number > limit if self.operator == "Gt" else number < limit


@dataclass(frozen=True)
class Node:
    """A node: allocatable `cpu` (millicores), `memory` (bytes), `max_pods`, labels and taints."""

    name: str
    cpu: int
    memory: int
    max_pods: int = 110
    unschedulable: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    taints: tuple[Taint, ...] = ()

    def __post_init__(self) -> None:
        where = f"node {self.name!r}"
        check_str("node name", self.name)
        object.__setattr__(self, "cpu", check_int(f"{where}: cpu", self.cpu, 0, MAX_CPU))
        object.__setattr__(self, "memory", check_int(f"{where}: memory", self.memory, 0, MAX_MEMORY))
        object.__setattr__(
            self, "max_pods", check_int(f"{where}: max_pods", self.max_pods, 0, MAX_PODS_PER_NODE)
        )
        if not isinstance(self.unschedulable, bool):
            raise InvalidInstance(f"{where}: unschedulable must be true or false")
        object.__setattr__(self, "labels", check_labels(f"{where}: labels", self.labels))
        taints = arguments.records(f"{where}: taints", self.taints)
        if not all(isinstance(t, Taint) for t in taints):
            raise InvalidInstance(f"{where}: taints must be Taint records")
        object.__setattr__(self, "taints", taints)


@dataclass(frozen=True)
class Pod:
    """A pod: `cpu` / `memory` requests, `priority`, `node` it runs on (None: pending),
    `movable` (a running pod that may be moved or evicted), scheduling constraints and
    `order` (creation order: the default scheduler's tie break within a priority)."""

    name: str
    namespace: str = "default"
    cpu: int = 0
    memory: int = 0
    priority: int = 0
    node: str | None = None
    movable: bool = True
    node_selector: Mapping[str, str] = field(default_factory=dict)
    affinity: tuple[tuple[Requirement, ...], ...] = ()  # OR of terms, each an AND of expressions
    tolerations: tuple[Toleration, ...] = ()
    order: int = 0

    def __post_init__(self) -> None:
        check_str("pod name", self.name)
        check_str(f"pod {self.name!r}: namespace", self.namespace)
        where = f"pod {self.key!r}"
        object.__setattr__(self, "cpu", check_int(f"{where}: cpu", self.cpu, 0, MAX_CPU))
        object.__setattr__(self, "memory", check_int(f"{where}: memory", self.memory, 0, MAX_MEMORY))
        object.__setattr__(
            self, "priority", check_int(f"{where}: priority", self.priority, -MAX_PRIORITY, MAX_PRIORITY)
        )
        object.__setattr__(self, "order", check_int(f"{where}: order", self.order, 0, 2**62))
        if self.node is not None:
            check_str(f"{where}: node", self.node)
        if not isinstance(self.movable, bool):
            raise InvalidInstance(f"{where}: movable must be true or false")
        object.__setattr__(self, "node_selector", check_labels(f"{where}: node_selector", self.node_selector))
        terms = tuple(arguments.records(f"{where}: affinity term", term)
                      for term in arguments.records(f"{where}: affinity", self.affinity))
        if not all(isinstance(r, Requirement) for term in terms for r in term):
            raise InvalidInstance(f"{where}: affinity must hold Requirement records")
        if any(not term for term in terms):
            raise InvalidInstance(f"{where}: an affinity term needs at least one expression")
        object.__setattr__(self, "affinity", terms)
        tolerations = arguments.records(f"{where}: tolerations", self.tolerations)
        if not all(isinstance(t, Toleration) for t in tolerations):
            raise InvalidInstance(f"{where}: tolerations must be Toleration records")
        object.__setattr__(self, "tolerations", tolerations)

    @property
    def key(self) -> str:
        """`namespace/name`, the pod's name in solutions."""
        return f"{self.namespace}/{self.name}"

    def eligible(self, node: Node) -> bool:
        """May the scheduler put this pod on `node` (cordon, selector, affinity, taints)?"""
        if node.unschedulable:
            return False
        if any(node.labels.get(k) != v for k, v in self.node_selector.items()):
            return False
        if self.affinity and not any(
            all(r.matches(node.name, node.labels) for r in term) for term in self.affinity
        ):
            return False
        return all(
            any(t.tolerates(taint) for t in self.tolerations)
            for taint in node.taints
            if taint.effect in BLOCKING_EFFECTS
        )


def _read_only(values: Iterable[Any], dtype: Any) -> np.ndarray:
    array = np.array(list(values), dtype=dtype)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class PodsInstance:
    """A cluster: `nodes` and `pods` (records), plus read-only arrays derived from them.

    Arrays (index = position in `nodes` / `pods`): `node_cpu`, `node_memory`,
    `node_max_pods`; `pod_cpu`, `pod_memory`, `pod_priority`, `pod_node` (-1 pending),
    `pod_movable`, `pod_order`; `eligible[p, n]` (may the scheduler place pod p on node n);
    `tiers` (distinct priorities, highest first).
    """

    nodes: tuple[Node, ...]
    pods: tuple[Pod, ...]
    name: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    family = FAMILY

    def __post_init__(self) -> None:
        nodes, pods = arguments.records("nodes", self.nodes), arguments.records("pods", self.pods)
        if not nodes:
            raise InvalidInstance("a cluster needs at least one node")
        if not all(isinstance(n, Node) for n in nodes) or not all(isinstance(p, Pod) for p in pods):
            raise InvalidInstance("nodes must be Node records and pods Pod records")
        index: dict[str, int] = {}
        for i, node in enumerate(nodes):
            if node.name in index:
                raise InvalidInstance(
                    f"nodes[{i}]: node name {node.name!r} repeats nodes[{index[node.name]}]"
                )
            index[node.name] = i
        seen: dict[str, int] = {}
        for j, pod in enumerate(pods):
            if pod.key in seen:
                raise InvalidInstance(f"pods[{j}]: pod {pod.key!r} repeats pods[{seen[pod.key]}]")
            seen[pod.key] = j
            if pod.node is not None and pod.node not in index:
                raise InvalidInstance(
                    f"pods[{j}]: pod {pod.key!r} runs on node {pod.node!r}, which does not exist"
                )
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "pods", pods)
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "meta", arguments.meta(self.meta))
        self._derive(index)
        self._check_running_fit()

    def _derive(self, index: Mapping[str, int]) -> None:
        nodes, pods = self.nodes, self.pods
        values = {
            "node_cpu": _read_only((n.cpu for n in nodes), np.int64),
            "node_memory": _read_only((n.memory for n in nodes), np.int64),
            "node_max_pods": _read_only((n.max_pods for n in nodes), np.int64),
            "pod_cpu": _read_only((p.cpu for p in pods), np.int64),
            "pod_memory": _read_only((p.memory for p in pods), np.int64),
            "pod_priority": _read_only((p.priority for p in pods), np.int64),
            "pod_node": _read_only((-1 if p.node is None else index[p.node] for p in pods), np.int64),
            "pod_movable": _read_only((p.movable for p in pods), np.bool_),
            "pod_order": _read_only((p.order for p in pods), np.int64),
            "tiers": _read_only(sorted({p.priority for p in pods}, reverse=True), np.int64),
        }
        rows: dict[Any, list[bool]] = {}  # pods with the same constraints share a row
        for p in pods:
            signature = (tuple(sorted(p.node_selector.items())), p.affinity, p.tolerations)
            if signature not in rows:
                rows[signature] = [p.eligible(n) for n in nodes]
        eligible = np.array(
            [rows[(tuple(sorted(p.node_selector.items())), p.affinity, p.tolerations)] for p in pods],
            dtype=np.bool_,
        ).reshape(len(pods), len(nodes))
        eligible.setflags(write=False)
        values["eligible"] = eligible
        for key, value in values.items():
            object.__setattr__(self, key, value)

    def _check_running_fit(self) -> None:
        """The current state must itself be feasible: running pods fit their nodes."""
        cpu = np.zeros(len(self.nodes), dtype=object)
        memory = np.zeros(len(self.nodes), dtype=object)
        count = np.zeros(len(self.nodes), dtype=np.int64)
        for pod, n in zip(self.pods, self.pod_node.tolist(), strict=True):
            if n >= 0:
                cpu[n] += pod.cpu
                memory[n] += pod.memory
                count[n] += 1
        for n, node in enumerate(self.nodes):
            for what, used, limit in (
                ("cpu", cpu[n], node.cpu),
                ("memory", memory[n], node.memory),
                ("pods", count[n], node.max_pods),
            ):
                if used > limit:
                    raise InvalidInstance(
                        f"node {node.name!r}: its running pods request {what} {used}, beyond the "
                        f"allocatable {limit} (the current state must be feasible)"
                    )

    # Declared for type checkers; set in _derive.
    node_cpu: np.ndarray = field(init=False, repr=False)
    node_memory: np.ndarray = field(init=False, repr=False)
    node_max_pods: np.ndarray = field(init=False, repr=False)
    pod_cpu: np.ndarray = field(init=False, repr=False)
    pod_memory: np.ndarray = field(init=False, repr=False)
    pod_priority: np.ndarray = field(init=False, repr=False)
    pod_node: np.ndarray = field(init=False, repr=False)
    pod_movable: np.ndarray = field(init=False, repr=False)
    pod_order: np.ndarray = field(init=False, repr=False)
    tiers: np.ndarray = field(init=False, repr=False)
    eligible: np.ndarray = field(init=False, repr=False)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def n_pods(self) -> int:
        """Number of pods."""
        return len(self.pods)

    def pod_index(self) -> dict[str, int]:
        """`namespace/name` -> position in `pods`."""
        return {p.key: j for j, p in enumerate(self.pods)}

    def node_index(self) -> dict[str, int]:
        """Node name -> position in `nodes`."""
        return {n.name: i for i, n in enumerate(self.nodes)}

    def allowed(self) -> np.ndarray:
        """allowed[p, n]: p may end on n (eligible, or its current node; immovable: only that)."""
        allowed = self.eligible.copy()
        for j, n in enumerate(self.pod_node.tolist()):
            if n >= 0:
                if not self.pods[j].movable:
                    allowed[j, :] = False
                allowed[j, n] = True
        return allowed

    def allowed_pairs(self) -> int:
        """allowed().sum() without building the matrix (100,000 pods x 2,000 nodes: 1.2 s)."""
        counts = self.eligible.sum(axis=1, dtype=np.int64)
        placed = np.flatnonzero(self.pod_node >= 0)
        counts[placed] += ~self.eligible[placed, self.pod_node[placed]]  # its own node, if not eligible
        counts[placed[~self.pod_movable[placed]]] = 1  # immovable: only its own node
        return int(counts.sum())

    def replace(self, **changes: Any) -> PodsInstance:
        """A new, re-validated instance with some fields changed."""
        fields: dict[str, Any] = {
            "nodes": self.nodes,
            "pods": self.pods,
            "name": self.name,
            "meta": self.meta,
        }
        fields = arguments.changed(fields, changes, "PodsInstance")
        return PodsInstance(**fields)

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON shape (`family`, `name`, `nodes`, `pods`, `meta`)."""
        return {
            "family": FAMILY,
            "name": self.name,
            "nodes": [node_to_dict(n) for n in self.nodes],
            "pods": [pod_to_dict(p) for p in self.pods],
            "meta": dict(self.meta),
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PodsInstance):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        pending = int(np.sum(self.pod_node < 0))
        return (
            f"PodsInstance(name={self.name!r}, nodes={self.n_nodes}, pods={self.n_pods}, "
            f"pending={pending}, tiers={len(self.tiers)})"
        )


def _compact(record: dict[str, Any], optional: tuple[str, ...]) -> dict[str, Any]:
    """Drop the optional fields that hold their default (empty, False, None): shorter files."""
    return {k: v for k, v in record.items() if k not in optional or v not in ({}, [], False, None)}


def node_to_dict(node: Node) -> dict[str, Any]:
    """A node in the project's JSON (labels, taints and the cordon flag only when set)."""
    return _compact(
        {
            "name": node.name,
            "cpu": node.cpu,
            "memory": node.memory,
            "max_pods": node.max_pods,
            "unschedulable": node.unschedulable,
            "labels": dict(node.labels),
            "taints": [{"key": t.key, "value": t.value, "effect": t.effect} for t in node.taints],
        },
        ("unschedulable", "labels", "taints"),
    )


def pod_to_dict(pod: Pod) -> dict[str, Any]:
    """A pod in the project's JSON (scheduling constraints only when set)."""
    return _compact(
        {
            "namespace": pod.namespace,
            "name": pod.name,
            "cpu": pod.cpu,
            "memory": pod.memory,
            "priority": pod.priority,
            "node": pod.node,
            "movable": pod.movable,
            "node_selector": dict(pod.node_selector),
            "affinity": [
                [{"key": r.key, "operator": r.operator, "values": list(r.values)} for r in term]
                for term in pod.affinity
            ],
            "tolerations": [
                {"key": t.key, "operator": t.operator, "value": t.value, "effect": t.effect}
                for t in pod.tolerations
            ],
            "order": pod.order,
        },
        ("node_selector", "affinity", "tolerations"),
    )


# ---------------------------------------------------------------------------------------------
# Solutions


@dataclass(frozen=True)
class PodsSolution:
    """Where each pod ends: `assignment["namespace/pod"]` is a node name or None (unplaced)."""

    assignment: Mapping[str, str | None]

    def __init__(self, assignment: Mapping[str, str | None]) -> None:
        if not isinstance(assignment, Mapping):
            raise InvalidInstance('a pods solution maps "namespace/pod" to a node name or None, '
                                  f"got {type(assignment).__name__}")
        object.__setattr__(self, "assignment", MappingProxyType(dict(assignment)))

    @classmethod
    def from_array(cls, instance: PodsInstance, nodes: Sequence[int] | np.ndarray) -> PodsSolution:
        """From node indices per pod (-1: unplaced); InvalidInstance for a fraction (0.5 was
        node 0), an index beyond the nodes or a list of the wrong length."""
        indices = arguments.whole_numbers("nodes", nodes)
        if len(indices) != len(instance.pods):
            raise InvalidInstance(f"nodes has {len(indices)} entries for {len(instance.pods)} pods")
        for j, n in enumerate(indices):
            if n >= len(instance.nodes):
                raise InvalidInstance(f"nodes[{j}] = {n} is no node index (0 .. {len(instance.nodes) - 1}, "
                                      "negative: unplaced)")
        return cls({pod.key: None if n < 0 else instance.nodes[n].name
                    for pod, n in zip(instance.pods, indices, strict=True)})

    def to_array(self, instance: PodsInstance) -> np.ndarray:
        """Node index per pod (-1: unplaced); InvalidInstance for an unknown pod or node."""
        index = instance.node_index()
        out = np.full(instance.n_pods, -1, dtype=np.int64)
        for j, pod in enumerate(instance.pods):
            node = self.assignment.get(pod.key)
            if node is not None:
                if node not in index:
                    raise InvalidInstance(f"pod {pod.key!r} is assigned to unknown node {node!r}")
                out[j] = index[node]
        return out

    def to_dict(self) -> dict[str, Any]:
        """`{"assignment": {"namespace/pod": "node" or null}}`."""
        return {"assignment": dict(self.assignment)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PodsSolution:
        """Read `{"assignment": {...}}`; InvalidInstance when it is not that shape."""
        assignment = data.get("assignment") if isinstance(data, Mapping) else None
        if not isinstance(assignment, Mapping) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in assignment.items()
        ):
            raise InvalidInstance('a pods solution is {"assignment": {"namespace/pod": "node" or null}}')
        return cls(assignment)

    def plan(self, instance: PodsInstance) -> list[dict[str, Any]]:
        """What an operator does, one step per pod that changes: bind, move, evict, or stays pending.

        Evictions first, then moves, then binds (the order that frees room before using it).
        """
        steps: dict[str, list[dict[str, Any]]] = {"evict": [], "move": [], "bind": [], "pending": []}
        for pod in instance.pods:
            target = self.assignment.get(pod.key)
            if pod.node is None:
                action = "pending" if target is None else "bind"
            elif target is None:
                action = "evict"
            elif target != pod.node:
                action = "move"
            else:
                continue
            steps[action].append(
                {"action": action, "pod": pod.key, "priority": pod.priority, "from": pod.node, "to": target}
            )
        return [step for action in ("evict", "move", "bind", "pending") for step in steps[action]]

    def describe(self, instance: PodsInstance) -> str:
        """The plan as text, one line per pod that changes (bind, move, evict, pending)."""
        lines = []
        for step in self.plan(instance):
            action, pod, prio = step["action"], step["pod"], step["priority"]
            if action == "bind":
                lines.append(f"bind    {pod} (priority {prio}) -> {step['to']}")
            elif action == "move":
                lines.append(f"move    {pod} (priority {prio}) {step['from']} -> {step['to']}")
            elif action == "evict":
                lines.append(f"evict   {pod} (priority {prio}) from {step['from']}")
            else:
                lines.append(f"pending {pod} (priority {prio}): no room")
        return "\n".join(lines) if lines else "nothing to do: every pod stays where it is"
