"""Suite files: which instances, which reference values, which methods, under which limits.

A suite is a TOML file in `benchmarks/suites/`:

    name = "wt40"
    root = "../.."                      # relative to this file; the paths below are relative to it
    instances = ["instances/smtt/wt40.txt"]   # paths, globs, file#k selectors
    references = "instances/smtt/references.csv"
    time_limit = 10.0                   # seconds per run
    seeds = [0]
    workers = 1                         # solver threads per run
    grace = 5.0                         # extra seconds before a run is killed
    memory_limit_mb = 4096              # optional, per run

    [[methods]]
    name = "cpsat"
    options = {}                        # keyword options of the method
    label = "cpsat"                     # optional: how the report names it

Paths resolve against `root`, itself relative to the suite file's folder; without `root`,
against the suite file's folder. (Suites written before this rule, which counted on the old
default `../..`, still load, with a warning asking for `root = "../.."`.)
"""

from __future__ import annotations

import glob
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schedkit.api import MAX_SEED, MAX_WORKERS
from schedkit.common.numbers import MAX_SECONDS, is_seconds, is_whole
from schedkit.common.textfile import read_text
from schedkit.errors import ParseError, SchedkitError
from schedkit.loading import split_selector


class SuiteError(SchedkitError, ValueError):
    """A suite file that is missing a field or holds a wrong value."""


@dataclass(frozen=True)
class MethodSpec:
    """One method of a suite: registry name, its options, and the label reports use."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


@dataclass(frozen=True)
class Suite:
    """A parsed suite; `instance_files` are resolved paths (with their selectors)."""

    name: str
    path: Path
    instance_files: tuple[str, ...]
    references: Path | None
    methods: tuple[MethodSpec, ...]
    time_limit: float
    seeds: tuple[int, ...] = (0,)
    workers: int = 1
    grace: float = 5.0
    memory_limit_mb: int | None = None


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path) -> Any:
    if key not in data:
        raise SuiteError(f"{path}: missing field {key!r}")
    if not isinstance(data[key], kind):
        raise SuiteError(f"{path}: field {key!r} has the wrong type ({type(data[key]).__name__})")
    return data[key]


def _whole(value: Any, key: str, low: int, high: int, path: Path) -> int:
    """`value` when it is a whole number (not a boolean) in low..high; SuiteError naming `key`."""
    if not is_whole(value, low, high):
        raise SuiteError(f"{path}: field {key!r} must be a whole number from {low} to {high}, got {value!r}")
    return int(value)


def _seconds(value: Any, key: str, zero: bool, path: Path) -> float:
    """`value` as seconds when it is a number (not a boolean) up to MAX_SECONDS, above 0 (or from
    0 with `zero`); SuiteError naming `key`."""
    if not is_seconds(value, zero):
        raise SuiteError(f"{path}: field {key!r} must be a number of seconds from {0:g} to "
                         f"{MAX_SECONDS:g}{'' if zero else ', above 0'}, got {value!r}")
    return float(value)


MAX_NAME = 120


def _name(value: Any, path: Path) -> str:
    """The suite's name, which names its files in --out: text, no folder separator or control
    character, not `.` or `..` (a name like `../x` would write outside --out)."""
    if not isinstance(value, str):
        raise SuiteError(f"{path}: field 'name' must be text, got {value!r}")
    bad = [c for c in value if c in "/\\" or not c.isprintable()]
    if not value.strip() or value in (".", "..") or bad or len(value) > MAX_NAME:
        raise SuiteError(f"{path}: field 'name' must be a file name (up to {MAX_NAME} printable "
                         f"characters, no / or \\), got {value[:MAX_NAME]!r}")
    return value


def _all_text(values: list[Any], key: str, path: Path) -> None:
    """SuiteError naming `key` unless every value is a string that can name a file (no NUL)."""
    for value in values:
        if not isinstance(value, str) or "\0" in value:
            raise SuiteError(f"{path}: field {key!r} must hold text (paths), got {value!r}")


def _method(item: Any, path: Path) -> MethodSpec:
    """One [[methods]] entry: a text name, an optional table of options, an optional text label."""
    if not isinstance(item, dict) or "name" not in item:
        raise SuiteError(f"{path}: every [[methods]] entry needs a name")
    name, options, label = item["name"], item.get("options", {}), item.get("label", "")
    if not isinstance(name, str) or not isinstance(label, str):
        raise SuiteError(f"{path}: a method's name and label must be text, got {name!r} and {label!r}")
    if not isinstance(options, dict):
        raise SuiteError(f"{path}: method {name!r}: options must be a table "
                         f"(options = {{key = value}}), got {options!r}")
    return MethodSpec(name, dict(options), label)


def _expand(root: Path, pattern: str, path: Path) -> list[str]:
    file, selector = split_selector(root / pattern)
    matches = sorted(glob.glob(str(file))) if glob.has_magic(str(file)) else [str(file)]
    if not matches or not Path(matches[0]).exists():
        raise SuiteError(f"{path}: instances entry {pattern!r} matches no file")
    return [m if selector is None else f"{m}#{selector}" for m in matches]


OLD_DEFAULT_ROOT = "../.."


def _matches(root: Path, entry: str) -> bool:
    file, _ = split_selector(root / entry)
    return bool(glob.glob(str(file))) if glob.has_magic(str(file)) else file.exists()


def _root(path: Path, data: dict[str, Any]) -> Path:
    """The folder the suite's paths are relative to: `root` (relative to the suite file), else
    the suite file's folder; the old default `../..` only when that is where the files are."""
    if "root" in data:
        if not isinstance(data["root"], str) or "\0" in data["root"]:
            raise SuiteError(f"{path}: field 'root' must be a string (a folder), got {data['root']!r}")
        return (path.parent / data["root"]).resolve()
    here = path.parent.resolve()
    listed = data.get("instances", [])
    entries = [str(e) for e in listed if isinstance(e, str)] if isinstance(listed, list) else []
    if entries and not all(_matches(here, e) for e in entries):
        old = (path.parent / OLD_DEFAULT_ROOT).resolve()
        if all(_matches(old, e) for e in entries):
            print(f"schedkit: warning: {path}: paths resolve against the suite file's folder; "
                  f'these are relative to {OLD_DEFAULT_ROOT}: add root = "{OLD_DEFAULT_ROOT}"',
                  file=sys.stderr)
            return old
    return here


def load_suite(path: str | Path) -> Suite:
    """Read and validate a suite file."""
    path = Path(path)
    try:
        data = tomllib.loads(read_text(path))  # UTF-8, a byte-order mark dropped, size-checked
    except ParseError as error:
        raise SuiteError(f"{path}: not a text file ({error.found}), expected a TOML suite") from None
    except tomllib.TOMLDecodeError as error:
        raise SuiteError(f"{path}: not valid TOML ({error})") from None
    root = _root(path, data)
    entries = _require(data, "instances", list, path)
    _all_text(entries, "instances", path)
    if not entries:
        raise SuiteError(f"{path}: instances is empty: list at least one instance file")
    files = [f for entry in entries for f in _expand(root, entry, path)]
    references = data.get("references")
    _all_text([references] if references is not None else [], "references", path)
    methods = [_method(item, path) for item in _require(data, "methods", list, path)]
    if not methods:
        raise SuiteError(f"{path}: methods is empty: name at least one [[methods]] entry")
    labels = [m.label for m in methods]
    if len(set(labels)) != len(labels):
        raise SuiteError(f"{path}: method labels must be unique, got {labels}")
    time_limit = _seconds(_require(data, "time_limit", (int, float), path), "time_limit", False, path)
    seeds = _require(data, "seeds", list, path) if "seeds" in data else [0]
    if not seeds:
        raise SuiteError(f"{path}: seeds is empty: list at least one seed (or leave it out for [0])")
    if len(set(map(repr, seeds))) != len(seeds):
        raise SuiteError(f"{path}: seeds must not repeat (each seed would run twice), got {seeds}")
    memory = data.get("memory_limit_mb")
    return Suite(
        name=_name(data.get("name", path.stem), path),
        path=path,
        instance_files=tuple(files),
        references=None if references is None else root / references,
        methods=tuple(methods),
        time_limit=time_limit,
        seeds=tuple(_whole(s, "seeds", 0, MAX_SEED, path) for s in seeds),
        workers=_whole(data.get("workers", 1), "workers", 1, MAX_WORKERS, path),
        grace=_seconds(data.get("grace", 5.0), "grace", True, path),
        memory_limit_mb=None if memory is None else _whole(memory, "memory_limit_mb", 1, 2**40, path),
    )
