"""Reading and writing instance files: format sniffing, `file#k` selectors, conversion."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from schedkit.errors import ParseError, SelectorError
from schedkit.instances import jsonfmt, orlib_wt

Reader = Callable[[Path, str, "str | None"], list[tuple[str, Any]]]
Writer = Callable[[Any, Path, "str | None"], None]

READERS: dict[str, Reader] = {
    "json": jsonfmt.read_json,
    "jsonl": jsonfmt.read_jsonl,
    "orlib-wt": orlib_wt.read,
}
WRITERS: dict[str, Writer] = {
    "json": jsonfmt.write_json,
    "jsonl": jsonfmt.write_jsonl,
    "orlib-wt": orlib_wt.write,
}
_EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
MAX_FILE_BYTES = 1 << 30


def split_selector(path: str | Path) -> tuple[Path, str | None]:
    """`wt40.txt#7` -> (wt40.txt, "7"); a path that exists as written is never split."""
    text = str(path)
    if "#" in text and not Path(text).exists():
        base, _, selector = text.rpartition("#")
        if selector:
            return Path(base), selector
    return Path(text), None


def _split_format(format: str | None) -> tuple[str | None, str | None]:
    if format is None:
        return None, None
    name, _, arg = format.partition(":")
    known = sorted(READERS)
    if name not in READERS:
        raise ParseError("--format", None, f"one of {', '.join(known)}", repr(format))
    return name, arg or None


def sniff(path: Path, text: str) -> str:
    """The format of `path`: by extension, then file name (wtN), then content."""
    if path.suffix.lower() in _EXTENSIONS:
        return _EXTENSIONS[path.suffix.lower()]
    if orlib_wt.jobs_from_name(path) is not None:
        return "orlib-wt"
    head = text.lstrip()[:1]
    if head == "{":
        try:
            json.loads(text)
        except json.JSONDecodeError:
            return "jsonl"
        return "json"
    if head.isdigit() or head == "-":
        raise ParseError(
            str(path), None, "a file name with the job count (wt40.txt) or --format orlib-wt:N",
            "a list of numbers",
        )
    raise ParseError(str(path), 1, "a known instance format (json, jsonl, orlib-wt)",
                     repr(text.strip()[:30]) if text.strip() else "an empty file")


def _read_entries(path: Path, format: str | None) -> list[tuple[str, Any]]:
    name, arg = _split_format(format)
    if path.is_dir():
        raise ParseError(str(path), None, "an instance file", "a directory")
    size = path.stat().st_size  # raises FileNotFoundError with the path in it
    if size > MAX_FILE_BYTES:
        raise ParseError(str(path), None, f"a file under {MAX_FILE_BYTES >> 20} MiB",
                         f"{size >> 20} MiB")
    try:
        text = path.read_text()
    except UnicodeDecodeError:
        raise ParseError(str(path), None, "a text file", "binary data") from None
    if not text.strip():
        raise ParseError(str(path), None, "instance data", "an empty file")
    name = name or sniff(path, text)
    return READERS[name](path, text, arg)


def _select(path: Path, entries: list[tuple[str, Any]], selector: str) -> Any:
    for key, instance in entries:
        if key == selector:
            return instance
    keys = [key for key, _ in entries]
    if keys == [str(i) for i in range(1, len(keys) + 1)]:
        span = f"1..{len(keys)}"
    else:
        span = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
    raise SelectorError(f"{path}#{selector}: no such instance; the file holds {span}")


def load(path: str | Path, format: str | None = None) -> Any:
    """The instance in `path` (`file#k` picks one of a multi-instance file).

    `format` overrides sniffing: "json", "jsonl", "orlib-wt" or "orlib-wt:N".
    """
    file, selector = split_selector(path)
    entries = _read_entries(file, format)
    if selector is not None:
        return _select(file, entries, selector)
    if len(entries) != 1:
        raise SelectorError(
            f"{file} holds {len(entries)} instances: pick one with {file}#k or use load_all"
        )
    return entries[0][1]


def load_all(path: str | Path, format: str | None = None) -> Iterator[Any]:
    """Every instance of `path` in file order (just the selected one with `file#k`)."""
    file, selector = split_selector(path)
    entries = _read_entries(file, format)
    if selector is not None:
        yield _select(file, entries, selector)
        return
    for _, instance in entries:
        yield instance


def write(instances: Any, path: str | Path, format: str | None = None) -> Path:
    """Write one instance or a list of them; the format follows the extension unless given."""
    target = Path(path)
    items = list(instances) if isinstance(instances, list | tuple) else [instances]
    name, arg = _split_format(format)
    if name is None:
        if target.suffix.lower() in _EXTENSIONS:
            name = _EXTENSIONS[target.suffix.lower()]
        elif orlib_wt.jobs_from_name(target) is not None:
            name = "orlib-wt"
        else:
            raise ParseError(str(target), None, "an output extension .json or .jsonl, or wtN.txt",
                             repr(target.suffix or target.name))
    WRITERS[name](items, target, arg)
    return target


def dump(instance: Any, path: str | Path) -> Path:
    """Write `instance` as the project's JSON; `load(dump(x, p)) == x`."""
    return write([instance], path, "json")
