"""The VMR CSV pair, for clusters exported from an inventory (format `vmr-csv`).

A directory holds

- `machines.csv`, one row per NUMA node, NUMA numbers 0, 1, ... in order per machine:

      machine,numa,cpu,mem
      pm0,0,44,176
      pm0,1,44,176

- `vms.csv`, one row per VM; `numa` is one NUMA number or two joined by `;` (the VM is split
  half and half over them); `group` (optional column, may be empty) names its anti-affinity group:

      vm,cpu,mem,machine,numa,group
      vm0,8,32,pm0,0,
      vm1,16,64,pm0,0;1,db

- optionally `params.csv` with `key,value` rows `migration_limit` (K, default 50),
  `fragment_size` (F, default 16) and `name` (default: the directory name).

All amounts are integers (cores, GiB or any one unit). `schedkit load DIR`, `schedkit load
DIR/machines.csv` and `--format vmr-csv:K=25,F=16` (overrides params.csv) all read it; the
writer (`schedkit convert x.json DIR --to vmr-csv`) writes all three files into DIR.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from schedkit.common.textfile import read_text
from schedkit.errors import InvalidInstance, ParseError
from schedkit.vmr.formats.records import build
from schedkit.vmr.model import DEFAULT_FRAGMENT_SIZE, DEFAULT_MIGRATION_LIMIT, VMRInstance

MACHINES = "machines.csv"
VMS = "vms.csv"
PARAMS = "params.csv"
MACHINE_COLUMNS = ("machine", "numa", "cpu", "mem")
VM_COLUMNS = ("vm", "cpu", "mem", "machine", "numa")
INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; ParseError when a required column is missing."""
    try:
        text = read_text(path)  # size-checked, UTF-8 (a BOM dropped), compressed files read through
    except FileNotFoundError:
        raise ParseError(str(path), None, "a file (the VMR CSV pair needs machines.csv and vms.csv)",
                         "no such file") from None
    try:
        return _dict_rows(path, csv.DictReader(io.StringIO(text, newline="")), required)
    except csv.Error as error:  # e.g. a lone carriage return inside a field
        raise ParseError(str(path), None, "CSV rows", str(error)) from None


def _dict_rows(path: Path, reader: csv.DictReader,
               required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise ParseError(str(path), 1, f"a header with columns {', '.join(required)}",
                         f"{','.join(header) or 'nothing'} (missing {', '.join(missing)})")
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:  # DictReader would keep the last column of a name
        raise ParseError(str(path), 1, "each column named once", f"{', '.join(twice)} twice")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:  # fields beyond the header: `0,1` for `0;1` would read as NUMA 0
            raise ParseError(str(path), reader.line_num, f"at most {len(header)} fields ({','.join(header)})",
                             f"{len(header) + len(row[None])}")  # type: ignore[index]
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)
                                       and isinstance(v, str | type(None))}))
    return rows


def _int(path: Path, line: int | None, column: str, value: str) -> int:
    """An ASCII decimal integer (no other digits, no underscores, at most 18 digits)."""
    if not INTEGER.fullmatch(value):
        raise ParseError(str(path), line, f"an integer in column {column!r}", repr(value))
    return int(value)


def _machines(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    machines: dict[str, list[tuple[int, int]]] = {}
    last = None
    for line, row in _rows(path, MACHINE_COLUMNS):
        ident = row["machine"]
        if not ident:
            raise ParseError(str(path), line, "a machine id", "an empty field")
        if ident in machines and ident != last:
            raise ParseError(str(path), line, f"the NUMA rows of machine {ident!r} next to each other",
                             "a second block of rows")
        numa = _int(path, line, "numa", row["numa"])
        nodes = machines.setdefault(ident, [])
        if numa != len(nodes):
            raise ParseError(str(path), line, f"NUMA {len(nodes)} of machine {ident!r} (numbered 0, 1, ...)",
                             f"NUMA {numa}")
        nodes.append((_int(path, line, "cpu", row["cpu"]), _int(path, line, "mem", row["mem"])))
        last = ident
    if not machines:
        raise ParseError(str(path), None, "at least one machine row", "none")
    return list(machines.items())


def _vms(path: Path) -> list[tuple[str, int, int, str, list[int], str | None]]:
    vms = []
    for line, row in _rows(path, VM_COLUMNS):
        numa = [_int(path, line, "numa", part) for part in row["numa"].split(";")]
        vms.append((row["vm"], _int(path, line, "cpu", row["cpu"]), _int(path, line, "mem", row["mem"]),
                    row["machine"], numa, row.get("group") or None))
    return vms


def _params(folder: Path, arg: str | None) -> dict[str, str]:
    params: dict[str, str] = {}
    path = folder / PARAMS
    if path.exists():
        for line, row in _rows(path, ("key", "value")):
            if row["key"] not in ("migration_limit", "fragment_size", "name"):
                raise ParseError(str(path), line, "key migration_limit, fragment_size or name",
                                 repr(row["key"]))
            if row["key"] in params:
                raise ParseError(str(path), line, f"{row['key']} once", "a second row of it")
            params[row["key"]] = row["value"]
    return {**params, **_arg_params(arg)}


def _arg_params(arg: str | None) -> dict[str, str]:
    """The parameters of `vmr-csv:K=..,F=..` by their names (migration_limit, fragment_size)."""
    params: dict[str, str] = {}
    for item in (arg or "").split(","):
        if not item:
            continue
        key, _, value = item.partition("=")
        keys = {"K": "migration_limit", "F": "fragment_size"}
        if key not in keys or not value:
            raise ParseError("--format", None, "vmr-csv:K=<limit>,F=<fragment size>", repr(arg))
        params[keys[key]] = value
    return params


def read_folder(folder: Path, arg: str | None = None) -> VMRInstance:
    """The instance of the CSV pair in `folder` (see the module docstring)."""
    machines = _machines(folder / MACHINES)
    vms = _vms(folder / VMS)
    params = _params(folder, arg)
    where = folder / PARAMS
    limit = _int(where, None, "migration_limit", params.get("migration_limit", str(DEFAULT_MIGRATION_LIMIT)))
    size = _int(where, None, "fragment_size", params.get("fragment_size", str(DEFAULT_FRAGMENT_SIZE)))
    name = params.get("name") or folder.resolve().name
    try:
        return build(machines, vms, limit, size, name, {})
    except InvalidInstance as error:
        raise InvalidInstance(f"{folder}: {error}") from None


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """Reader for `machines.csv` / `vms.csv` (or `--format vmr-csv`): the pair in its folder."""
    folder = path if path.is_dir() else path.parent
    return [("1", read_folder(folder, arg))]


def read_directory(path: Path) -> list[tuple[str, Any]]:
    """A directory holding machines.csv and vms.csv is one instance; any other is not ours."""
    if (path / MACHINES).is_file() and (path / VMS).is_file():
        return [("1", read_folder(path))]
    return []


def sniff(path: Path, text: str) -> str | None:
    """`machines.csv` and `vms.csv` are the pair."""
    return "vmr-csv" if path.name.lower() in (MACHINES, VMS) else None


def _write_rows(path: Path, header: tuple[str, ...], rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue())


def _refuse_padded_ids(x: VMRInstance, path: Path) -> None:
    """InvalidInstance for an id or name with white space at either end: the reader strips each
    field, so it would read back as another id (and plans naming it would not match)."""
    named = [*(("machine", m) for m in x.machine_ids), *(("VM", v) for v in x.vm_ids),
             *(("anti-affinity group", g) for g in x.group_names), ("name", x.name)]
    for kind, ident in named:
        if ident != ident.strip():
            raise InvalidInstance(f"{path}: {kind} {ident!r} begins or ends with white space, which the "
                                  "vmr-csv reader drops: it would read back as another id (write json)")


def write(instances: Any, path: Path, arg: str | None) -> None:
    """Write one instance as the CSV pair (and params.csv) into directory `path`
    (`path` may also name the machines.csv inside it)."""
    items = list(instances)
    if len(items) != 1 or not isinstance(items[0], VMRInstance):
        raise InvalidInstance(f"{path}: the vmr-csv format holds exactly one VMR instance")
    x: VMRInstance = items[0]
    for key, value in _arg_params(arg).items():  # params.csv holds the instance's own values
        if value != str(getattr(x, key)):
            raise InvalidInstance(f"{path}: vmr-csv:{arg} sets {key} = {value}, but the instance has "
                                  f"{getattr(x, key)}: the written params.csv keeps the instance's")
    _refuse_padded_ids(x, path)
    folder = path.parent if path.name.lower() in (MACHINES, VMS) else path
    folder.mkdir(parents=True, exist_ok=True)
    machines = [[x.machine_ids[x.node_machine[n]], x.numa_index(n), int(x.node_cpu[n]), int(x.node_mem[n])]
                for n in range(x.node_machine.size)]
    _write_rows(folder / MACHINES, MACHINE_COLUMNS, machines)
    vms = []
    for i, ident in enumerate(x.vm_ids):
        nodes = [int(x.vm_node0[i])] + ([int(x.vm_node1[i])] if x.vm_node1[i] >= 0 else [])
        group = x.group_names[x.vm_group[i]] if x.vm_group[i] >= 0 else ""
        vms.append([ident, int(x.vm_cpu[i]), int(x.vm_mem[i]), x.machine_ids[x.node_machine[nodes[0]]],
                    ";".join(str(x.numa_index(n)) for n in nodes), group])
    _write_rows(folder / VMS, (*VM_COLUMNS, "group"), vms)
    _write_rows(folder / PARAMS, ("key", "value"), [
        ["migration_limit", x.migration_limit], ["fragment_size", x.fragment_size], ["name", x.name]])
