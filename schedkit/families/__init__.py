"""The problem families schedkit knows, each described by one `Family` record.

Every module in this package defines `FAMILY = Family(...)`; they are found by scanning the
package, so adding a family means adding one module here and touching nothing shared.
Consumers (loader, checker, registry, CLI) ask `get(name)` or `all_families()` at call
time, never at import time, so the family modules may import any part of schedkit.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schedkit.errors import SchedkitError

Entries = list[tuple[str, Any]]
Reader = Callable[[Path, str, "str | None"], Entries]
Writer = Callable[[Any, Path, "str | None"], None]


@dataclass(frozen=True)
class Family:
    """What schedkit needs to know about one problem family.

    - `method_modules`: modules whose import registers the family's methods (imported lazily).
    - `from_record`: project-JSON object -> instance (the record's `family` names this one).
    - `check`: the independent checker, `(instance, solution dict) -> (objective, violations)`.
    - `readers` / `writers`: file formats by name; `extensions` maps a suffix to a format.
    - `sniff`: `(path, text) -> format name or None` for files the extension does not settle.
    - `json_sniff`: True for a JSON object without a `family` field that belongs to this family
      (e.g. kubectl output), read then by `from_record`.
    - `read_directory`: entries from a directory (None: directories are not instances).
    - `generators`: `schedkit.generate.<name>` functions; `generate_command`: a click command
      added under `schedkit generate`.
    - `gantt`: `(instance, solution, path) -> None`, draws the chart `solve --gantt` writes.
    """

    name: str
    description: str
    method_modules: tuple[str, ...]
    from_record: Callable[[Mapping[str, Any], str], Any]
    check: Callable[[Any, Any], tuple[Any, list[str]]]
    readers: Mapping[str, Reader] = field(default_factory=dict)
    writers: Mapping[str, Writer] = field(default_factory=dict)
    extensions: Mapping[str, str] = field(default_factory=dict)
    sniff: Callable[[Path, str], str | None] | None = None
    json_sniff: Callable[[Mapping[str, Any]], bool] | None = None
    read_directory: Callable[[Path], Entries] | None = None
    generators: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    generate_command: Any = None
    gantt: Callable[[Any, Any, Path], None] | None = None


_FAMILIES: dict[str, Family] = {}


def all_families() -> dict[str, Family]:
    """Every family by name (the family modules are imported on the first call)."""
    if not _FAMILIES:
        found: dict[str, Family] = {}
        for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
            family = importlib.import_module(f"{__name__}.{module}").FAMILY
            if family.name in found:
                raise RuntimeError(f"family {family.name!r} is described twice")
            found[family.name] = family
        _FAMILIES.update(found)
    return _FAMILIES


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


def extensions() -> dict[str, str]:
    """File suffix (lower case, with the dot) -> format name, across families."""
    return {ext: fmt for f in all_families().values() for ext, fmt in f.extensions.items()}
