"""Pods checker: every pod placed at most once on an existing node that may take it, capacities
per node and resource, pod counts, immovable pods unmoved; the objective recomputed.

Plain Python over the instance's records (not its derived arrays), sharing nothing with the
methods: eligibility (cordon, nodeSelector, required affinity, NoSchedule/NoExecute taints) is
re-derived here from the taint and toleration rules of Kubernetes.
"""

from __future__ import annotations

import re
from typing import Any

BLOCKING = ("NoSchedule", "NoExecute")
DECIMAL = re.compile(r"([+-]?)0*([0-9]{1,19})")  # strconv.ParseInt(s, 10, 64), with the range below


def _int64(text: str) -> int | None:
    """`text` as Kubernetes reads a Gt/Lt number (None: no number, the node does not match)."""
    match = DECIMAL.fullmatch(text)
    if match is None:
        return None
    number = int(match[1] + match[2])
    return number if -(2**63) <= number < 2**63 else None


def _tolerated(taint: Any, tolerations: Any) -> bool:
    for t in tolerations:
        if t.effect and t.effect != taint.effect:
            continue
        if t.key and t.key != taint.key:
            continue
        if t.operator == "Exists" or t.value == taint.value:
            return True
    return False


def _expression_holds(expr: Any, node: Any) -> bool:
    if expr.key == "metadata.name":
        present, value = True, node.name
    else:
        present, value = expr.key in node.labels, node.labels.get(expr.key, "")
    op = expr.operator
    if op == "In":
        return present and value in expr.values
    if op == "NotIn":
        return not present or value not in expr.values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    number, limit = _int64(value), _int64(expr.values[0]) if len(expr.values) == 1 else None
    if not present or number is None or limit is None:
        return False
    return number > limit if op == "Gt" else number < limit


def _why_not(pod: Any, node: Any) -> str | None:
    """Why the scheduler may not put `pod` on `node`, or None when it may."""
    if node.unschedulable:
        return "the node is cordoned (unschedulable)"
    for key, value in pod.node_selector.items():
        if node.labels.get(key) != value:
            return f"nodeSelector {key}={value} does not match"
    if pod.affinity and not any(all(_expression_holds(e, node) for e in term) for term in pod.affinity):
        return "no required node-affinity term matches"
    for taint in node.taints:
        if taint.effect in BLOCKING and not _tolerated(taint, pod.tolerations):
            return f"taint {taint.key}={taint.value}:{taint.effect} is not tolerated"
    return None


def _vector(instance: Any, target: dict[str, str | None]) -> list[tuple[int, int, int]]:
    tiers = sorted({p.priority for p in instance.pods}, reverse=True)
    rows = []
    for tier in tiers:
        unplaced = disturbance = 0
        for pod in instance.pods:
            if pod.priority < tier:
                continue
            where = target[pod.key]
            if where is None:
                unplaced += 1
            if pod.node is not None:
                disturbance += 1 if where is None else 2 if where != pod.node else 0
        rows.append((tier, unplaced, disturbance))
    return rows


def check(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """Return (recomputed scalar objective or None, violations) for `{"assignment": {...}}`."""
    if not isinstance(data, dict) or not isinstance(data.get("assignment"), dict):
        return None, ['the solution has no "assignment" object']
    assignment = data["assignment"]
    nodes = {node.name: node for node in instance.nodes}
    pods = {pod.key: pod for pod in instance.pods}
    violations = [f"unknown pod {key!r} in the assignment" for key in assignment if key not in pods]
    missing = [key for key in pods if key not in assignment]
    if missing:
        violations.append(f"{len(missing)} pod(s) missing from the assignment: {', '.join(missing[:5])}")
    cpu = dict.fromkeys(nodes, 0)
    memory = dict.fromkeys(nodes, 0)
    count = dict.fromkeys(nodes, 0)
    target: dict[str, str | None] = {}
    for key, pod in pods.items():
        where = assignment.get(key)
        if where is not None and not isinstance(where, str):
            violations.append(f"pod {key!r}: {where!r} is not a node name or null")
            where = None
        if where is not None and where not in nodes:
            violations.append(f"pod {key!r} is assigned to unknown node {where!r}")
            where = None
        target[key] = where
        if pod.node is not None and not pod.movable and where != pod.node:
            action = "evicted" if where is None else f"moved to {where}"
            violations.append(f"immovable pod {key!r} is {action} (it must stay on {pod.node})")
        if where is None:
            continue
        if where != pod.node:
            reason = _why_not(pod, nodes[where])
            if reason is not None:
                violations.append(f"pod {key!r} may not go to {where}: {reason}")
        cpu[where] += pod.cpu
        memory[where] += pod.memory
        count[where] += 1
    for name, node in nodes.items():
        for what, used, limit in (
            ("cpu", cpu[name], node.cpu),
            ("memory", memory[name], node.memory),
            ("pods", count[name], node.max_pods),
        ):
            if used > limit:
                violations.append(
                    f"node {name}: {what} overcommitted, {used} requested > {limit} allocatable"
                )
    if violations:
        return None, violations
    base = 2 * len(pods) + 1
    value = 0
    for _, unplaced, disturbance in _vector(instance, target):
        value = (value * base + unplaced) * base + disturbance
    return value, violations
