"""DAG checker: one task at a time per processor, every task after each predecessor's finish
plus the communication delay when they run on different processors; makespan recomputed.

Plain Python over the instance's lists; it shares nothing with the heuristics or CP-SAT.
"""

from __future__ import annotations

from typing import Any


def _integers(data: dict[str, Any], key: str, n: int, violations: list[str]) -> list[int] | None:
    values = data.get(key)
    if not isinstance(values, list | tuple):
        violations.append(f'the solution has no "{key}" list')
        return None
    if len(values) != n:
        violations.append(f'"{key}" lists {len(values)} values for {n} tasks')
        return None
    bad = [i for i, v in enumerate(values) if isinstance(v, bool) or not isinstance(v, int)]
    if bad:
        violations.append(f'"{key}"[{bad[0]}] = {values[bad[0]]!r} is not an integer')
        return None
    return [int(v) for v in values]


def _delay(instance: Any, data: int, k: int, target: int) -> int:
    """latency[k] + ceil(data / bandwidth[k][target]); data alone without a network."""
    if k == target:
        return 0
    bandwidth = 1 if instance.bandwidth is None else int(instance.bandwidth[k, target])
    latency = 0 if instance.latency is None else int(instance.latency[k])
    return latency + -(-data // bandwidth)


def check(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """(recomputed makespan or None, violations) for `{"processor": [...], "start": [...]}`."""
    if not isinstance(data, dict):
        return None, ['a DAG solution is {"processor": [...], "start": [...]}']
    n, p = instance.n, instance.p
    ids = list(instance.task_ids)
    violations: list[str] = []
    processor = _integers(data, "processor", n, violations)
    start = _integers(data, "start", n, violations)
    if processor is None or start is None:
        return None, violations
    for i in range(n):
        if not 0 <= processor[i] < p:
            violations.append(f"task {ids[i]}: processor {processor[i]} does not exist (0..{p - 1})")
        if start[i] < 0:
            violations.append(f"task {ids[i]} starts at {start[i]}, before time 0")
    if violations:
        return None, violations
    cost = instance.cost.tolist()
    finish = [start[i] + cost[i][processor[i]] for i in range(n)]
    on: dict[int, list[int]] = {}
    for i in range(n):
        if cost[i][processor[i]] > 0:  # a zero-cost task occupies no time
            on.setdefault(processor[i], []).append(i)
    for k, tasks in sorted(on.items()):
        tasks.sort(key=lambda i: (start[i], i))
        for a, b in zip(tasks, tasks[1:], strict=False):
            if start[b] < finish[a]:
                violations.append(f"processor {k}: tasks {ids[a]} [{start[a]}, {finish[a]}) and "
                                  f"{ids[b]} [{start[b]}, {finish[b]}) overlap")
    for (a, b), size in zip(instance.edges.tolist(), instance.data.tolist(), strict=True):
        ready = finish[a] + _delay(instance, int(size), processor[a], processor[b])
        if start[b] < ready:
            violations.append(f"task {ids[b]} starts at {start[b]} before {ready}: predecessor "
                              f"{ids[a]} ends at {finish[a]} on processor {processor[a]}, it runs on "
                              f"{processor[b]}")
    return max(finish), violations
