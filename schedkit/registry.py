"""(family, method name) -> solver function, with the metadata `schedkit.methods` lists.

Method modules register themselves with `@register(...)` when imported; `_load_methods`
imports a family's modules (listed in its `schedkit.family` record) on first use.
Heavy backends (OR-Tools, PuLP) are imported inside the method bodies, so listing
methods stays cheap.
"""

from __future__ import annotations

import importlib
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from schedkit import family as families
from schedkit.common.arguments import shown
from schedkit.common.numbers import MAX_VALUE, real
from schedkit.errors import InvalidOption, SchedkitError, UnknownMethod, UnknownOption
from schedkit.result import Result


@dataclass(frozen=True)
class SolveOptions:
    """What every method receives: budget, seed, workers and its own keyword options."""

    time_limit: float | None = None
    seed: int = 0
    workers: int = 1
    extra: Mapping[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    @property
    def deadline(self) -> float:
        """perf_counter() value at which the budget runs out (inf without a limit)."""
        return float("inf") if self.time_limit is None else self.started + self.time_limit

    def remaining(self) -> float | None:
        """Seconds left of the budget (never negative), None without a limit."""
        if self.time_limit is None:
            return None
        return max(0.0, self.deadline - time.perf_counter())

    def phase_deadline(self, share: float) -> float:
        """perf_counter() value once `share` of the time left has passed from now (inf without a
        limit): the deadline of a phase given that share of the budget."""
        remaining = self.remaining()
        return float("inf") if remaining is None else time.perf_counter() + share * remaining

    def get(self, name: str, default: Any = None) -> Any:
        """A method-specific option, or its default."""
        return self.extra.get(name, default)


OPTIONAL_TYPES: dict[str, type] = {  # the kind of options whose default is None ("no limit")
    "iterations": int, "schedules": int, "generations": int, "k": float, "ig_share": float, "steps": int,
}
_KIND = {bool: "true or false", int: "a whole number within ±2^62", float: "a finite number", str: "text"}


def _is_a(value: Any, expected: type) -> bool:
    """Whether an option value is of its default's kind (an integer counts as a number; a whole
    number lies within ±2^62, as in every input, so no kernel's int64 overflows). Values come
    through `_plain` first: numpy's scalars are read as Python's."""
    if expected is bool or isinstance(value, bool):
        return expected is bool and isinstance(value, bool)
    if expected is float:
        number = real(value) if isinstance(value, int | float) else None
        return number is not None and math.isfinite(number)
    if expected is int:
        return isinstance(value, int) and abs(value) < MAX_VALUE
    return isinstance(value, expected) if expected in _KIND else True


def _is_whole_float(value: Any) -> bool:
    """A float of integral value within ±2^62 (1e12, 5.0, -0.0): a whole number in float notation,
    as JSON reads `-o` values; NaN, the infinities and fractions are not."""
    return isinstance(value, float) and value.is_integer() and abs(value) < MAX_VALUE


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for (np.int64(5) as 5, np.float32 as float,
    np.str_ as str, np.bool_ as bool): an option given `np.int64(10)` was refused as 'not a whole
    number'; anything else as it is."""
    return value.item() if isinstance(value, np.generic) else value


SolverFunction = Callable[[Any, SolveOptions], Result]


@dataclass(frozen=True)
class Method:
    """A registered method: how to call it and what `schedkit.methods` says about it."""

    name: str
    family: str
    exact: bool
    description: str
    function: SolverFunction
    options: Mapping[str, Any] = field(default_factory=dict)

    def check_options(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """The options with numpy scalars read as Python values; UnknownOption for an option this
        method lacks (naming the accepted ones), or InvalidOption for a value of the wrong kind:
        a boolean is not a number, NaN is no number, text no count."""
        options = {name: _plain(value) for name, value in options.items()}
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            accepted = ", ".join(sorted(self.options)) or "none"
            raise UnknownOption(
                f"method {self.name!r} does not take option(s) {', '.join(unknown)}; "
                f"it takes: {accepted}"
            )
        for name, value in options.items():
            expected = OPTIONAL_TYPES.get(name) if self.options[name] is None else type(self.options[name])
            if expected is int and _is_whole_float(value):
                value = options[name] = int(value)  # `-o rounds=1e12` or 5.0: the count it spells
            if expected is not None and not (value is None is self.options[name]
                                             or _is_a(value, expected)):
                raise InvalidOption(f"method {self.name!r}: option {name}={shown(value)} is not "
                                    f"{_KIND[expected]}")
        return options


class MethodInfo(NamedTuple):
    """One row of `schedkit.methods()`: (name, family, kind, description)."""

    name: str
    family: str
    kind: str
    description: str


_METHODS: dict[tuple[str, str], Method] = {}


def register(
    family: str, name: str, *, exact: bool, description: str, options: Mapping[str, Any] | None = None
) -> Callable[[SolverFunction], SolverFunction]:
    """Decorator: register `function` as method `name` of `family`.

    `options` maps each keyword option the method accepts to its default; `solve` rejects others.
    """

    def decorate(function: SolverFunction) -> SolverFunction:
        key = (family, name)
        if key in _METHODS and _METHODS[key].function is not function:
            raise RuntimeError(f"method {name!r} registered twice for {family}")
        _METHODS[key] = Method(name, family, exact, description, function, dict(options or {}))
        return function

    return decorate


_LOADED: set[str] = set()


def _load_methods(family: str | None = None) -> None:
    """Import the method modules of `family` (of every family when None)."""
    known = families.all_families()
    if family is not None and family not in known:
        return  # nothing to load: lookup reports the unknown method, methods() lists none
    for name in [family] if family else list(known):
        if name not in _LOADED:
            for module in families.method_modules(name):
                importlib.import_module(module)
            _LOADED.add(name)


def lookup(family: str, name: str) -> Method:
    """The method `name` of `family`, or UnknownMethod listing the ones that exist."""
    _load_methods(family)
    key = (family, name.lower())
    if key not in _METHODS:
        raise UnknownMethod(family, name, [m for f, m in _METHODS if f == family])
    return _METHODS[key]


def methods(family: str | None = None) -> list[MethodInfo]:
    """Every registered method (of one family if given), sorted by family then name."""
    if family is not None and not isinstance(family, str):  # ['smtt'] raised 'unhashable type'
        raise SchedkitError(f"family must be a family's name (text), got {family!r}")
    _load_methods(family)
    rows = [
        MethodInfo(m.name, m.family, "exact" if m.exact else "heuristic", m.description)
        for m in _METHODS.values()
        if family is None or m.family == family
    ]
    return sorted(rows, key=lambda row: (row.family, row.kind != "heuristic", row.name))


def default_workers() -> int:
    """The machine's core count: the default number of solver threads."""
    return max(1, os.cpu_count() or 1)
