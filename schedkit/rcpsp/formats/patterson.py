"""Patterson `.rcp` files (as in RCPLIB / PSPLIB's Patterson set).

Whitespace-separated integers: n (activities, dummies included) and K (resources); K
capacities; then per activity its duration, K demands, its successor count and its successors
(1-based). Line breaks carry no meaning, so a long successor list may wrap. The format has no
header fields: `meta` is not written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from schedkit.common.numbers import explain, read_int
from schedkit.common.textfile import file_stem
from schedkit.errors import InvalidInstance, ParseError
from schedkit.rcpsp.model import RCPSPInstance


class _Tokens:
    """The file's integers with their line numbers, consumed in order."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.items: list[tuple[int, int]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            for token in line.split():
                try:
                    self.items.append((number, read_int(token)))
                except ValueError:
                    raise ParseError(self.path, number, *explain(token)) from None
        self.at = 0

    def take(self, expected: str) -> tuple[int, int]:
        if self.at >= len(self.items):
            raise ParseError(self.path, None, expected, "the end of the file (is it truncated?)")
        item = self.items[self.at]
        self.at += 1
        return item


def parse(path: Path, text: str) -> RCPSPInstance:
    """The project of a `.rcp` file; ParseError names file, line and what was expected."""
    tokens = _Tokens(path, text)
    line, n = tokens.take("the number of activities")
    if n < 1:
        raise ParseError(str(path), line, "a positive number of activities", str(n))
    line, k = tokens.take("the number of resources")
    if k < 0:
        raise ParseError(str(path), line, "a non-negative number of resources", str(k))
    capacities = [tokens.take(f"capacity of resource {r + 1}")[1] for r in range(k)]
    durations, demands, successors = [], [], []
    for j in range(1, n + 1):
        durations.append(tokens.take(f"the duration of activity {j}")[1])
        demands.append([tokens.take(f"demand {r + 1} of activity {j}")[1] for r in range(k)])
        line, count = tokens.take(f"the successor count of activity {j}")
        if count < 0:
            raise ParseError(str(path), line, f"a successor count for activity {j}", str(count))
        listed = []
        for _ in range(count):
            line, successor = tokens.take(f"a successor of activity {j}")
            if not 1 <= successor <= n:
                raise ParseError(str(path), line, f"successors of activity {j} among 1..{n}",
                                 f"unknown activity {successor}")
            listed.append(successor - 1)
        successors.append(listed)
    if tokens.at < len(tokens.items):
        line, value = tokens.items[tokens.at]
        raise ParseError(str(path), line, f"the end of the file after {n} activities", str(value))
    try:
        return RCPSPInstance(durations, successors, capacities, demands, name=file_stem(path))
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error} (activity i is activity i+1 of the file)") from None


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """One instance per `.rcp` file, keyed "1"."""
    return [("1", parse(path, text))]


def dumps(instance: RCPSPInstance) -> str:
    """The `.rcp` text of `instance` (one line per activity)."""
    if instance.lags is not None:
        raise InvalidInstance(f"{instance.name or 'the project'} has time lags, which a .rcp file "
                              "cannot hold: write .sch or .json")
    out = [f"{instance.n:6d}{instance.resources:6d}",
           "".join(f"{int(c):6d}" for c in instance.capacities)]
    for j in range(instance.n):
        row = instance.successors[j]
        values = [int(instance.durations[j]), *instance.demands[j].tolist(), row.size,
                  *(s + 1 for s in row.tolist())]
        out.append("".join(f"{v:6d}" for v in values))
    return "\n".join(out) + "\n"


def write(instances: Iterable[Any], path: Path, arg: str | None) -> None:
    """Exactly one project per `.rcp` file."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: a .rcp file holds one project, got {len(items)}")
    path.write_text(dumps(items[0]))
