"""The problem families schedkit knows, each described by one `Family` record.

A family is a subpackage of `schedkit` whose `__init__` defines `FAMILY = Family(...)`; the
subpackages are found by scanning, so adding a family touches nothing shared. The core asks
`get(name)` or `all_families()` at call time: a family imports the core, never the reverse.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schedkit.errors import SchedkitError

Entries = list[tuple[str, Any]]
Reader = Callable[[Path, str, "str | None"], Entries]
Writer = Callable[[Any, Path, "str | None"], None]
Measures = Callable[[Any, Any, Mapping[str, Any]], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Family:
    """What schedkit needs to know about one problem family.

    Its methods are every `@register`ed function in the modules of its `heuristics` and
    `solvers` subpackages and its `auto` module (imported by `method_modules()` on first use).
    - `from_record`: project-JSON object -> instance (the record's `family` names this one).
    - `check`: the independent checker, `(instance, solution dict) -> (objective, violations)`.
    - `readers` / `writers`: file formats by name; `extensions` maps a suffix to a format.
    - `format_arguments`: the formats that read an argument (`orlib-wt:40`), with what it is;
      any other format given one is refused rather than the argument ignored.
    - `sniff`: `(path, text) -> format name or None` for files the extension does not settle.
    - `json_sniff`: True for a JSON object without a `family` field that belongs to this family
      (e.g. kubectl output), read then by `from_record`.
    - `read_directory`: entries from a directory (None: directories are not instances).
    - `generators`: `schedkit.generate.<name>` functions; `generate_command`: a click command
      added under `schedkit generate`.
    - `gantt`: `(instance, solution, path) -> None`, draws the chart `solve --gantt` writes.
    - `measures`: `(objective, bound, stats) -> {column: number}`, or None when the stats lack
      them: a result in its users' units (ground station hours, serving completion times),
      printed by `solve` and averaged per method in `bench` reports.
    - `early_plan`: `instance -> Result`, a plan from numpy alone that `solve` offers the hard
      deadline (`deadline.offer_better`) before importing the family's methods when there is a time
      limit: a fresh process whose imports (numba's) outlast a short limit answers it, not `unknown`.
    """

    name: str
    description: str
    from_record: Callable[[Mapping[str, Any], str], Any]
    check: Callable[[Any, Any], tuple[Any, list[str]]]
    readers: Mapping[str, Reader] = field(default_factory=dict)
    writers: Mapping[str, Writer] = field(default_factory=dict)
    extensions: Mapping[str, str] = field(default_factory=dict)
    format_arguments: Mapping[str, str] = field(default_factory=dict)
    sniff: Callable[[Path, str], str | None] | None = None
    json_sniff: Callable[[Mapping[str, Any]], bool] | None = None
    read_directory: Callable[[Path], Entries] | None = None
    generators: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    generate_command: Any = None
    gantt: Callable[[Any, Any, Path], None] | None = None
    measures: Measures | None = None
    early_plan: Callable[[Any], Any] | None = None


_FAMILIES: dict[str, Family] = {}
NOT_FAMILIES = frozenset({"common", "bench"})  # subpackages of the core, not problem families
METHOD_PLACES = ("heuristics", "solvers", "auto")  # where a family keeps its methods


def all_families() -> dict[str, Family]:
    """Every family by name (the family packages are imported on the first call)."""
    if not _FAMILIES:
        package = importlib.import_module("schedkit")
        found: dict[str, Family] = {}
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if not info.ispkg or info.name in NOT_FAMILIES:
                continue
            module = importlib.import_module(f"schedkit.{info.name}")
            family = getattr(module, "FAMILY", None)
            if not isinstance(family, Family):
                raise RuntimeError(f"schedkit.{info.name} is a package without a FAMILY record")
            if family.name != info.name:
                raise RuntimeError(f"schedkit.{info.name} describes family {family.name!r}")
            found[family.name] = family
        _FAMILIES.update(found)
    return _FAMILIES


def method_modules(name: str) -> list[str]:
    """The modules of family `name` that may register methods: all of heuristics/, solvers/, auto."""
    modules: list[str] = []
    for place in METHOD_PLACES:
        qualified = f"schedkit.{name}.{place}"
        spec = importlib.util.find_spec(qualified)
        if spec is None:
            continue
        modules.append(qualified)
        if spec.submodule_search_locations:
            walked = pkgutil.walk_packages(spec.submodule_search_locations, prefix=qualified + ".")
            modules.extend(sorted(m.name for m in walked))
    return modules


def loaded(name: str) -> Family | None:
    """The family `name` when its package is imported already (as it is once an instance of it
    exists), else None: without importing the others (their imports take a fresh process
    tenths of a second, numba's among them)."""
    family = getattr(sys.modules.get(f"schedkit.{name}"), "FAMILY", None)
    return family if isinstance(family, Family) else None


def get(name: str) -> Family:
    """The family `name`, or a SchedkitError listing the known ones."""
    families = all_families()
    if name not in families:
        raise SchedkitError(f"unknown family {name!r}; known: {', '.join(sorted(families))}")
    return families[name]


def readers() -> dict[str, Reader]:
    """Every file format's reader by format name, across families."""
    return {fmt: reader for f in all_families().values() for fmt, reader in f.readers.items()}


def writers() -> dict[str, Writer]:
    """Every file format's writer by format name, across families."""
    return {fmt: writer for f in all_families().values() for fmt, writer in f.writers.items()}


def format_arguments() -> dict[str, str]:
    """Format name -> what its `:argument` is, for the formats that read one."""
    return {fmt: what for f in all_families().values() for fmt, what in f.format_arguments.items()}


def extensions() -> dict[str, str]:
    """File suffix (lower case, with the dot) -> format name, across families."""
    return {ext: fmt for f in all_families().values() for ext, fmt in f.extensions.items()}
