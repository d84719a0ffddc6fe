"""Reading instance files as text: UTF-8 with an optional byte-order mark, size-checked first;
gzip, bzip2 and xz files are read through, by their first bytes (benchmark sets often ship so)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from pathlib import Path
from typing import Any

from schedkit.errors import ParseError

MAX_FILE_BYTES = 1 << 30  # 1 GiB: no instance file of any family comes near it
SNIFF_CHARS = 1 << 20  # format sniffing looks at this much of a file, never more


def _is_gzip(head: bytes) -> bool:
    return head.startswith(b"\x1f\x8b")


def _is_bzip2(head: bytes) -> bool:
    """"BZh", the block size 1-9, then a block's or the stream end's magic (text may start "BZh")."""
    return head[:3] == b"BZh" and head[3:4] in (b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9") \
        and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90")


def _is_xz(head: bytes) -> bool:
    return head.startswith(b"\xfd7zXZ\x00")


# Compressions read through, known by their first bytes (no UTF-8 text starts as gzip or xz
# does). The decompressed text is capped at MAX_FILE_BYTES too.
COMPRESSED: list[tuple[str, Any, Any]] = [("gzip", gzip.open, _is_gzip), ("bzip2", bz2.open, _is_bzip2),
                                         ("xz", lzma.open, _is_xz)]
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
_CHUNK = 1 << 20


def plain_name(path: Path | str) -> Path:
    """`path` without a compression suffix (j301_1.sm.gz -> j301_1.sm): what format sniffing reads."""
    file = Path(path)
    return file.with_suffix("") if file.suffix.lower() in COMPRESSED_SUFFIXES else file


def file_stem(path: Path | str) -> str:
    """The file's name without its extensions of format and compression (j301_1.sm.gz -> j301_1):
    what readers name an instance after."""
    return plain_name(path).stem


def _decompressed(file: Path, data: bytes, kind: str, opener: Any) -> bytes:
    """The decompressed bytes of `data` (file `file`'s), read a chunk at a time up to MAX_FILE_BYTES
    (a small file may expand to any size); ParseError for more, or for broken data."""
    chunks: list[bytes] = []
    size = 0
    try:
        with opener(io.BytesIO(data), "rb") as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise ParseError(str(file), None, f"under {MAX_FILE_BYTES >> 20} MiB once decompressed",
                                     f"more ({kind})")
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError) as error:
        raise ParseError(str(file), None, f"{kind} data", f"a broken {kind} stream ({error})") from None
    return b"".join(chunks)


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
    """The text of file `path` (UTF-8, optional BOM, at most MAX_FILE_BYTES, gzip/bzip2/xz read
    through); ParseError otherwise (FileNotFoundError when it does not exist)."""
    file = Path(path)
    size = file.stat().st_size  # FileNotFoundError (with the path) when there is no such file
    if not file.is_file():
        raise ParseError(str(file), None, "a regular file", "a directory or device")
    if size > MAX_FILE_BYTES:
        raise ParseError(str(file), None, f"a file under {MAX_FILE_BYTES >> 20} MiB", f"{size >> 20} MiB")
    data = file.read_bytes()
    for kind, opener, matches in COMPRESSED:
        if matches(data[:10]):
            return decode(file, _decompressed(file, data, kind, opener))
    return decode(file, data)


def prefix(text: str, limit: int = SNIFF_CHARS) -> str:
    """At most `limit` characters of `text`, cut after a line end when the text is longer."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n")
    return head[: cut + 1] if cut >= 0 else head
