"""ProGen/max `.sch` files (RCPSP/max: single mode, renewable resources, time lags), as in the
sets sm_j10/j20/j30 of Kolisch, Schwindt & Sprecher (extension `.sch` in any case).

- Line 1: n K 0 0: n real activities (the file then lists n + 2, the dummy source 0 and sink
  n + 1 included), K renewable resources, no non-renewable or doubly constrained ones.
- One line per activity, in id order: id, mode count (1), successor count, the successor ids,
  then one bracketed time lag per successor, `[lag]`: start(j) >= start(i) + lag (negative: a
  maximum time lag).
- One line per activity, in id order: id, mode (1), duration, K demands.
- Last line: K capacities.
Activity ids are the model's 0-based ids. Tokens are ASCII integers; tabs and spaces alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from schedkit.common.textfile import file_stem
from schedkit.errors import InvalidInstance, ParseError
from schedkit.rcpsp.model import MAX_ACTIVITIES, MAX_RESOURCES, RCPSPInstance

_INTEGER = re.compile(r"-?[0-9]{1,19}\Z")
_LAG = re.compile(r"\[(-?[0-9]{1,19})\]\Z")


class _Lines:
    """The file's non-blank lines with their 1-based numbers, consumed in order."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.items = [(number, line.split()) for number, line in
                      enumerate(text.lstrip("\ufeff").splitlines(), start=1) if line.strip()]
        self.at = 0

    def take(self, expected: str) -> tuple[int, list[str]]:
        if self.at >= len(self.items):
            raise ParseError(self.path, None, expected, "the end of the file (is it truncated?)")
        item = self.items[self.at]
        self.at += 1
        return item

    def error(self, line: int, expected: str, found: str) -> ParseError:
        return ParseError(self.path, line, expected, found)


def _integers(lines: _Lines, line: int, tokens: list[str], what: str) -> list[int]:
    values = []
    for token in tokens:
        if not _INTEGER.match(token):
            raise lines.error(line, f"integers ({what})", repr(token))
        values.append(int(token))
    return values


def _header(lines: _Lines) -> tuple[int, int]:
    line, tokens = lines.take("the header: activities, resources, 0, 0")
    values = _integers(lines, line, tokens, "the header: activities, resources, 0, 0")
    if len(values) != 4:
        raise lines.error(line, "4 header numbers (activities, resources, 0, 0)",
                          f"{len(values)} numbers")
    n, k, nonrenewable, doubly = values
    if not 0 <= n <= MAX_ACTIVITIES - 2:
        raise lines.error(line, f"a number of real activities in 0..{MAX_ACTIVITIES - 2}", str(n))
    if not 0 <= k <= MAX_RESOURCES:
        raise lines.error(line, f"a number of resources in 0..{MAX_RESOURCES}", str(k))
    if nonrenewable or doubly:
        raise lines.error(line, "no non-renewable or doubly constrained resources (0 0)",
                          f"{nonrenewable} {doubly}")
    return n + 2, k


def _arcs(lines: _Lines, j: int, total: int) -> tuple[list[int], list[int]]:
    line, tokens = lines.take(f"the successor line of activity {j}")
    if len(tokens) < 3:
        raise lines.error(line, f"activity {j}: id, mode count, successor count", " ".join(tokens))
    ident, modes, count = _integers(lines, line, tokens[:3], f"the successor line of activity {j}")
    if ident != j:
        raise lines.error(line, f"the successor line of activity {j}", f"activity id {ident}")
    if modes != 1:
        raise lines.error(line, "one mode per activity (multi-mode is not supported)", str(modes))
    if count < 0 or len(tokens) != 3 + 2 * count:
        raise lines.error(line, f"{count} successor ids and {count} bracketed lags after the "
                          "successor count", f"{len(tokens) - 3} tokens")
    successors = _integers(lines, line, tokens[3:3 + count], "successor ids")
    for s in successors:
        if not 0 <= s < total:
            raise lines.error(line, f"successors of activity {j} among 0..{total - 1}",
                              f"unknown activity {s}")
    lags = []
    for token in tokens[3 + count:]:
        match = _LAG.match(token)
        if not match:
            raise lines.error(line, "a time lag in brackets like [5] or [-3]", repr(token))
        lags.append(int(match.group(1)))
    return successors, lags


def _requests(lines: _Lines, j: int, k: int) -> tuple[int, list[int]]:
    line, tokens = lines.take(f"the duration line of activity {j}")
    values = _integers(lines, line, tokens, f"the duration line of activity {j}")
    if len(values) != 3 + k:
        raise lines.error(line, f"activity {j}: id, mode, duration and {k} demands",
                          f"{len(values)} numbers")
    if values[0] != j:
        raise lines.error(line, f"the duration line of activity {j}", f"activity id {values[0]}")
    if values[1] != 1:
        raise lines.error(line, "mode 1 (multi-mode is not supported)", str(values[1]))
    return values[2], values[3:]


def parse(path: Path, text: str) -> RCPSPInstance:
    """The RCPSP/max project of a `.sch` file; ParseError names file, line and what was expected."""
    lines = _Lines(path, text)
    total, k = _header(lines)
    arcs = [_arcs(lines, j, total) for j in range(total)]
    requests = [_requests(lines, j, k) for j in range(total)]
    line, tokens = lines.take(f"the {k} resource capacities")
    capacities = _integers(lines, line, tokens, "resource capacities")
    if len(capacities) != k:
        raise lines.error(line, f"{k} resource capacities", f"{len(capacities)} numbers")
    if lines.at < len(lines.items):
        line, tokens = lines.items[lines.at]
        raise lines.error(line, "the end of the file after the capacities", " ".join(tokens))
    try:
        return RCPSPInstance(
            durations=[d for d, _ in requests], successors=[s for s, _ in arcs],
            capacities=capacities, demands=[q for _, q in requests] if k else [[] for _ in requests],
            name=file_stem(path), lags=[lag for _, lag in arcs],
        )
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error}") from None


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """One project per `.sch` file, keyed "1"."""
    return [("1", parse(path, text))]


def dumps(instance: RCPSPInstance) -> str:
    """The `.sch` text of `instance`: its lags, or each arc's duration lag when it has none."""
    if instance.n < 2:
        raise InvalidInstance("a .sch file lists a dummy source and sink: at least 2 activities")
    out = [f"{instance.n - 2}\t{instance.resources}\t0\t0"]
    for j in range(instance.n):
        row = instance.successors[j].tolist()
        lags = instance.lag_idx[instance.succ_ptr[j]:instance.succ_ptr[j + 1]].tolist()
        out.append("\t".join([str(j), "1", str(len(row)), *map(str, row),
                              *(f"[{lag}]" for lag in lags)]))
    for j in range(instance.n):
        out.append("\t".join(map(str, [j, 1, int(instance.durations[j]),
                                       *instance.demands[j].tolist()])))
    out.append("\t".join(map(str, instance.capacities.tolist())))
    return "\n".join(out) + "\n"


def write(instances: Iterable[Any], path: Path, arg: str | None) -> None:
    """Exactly one project per `.sch` file."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: a .sch file holds one project, got {len(items)}")
    path.write_text(dumps(items[0]))
