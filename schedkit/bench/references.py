"""Reference values per instance: lower bound, upper bound and whether the optimum is proven.

CSV with a header `instance,lower_bound,upper_bound,status` or JSON lines with those keys;
status is `optimal` (upper bound proven optimal) or `open`.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from schedkit.common.jsonparse import parse_json
from schedkit.common.numbers import MAX_VALUE
from schedkit.common.textfile import read_text
from schedkit.errors import ParseError


@dataclass(frozen=True)
class Reference:
    """Best known bounds of one instance."""

    lower_bound: float | None
    upper_bound: float | None
    status: str  # "optimal" or "open"

    @property
    def optimum(self) -> float | None:
        """The proven optimum, if there is one."""
        return self.upper_bound if self.status == "optimal" else None


def _number(text: object, path: Path, line: int, field: str) -> float | None:
    if text in (None, ""):
        return None
    if isinstance(text, bool):
        raise ParseError(str(path), line, f"a number in {field}", repr(text))
    try:
        value = float(str(text))
    except ValueError:
        raise ParseError(str(path), line, f"a number in {field}", repr(text)[:40]) from None
    if not math.isfinite(value) or abs(value) >= MAX_VALUE:
        raise ParseError(str(path), line, f"a finite number within ±2^62 in {field}", repr(text)[:40])
    return int(value) if value.is_integer() else value


def _reference(row: object, path: Path, line: int) -> tuple[str, Reference]:
    if not isinstance(row, dict):
        raise ParseError(str(path), line, "a JSON object", type(row).__name__)
    for key in ("instance", "upper_bound"):
        if key not in row:
            raise ParseError(str(path), line, f"a field {key!r}", f"fields {sorted(row)}")
    if not isinstance(row["instance"], str) or not row["instance"]:
        raise ParseError(str(path), line, "an instance name (text)", repr(row["instance"])[:40])
    status = str(row.get("status") or "open")
    if status not in ("optimal", "open"):
        raise ParseError(str(path), line, "status optimal or open", repr(status))
    lower = _number(row.get("lower_bound"), path, line, "lower_bound")
    upper = _number(row.get("upper_bound"), path, line, "upper_bound")
    if status == "optimal" and lower is None:
        lower = upper
    if lower is not None and upper is not None and lower > upper:
        raise ParseError(str(path), line, "lower_bound <= upper_bound", f"{lower} > {upper}")
    return str(row["instance"]), Reference(lower, upper, status)


def load_references(path: str | Path) -> dict[str, Reference]:
    """Instance name -> Reference, from a CSV or JSON-lines file."""
    path = Path(path)
    text = read_text(path)  # UTF-8 (a byte-order mark is fine), ParseError otherwise
    rows: list[tuple[int, object]] = []
    if path.suffix.lower() in (".jsonl", ".json"):
        rows = [(number, parse_json(line, path, number))  # bounded nesting and numbers
                for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    else:
        reader = csv.DictReader(text.splitlines())
        try:
            rows = [(number, row) for number, row in enumerate(reader, start=2)]
        except csv.Error as error:
            raise ParseError(str(path), reader.line_num + 1, "CSV rows", str(error)) from None
    references: dict[str, Reference] = {}
    for number, row in rows:
        name, reference = _reference(row, path, number)
        if name in references:  # two rows for one instance: which one is meant?
            raise ParseError(str(path), number, "one row per instance", f"a second row for {name!r}")
        references[name] = reference
    return references
