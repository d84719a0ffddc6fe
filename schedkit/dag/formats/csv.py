"""A DAG as a pair of CSV files in one directory (format `dag-csv`).

    costs.csv   task,P1,P2,...        header: "task" then one column per processor
                1,14,16,9             one row per task: its id, then its cost on each processor
    edges.csv   source,target,cost    header, then one row per edge (ids as in costs.csv);
                1,2,18                cost = communication cost when on different processors

`schedkit.load("graph_dir/")` reads such a directory; `write(x, "graph_dir", "dag-csv")`
writes one. Values must be integers (no scaling is applied). Task ids that are integers
are read as integers, others as strings. The network model (bandwidth, latency) has no
CSV form: use the JSON for it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.common.numbers import explain, is_int, read_int
from schedkit.common.textfile import read_text
from schedkit.dag.model import DAGInstance
from schedkit.errors import InvalidInstance, ParseError

COSTS = "costs.csv"
EDGES = "edges.csv"


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank line."""
    if not path.exists():
        raise ParseError(str(path), None, f"a DAG directory holds both {COSTS} and {EDGES}",
                         "no such file")
    text = read_text(path)
    try:
        return [(number, [c.strip() for c in row]) for number, row in
                enumerate(csv.reader(io.StringIO(text, newline="")), start=1) if any(c.strip() for c in row)]
    except csv.Error as error:
        raise ParseError(str(path), None, "CSV rows", str(error)) from None


def _id(text: str) -> Any:
    return read_int(text) if is_int(text) else text


def _value(path: Path, line: int, column: str, text: str) -> int:
    if not text:
        raise ParseError(str(path), line, f"an integer in column {column!r}", "an empty cell (missing)")
    try:
        return read_int(text)
    except ValueError:
        expected, found = explain(text)
        raise ParseError(str(path), line, f"{expected} in column {column!r}", found) from None


def read_directory(directory: Path) -> list[tuple[str, Any]]:
    """The instance of a directory holding costs.csv and edges.csv; [] when it holds no costs.csv."""
    if not (directory / COSTS).exists():
        return []
    costs_path, edges_path = directory / COSTS, directory / EDGES
    cost_rows = _rows(costs_path)
    edge_rows = _rows(edges_path)
    if not cost_rows or cost_rows[0][1][0].lower() != "task" or len(cost_rows[0][1]) < 2:
        raise ParseError(str(costs_path), 1, "a header 'task,<processor>,...'",
                         repr(",".join(cost_rows[0][1])) if cost_rows else "an empty file")
    processors = cost_rows[0][1][1:]
    ids, costs = [], []
    for line, cells in cost_rows[1:]:
        if len(cells) != len(processors) + 1:
            raise ParseError(str(costs_path), line, f"a task id and {len(processors)} costs",
                             f"{len(cells)} cells (a cost is missing)")
        ids.append(_id(cells[0]))
        costs.append([_value(costs_path, line, processors[k], c) for k, c in enumerate(cells[1:])])
    index = {str(t): i for i, t in enumerate(ids)}
    header = [c.lower() for c in edge_rows[0][1]] if edge_rows else []
    if header != ["source", "target", "cost"]:
        raise ParseError(str(edges_path), 1, "the header 'source,target,cost'", repr(",".join(header)))
    edges, data = [], []
    for line, cells in edge_rows[1:]:
        if len(cells) != 3:
            raise ParseError(str(edges_path), line, "source,target,cost", f"{len(cells)} cells")
        for column, cell in zip(("source", "target"), cells[:2], strict=True):
            if cell not in index:
                raise ParseError(str(edges_path), line, f"a {column} task listed in {COSTS}", repr(cell))
        edges.append([index[cells[0]], index[cells[1]]])
        data.append(_value(edges_path, line, "cost", cells[2]))
    try:
        instance = DAGInstance(cost=costs, edges=np.array(edges, np.int64).reshape(-1, 2), data=data,
                               task_ids=ids, processors=processors, name=directory.name)
    except InvalidInstance as error:
        raise InvalidInstance(f"{directory}: {error}") from None
    return [("1", instance)]


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """`--format dag-csv` names a directory, never a single file."""
    raise ParseError(str(path), None, f"a directory holding {COSTS} and {EDGES}", "a single file")


def write(instances: Any, path: Path, arg: str | None) -> None:
    """One instance as `path/costs.csv` and `path/edges.csv` (the directory is created)."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: a CSV pair holds one graph, got {len(items)}")
    x: DAGInstance = items[0]
    if x.has_network:
        raise InvalidInstance(f"{path}: the CSV pair has no bandwidth or latency: write JSON instead")
    path.mkdir(parents=True, exist_ok=True)
    ids = list(x.task_ids or ())
    with (path / COSTS).open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["task", *(x.processors or ())])
        out.writerows([task, *row] for task, row in zip(ids, x.cost.tolist(), strict=True))
    with (path / EDGES).open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "target", "cost"])
        out.writerows([ids[a], ids[b], c] for (a, b), c in zip(x.edges.tolist(), x.data.tolist(),
                                                               strict=True))
