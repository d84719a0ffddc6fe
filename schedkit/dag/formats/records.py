"""The project's JSON for DAG instances: the layout of the HEFT paper's example file.

    {"family": "dag", "name": ..., "task_ids": [1, 2, ...], "processors": ["P1", ...],
     "computation_cost": {"1": [14, 16, 9], ...},
     "edges": [[source id, target id, communication cost], ...],
     "bandwidth": [[...]], "latency": [...],      # optional network: the third edge value is
     "meta": {...}}                               # then a data size (see schedkit.dag.model)

`task_ids` defaults to the keys of `computation_cost` in file order, `processors` to P1..Pp.
Fields the model does not know (`source`, `reference`, ...) are kept in `meta`. The shared
example has no `family` field; `looks_like_dag` recognises it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.common.records import is_text, list_field, meta_field, text_field
from schedkit.dag.model import DAGInstance
from schedkit.errors import InvalidInstance

_FIELDS = {"family", "name", "task_ids", "processors", "computation_cost", "edges", "bandwidth",
           "latency", "meta", "schedkit"}


def looks_like_dag(record: Mapping[str, Any]) -> bool:
    """A JSON object with a cost table and an edge list is a DAG instance."""
    return "computation_cost" in record and "edges" in record


def _integer(value: Any, where: str) -> int:
    """An integer cell (a float with no fraction is accepted); else InvalidInstance."""
    if value is None:
        raise InvalidInstance(f"{where} is missing (null)")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInstance(f"{where} = {value!r} is not a number")
    if isinstance(value, float) and not value.is_integer():
        raise InvalidInstance(f"{where} = {value} is not an integer (scale the data to integers)")
    return int(value)


def _costs(record: Mapping[str, Any], ids: list[Any], p: int | None) -> list[list[int]]:
    table = record["computation_cost"]
    if not isinstance(table, Mapping):
        raise InvalidInstance("computation_cost must map each task id to its list of costs")
    known = {str(t) for t in ids}
    for key in table:
        if key not in known:
            raise InvalidInstance(f"computation_cost names task {key}, which is not in task_ids")
    rows: list[list[int]] = []
    for task in ids:
        row = table.get(str(task))
        if row is None:
            raise InvalidInstance(f"computation_cost: task {task} has no costs (missing)")
        if not isinstance(row, list):
            raise InvalidInstance(f"computation_cost[{task}] must be a list, one cost per processor")
        width = len(rows[0]) if rows else p
        if width is not None and len(row) != width:
            raise InvalidInstance(f"computation_cost[{task}] has {len(row)} costs, expected {width} "
                                  "(one per processor): a cost is missing")
        rows.append([_integer(v, f"computation_cost[{task}][{k}]") for k, v in enumerate(row)])
    return rows


def _edges(record: Mapping[str, Any], ids: list[Any]) -> tuple[list[list[int]], list[int]]:
    index = {str(t): i for i, t in enumerate(ids)}
    edges, data = [], []
    if not isinstance(record["edges"], list):
        raise InvalidInstance("edges must be a list of [source, target, cost]")
    for e, item in enumerate(record["edges"]):
        if not isinstance(item, list) or len(item) != 3:
            raise InvalidInstance(f"edges[{e}] = {item!r}: expected [source, target, cost]")
        ends = []
        for side, name in ((0, "source"), (1, "target")):
            if str(item[side]) not in index:
                raise InvalidInstance(f"edges[{e}]: {name} {item[side]!r} is not a task in task_ids")
            ends.append(index[str(item[side])])
        edges.append(ends)
        data.append(_integer(item[2], f"edges[{e}] cost"))
    return edges, data


def dag_from_record(record: Mapping[str, Any], default_name: str) -> DAGInstance:
    """Build a DAG instance from the JSON object (see the module docstring)."""
    for key in ("computation_cost", "edges"):
        if key not in record:
            raise InvalidInstance(f"missing field {key!r} (a DAG record needs computation_cost "
                                  "and edges)")
    table = record["computation_cost"]
    if "task_ids" in record:
        ids = list_field(record, "task_ids", "one id per task, a string or an integer")
        for k, task in enumerate(ids):
            if not is_text(task):
                raise InvalidInstance(f"task_ids[{k}] = {task!r:.40} is not a string or integer id")
    else:
        ids = list(table if isinstance(table, Mapping) else [])
    processors = record.get("processors")
    if processors is not None and not isinstance(processors, list):
        raise InvalidInstance("field 'processors' must be a list of processor names")
    rows = _costs(record, ids, None if processors is None else len(processors))
    edges, data = _edges(record, ids)
    meta = meta_field(record, _FIELDS)
    return DAGInstance(
        cost=rows, edges=edges, data=data, bandwidth=record.get("bandwidth"),
        latency=record.get("latency"), task_ids=ids, processors=processors,
        name=text_field(record, "name", default_name), meta=meta,
    )
