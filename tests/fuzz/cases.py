"""Running one fuzz case: mutate a sample, load it, and solve + check what loads.

A case is `loaded` (and its heuristic solution passed the checker), `rejected` (a
SchedkitError: the user gets one line) or `crashed` (anything else, or a harmless mutation
refused, or a solution the checker refuses).
"""

from __future__ import annotations

import contextlib
import random
import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import schedkit
from schedkit.errors import ProblemTooLarge, SchedkitError, UnsupportedInstance
from schedkit.registry import lookup, methods
from tests.fuzz.mutations import HARMLESS, mutate
from tests.fuzz.samples import Sample

GENERIC = ("json", "jsonl")
SOLVE_LIMIT = 2.0  # seconds for the heuristic on a loaded mutant


@dataclass(frozen=True)
class Outcome:
    """What one case did: verdict, the mutations applied and, for a crash, what happened."""

    verdict: str
    mutations: tuple[str, ...]
    detail: str = ""


_FASTEST: dict[str, list[str]] = {}
PROBE_LIMIT = 0.2


def heuristics(sample: Sample) -> list[str]:
    """The family's heuristics that serve the valid `sample`, fastest first, each timed once per
    family after a first call that compiles it (a heuristic that refuses this kind of instance,
    e.g. `ig` on a classic job shop or `fbi` on a project with lags, is left out)."""
    family = sample.family
    if family not in _FASTEST:
        instance = next(iter(schedkit.load_all(sample.path, _format(sample))))
        names = sorted(m.name for m in methods(family) if m.kind == "heuristic" and m.name != "auto")
        timed = []
        for name in names:
            try:
                schedkit.solve(instance, name, time_limit=PROBE_LIMIT, workers=1)  # compiles its kernels
            except (UnsupportedInstance, ProblemTooLarge):
                continue
            started = time.perf_counter()
            schedkit.solve(instance, name, time_limit=PROBE_LIMIT, workers=1)
            timed.append((time.perf_counter() - started, name))
        _FASTEST[family] = [name for _, name in sorted(timed)]
    return _FASTEST[family]


# Work limits for anytime heuristics (otherwise they sample until the time limit: each case
# would take SOLVE_LIMIT seconds).
WORK_LIMITS = {"schedules": 20, "iterations": 20, "generations": 2}


def _solve_with_a_heuristic(sample: Sample, instance: Any) -> Any:
    """The first of the sample's heuristics that serves this (mutated) instance."""
    refusals = []
    for name in heuristics(sample):
        taken = lookup(sample.family, name).options
        work = {key: value for key, value in WORK_LIMITS.items() if key in taken}
        try:
            return schedkit.solve(instance, name, time_limit=SOLVE_LIMIT, workers=1, **work)
        except (UnsupportedInstance, ProblemTooLarge) as error:
            refusals.append(str(error))
    raise SchedkitError("no heuristic serves this instance: " + "; ".join(refusals))


def _target(sample: Sample, case: Path, rng: random.Random) -> Path:
    """Copy the sample to `case`; the file to damage (one file of a directory sample)."""
    if case.exists():
        shutil.rmtree(case)
    case.mkdir(parents=True)
    copy = case / sample.path.name
    if sample.path.is_dir():
        shutil.copytree(sample.path, copy)
        return rng.choice(sorted(p for p in copy.iterdir() if p.is_file()))
    shutil.copy(sample.path, copy)
    return copy


def _format(sample: Sample) -> str | None:
    """The format to name when loading the sample (None: the extension or directory says it)."""
    return None if sample.format in GENERIC or sample.path.is_dir() else sample.format


def _load(sample: Sample, path: Path) -> list[Any]:
    """Every instance, read as the sample's format and (for named formats) also sniffed."""
    if path.is_dir():
        return list(schedkit.load_all(path))
    if sample.format in GENERIC:
        return list(schedkit.load_all(path))
    found = list(schedkit.load_all(path, format=sample.format))
    with contextlib.suppress(SchedkitError):
        list(schedkit.load_all(path))  # sniffing must not crash either
    return found


Mutator = Callable[[bytes, random.Random], tuple[bytes, list[str]]]


def run_case(sample: Sample, rng: random.Random, case: Path, mutator: Mutator = mutate) -> Outcome:
    """Mutate `sample` into folder `case`, load it, solve and check the first instance."""
    target = _target(sample, case, rng)
    data, names = mutator(target.read_bytes(), rng)
    target.write_bytes(data)
    root = case / sample.path.name
    try:
        instances = _load(sample, root)
    except SchedkitError as error:
        if set(names) <= HARMLESS:
            return Outcome("crashed", tuple(names), f"a valid file was refused: {error}")
        if "\n" in str(error):
            return Outcome("crashed", tuple(names), f"a message of several lines: {error!r}")
        return Outcome("rejected", tuple(names))
    except Exception as error:  # noqa: BLE001 - the fuzz verdict: anything else is a crash
        return Outcome("crashed", tuple(names), _describe(error))
    if not instances:
        return Outcome("rejected", tuple(names))
    try:
        instance = instances[0]
        result = _solve_with_a_heuristic(sample, instance)
        if getattr(instance, "lags", None) is not None and result.solution is None:
            return Outcome("loaded", tuple(names))  # RCPSP/max: no schedule found, or none exists
        report = schedkit.check(instance, result)
    except SchedkitError as error:
        return Outcome("crashed", tuple(names), f"loaded, then the heuristic raised {error}")
    except Exception as error:  # noqa: BLE001
        return Outcome("crashed", tuple(names), "loaded, then " + _describe(error))
    if not report.feasible:
        return Outcome("crashed", tuple(names), f"checker refused the heuristic: {report.summary()}")
    return Outcome("loaded", tuple(names))


def _describe(error: BaseException) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno}"
    return f"{type(error).__name__}: {str(error)[:160]} ({where})"
