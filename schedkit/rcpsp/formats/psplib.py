"""PSPLIB single-mode `.sm` files (Kolisch & Sprecher 1996), e.g. j301_1.sm.

Sections in order: a header of `key : value` lines (jobs incl. supersource/sink, horizon,
resource counts), PROJECT INFORMATION, PRECEDENCE RELATIONS (jobnr, #modes, #successors,
successors), REQUESTS/DURATIONS (jobnr, mode, duration, one demand per renewable resource)
and RESOURCEAVAILABILITIES. Jobs are numbered 1..n in the file and become activities 0..n-1
in the model, dummy source and sink included. Only renewable resources and one mode per job
are accepted; header values the model does not use (horizon, due date, MPM time, base data
file, generator seed) are kept in `meta` and written back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from schedkit.common.numbers import MAX_VALUE, is_int, is_whole, read_int
from schedkit.common.textfile import file_stem
from schedkit.errors import InvalidInstance, ParseError
from schedkit.rcpsp.model import RCPSPInstance

_RULE = "*" * 72
# Header keys of the file -> meta keys (the values the model does not need).
_HEADER_META = {
    "file with basedata": "basedata",
    "initial value random generator": "seed",
    "horizon": "horizon",
}
_PROJECT_META = ("release_date", "due_date", "tardiness_cost", "mpm_time")


class _Lines:
    """The file's non-empty, non-rule lines with their 1-based numbers, read front to back."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.items = [
            (number, line.strip())
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not set(line.strip()) <= {"*", "-"}
        ]
        self.at = 0

    def next(self, expected: str) -> tuple[int, str]:
        if self.at >= len(self.items):
            raise ParseError(self.path, None, expected, "the end of the file (is it truncated?)")
        item = self.items[self.at]
        self.at += 1
        return item

    def expect(self, prefix: str) -> int:
        """Skip to the line that starts with `prefix` (case-insensitive); its number. A row of
        numbers on the way is refused: a job row beyond the header's count would be dropped."""
        while self.at < len(self.items):
            number, line = self.items[self.at]
            self.at += 1
            if line.upper().startswith(prefix.upper()):
                return number
            if is_int(line.split()[0]):
                raise self.fail(number, f"the section {prefix!r} (no more rows than the header's "
                                "jobs and resources)", repr(line[:40]))
        raise ParseError(self.path, None, f"a section {prefix!r}",
                         "the end of the file (is it truncated?)")

    def integers(self, expected: str, count: int | None = None) -> tuple[int, list[int]]:
        number, line = self.next(expected)
        try:
            values = [read_int(token) for token in line.split()]
        except ValueError:
            raise ParseError(self.path, number, expected, repr(line[:40])) from None
        if count is not None and len(values) < count:
            raise ParseError(self.path, number, expected, f"{len(values)} numbers in {line!r}")
        return number, values

    def fail(self, number: int, expected: str, found: str) -> ParseError:
        return ParseError(self.path, number, expected, found)


def _header(lines: _Lines) -> tuple[int, int, dict[str, Any]]:
    """(jobs, renewable resources, meta) from the `key : value` lines before PROJECT INFORMATION."""
    jobs = renewable = None
    meta: dict[str, Any] = {}
    while True:
        number, line = lines.next("the header (jobs, horizon, RESOURCES)")
        if line.upper().startswith("PROJECT INFORMATION"):
            break
        key, sep, value = line.partition(":")
        if not sep:
            continue  # RESOURCES
        key = re.sub(r"\s+", " ", key.strip(" -").lower())
        value = value.strip()
        number_text = value.split()[0] if value.split() else ""
        if key.startswith("jobs"):
            jobs = _count(lines, number, key, number_text)
        elif key == "renewable":
            renewable = _count(lines, number, key, number_text)
        elif key in ("nonrenewable", "doubly constrained") and number_text not in ("0", ""):
            raise lines.fail(number, f"no {key} resources (single-mode RCPSP)", value)
        elif key == "projects" and number_text != "1":
            raise lines.fail(number, "one project per file", value)
        elif key in _HEADER_META:
            meta[_HEADER_META[key]] = read_int(value) if is_int(value) else value
    if jobs is None or renewable is None:
        missing = "jobs (incl. supersource/sink )" if jobs is None else "renewable"
        raise ParseError(lines.path, None, f"a header line {missing!r}", "none")
    return jobs, renewable, meta


def _count(lines: _Lines, number: int, key: str, text: str) -> int:
    if not is_int(text) or text.startswith(("-", "+")):
        raise lines.fail(number, f"a count after {key!r}", repr(text[:30]))
    return read_int(text)


def _project(lines: _Lines, meta: dict[str, Any]) -> None:
    """PROJECT INFORMATION: pronr, #jobs, rel.date, duedate, tardcost, MPM-Time -> meta."""
    lines.next("the PROJECT INFORMATION column names")
    _, values = lines.integers("pronr, #jobs, rel.date, duedate, tardcost, MPM-Time", 6)
    meta.update(zip(_PROJECT_META, values[2:6], strict=True))


def _precedences(lines: _Lines, jobs: int) -> list[list[int]]:
    """PRECEDENCE RELATIONS: successors of jobs 1..n as 0-based ids."""
    lines.expect("PRECEDENCE RELATIONS")
    lines.next("the PRECEDENCE RELATIONS column names")
    successors = []
    for job in range(1, jobs + 1):
        expected = f"job {job}: jobnr, #modes, #successors, successors"
        number, values = lines.integers(expected, 3)
        if values[0] != job:
            raise lines.fail(number, f"job number {job}", str(values[0]))
        if values[1] != 1:
            raise lines.fail(number, f"1 mode for job {job} (single-mode files only)", str(values[1]))
        count = values[2]
        if len(values) != 3 + count:
            raise lines.fail(number, f"{count} successors for job {job}", f"{len(values) - 3}")
        for successor in values[3:]:
            if not 1 <= successor <= jobs:
                raise lines.fail(number, f"successors of job {job} among jobs 1..{jobs}",
                                 f"unknown job {successor}")
        successors.append([s - 1 for s in values[3:]])
    return successors


def _requests(lines: _Lines, jobs: int, resources: int) -> tuple[list[int], list[list[int]]]:
    """REQUESTS/DURATIONS: duration and demands of jobs 1..n."""
    lines.expect("REQUESTS/DURATIONS")
    lines.next("the REQUESTS/DURATIONS column names")
    durations, demands = [], []
    for job in range(1, jobs + 1):
        expected = f"job {job}: jobnr, mode, duration and {resources} demands"
        number, values = lines.integers(expected, 3 + resources)
        if values[0] != job:
            raise lines.fail(number, f"job number {job}", str(values[0]))
        if len(values) != 3 + resources:
            raise lines.fail(number, expected, f"{len(values)} numbers")
        durations.append(values[2])
        demands.append(values[3:])
    return durations, demands


def _availabilities(lines: _Lines, resources: int) -> list[int]:
    lines.expect("RESOURCEAVAILABILITIES")
    if resources == 0:
        return []  # no names, no capacities: both lines are empty
    lines.next("the resource names (R 1 R 2 ...)")
    number, values = lines.integers(f"{resources} resource capacities", resources)
    if len(values) != resources:
        raise lines.fail(number, f"{resources} resource capacities", f"{len(values)}")
    return values


def parse(path: Path, text: str) -> RCPSPInstance:
    """The project of a `.sm` file; ParseError (file, line) or InvalidInstance (with the file)."""
    lines = _Lines(path, text)
    jobs, resources, meta = _header(lines)
    if jobs < 1:
        raise ParseError(str(path), None, "at least one job", "0 jobs")
    _project(lines, meta)
    successors = _precedences(lines, jobs)
    durations, demands = _requests(lines, jobs, resources)
    capacities = _availabilities(lines, resources)
    if lines.at < len(lines.items):
        number, line = lines.items[lines.at]
        raise lines.fail(number, "the end of the file after the resource capacities", repr(line[:40]))
    try:
        return RCPSPInstance(durations, successors, capacities, demands, name=file_stem(path), meta=meta)
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error} (activity i is job i+1 of the file)") from None


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """One instance per `.sm` file, keyed "1"."""
    return [("1", parse(path, text))]


def dumps(instance: RCPSPInstance) -> str:
    """The `.sm` text of `instance`; meta values (horizon, ...) are written when present."""
    if instance.lags is not None:
        raise InvalidInstance(f"{instance.name or 'the project'} has time lags, which a .sm file "
                              "cannot hold: write .sch or .json")
    n, k = instance.n, instance.resources
    meta = instance.meta
    horizon = _text(meta, "horizon", int(instance.durations.sum()))
    project = [_whole(meta, key) for key in _PROJECT_META]
    out = [
        _RULE,
        f"file with basedata            : {_text(meta, 'basedata', instance.name + '.bas')}",
        f"initial value random generator: {_text(meta, 'seed', 0)}",
        _RULE,
        "projects                      :  1",
        f"jobs (incl. supersource/sink ):  {n}",
        f"horizon                       :  {horizon}",
        "RESOURCES",
        f"  - renewable                 :  {k}   R",
        "  - nonrenewable              :  0   N",
        "  - doubly constrained        :  0   D",
        _RULE,
        "PROJECT INFORMATION:",
        "pronr.  #jobs rel.date duedate tardcost  MPM-Time",
        f"    1 {n - 2:6d} " + " ".join(f"{v:7d}" for v in project),
        _RULE,
        "PRECEDENCE RELATIONS:",
        "jobnr.    #modes  #successors   successors",
    ]
    for j, row in enumerate(instance.successors):
        listed = "".join(f"{s + 1:4d}" for s in row.tolist())
        out.append(f"{j + 1:4d}        1 {row.size:10d}       {listed}".rstrip())
    out += [_RULE, "REQUESTS/DURATIONS:",
            "jobnr. mode duration " + " ".join(f" R{r + 1:2d}" for r in range(k)),
            "-" * 72]
    for j in range(n):
        demands = "".join(f"{int(v):5d}" for v in instance.demands[j])
        out.append(f"{j + 1:4d}      1 {int(instance.durations[j]):5d}  {demands}")
    out += [_RULE, "RESOURCEAVAILABILITIES:", "  " + " ".join(f" R{r + 1:2d}" for r in range(k)),
            "  " + "".join(f"{int(c):5d}" for c in instance.capacities), _RULE]
    return "\n".join(out) + "\n"


def _text(meta: Any, key: str, default: Any) -> Any:
    """A header value as written: InvalidInstance when it breaks its line (the rest would be
    read as other lines, or the value cut short)."""
    value = meta.get(key, default)
    text = str(value)
    if text and text.splitlines() != [text]:
        raise InvalidInstance(f"meta {key} = {text!r:.60} spans lines, which a .sm header cannot "
                              "hold: write .json")
    return value


def _whole(meta: Any, key: str) -> int:
    """A PROJECT INFORMATION value: InvalidInstance unless a whole number the reader takes."""
    value = meta.get(key, 0)
    if not is_whole(value, 1 - MAX_VALUE, MAX_VALUE - 1):
        raise InvalidInstance(f"meta {key} = {value!r:.60}: a .sm file holds a whole number "
                              f"within ±2^62 there: write .json")
    return int(value)


def write(instances: Iterable[Any], path: Path, arg: str | None) -> None:
    """Exactly one project per `.sm` file."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: a .sm file holds one project, got {len(items)}")
    try:
        text = dumps(items[0])
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error}") from None
    path.write_text(text)
