"""VM rescheduling (VMR): cut CPU fragmentation with at most K live migrations.

Machines m = 0..M-1 each have one or more NUMA nodes; the nodes of all machines are numbered
globally 0..N-1 (`node_machine[n]` is the machine of node n, the nodes of a machine are
contiguous and its k-th node is its NUMA k) with an integer CPU capacity `node_cpu[n]` (cores)
and memory capacity `node_mem[n]` (GiB, or any integer unit).

VMs v = 0..V-1 have an integer CPU demand `vm_cpu[v]` >= 1 and memory demand `vm_mem[v]` >= 0
and a current placement: one NUMA node `vm_node0[v]` (`vm_node1[v] == -1`), or two distinct NUMA
nodes of one machine, each taking exactly half of the VM. "Half" is exact: a VM placed on two
nodes must have an even CPU and an even memory demand (validated), and keeps that two-node
shape when it migrates (a single-node VM stays single-node).

Optional anti-affinity groups: `vm_group[v]` is the index of v's group in `group_names`
(-1 for none, a VM is in at most one group); no two VMs of a group may run on one machine.

Objective: the free CPU of node n is `node_cpu[n] − Σ CPU placed on n`; the fragment of a node
is (free mod F) with F = `fragment_size` (16 by default: the cores a 16-core VM could not
use). schedkit minimises the integer Σ_n (free_n mod F); the fragment rate
FR = Σ_n (free_n mod F) / Σ_n free_n is that value divided by the total free CPU, which
migrations never change. A solution is an ordered list of at most K = `migration_limit`
migrations; capacities and anti-affinity must hold after every single one.

Input limits (checked here, before any method allocates by them): capacities and demands
<= MAX_AMOUNT = 10^9, K <= MAX_MIGRATION_LIMIT = 100,000, F <= MAX_FRAGMENT_SIZE = 65,536.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common import arguments
from schedkit.common.arrays import integer_array
from schedkit.errors import InvalidInstance

FAMILY = "vmr"
DEFAULT_FRAGMENT_SIZE = 16
DEFAULT_MIGRATION_LIMIT = 50
MAX_AMOUNT = 10**9  # capacities and demands: far below int64 sums
MAX_MIGRATION_LIMIT = 100_000  # K: plans, LNS buffers and model bounds are sized by it
MAX_FRAGMENT_SIZE = 2**16  # F: the kernels rank destinations by delta·4F, which must stay small


def _ids(name: str, values: Sequence[Any]) -> tuple[str, ...]:
    """Ids as text (integers read as their digits); None, a string split into letters, or an id
    of another kind (None became 'None') is InvalidInstance."""
    given = arguments.records(name, values)
    for i, value in enumerate(given):
        if isinstance(value, bool | np.bool_) or not isinstance(value, str | numbers.Integral):
            raise InvalidInstance(f"{name}[{i}] = {value!r} is not an id (text or an integer)")
    ids = tuple(str(v) if isinstance(v, str) else str(int(v)) for v in given)
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if not ident:
            raise InvalidInstance(f"{name}[{i}] is an empty id")
        if ident in seen:
            raise InvalidInstance(
                f"{name}[{i}] = {ident!r} repeats {name}[{seen[ident]}]: ids must be unique")
        seen[ident] = i
    return ids


@dataclass(frozen=True, eq=False)
class VMRInstance:
    """Machines with NUMA nodes, VMs with their current placement, K and F (see the module doc)."""

    machine_ids: Sequence[str]
    node_machine: Any
    node_cpu: Any
    node_mem: Any
    vm_ids: Sequence[str]
    vm_cpu: Any
    vm_mem: Any
    vm_node0: Any
    vm_node1: Any
    migration_limit: int = DEFAULT_MIGRATION_LIMIT
    fragment_size: int = DEFAULT_FRAGMENT_SIZE
    vm_group: Any = None  # None: no anti-affinity; else an int array, -1 for no group
    group_names: Sequence[str] = ()
    name: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    family = FAMILY

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "machine_ids", _ids("machines", self.machine_ids))
        set_(self, "vm_ids", _ids("vms", self.vm_ids))
        set_(self, "group_names", _ids("anti_affinity groups", self.group_names))
        for key in ("node_machine", "node_cpu", "node_mem", "vm_cpu", "vm_mem", "vm_node0", "vm_node1"):
            set_(self, key, integer_array(key, getattr(self, key), limit=MAX_AMOUNT))
        v = len(self.vm_ids)
        group = np.full(v, -1) if self.vm_group is None else self.vm_group
        set_(self, "vm_group", integer_array("vm_group", group, limit=MAX_AMOUNT))
        set_(self, "name", str(self.name))
        set_(self, "meta", arguments.meta(self.meta))
        for key in ("migration_limit", "fragment_size"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise InvalidInstance(f"{key} must be an integer, got {value!r}")
            set_(self, key, int(value))
        if not 0 <= self.migration_limit <= MAX_MIGRATION_LIMIT:
            raise InvalidInstance(
                f"migration_limit = {self.migration_limit}: must be in 0..{MAX_MIGRATION_LIMIT}")
        if not 1 <= self.fragment_size <= MAX_FRAGMENT_SIZE:
            raise InvalidInstance(f"fragment_size = {self.fragment_size}: must be in 1..{MAX_FRAGMENT_SIZE}")
        self._check_nodes()
        self._check_vms()
        self._check_capacity()
        self._check_anti_affinity()

    # -- validation -------------------------------------------------------------------------

    def _check_nodes(self) -> None:
        m = len(self.machine_ids)
        nm, cpu, mem = self.node_machine, self.node_cpu, self.node_mem
        if m == 0:
            raise InvalidInstance("an instance needs at least one machine")
        if not (nm.size == cpu.size == mem.size):
            raise InvalidInstance("node_machine, node_cpu and node_mem must have one entry per NUMA node")
        steps = np.diff(nm)
        if nm.size == 0 or nm[0] != 0 or np.any(steps < 0) or np.any(steps > 1) or nm[-1] != m - 1:
            raise InvalidInstance("node_machine must list every machine's NUMA nodes contiguously, "
                                  "machines in order, each with at least one node")
        for key, values in (("cpu", cpu), ("mem", mem)):
            if np.any(values < 0):
                n = int(np.flatnonzero(values < 0)[0])
                raise InvalidInstance(f"machine {self.machine_ids[nm[n]]!r} NUMA {self.numa_index(n)}: "
                                      f"{key} capacity {values[n]} is negative")

    def _check_vms(self) -> None:
        v = len(self.vm_ids)
        arrays = (self.vm_cpu, self.vm_mem, self.vm_node0, self.vm_node1, self.vm_group)
        if any(a.size != v for a in arrays):
            raise InvalidInstance("vm_cpu, vm_mem, vm_node0, vm_node1 and vm_group need one entry per VM")
        nodes = self.node_machine.size
        for i in range(v):
            ident = self.vm_ids[i]
            if self.vm_cpu[i] < 1:
                raise InvalidInstance(f"VM {ident!r}: cpu demand {self.vm_cpu[i]} must be at least 1")
            if self.vm_mem[i] < 0:
                raise InvalidInstance(f"VM {ident!r}: mem demand {self.vm_mem[i]} is negative")
            a, b = int(self.vm_node0[i]), int(self.vm_node1[i])
            if not 0 <= a < nodes or not -1 <= b < nodes:
                raise InvalidInstance(f"VM {ident!r}: NUMA node index out of range ({a}, {b})")
            if b >= 0:
                if b == a or self.node_machine[a] != self.node_machine[b]:
                    raise InvalidInstance(f"VM {ident!r}: a two-node placement needs two distinct "
                                          "NUMA nodes of one machine")
                if self.vm_cpu[i] % 2 or self.vm_mem[i] % 2:
                    raise InvalidInstance(
                        f"VM {ident!r} spans two NUMA nodes, so each takes half: its cpu "
                        f"({self.vm_cpu[i]}) and mem ({self.vm_mem[i]}) must be even")
            g = int(self.vm_group[i])
            if not -1 <= g < len(self.group_names):
                raise InvalidInstance(f"VM {ident!r}: anti-affinity group index {g} out of range")

    def _check_capacity(self) -> None:
        cpu_used, mem_used = self.node_usage()
        for key, used, cap in (("cpu", cpu_used, self.node_cpu), ("mem", mem_used, self.node_mem)):
            over = np.flatnonzero(used > cap)
            if over.size:
                n = int(over[0])
                raise InvalidInstance(
                    f"machine {self.machine_ids[int(self.node_machine[n])]!r} NUMA {self.numa_index(n)}: "
                    f"the VMs placed there use {used[n]} {key}, over its capacity {cap[n]}")

    def _check_anti_affinity(self) -> None:
        seen: dict[tuple[int, int], int] = {}
        for i in np.flatnonzero(self.vm_group >= 0):
            key = (int(self.vm_group[i]), int(self.node_machine[self.vm_node0[i]]))
            if key in seen:
                raise InvalidInstance(
                    f"VMs {self.vm_ids[seen[key]]!r} and {self.vm_ids[int(i)]!r} of anti-affinity group "
                    f"{self.group_names[key[0]]!r} both run on machine {self.machine_ids[key[1]]!r}")
            seen[key] = int(i)

    # -- derived quantities -------------------------------------------------------------------

    def numa_index(self, node: int) -> int:
        """NUMA number of global node `node` on its machine."""
        machine = self.node_machine[node]
        return int(node - np.searchsorted(self.node_machine, machine))

    def machine_nodes(self, machine: int) -> range:
        """Global node indices of `machine`'s NUMA nodes."""
        lo = int(np.searchsorted(self.node_machine, machine, side="left"))
        hi = int(np.searchsorted(self.node_machine, machine, side="right"))
        return range(lo, hi)

    def node_usage(self) -> tuple[np.ndarray, np.ndarray]:
        """(CPU used, memory used) per node in the current placement."""
        cpu = np.zeros(self.node_machine.size, dtype=np.int64)
        mem = np.zeros(self.node_machine.size, dtype=np.int64)
        single = self.vm_node1 < 0
        np.add.at(cpu, self.vm_node0[single], self.vm_cpu[single])
        np.add.at(mem, self.vm_node0[single], self.vm_mem[single])
        double = ~single
        for nodes in (self.vm_node0[double], self.vm_node1[double]):
            np.add.at(cpu, nodes, self.vm_cpu[double] // 2)
            np.add.at(mem, nodes, self.vm_mem[double] // 2)
        return cpu, mem

    @property
    def num_machines(self) -> int:
        """Number of machines."""
        return len(self.machine_ids)

    @property
    def num_vms(self) -> int:
        """Number of VMs."""
        return len(self.vm_ids)

    @property
    def total_free_cpu(self) -> int:
        """Σ free CPU over all nodes: the FR denominator, unchanged by migrations."""
        return int(self.node_cpu.sum() - self.vm_cpu.sum())

    @property
    def initial_objective(self) -> int:
        """Σ_n (free_n mod F) before any migration."""
        cpu, _ = self.node_usage()
        return int(np.sum((self.node_cpu - cpu) % self.fragment_size))

    def fragment_rate(self, objective: int) -> float:
        """FR for the objective Σ (free mod F): objective / total free CPU (0 when nothing is free)."""
        total = self.total_free_cpu
        return float(objective) / total if total > 0 else 0.0

    # -- plumbing -----------------------------------------------------------------------------

    def _fields(self) -> dict[str, Any]:
        return {
            "machine_ids": self.machine_ids, "node_machine": self.node_machine,
            "node_cpu": self.node_cpu, "node_mem": self.node_mem, "vm_ids": self.vm_ids,
            "vm_cpu": self.vm_cpu, "vm_mem": self.vm_mem, "vm_node0": self.vm_node0,
            "vm_node1": self.vm_node1, "migration_limit": self.migration_limit,
            "fragment_size": self.fragment_size, "vm_group": self.vm_group,
            "group_names": self.group_names, "name": self.name, "meta": self.meta,
        }

    def replace(self, **changes: Any) -> VMRInstance:
        """A new, re-validated instance with some fields changed."""
        fields = self._fields()
        fields = arguments.changed(fields, changes, "VMRInstance")
        return VMRInstance(**fields)

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON shape (see `schedkit.vmr.formats.records`)."""
        machines = []
        for m, ident in enumerate(self.machine_ids):
            numa = [{"cpu": int(self.node_cpu[n]), "mem": int(self.node_mem[n])}
                    for n in self.machine_nodes(m)]
            machines.append({"id": ident, "numa": numa})
        vms = []
        for i, ident in enumerate(self.vm_ids):
            nodes = [int(self.vm_node0[i])] + ([int(self.vm_node1[i])] if self.vm_node1[i] >= 0 else [])
            vms.append({
                "id": ident, "cpu": int(self.vm_cpu[i]), "mem": int(self.vm_mem[i]),
                "machine": self.machine_ids[int(self.node_machine[nodes[0]])],
                "numa": [self.numa_index(n) for n in nodes],
            })
        record: dict[str, Any] = {
            "family": FAMILY, "name": self.name, "migration_limit": self.migration_limit,
            "fragment_size": self.fragment_size, "machines": machines, "vms": vms,
        }
        if self.group_names:
            record["anti_affinity"] = {
                g: [self.vm_ids[int(i)] for i in np.flatnonzero(self.vm_group == k)]
                for k, g in enumerate(self.group_names)
            }
        record["meta"] = dict(self.meta)
        return record

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VMRInstance):
            return NotImplemented
        mine, theirs = self._fields(), other._fields()
        for key, value in mine.items():
            if isinstance(value, np.ndarray):
                if not np.array_equal(value, theirs[key]):
                    return False
            elif key == "meta":
                if dict(value) != dict(theirs[key]):
                    return False
            elif value != theirs[key]:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"VMRInstance(name={self.name!r}, machines={self.num_machines}, "
                f"nodes={self.node_machine.size}, vms={self.num_vms}, K={self.migration_limit}, "
                f"F={self.fragment_size})")


@dataclass(frozen=True)
class Migration:
    """Move VM `vm` to machine `to_machine`, on its NUMA nodes `to_numa` (one, or two halves)."""

    vm: str
    to_machine: str
    to_numa: tuple[int, ...]

    def __post_init__(self) -> None:
        for key in ("vm", "to_machine"):
            if not isinstance(getattr(self, key), str):
                raise InvalidInstance(f"a migration's {key} must be an id (text), got {getattr(self, key)!r}")
        object.__setattr__(self, "to_numa", arguments.whole_numbers("to_numa", self.to_numa))

    def to_dict(self) -> dict[str, Any]:
        """`{"vm": id, "to_machine": id, "to_numa": [NUMA numbers]}`."""
        return {"vm": self.vm, "to_machine": self.to_machine, "to_numa": list(self.to_numa)}


@dataclass(frozen=True)
class VMRSolution:
    """The migrations, in the order they are carried out."""

    migrations: tuple[Migration, ...]

    def __init__(self, migrations: Sequence[Migration]) -> None:
        migrations = arguments.records("migrations", migrations)
        if not all(isinstance(m, Migration) for m in migrations):
            raise InvalidInstance("migrations must be Migration records")
        object.__setattr__(self, "migrations", migrations)

    def to_dict(self) -> dict[str, Any]:
        """`{"migrations": [{"vm", "to_machine", "to_numa"}, ...]}` in order."""
        return {"migrations": [m.to_dict() for m in self.migrations]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VMRSolution:
        """Read the JSON shape; raises InvalidInstance naming the first malformed entry."""
        items = data.get("migrations") if isinstance(data, Mapping) else None
        if not isinstance(items, list):
            raise InvalidInstance('a VMR solution is {"migrations": [{"vm", "to_machine", "to_numa"}]}')
        migrations = []
        for k, item in enumerate(items):
            if not isinstance(item, Mapping) or not {"vm", "to_machine", "to_numa"} <= set(item):
                raise InvalidInstance(f"migrations[{k}] needs the fields vm, to_machine and to_numa")
            numa = item["to_numa"]
            if not isinstance(numa, list) or not all(isinstance(x, int) and not isinstance(x, bool)
                                                     for x in numa):
                raise InvalidInstance(f"migrations[{k}].to_numa must be a list of NUMA numbers")
            migrations.append(Migration(str(item["vm"]), str(item["to_machine"]), tuple(numa)))
        return cls(migrations)
