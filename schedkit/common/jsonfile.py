"""The project's JSON (one instance per file) and JSON lines (one instance per line).

JSON lines are selected by their `id` field (`smtt_n100.jsonl#12`), or by 1-based line
number when records carry no id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from schedkit.common.jsonparse import parse_json
from schedkit.common.records import from_record, is_text, to_record
from schedkit.common.textfile import file_stem
from schedkit.errors import InvalidInstance, ParseError


def _describe(text: str) -> str:
    text = text.strip()
    return repr(text[:40] + ("..." if len(text) > 40 else ""))


def read_json(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """One instance from a JSON document."""
    record = parse_json(text, path)
    try:
        return [("1", from_record(record, file_stem(path)))]
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error}") from None


def read_jsonl(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """Every instance of a JSON-lines file, keyed by `id` (or line number)."""
    entries: list[tuple[str, Any]] = []
    first: dict[str, int] = {}  # each key's line: `file#key` must name one instance
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = parse_json(line, path, number)
        except ParseError as error:
            if error.expected != "a JSON document":
                raise
            found = f"{_describe(line)} ({error.found})"
            raise ParseError(str(path), number, "one JSON object per line", found) from None
        if not isinstance(record, dict):
            raise ParseError(str(path), number, "a JSON object", type(record).__name__)
        key = _key(path, number, record.get("id"), len(entries) + 1)
        if key in first:
            raise ParseError(str(path), number, "an id no other line has",
                             f"id {key!r} again (line {first[key]} has it)")
        first[key] = number
        try:
            instance = from_record(record, f"{file_stem(path)}#{key}")
        except InvalidInstance as error:
            raise InvalidInstance(f"{path}:{number}: {error}") from None
        entries.append((key, instance))
    return entries


def _key(path: Path, number: int, ident: Any, position: int) -> str:
    """The selector of a JSON-lines record: its `id` (a string or integer), else its position."""
    if ident is None:
        return str(position)
    if not is_text(ident):
        raise ParseError(str(path), number, "an id that is a string or an integer", repr(ident)[:40])
    return str(ident)


def write_json(instances: Iterable[Any], path: Path, arg: str | None) -> None:
    """Exactly one instance as a JSON document, one field per line."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(
            f"{path}: a .json file holds one instance, got {len(items)}; "
            "write .jsonl or pick one with file#k"
        )
    record = to_record(items[0])
    lines = [f" {json.dumps(key)}: {json.dumps(value)}" for key, value in record.items()]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")


def write_jsonl(instances: Iterable[Any], path: Path, arg: str | None) -> None:
    """One compact JSON object per line."""
    with path.open("w") as out:
        for instance in instances:
            out.write(json.dumps(to_record(instance), separators=(",", ":")) + "\n")
