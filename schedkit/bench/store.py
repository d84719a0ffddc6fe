"""Append-only JSON-lines store of run records, keyed so that `--resume` skips finished runs.

Each record is written as one line and flushed to disk before the next; a harness killed
mid-write leaves at most one partial last line, which reading ignores and the next append
terminates. Records are never rewritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from schedkit.common.jsonparse import MAX_DEPTH, nesting_depth
from schedkit.errors import SchedkitError

KEY_FIELDS = ("suite", "instance", "method", "options", "seed", "time_limit", "workers", "versions")


def run_key(record: dict[str, Any]) -> str:
    """Hash of (suite, instance, method, options, seed, time limit, workers, package versions)."""
    identity = {field: record[field] for field in KEY_FIELDS}
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _record(line: bytes) -> dict[str, Any] | None:
    """The run record on one stored line; None when the line holds none (bytes that are not
    UTF-8, not JSON, nested past reason, or JSON that is not a record with its key)."""
    try:
        text = line.decode("utf-8")
        if nesting_depth(text) > MAX_DEPTH:
            return None
        record = json.loads(text)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError among them
        return None
    if not isinstance(record, dict) or not isinstance(record.get("key"), str):
        return None
    return record if all(_fits(record.get(field), kind) for field, kind in FIELDS.items()) else None


# What the report reads of a record, each field absent (None) or of this kind.
FIELDS = {"instance": "text", "method": "text", "label": "text", "outcome": "text", "status": "text",
          "error": "text", "finished": "text", "objective": "number", "bound": "number",
          "wall_time": "number", "elapsed": "number", "seed": "whole", "violations": "texts",
          "load": "numbers", "stats": "table"}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


KINDS: dict[str, Callable[[Any], bool]] = {
    "text": lambda v: isinstance(v, str),
    "number": _number,
    "whole": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "texts": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "numbers": lambda v: isinstance(v, list) and all(x is None or _number(x) for x in v),
    "table": lambda v: isinstance(v, dict),
}


def _fits(value: Any, kind: str) -> bool:
    """Whether a record's field holds what the report expects (None: the field is absent)."""
    return value is None or KINDS[kind](value)


class ResultStore:
    """One JSON-lines file of run records."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every complete record, in the order written (a torn last line is skipped, and so is
        a damaged line: that run counts as not done, and --resume runs it again)."""
        if not self.path.exists():
            return
        with self.path.open("rb") as lines:
            for line in lines:
                if not line.endswith(b"\n"):
                    break  # torn write of a killed harness
                record = _record(line)
                if record is not None:
                    yield record

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store for this harness alone: SchedkitError when another one is writing to
        it (two runs into one --out would both run, and store, the runs neither had)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as file:
            try:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SchedkitError(f"{self.path}: another bench run is writing to this store; let it "
                                    "finish, or pass --out another folder") from None
            try:
                yield
            finally:
                fcntl.flock(file.fileno(), fcntl.LOCK_UN)

    def keys(self) -> set[str]:
        """Keys of the stored runs."""
        return {record["key"] for record in self.records()}

    def append(self, record: dict[str, Any]) -> None:
        """Add one record durably (flush + fsync), never touching what is stored."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, separators=(",", ":"), sort_keys=True) + "\n"
        with self.path.open("a+b") as file:
            file.seek(0, os.SEEK_END)
            if file.tell() > 0:
                file.seek(-1, os.SEEK_END)
                if file.read(1) != b"\n":
                    file.write(b"\n")  # end a torn line so it stays unreadable on its own
            file.write(line.encode())
            file.flush()
            os.fsync(file.fileno())
