"""Kasahara's Standard Task Graph (STG) files, `.stg`, on p identical processors.

    N                                   tasks besides the dummy entry 0 and exit N+1
    id  cost  k  pred_1 ... pred_k      N+2 lines, ids 0..N+1 in order
    # comment lines to the end of the file

STG graphs have no communication costs (every edge costs 0) and no processor count: the
format argument gives it, `--format stg:8`, and it is 4 when none is given (DEFAULT_PROCESSORS).
Every task costs the same on every processor. Task ids are those of the file (dummies
included, at cost 0), so a solution's indices are the file's ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from schedkit.common.numbers import is_int, read_int
from schedkit.common.textfile import file_stem
from schedkit.dag.model import MAX_COST_CELLS, DAGInstance
from schedkit.errors import InvalidInstance, ParseError

DEFAULT_PROCESSORS = 4


def processors_from_arg(path: Path, arg: str | None) -> int:
    """The processor count of `stg:P` (DEFAULT_PROCESSORS without one)."""
    if arg is None:
        return DEFAULT_PROCESSORS
    if not is_int(arg) or not 1 <= read_int(arg) <= 4096:
        raise ParseError(str(path), None, "stg:P with P a processor count from 1 to 4096",
                         repr(arg))
    return int(arg)


def _tokens(text: str) -> list[tuple[str, int]]:
    """(token, line number) up to the first comment line."""
    found: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            break
        found.extend((token, number) for token in line.split())
    return found


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """The one graph of an STG file."""
    p = processors_from_arg(path, arg)
    tokens = _tokens(text)
    position = 0

    def number(what: str) -> int:
        nonlocal position
        if position >= len(tokens):
            last = tokens[-1][1] if tokens else 1
            raise ParseError(str(path), last, what, "the end of the task list")
        token, line = tokens[position]
        position += 1
        if not is_int(token) or token.startswith(("-", "+")):
            raise ParseError(str(path), line, f"{what} (a non-negative integer below 2^62)", repr(token[:30]))
        return read_int(token)

    count = number("the task count N") + 2
    costs, edges = [], []
    for expected in range(count):
        line = tokens[position][1] if position < len(tokens) else None
        task = number(f"task id {expected}")
        if task != expected:
            raise ParseError(str(path), line, f"task id {expected} (ids run 0..N+1 in order)", str(task))
        costs.append(number(f"the cost of task {task}"))
        for _ in range(number(f"the predecessor count of task {task}")):
            pred = number(f"a predecessor of task {task}")
            if pred >= count:
                raise ParseError(str(path), line, f"a predecessor id below {count}", str(pred))
            edges.append((pred, task))
    if position < len(tokens):
        token, line = tokens[position]
        raise ParseError(str(path), line, f"the end of the {count} task lines", repr(token))
    if count * p > MAX_COST_CELLS:  # every task's cost on every processor: refused before allocation
        raise ParseError(str(path), None, f"tasks x processors up to {MAX_COST_CELLS:,}",
                         f"{count:,} x {p:,} (stg:{p})")
    try:
        instance = DAGInstance(
            cost=np.repeat(np.array(costs, np.int64)[:, None], p, axis=1),
            edges=np.array(edges, np.int64).reshape(-1, 2), task_ids=list(range(count)),
            name=file_stem(path),
        )
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error}") from None
    return [("1", instance)]


def write(instances: Any, path: Path, arg: str | None) -> None:
    """One instance as STG: needs identical processors, no communication, ids 0..n-1."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: an STG file holds one graph, got {len(items)}")
    x: DAGInstance = items[0]
    if np.any(x.cost != x.cost[:, :1]) or np.any(x.data != 0) or x.has_network:
        raise InvalidInstance(f"{path}: STG holds identical processors without communication "
                              "costs; this instance has more: write JSON instead")
    if x.n < 2:
        raise InvalidInstance(f"{path}: STG needs the entry and exit tasks (at least 2 tasks)")
    if arg is not None and processors_from_arg(path, arg) != x.cost.shape[1]:  # read back wrong
        raise InvalidInstance(f"{path}: stg:{arg} gives the processor count, but the instance has "
                              f"{x.cost.shape[1]}: write stg:{x.cost.shape[1]}")
    predecessors: list[list[int]] = [[] for _ in range(x.n)]
    for a, b in x.edges.tolist():
        predecessors[b].append(a)
    lines = [f"{x.n - 2:>8}"]
    for task in range(x.n):
        preds = " ".join(f"{a:>6}" for a in sorted(predecessors[task]))
        lines.append(f"{task:>6} {int(x.cost[task, 0]):>6} {len(predecessors[task]):>6} {preds}".rstrip())
    lines.append(f"# {x.name}: written by schedkit")
    path.write_text("\n".join(lines) + "\n")
