"""VMR instances from plain records: the project's JSON object and the rows of the CSV pair.

JSON (`"family": "vmr"`):

    {"family": "vmr", "name": "c1", "migration_limit": 50, "fragment_size": 16,
     "machines": [{"id": "pm0", "numa": [{"cpu": 44, "mem": 176}, {"cpu": 44, "mem": 176}]}],
     "vms": [{"id": "vm0", "cpu": 8, "mem": 32, "machine": "pm0", "numa": [0]},
             {"id": "vm1", "cpu": 16, "mem": 64, "machine": "pm0", "numa": [0, 1]}],
     "anti_affinity": {"db": ["vm0", "vm1"]},
     "meta": {}}

Ids are strings (a number is read as its decimal text). `numa` lists the NUMA numbers on
the VM's machine: one, or two for a VM split half and half. `migration_limit` (K) defaults
to 50 and `fragment_size` (F) to 16; `anti_affinity` is optional.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from schedkit.common.records import is_text, meta_field, text_field
from schedkit.errors import InvalidInstance
from schedkit.vmr.model import DEFAULT_FRAGMENT_SIZE, DEFAULT_MIGRATION_LIMIT, VMRInstance

_FIELDS = {"family", "name", "migration_limit", "fragment_size", "machines", "vms",
           "anti_affinity", "meta", "schedkit"}


def _integer(value: Any, where: str) -> int:
    """An integral JSON number (booleans, NaN and infinities are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInstance(f"{where} must be an integer, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInstance(f"{where} must be a finite integer, got {value!r}")
    if value != int(value):
        raise InvalidInstance(f"{where} must be an integer, got {value!r}")
    return int(value)


def _ident(value: Any, where: str) -> str:
    if not is_text(value) or str(value) == "":
        raise InvalidInstance(f"{where} must be a non-empty string or integer id, got {value!r}")
    return str(value)


def build(
    machines: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    vms: Sequence[tuple[str, int, int, str, Sequence[int], str | None]],
    migration_limit: int,
    fragment_size: int,
    name: str,
    meta: Mapping[str, Any],
    group_order: Sequence[str] | None = None,
) -> VMRInstance:
    """The instance from machine rows (id, [(cpu, mem) per NUMA]) and VM rows
    (id, cpu, mem, machine id, NUMA numbers, group or None); unknown machines and NUMA
    numbers raise InvalidInstance naming the VM."""
    machine_ids = [m for m, _ in machines]
    first_node: dict[str, int] = {}
    node_machine: list[int] = []
    node_cpu: list[int] = []
    node_mem: list[int] = []
    for index, (ident, nodes) in enumerate(machines):
        if ident in first_node:
            raise InvalidInstance(f"machine id {ident!r} appears twice")
        if not nodes:
            raise InvalidInstance(f"machine {ident!r} has no NUMA nodes")
        first_node[ident] = len(node_machine)
        for cpu, mem in nodes:
            node_machine.append(index)
            node_cpu.append(cpu)
            node_mem.append(mem)
    counts = {ident: len(numa) for ident, numa in machines}
    groups: dict[str, int] = {g: k for k, g in enumerate(group_order or [])}
    vm_ids: list[str] = []
    vm_cpu: list[int] = []
    vm_mem: list[int] = []
    node0: list[int] = []
    node1: list[int] = []
    vm_group: list[int] = []
    for ident, cpu, mem, machine, where, group in vms:
        numa: list[int] = [int(k) for k in where]
        if machine not in first_node:
            raise InvalidInstance(f"VM {ident!r} runs on unknown machine {machine!r}")
        if len(numa) not in (1, 2):
            raise InvalidInstance(f"VM {ident!r}: numa lists {len(numa)} nodes; a VM takes one "
                                  "NUMA node or half of each of two")
        for k in numa:
            if not 0 <= k < counts[machine]:
                raise InvalidInstance(f"VM {ident!r}: machine {machine!r} has no NUMA {k} "
                                      f"(it has 0..{counts[machine] - 1})")
        if len(numa) == 2 and numa[0] == numa[1]:
            raise InvalidInstance(f"VM {ident!r}: numa lists NUMA {numa[0]} twice")
        vm_ids.append(ident)
        vm_cpu.append(cpu)
        vm_mem.append(mem)
        node0.append(first_node[machine] + numa[0])
        node1.append(first_node[machine] + numa[1] if len(numa) == 2 else -1)
        if group is None:
            vm_group.append(-1)
        else:
            vm_group.append(groups.setdefault(group, len(groups)))
    return VMRInstance(
        machine_ids=machine_ids, node_machine=node_machine, node_cpu=node_cpu, node_mem=node_mem,
        vm_ids=vm_ids, vm_cpu=vm_cpu, vm_mem=vm_mem, vm_node0=node0, vm_node1=node1,
        migration_limit=migration_limit, fragment_size=fragment_size, vm_group=vm_group,
        group_names=list(groups), name=name, meta=meta,
    )


def _machines(record: Mapping[str, Any]) -> list[tuple[str, list[tuple[int, int]]]]:
    items = record.get("machines")
    if not isinstance(items, list):
        raise InvalidInstance("field 'machines' must be a list of {id, numa: [{cpu, mem}]}")
    machines = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or "id" not in item or not isinstance(item.get("numa"), list):
            raise InvalidInstance(f"machines[{i}] must be an object with 'id' and a 'numa' list")
        numa = []
        for k, node in enumerate(item["numa"]):
            if not isinstance(node, Mapping) or not {"cpu", "mem"} <= set(node):
                raise InvalidInstance(f"machines[{i}].numa[{k}] must be an object with cpu and mem")
            numa.append((_integer(node["cpu"], f"machines[{i}].numa[{k}].cpu"),
                         _integer(node["mem"], f"machines[{i}].numa[{k}].mem")))
        machines.append((_ident(item["id"], f"machines[{i}].id"), numa))
    return machines


def _groups(record: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """VM id -> group name, and the group names in file order."""
    groups = record.get("anti_affinity")
    groups = {} if groups is None else groups  # false, 0, "" or [] are not "no groups"
    if not isinstance(groups, Mapping):
        raise InvalidInstance("field 'anti_affinity' must map group names to lists of VM ids")
    member: dict[str, str] = {}
    for name, ids in groups.items():
        if not isinstance(ids, list) or not ids:
            raise InvalidInstance(f"anti_affinity[{name!r}] must be a non-empty list of VM ids")
        for k, ident in enumerate(ids):
            vm = _ident(ident, f"anti_affinity[{name!r}][{k}]")
            if vm in member:
                raise InvalidInstance(f"VM {vm!r} is in anti-affinity groups {member[vm]!r} and "
                                      f"{name!r}; a VM may be in one group only")
            member[vm] = str(name)
    return member, [str(g) for g in groups]


def from_record(record: Mapping[str, Any], default_name: str) -> VMRInstance:
    """Build a VMR instance from the project's JSON object; unknown top-level fields go to meta."""
    machines = _machines(record)
    member, group_order = _groups(record)
    items = record.get("vms")
    if not isinstance(items, list):
        raise InvalidInstance("field 'vms' must be a list of {id, cpu, mem, machine, numa}")
    vms = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not {"id", "cpu", "mem", "machine", "numa"} <= set(item):
            raise InvalidInstance(f"vms[{i}] must be an object with id, cpu, mem, machine and numa")
        numa = item["numa"]
        if not isinstance(numa, list):
            raise InvalidInstance(f"vms[{i}].numa must be a list of one or two NUMA numbers")
        ident = _ident(item["id"], f"vms[{i}].id")
        vms.append((ident, _integer(item["cpu"], f"vms[{i}].cpu"), _integer(item["mem"], f"vms[{i}].mem"),
                    _ident(item["machine"], f"vms[{i}].machine"),
                    [_integer(k, f"vms[{i}].numa") for k in numa], member.pop(ident, None)))
    if member:
        raise InvalidInstance(f"anti_affinity names unknown VM {next(iter(member))!r}")
    meta = meta_field(record, _FIELDS)
    limit = _integer(record.get("migration_limit", DEFAULT_MIGRATION_LIMIT), "migration_limit")
    size = _integer(record.get("fragment_size", DEFAULT_FRAGMENT_SIZE), "fragment_size")
    return build(machines, vms, limit, size, text_field(record, "name", default_name), meta, group_order)
