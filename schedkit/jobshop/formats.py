"""Job shop file formats: the standard format, Taillard's, and FJSPLIB `.fjs`.

- `jobshop` (standard, as OR-Library's `jobshop1.txt`): lines starting with `#` are comments;
  then `n m`; then one line per job of m `machine duration` pairs, machines from 0.
- `taillard`: `n m` (Taillard's files may add seed and bound columns, which go to `meta`);
  then n lines of m processing times; then n lines of m machines numbered from 1. Lines
  naming the sections ("Times", "Machines") and `#` comments are skipped.
- `fjs` (FJSPLIB, Brandimarte, Hurink...): `n m [average alternatives]`; then one line per
  job: its operation count, then per operation the number of alternatives followed by that
  many `machine duration` pairs, machines from 1.

The standard and Taillard formats hold classic job shops (one alternative per operation, the
same number of operations per job for Taillard); none of the three holds release dates, due
dates, weights, another objective or blocking (no buffers): write those instances as JSON.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.common.textfile import SNIFF_CHARS, file_stem
from schedkit.errors import InvalidInstance, ParseError
from schedkit.jobshop.model import JobShopInstance

Line = tuple[int, list[str]]  # (1-based line number, tokens)
_INT = re.compile(r"^-?[0-9]{1,18}$")  # ASCII digits, |value| < 10^18 (< 2^62)
_INTS = re.compile(r"-?[0-9]{1,18}(?:\s+-?[0-9]{1,18})*")  # a line of _INT tokens (split's spaces)
_NUMBER = re.compile(r"^-?[0-9]{1,18}(\.[0-9]{0,18})?([eE][-+]?[0-9]{1,3})?$")


def _content(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their numbers, comments cut and ends stripped (not split)."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if "#" in raw else raw.strip()
        if line:
            out.append((number, line))
    return out


def _lines(text: str) -> list[Line]:
    """Non-blank, non-comment lines with their numbers, split into tokens."""
    return [(number, line.split()) for number, line in _content(text)]


def _matrix(rows: list[tuple[int, str]], width: int) -> np.ndarray | None:
    """The integers of `rows` as a len(rows) x width matrix, read in one pass, when every row is
    exactly `width` plain integers (|value| < 10^18) apart by spaces or tabs; None otherwise, and
    the line-by-line reader then names the first fault (or reads what this one would not)."""
    if not rows or width < 1 or any(len(line) < 2 * width - 1 for _, line in rows):
        return None  # also bounds the pattern's repeat count by the text there
    row = re.compile(rf"-?[0-9]{{1,18}}(?:[ \t]+-?[0-9]{{1,18}}){{{width - 1}}}")
    if not all(row.fullmatch(line) for _, line in rows):
        return None
    values = np.fromstring("\n".join(line for _, line in rows), dtype=np.int64, sep=" ")
    if values.size != len(rows) * width:
        return None
    return values.reshape(len(rows), width)


def _ints(path: Path, line: Line, what: str) -> list[int]:
    number, tokens = line
    for token in tokens:
        if not _INT.match(token):
            raise ParseError(str(path), number, f"integers ({what})", repr(token))
    return [int(t) for t in tokens]


def _header(path: Path, lines: list[Line], fjs: bool = False) -> tuple[int, int, list[int]]:
    """`n m` (and extra header numbers) from the first line."""
    if not lines:
        raise ParseError(str(path), None, "a header line `jobs machines`", "no data")
    number, tokens = lines[0]
    head = tokens[:2]
    if len(head) < 2 or not all(_INT.match(t) for t in head):
        raise ParseError(str(path), number, "a header `jobs machines`", repr(" ".join(tokens)))
    n, m = int(head[0]), int(head[1])
    if n < 1 or m < 1:
        raise ParseError(str(path), number, "at least one job and one machine", f"{n} jobs, {m} machines")
    rest = tokens[2:]
    if fjs:
        if len(rest) > 1 or not all(_NUMBER.match(t) for t in rest):
            raise ParseError(str(path), number, "`jobs machines [average alternatives]`",
                             repr(" ".join(tokens)))
        return n, m, []
    return n, m, _ints(path, (number, rest), "header")


def _instance(path: Path, line: int | None, **fields: Any) -> JobShopInstance:
    """Build the instance; model errors carry the file (and line) name."""
    try:
        return JobShopInstance.from_jobs(**fields)
    except InvalidInstance as error:
        where = f"{path}:{line}" if line is not None else str(path)
        raise InvalidInstance(f"{where}: {error}") from None


def _classic(path: Path, machine: np.ndarray, duration: np.ndarray, **fields: Any) -> JobShopInstance:
    """The classic shop of n x m matrices (machines from 0), built from its arrays as `_instance`
    builds it from lists (the same checks and messages, without a Python object per operation)."""
    n, m = machine.shape
    try:
        return JobShopInstance(machines=m, job_ptr=np.arange(0, n * m + 1, m, dtype=np.int64),
                               op_ptr=np.arange(n * m + 1, dtype=np.int64),
                               alt_machine=machine.ravel(), alt_duration=duration.ravel(), **fields)
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error}") from None


# ---- standard -----------------------------------------------------------------------------
def read_standard(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """One classic job shop in the standard format; machines from 0. The body is read in one
    pass when it has the right shape; any fault is named by the line-by-line reader."""
    content = _content(text)
    n, m, _ = _header(path, [(number, line.split()) for number, line in content[:1]])
    values = _matrix(content[1:], 2 * m) if len(content) == n + 1 else None
    if values is not None:
        machine, duration = values[:, 0::2], values[:, 1::2]
        if machine.min() >= 0 and machine.max() < m:
            return [("1", _classic(path, machine, duration, name=file_stem(path)))]
    return _read_standard_by_line(path, text, n, m)


def _read_standard_by_line(path: Path, text: str, n: int, m: int) -> list[tuple[str, Any]]:
    """The standard format's body line by line, each fault named where it is."""
    body = _lines(text)[1:]
    if len(body) != n:
        where = body[n][0] if len(body) > n else None
        raise ParseError(str(path), where, f"{n} job lines after the header",
                         f"{len(body)} line(s)")
    jobs = []
    for j, line in enumerate(body):
        values = _ints(path, line, f"job {j}: machine duration pairs")
        if len(values) != 2 * m:
            raise ParseError(str(path), line[0], f"{2 * m} integers for job {j} ({m} machine duration pairs)",
                             f"{len(values)}")
        jobs.append([(values[2 * k], values[2 * k + 1]) for k in range(m)])
        for k in range(m):
            if not 0 <= values[2 * k] < m:
                raise ParseError(str(path), line[0], f"job {j}, operation {k}: a machine in 0..{m - 1}",
                                 str(values[2 * k]))
    return [("1", _instance(path, None, jobs=jobs, machines=m, name=file_stem(path)))]


def _classic_rows(instance: JobShopInstance, fmt: str) -> list[list[tuple[int, int]]]:
    """Per job its (machine, duration) operations; InvalidInstance when the format cannot hold it."""
    if instance.flexible:
        raise InvalidInstance(
            f"{instance.name}: a flexible job shop cannot be written as {fmt}; use fjs or json")
    _plain(instance, fmt)
    return [[op[0] for op in job] for job in instance.jobs()]


def _plain(instance: JobShopInstance, fmt: str) -> None:
    if (instance.release is not None or instance.due is not None or instance.weight is not None
            or instance.objective != "makespan"):
        raise InvalidInstance(f"{instance.name}: release dates, due dates, weights and objectives other "
                              f"than makespan do not fit {fmt}; write json")
    if instance.blocking:  # every text format reads back as unlimited buffers
        raise InvalidInstance(f"{instance.name}: a blocking job shop (no buffers) does not fit {fmt}, "
                              "which reads back with buffers; write json")


def _one(instances: Any, path: Path) -> JobShopInstance:
    items = list(instances)
    if len(items) != 1 or not isinstance(items[0], JobShopInstance):
        raise InvalidInstance(f"{path}: this format holds exactly one job shop instance, got {len(items)}")
    return items[0]


def dumps_standard(instance: JobShopInstance) -> str:
    """The standard-format text of a classic job shop with m operations per job."""
    rows = _classic_rows(instance, "the standard format")
    m = instance.m
    if any(len(row) != m for row in rows):
        raise InvalidInstance(f"{instance.name}: the standard format needs exactly {m} operations per job")
    name = " ".join(instance.name.split())  # a line break in it would start a data line
    out = [f"# instance {name}"] if name else []
    out.append(f"{instance.n} {m}")
    out += [" ".join(f"{machine} {duration}" for machine, duration in row) for row in rows]
    return "\n".join(out) + "\n"


def write_standard(instances: Any, path: Path, arg: str | None) -> None:
    """Write one classic job shop in the standard format."""
    path.write_text(dumps_standard(_one(instances, path)))


# ---- Taillard -----------------------------------------------------------------------------
_SECTION = re.compile(r"^[A-Za-z]")


def read_taillard(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """One job shop in Taillard's format (times matrix, then machines matrix from 1). The body is
    read in one pass when it has the right shape; any fault is named by the line-by-line reader."""
    content = [line for line in _content(text) if not _SECTION.match(line[1])]
    n, m, extra = _header(path, [(number, line.split()) for number, line in content[:1]])
    meta = {"taillard_header": extra} if extra else {}
    values = _matrix(content[1:], m) if len(content) == 2 * n + 1 else None
    if values is not None:
        times, machines = values[:n], values[n:]
        if machines.min() >= 1 and machines.max() <= m:
            return [("1", _classic(path, machines - 1, times, name=file_stem(path), meta=meta))]
    return _read_taillard_by_line(path, text, n, m, meta)


def _read_taillard_by_line(path: Path, text: str, n: int, m: int, meta: dict[str, Any]
                           ) -> list[tuple[str, Any]]:
    """Taillard's body line by line, each fault named where it is."""
    body = [line for line in _lines(text) if not _SECTION.match(line[1][0])][1:]
    if len(body) != 2 * n:
        where = body[2 * n][0] if len(body) > 2 * n else None
        raise ParseError(str(path), where, f"{2 * n} matrix lines ({n} of times, {n} of machines)",
                         f"{len(body)} line(s)")
    times = [_ints(path, line, "processing times") for line in body[:n]]
    machines = [_ints(path, line, "machines") for line in body[n:]]
    for row, line in zip(times + machines, body, strict=True):
        if len(row) != m:
            raise ParseError(str(path), line[0], f"{m} integers per matrix row", str(len(row)))
    jobs = []
    for j in range(n):
        for k, machine in enumerate(machines[j]):
            if not 1 <= machine <= m:
                raise ParseError(str(path), body[n + j][0],
                                 f"job {j}, operation {k}: a machine in 1..{m}", str(machine))
        jobs.append([(machines[j][k] - 1, times[j][k]) for k in range(m)])
    return [("1", _instance(path, None, jobs=jobs, machines=m, name=file_stem(path), meta=meta))]


def dumps_taillard(instance: JobShopInstance) -> str:
    """Taillard's format of a classic job shop with m operations per job."""
    rows = _classic_rows(instance, "Taillard's format")
    m = instance.m
    if any(len(row) != m for row in rows):
        raise InvalidInstance(f"{instance.name}: Taillard's format needs exactly {m} operations per job")
    extra = instance.meta.get("taillard_header", [])
    if not isinstance(extra, list | tuple) or not all(
            isinstance(v, int) and not isinstance(v, bool) and abs(v) < 10**18 for v in extra):
        raise InvalidInstance(f"{instance.name}: meta taillard_header must list integers (the header's "
                              f"extra columns), got {extra!r:.80}")
    header = [instance.n, m, *extra]
    out = [" ".join(map(str, header))]
    out += [" ".join(str(d) for _, d in row) for row in rows]
    out += [" ".join(str(machine + 1) for machine, _ in row) for row in rows]
    return "\n".join(out) + "\n"


def write_taillard(instances: Any, path: Path, arg: str | None) -> None:
    """Write one classic job shop in Taillard's format."""
    path.write_text(dumps_taillard(_one(instances, path)))


# ---- FJSPLIB ------------------------------------------------------------------------------
def read_fjs(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """One flexible job shop in FJSPLIB `.fjs`; machines from 1."""
    lines = _lines(text)
    n, m, _ = _header(path, lines, fjs=True)
    body = lines[1:]
    if len(body) < n:
        raise ParseError(str(path), None, f"{n} job lines after the header", f"{len(body)} line(s)")
    for line in body[n:]:
        raise ParseError(str(path), line[0], f"only {n} job lines", "more data")
    jobs = []
    for j, line in enumerate(body):
        values = _ints(path, line, f"job {j}")
        jobs.append(_fjs_job(path, line[0], values, j, m))
    return [("1", _instance(path, None, jobs=jobs, machines=m, name=file_stem(path)))]


def _fjs_job(path: Path, number: int, values: list[int], j: int, m: int) -> list[list[tuple[int, int]]]:
    """One `.fjs` job line: operation count, then per operation k (machine duration)*k."""
    if values[0] < 1:
        raise ParseError(str(path), number, f"job {j}: at least one operation", str(values[0]))
    ops: list[list[tuple[int, int]]] = []
    i = 1
    for k in range(values[0]):
        if i >= len(values):
            raise ParseError(str(path), number, f"job {j}: {values[0]} operations", f"{k}")
        count = values[i]
        if count < 1:
            raise ParseError(str(path), number, f"job {j}, operation {k}: at least one alternative",
                             str(count))
        pairs = values[i + 1:i + 1 + 2 * count]
        if len(pairs) != 2 * count:
            raise ParseError(str(path), number, f"job {j}, operation {k}: {count} machine duration pairs",
                             "the end of the line")
        for a in range(count):
            if not 1 <= pairs[2 * a] <= m:
                raise ParseError(str(path), number, f"job {j}, operation {k}: a machine in 1..{m}",
                                 str(pairs[2 * a]))
        ops.append([(pairs[2 * a] - 1, pairs[2 * a + 1]) for a in range(count)])
        i += 1 + 2 * count
    if i != len(values):
        raise ParseError(str(path), number, f"job {j}: nothing after its {values[0]} operations",
                         f"{len(values) - i} more number(s)")
    return ops


def dumps_fjs(instance: JobShopInstance) -> str:
    """FJSPLIB text of any (flexible) job shop; machines written from 1."""
    _plain(instance, "the fjs format")
    average = instance.alt_machine.size / instance.operations
    out = [f"{instance.n} {instance.m} {average:g}"]
    for job in instance.jobs():
        tokens = [str(len(job))]
        for op in job:
            tokens.append(str(len(op)))
            tokens += [f"{machine + 1} {duration}" for machine, duration in op]
        out.append(" ".join(tokens))
    return "\n".join(out) + "\n"


def write_fjs(instances: Any, path: Path, arg: str | None) -> None:
    """Write one (flexible) job shop as FJSPLIB `.fjs`."""
    path.write_text(dumps_fjs(_one(instances, path)))


# ---- sniffing -----------------------------------------------------------------------------
def sniff(path: Path, text: str) -> str | None:
    """`jobshop` or `taillard` when the content has exactly that shape and its machine numbers
    are in range (so other number files, e.g. OR-Library's, are left to their families).
    Nothing is allocated from the header's counts: they are only compared with what is there.
    A long text may be the first SNIFF_CHARS of a file (`loading.sniff`): fewer rows than the
    header counts then pass, as long as those there have the shape (a 2,000 x 500 shop's 6.7 MB
    were refused as no known format)."""
    content = _content(text)
    if len(content) < 2 or not all(_INTS.fullmatch(line) for _, line in content):
        return None
    head = content[0][1].split()
    if len(head) < 2:
        return None
    n, m = int(head[0]), int(head[1])
    tokens = [line.split() for _, line in content[1:]]
    widths = [len(row) for row in tokens]
    part = len(text) > SNIFF_CHARS // 2  # maybe only the start of the file
    rows_fit = len(widths) in (n, 2 * n) or (part and len(widths) < 2 * n)
    if n < 1 or m < 1 or not rows_fit or set(widths) not in ({m}, {2 * m}):
        return None
    rows = np.array(tokens, dtype=np.int64)  # one width (checked): a matrix; |values| < 10^18
    if len(head) == 2 and (len(widths) == n or (part and len(widths) < n)) and set(widths) == {2 * m} and (
            rows[:, 0::2].min() >= 0 and rows[:, 0::2].max() < m):  # the reader judges durations
        return "jobshop"
    machines = rows[n:]
    if (len(widths) == 2 * n or part) and set(widths) == {m} and (
            machines.size == 0 or (machines.min() >= 1 and machines.max() <= m)):
        return "taillard"
    return None
