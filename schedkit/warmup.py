"""`schedkit warmup`: compile every numba kernel of every family into numba's on-disk cache.

Generic, so a new family is covered without editing this: every registered method of every
family runs, with a short limit and one worker, on the family's smallest bundled instances and
on a tiny instance from each of its generators (small numbers for its required arguments);
the kernels (numba dispatchers found by walking the family's modules and common/) that a run
compiled are then in the cache, and later processes load them in milliseconds instead of
compiling inside a method's budget. The count of kernels entered is informational: a kernel
called only from other kernels is compiled into its callers, and has no signature of its own
when they come from the cache.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schedkit import family as families
from schedkit.api import solve
from schedkit.common.compile import is_kernel, wait_for_compiling
from schedkit.common.numbers import MAX_SECONDS, is_seconds
from schedkit.errors import SchedkitError
from schedkit.loading import load_all
from schedkit.registry import methods

INSTANCES = Path(__file__).resolve().parents[1] / "instances"
RUN_LIMIT = 1.0  # seconds per method run: compilation happens whatever the limit
INSTANCES_PER_FAMILY = 3
MAX_FILE_BYTES = 256 << 10


@dataclass
class FamilyWarmup:
    """What warming one family did."""

    family: str
    instances: int = 0
    runs: int = 0
    skipped: list[str] = field(default_factory=list)  # method: reason, for runs that raised
    kernels: int = 0
    compiled: int = 0
    seconds: float = 0.0


def kernels(name: str) -> dict[str, Any]:
    """Every numba dispatcher defined in the modules of package `schedkit.<name>`."""
    package = importlib.import_module(f"schedkit.{name}")
    found: dict[str, Any] = {}
    walked = pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    modules = [package.__name__] + [m.name for m in walked]
    for module_name in modules:
        module = importlib.import_module(module_name)
        for attribute, value in vars(module).items():
            if is_kernel(value) and getattr(value.py_func, "__module__", "") == module_name:
                found[f"{module_name}.{attribute}"] = value
    return found


def warm_ups(name: str) -> list[Any]:
    """The `warm_up()` functions of the modules of package `schedkit.<name>` that take no
    argument (each compiles a kernel on a tiny input; one that needs arguments is a method's
    own helper, called by its method)."""
    package = importlib.import_module(f"schedkit.{name}")
    found = []
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        warm = getattr(importlib.import_module(info.name), "warm_up", None)
        if callable(warm) and _takes_no_argument(warm):
            found.append(warm)
    return found


def _takes_no_argument(function: Any) -> bool:
    return all(parameter.default is not inspect.Parameter.empty
               or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
               for parameter in inspect.signature(function).parameters.values())


def tiny_instances(name: str, count: int = INSTANCES_PER_FAMILY) -> list[Any]:
    """The first instance of each of the family's smallest bundled files (instances/<name>/)."""
    folder = INSTANCES / name
    if not folder.is_dir():
        return []
    files = sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() not in (".md", ".csv")
                    and p.stat().st_size <= MAX_FILE_BYTES), key=lambda p: p.stat().st_size)
    folders = sorted(p for p in folder.rglob("*") if p.is_dir())
    found: list[Any] = []
    for path in [*folders, *files]:
        if len(found) >= count:
            break
        try:
            found.append(next(iter(load_all(path))))
        except (SchedkitError, StopIteration):
            continue
    return found


TINY_ARGUMENTS: dict[type, Any] = {int: 4, float: 0.5, bool: False}


def generated_instances(name: str) -> list[Any]:
    """One tiny instance per generator of the family: required numbers set small (seed 0); and
    one more per switch (a boolean option off by default, e.g. a blocking job shop), turned on,
    so that the kernels only a model variant reaches are compiled too."""
    found = []
    for generator in families.get(name).generators.values():
        switches = [p.name for p in inspect.signature(generator).parameters.values() if p.default is False]
        for switch in [None, *switches]:
            found += _generated(generator, {} if switch is None else {switch: True})
    return found


def _generated(generator: Any, extra: dict[str, Any]) -> list[Any]:
    """[generator(tiny required numbers, **extra)], or [] when it refuses them."""
    arguments: dict[str, Any] = dict(extra)
    for parameter in inspect.signature(generator).parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            continue
        kind = parameter.annotation if isinstance(parameter.annotation, type) else None
        if kind is None and isinstance(parameter.annotation, str):
            kind = {"int": int, "float": float, "bool": bool}.get(parameter.annotation)
        arguments[parameter.name] = 0 if parameter.name == "seed" else TINY_ARGUMENTS.get(kind or int, 4)
    try:
        return [generator(**arguments)]
    except (SchedkitError, ValueError, TypeError):
        return []


def warm_family(name: str, limit: float = RUN_LIMIT) -> FamilyWarmup:
    """Run every method of family `name` on its tiny instances; which kernels got compiled."""
    started = time.perf_counter()
    row = FamilyWarmup(name)
    instances = tiny_instances(name) + generated_instances(name)
    row.instances = len(instances)
    for method in methods(name):
        for instance in instances:
            try:
                solve(instance, method.name, time_limit=limit, workers=1)
                row.runs += 1
            except SchedkitError as error:  # e.g. ProblemTooLarge, UnsupportedInstance
                row.skipped.append(f"{method.name}: {str(error)[:80]}")
    for warm in warm_ups(name):  # kernels a short run skips as too long to compile (e.g. ig, tabu)
        warm()
    wait_for_compiling()  # what the runs left compiling in the background: this family's seconds
    found = kernels(name)
    row.kernels = len(found)
    row.compiled = sum(1 for kernel in found.values() if kernel.signatures)
    row.seconds = time.perf_counter() - started
    return row


def warmup(names: list[str] | None = None, limit: float = RUN_LIMIT,
           on_family: Callable[[str, int, int], None] | None = None) -> list[FamilyWarmup]:
    """Warm every family (or those named); one row per family. `on_family(name, k, n)` is told
    before the k-th of n families starts (progress: a cold cache takes minutes)."""
    known = families.all_families()
    if not is_seconds(limit):
        raise SchedkitError(f"--limit must be a positive number of seconds up to {MAX_SECONDS:g}, "
                            f"got {limit!r}")  # else every run is refused, and skipped silently
    for name in names or []:
        families.get(name)  # a SchedkitError listing the known families
    chosen = names or sorted(known)
    rows = []
    for k, name in enumerate(chosen, 1):
        if on_family is not None:
            on_family(name, k, len(chosen))
        rows.append(warm_family(name, limit))
    return rows
