"""OR-Library weighted tardiness files (wt40.txt, wt50.txt, wt100.txt).

Whitespace-separated integers; per instance in turn n processing times, n weights, n due
dates. n is not in the file: it comes from the file name (`wt40` -> 40) or `orlib-wt:N`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.common.numbers import explain, read_int
from schedkit.common.textfile import file_stem
from schedkit.errors import InvalidInstance, ParseError
from schedkit.smtt.model import MAX_JOBS, SMTTInstance

_NAME = re.compile(r"wt_?([0-9]{1,9})", re.IGNORECASE)


def jobs_from_name(path: Path) -> int | None:
    """40 for `wt40.txt`, None when the name does not say."""
    match = _NAME.search(file_stem(path))
    return int(match.group(1)) if match else None


def _jobs(path: Path, arg: str | None) -> int:
    if arg is not None:
        if not arg.isascii() or not arg.isdigit() or len(arg) > 9 or int(arg) < 1:
            raise ParseError(str(path), None, "orlib-wt:N with N a positive job count", repr(arg))
        n = int(arg)
    else:
        guessed = jobs_from_name(path)
        if guessed is None:
            raise ParseError(
                str(path), None, "the job count in the file name (wt40.txt) or format='orlib-wt:N'",
                "neither",
            )
        n = guessed
    if n < 1:
        raise ParseError(str(path), None, "a positive job count in the file name (wt40.txt)", str(n))
    if n > MAX_JOBS:
        raise InvalidInstance(f"{path}: {n} jobs is beyond the supported maximum of {MAX_JOBS}")
    return n


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """Every instance of the file, keyed "1", "2", ... (1-based, file order)."""
    n = _jobs(path, arg)
    numbers: list[int] = []
    last_line = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for token in line.split():
            try:
                numbers.append(read_int(token))
            except ValueError:
                raise ParseError(str(path), number, *explain(token)) from None
        if line.strip():
            last_line = number
    block = 3 * n
    if not numbers:
        raise ParseError(str(path), None, f"{block} integers per instance", "no numbers")
    if len(numbers) % block:
        raise ParseError(
            str(path), last_line,
            f"a multiple of {block} integers (p, w, d for {n} jobs per instance)",
            f"{len(numbers)} integers: the file is truncated or n is not {n}",
        )
    values = np.asarray(numbers, dtype=np.int64).reshape(-1, 3, n)
    entries = []
    for k, (p, w, d) in enumerate(values, start=1):
        name = f"{file_stem(path)}#{k}"
        try:
            entries.append((str(k), SMTTInstance(p=p, d=d, w=w, name=name)))
        except InvalidInstance as error:
            raise InvalidInstance(f"{path}: instance {k}: {error}") from None
    return entries


def write(instances: Iterable[Any], path: Path, arg: str | None) -> None:
    """p, w, d of each instance, 20 numbers a line; all instances need the same n."""
    items = list(instances)
    if not all(isinstance(instance, SMTTInstance) for instance in items):  # a VMR cluster: AttributeError
        kinds = sorted({str(getattr(instance, "family", type(instance).__name__)) for instance in items})
        raise InvalidInstance(f"{path}: the orlib-wt format holds smtt instances, not {', '.join(kinds)}")
    sizes = {instance.n for instance in items}
    if len(sizes) != 1:
        raise InvalidInstance(f"{path}: OR-Library files need one job count, got {sorted(sizes)}")
    n = sizes.pop()
    named = jobs_from_name(path)
    if arg is not None and _jobs(path, arg) != n:  # read back with orlib-wt:N, it would split
        raise InvalidInstance(f"{path}: orlib-wt:{arg} gives the job count, but the instances "
                              f"have {n} jobs: write orlib-wt:{n}")
    if named is not None and named != n:  # read back by its name, it would split differently
        raise InvalidInstance(f"{path}: the name says {named} jobs, but the instances have {n}: "
                              f"name it wt{n}.txt")
    if arg is None and named != n:
        raise InvalidInstance(
            f"{path}: the name must carry the job count ({n}) to be read back, e.g. wt{n}.txt"
        )
    lines: list[str] = []
    for instance in items:
        for row in (instance.p, instance.w, instance.d):
            values = [str(int(v)) for v in row]
            lines.extend(" ".join(values[i : i + 20]) for i in range(0, n, 20))
    path.write_text("\n".join(lines) + "\n")
