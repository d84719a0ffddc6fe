"""Reference values per instance: lower bound, upper bound and whether the optimum is proven.

CSV with a header `instance,lower_bound,upper_bound,status` or JSON lines with those keys;
status is `optimal` (upper bound proven optimal) or `open`.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

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
    try:
        value = float(str(text))
    except ValueError:
        raise ParseError(str(path), line, f"a number in {field}", repr(text)) from None
    if not math.isfinite(value):
        raise ParseError(str(path), line, f"a finite number in {field}", repr(text))
    return int(value) if value.is_integer() else value


def _reference(row: object, path: Path, line: int) -> tuple[str, Reference]:
    if not isinstance(row, dict):
        raise ParseError(str(path), line, "a JSON object", type(row).__name__)
    for key in ("instance", "upper_bound"):
        if key not in row:
            raise ParseError(str(path), line, f"a field {key!r}", f"fields {sorted(row)}")
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
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((number, json.loads(line)))
                except json.JSONDecodeError as error:
                    raise ParseError(str(path), number, "a JSON object", error.msg) from None
    else:
        reader = csv.DictReader(text.splitlines())
        rows = [(number, row) for number, row in enumerate(reader, start=2)]
    return dict(_reference(row, path, number) for number, row in rows)
