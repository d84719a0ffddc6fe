"""Reading instance files as text: UTF-8 with an optional byte-order mark, size-checked first."""

from __future__ import annotations

from pathlib import Path

from schedkit.errors import ParseError

MAX_FILE_BYTES = 1 << 30  # 1 GiB: no instance file of any family comes near it
SNIFF_CHARS = 1 << 20  # format sniffing looks at this much of a file, never more


def decode(path: Path | str, data: bytes) -> str:
    """`data` as UTF-8 (a leading BOM dropped); ParseError naming the line of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # what Windows tools often save
        raise ParseError(str(path), 1, "UTF-8 text", "a UTF-16 byte-order mark: save the file as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(str(path), line, "UTF-8 text",
                         f"byte 0x{data[error.start]:02x} at offset {error.start}") from None


def read_text(path: Path | str) -> str:
    """The text of file `path` (UTF-8, optional BOM, at most MAX_FILE_BYTES); ParseError otherwise
    (FileNotFoundError when it does not exist)."""
    file = Path(path)
    size = file.stat().st_size  # FileNotFoundError (with the path) when there is no such file
    if not file.is_file():
        raise ParseError(str(file), None, "a regular file", "a directory or device")
    if size > MAX_FILE_BYTES:
        raise ParseError(str(file), None, f"a file under {MAX_FILE_BYTES >> 20} MiB", f"{size >> 20} MiB")
    return decode(file, file.read_bytes())


def prefix(text: str, limit: int = SNIFF_CHARS) -> str:
    """At most `limit` characters of `text`, cut after a line end when the text is longer."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n")
    return head[: cut + 1] if cut >= 0 else head
