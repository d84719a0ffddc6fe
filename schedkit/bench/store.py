"""Append-only JSON-lines store of run records, keyed so that `--resume` skips finished runs.

Each record is written as one line and flushed to disk before the next; a harness killed
mid-write leaves at most one partial last line, which reading ignores and the next append
terminates. Records are never rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

KEY_FIELDS = ("suite", "instance", "method", "options", "seed", "time_limit", "workers", "versions")


def run_key(record: dict[str, Any]) -> str:
    """Hash of (suite, instance, method, options, seed, time limit, workers, package versions)."""
    identity = {field: record[field] for field in KEY_FIELDS}
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class ResultStore:
    """One JSON-lines file of run records."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every complete record, in the order written (a torn last line is skipped)."""
        if not self.path.exists():
            return
        with self.path.open() as lines:
            for line in lines:
                if not line.endswith("\n"):
                    break  # torn write of a killed harness
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue

    def keys(self) -> set[str]:
        """Keys of the stored runs."""
        return {record["key"] for record in self.records() if "key" in record}

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
