"""Reading and writing instance files: format sniffing, `file#k` selectors, conversion."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schedkit import family as families
from schedkit.common import jsonfile as jsonfmt
from schedkit.common.arguments import flag
from schedkit.common.jsonparse import parse_json
from schedkit.common.outputs import OutputError
from schedkit.common.textfile import MAX_FILE_BYTES, plain_name, prefix, read_text
from schedkit.errors import ParseError, SchedkitError, SelectorError

_GENERIC_READERS: dict[str, families.Reader] = {"json": jsonfmt.read_json, "jsonl": jsonfmt.read_jsonl}
_GENERIC_WRITERS: dict[str, families.Writer] = {
    "json": jsonfmt.write_json, "jsonl": jsonfmt.write_jsonl,
}
_GENERIC_EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
__all__ = ["MAX_FILE_BYTES", "dump", "load", "load_all", "sniff", "split_selector", "write"]


def _readers() -> dict[str, families.Reader]:
    return {**_GENERIC_READERS, **families.readers()}


def _writers() -> dict[str, families.Writer]:
    return {**_GENERIC_WRITERS, **families.writers()}


def _extensions() -> dict[str, str]:
    return {**_GENERIC_EXTENSIONS, **families.extensions()}


def _path(path: Any) -> str | os.PathLike[str]:
    """`path` when it is text or a path, else SchedkitError: load(None) looked for a file named
    'None', dump(x, None) raised TypeError from pathlib."""
    if not isinstance(path, str | os.PathLike) or isinstance(os.fspath(path), bytes):
        raise SchedkitError(f"path must be a file path (text or a pathlib.Path), got {type(path).__name__}")
    return path


def split_selector(path: str | Path) -> tuple[Path, str | None]:
    """`wt40.txt#7` -> (wt40.txt, "7"); a path that exists as written is never split. An empty
    selector of a file that exists (`wt40.txt#`) is kept, so that it is refused with the names
    the file holds rather than as a missing file."""
    text = str(_path(path))
    if "#" in text and not Path(text).exists():
        base, _, selector = text.rpartition("#")
        if selector or Path(base).is_file():
            return Path(base), selector
    return Path(text), None


def _split_format(format: str | None) -> tuple[str | None, str | None]:
    if format is None:
        return None, None
    known = sorted(_readers())
    if not isinstance(format, str):
        raise ParseError("--format", None, f"a format name, one of {', '.join(known)}", repr(format))
    name, colon, arg = format.partition(":")
    if name not in known:
        raise ParseError("--format", None, f"one of {', '.join(known)}", repr(format))
    takes = families.format_arguments()
    if colon and name not in takes:
        readers_with = ", ".join(f"{fmt}: {what}" for fmt, what in sorted(takes.items()))
        raise ParseError("--format", None, f"{name} without ':' (only these read an argument: "
                         f"{readers_with})", repr(format))
    return name, arg or None


def sniff(path: Path, text: str) -> str:
    """The format of `path`: by a family's own extension, then each family's look at name and
    content (which may claim a generic .json, e.g. SatNet's problems.json), then .json/.jsonl.

    Families see a bounded prefix of the text (textfile.SNIFF_CHARS), never all of it.
    """
    extensions = _extensions()
    suffix = path.suffix.lower()
    head_text = prefix(text)
    if suffix in extensions and suffix not in _GENERIC_EXTENSIONS:
        return extensions[suffix]
    for family in families.all_families().values():  # before .json/.jsonl (serving traces,
        # SatNet problems.json): a family may claim a generic JSON file by its content
        found = family.sniff(path, head_text) if family.sniff is not None else None
        if found is not None:
            return found
    if suffix in extensions:
        return extensions[suffix]
    head = text.lstrip()[:1]
    if head == "{":
        first = text.lstrip().split("\n", 1)[0]
        try:
            parse_json(first, path)
        except ParseError:
            return "json"  # one object over several lines (or broken: the JSON reader says where)
        return "jsonl" if text.strip() != first.strip() else "json"
    if head and head in "0123456789-":
        raise ParseError(
            str(path), None,
            f"a recognisable format: name it with --format ({', '.join(sorted(_readers()))}; "
            "orlib-wt:N where N is the job count)",
            "a list of numbers",
        )
    raise ParseError(str(path), 1, f"a known instance format ({', '.join(sorted(_readers()))})",
                     repr(text.strip()[:30]) if text.strip() else "an empty file")


def _read_entries(path: Path, format: str | None) -> list[tuple[str, Any]]:
    entries = _entries(path, format)
    if not entries:  # e.g. SatNet's {} or a JSON-lines file of blank lines: nothing to solve
        raise ParseError(str(path), None, "at least one instance", "none")
    seen: set[str] = set()
    for key, _ in entries:  # `file#key` would pick one of two, silently
        if key in seen:
            raise ParseError(str(path), None, "one instance per key", f"two instances keyed {key!r}")
        seen.add(key)
    return entries


def _entries(path: Path, format: str | None) -> list[tuple[str, Any]]:
    name, arg = _split_format(format)
    if path.is_dir():
        for family in families.all_families().values():
            if family.read_directory is not None:
                entries = family.read_directory(path)
                if entries:
                    return entries
        raise ParseError(str(path), None, "an instance file", "a directory")
    text = read_text(path)
    if not text.strip():
        raise ParseError(str(path), None, "instance data", "an empty file")
    if name is not None:
        return _readers()[name](path, text, arg)
    plain = plain_name(path)  # j301_1.sm.gz is sniffed as j301_1.sm
    name = sniff(plain, text)
    generic = _GENERIC_EXTENSIONS.get(plain.suffix.lower())
    try:
        return _readers()[name](path, text, arg)
    except ParseError:
        if generic is None or generic == name:
            raise
        # a family claimed a .json/.jsonl by its name (e.g. sample_wt40_1.json): not its format
        return _readers()[generic](path, text, arg)


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


def load(path: str | Path, format: str | None = None, blocking: bool = False) -> Any:
    """The instance in `path` (`file#k` picks one of a multi-instance file).

    `format` overrides sniffing, e.g. "json", "jsonl", "orlib-wt" or "orlib-wt:N"
    (every family's formats: see the README). `blocking=True` reads a job shop as blocking
    (no buffers: `buffers="blocking"`).
    """
    file, selector = split_selector(path)
    entries = _read_entries(file, format)
    if selector is not None:
        return _blocking(file, _select(file, entries, selector), blocking)
    if len(entries) != 1:
        raise SelectorError(
            f"{file} holds {len(entries)} instances: pick one with {file}#k or use load_all"
        )
    return _blocking(file, entries[0][1], blocking)


def load_all(path: str | Path, format: str | None = None, blocking: bool = False) -> Iterator[Any]:
    """Every instance of `path` in file order (just the selected one with `file#k`)."""
    file, selector = split_selector(path)
    entries = _read_entries(file, format)
    if selector is not None:
        yield _blocking(file, _select(file, entries, selector), blocking)
        return
    for _, instance in entries:
        yield _blocking(file, instance, blocking)


def _blocking(file: Path, instance: Any, blocking: bool) -> Any:
    """`instance` with `buffers="blocking"` when asked (job shops only)."""
    if not flag("blocking", blocking):  # 1 or "yes" is no answer
        return instance
    if getattr(instance, "family", None) != "jobshop":
        raise SchedkitError(f"{file}: --blocking applies to job shop files, not {instance.family}")
    return instance.replace(buffers="blocking")


def write(instances: Any, path: str | Path, format: str | None = None) -> Path:
    """Write one instance or a list of them; the format follows the extension unless given."""
    target = Path(_path(path))
    items = list(instances) if isinstance(instances, list | tuple) else [instances]
    for item in items:  # dump(None, p) raised AttributeError: 'NoneType' object has no 'to_dict'
        if not isinstance(getattr(item, "family", None), str) or not hasattr(item, "to_dict"):
            raise SchedkitError(f"{type(item).__name__} is not a schedkit instance: nothing to write")
    name, arg = _split_format(format)
    writers = _writers()
    if name is None:
        suffix = target.suffix.lower()
        name = _extensions().get(suffix) if suffix else None
        if name is None:
            sniffed = [f.sniff(target, "") for f in families.all_families().values() if f.sniff]
            name = next((found for found in sniffed if found is not None), None)
        if name is None or name not in writers:
            raise ParseError(str(target), None, "an output extension .json or .jsonl, or wtN.txt",
                             repr(target.suffix or target.name))
    if name not in writers:
        raise ParseError(str(target), None, f"a format schedkit writes ({', '.join(sorted(writers))})",
                         repr(name))
    _check_owner(target, name, items)
    try:
        writers[name](items, target, arg)
    except OSError as error:
        if error.filename is not None:
            raise  # names its path already (a folder, a missing folder, no permission)
        raise OutputError(f"{target}: {error.strerror or error}") from None  # a full disk
    return target


def _check_owner(target: Path, name: str, items: list[Any]) -> None:
    """SchedkitError when the format `name` belongs to another family than an item (write(smtt,
    "x.sm") raised AttributeError from the RCPSP writer)."""
    owner = next((family for family, f in families.all_families().items() if name in f.writers), None)
    strangers = sorted({item.family for item in items if owner is not None and item.family != owner})
    if strangers:
        raise SchedkitError(f"{target}: the {name} format holds {owner} instances, not "
                            f"{'/'.join(strangers)}: write .json or .jsonl")


def dump(instance: Any, path: str | Path) -> Path:
    """Write `instance` as the project's JSON (`load(dump(x, p)) == x`), or in the format the
    extension names (.sm, .sch, .jsonl...): JSON in `p.sm` could not be read back."""
    suffix = Path(_path(path)).suffix.lower()
    return write([instance], path, "json" if _extensions().get(suffix, "json") == "json" else None)
