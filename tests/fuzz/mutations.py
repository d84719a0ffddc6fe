"""Mutations of a valid input file: the kinds of damage a demanding user's files show.

Every mutation is a function `(data, rng) -> data` on the file's bytes, driven by a
`random.Random` (hypothesis supplies one in the tests, a seeded one in `make fuzz`).
HARMLESS mutations keep the file valid: a file that loaded before must load after them.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

Mutation = Callable[[bytes, random.Random], bytes]
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
ODD_NUMBERS = [b"0", b"-1", b"-999999", b"1.5", b"1e15", b"1e400", b"NaN", b"Infinity", b"-Infinity",
               b"true", b"false", b"null", b"1000000000000000000", b"9223372036854775808",
               b"18446744073709551616", b"4611686018427387904", b"1" * 400,
               "\u0663".encode(), "\u00b2".encode(), b"1_000", b"0x10", b"", b"\"7\""]
ODD_VALUES: list[Any] = [None, True, False, 0, -1, 1.5, 1e15, 10**18, "x", "", [], {}, [5], [[]],
                         {"a": 1}, [True], ["x"], [1.5], [None], -(10**18), 2**63, [[[[1]]]]]


def truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut the file at a random byte."""
    return data[: rng.randrange(len(data) + 1)]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    """Overwrite one to four random bytes with random values (often non-UTF-8)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    """Exchange two lines."""
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def drop_or_repeat_line(data: bytes, rng: random.Random) -> bytes:
    """Delete a line, or repeat it."""
    lines = _lines(data)
    i = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[i]
    else:
        lines.insert(i, lines[i])
    return b"\n".join(lines)


def odd_number(data: bytes, rng: random.Random) -> bytes:
    """Replace one number with a huge, negative, fractional, non-finite or non-ASCII one."""
    found = list(_NUMBER.finditer(data))
    if not found:
        return data
    match = rng.choice(found[:1] if rng.random() < 0.25 else found)  # the header, often
    return data[: match.start()] + rng.choice(ODD_NUMBERS) + data[match.end():]


def absurd_header(data: bytes, rng: random.Random) -> bytes:
    """Make the first number of the file enormous (a header counting jobs or machines)."""
    match = _NUMBER.search(data)
    if match is None:
        return data
    huge = rng.choice([b"1000000000000000000", b"9223372036854775808", b"99999999", b"4294967296"])
    return data[: match.start()] + huge + data[match.end():]


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    """Insert 1,100 (or a random number of) opening brackets somewhere, closed or not."""
    depth = rng.choice([1100, 5000, rng.randint(2, 200)])
    at = rng.randrange(len(data) + 1)
    closing = b"]" * depth if rng.random() < 0.5 else b""
    return data[:at] + b"[" * depth + closing + data[at:]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:6]):
            found += _paths(item, (*path, index))
    return found


def wrong_json_type(data: bytes, rng: random.Random) -> bytes:
    """In a JSON document (or one JSON line), give one value a wrong type."""
    lines = _lines(data)
    targets = [i for i, line in enumerate(lines) if line.strip().startswith(b"{")]
    whole = len(targets) != len([line for line in lines if line.strip()]) or len(targets) <= 1
    try:
        text = data if whole else lines[(i := rng.choice(targets))]
        document = json.loads(text.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return odd_number(data, rng)
    paths = _paths(document)[1:]
    if not paths:
        return data
    path = rng.choice(paths)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = rng.choice(ODD_VALUES)
    out = json.dumps(document).encode()
    if whole:
        return out
    lines[i] = out
    return b"\n".join(lines)


def non_utf8(data: bytes, rng: random.Random) -> bytes:
    """Insert bytes that are not UTF-8 (Latin-1 accents, a lone continuation byte)."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice([b"\xe9", b"\xff\xfe", b"\x80", b"caf\xe9"]) + data[at:]


def empty(data: bytes, rng: random.Random) -> bytes:
    """Nothing, or only white space."""
    return rng.choice([b"", b"\n\n", b"   \t"])


def bom(data: bytes, rng: random.Random) -> bytes:
    """A UTF-8 byte-order mark in front (valid: must still load)."""
    return data if data.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + data


def crlf(data: bytes, rng: random.Random) -> bytes:
    """Windows line ends (valid: must still load)."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "flip": flip_bytes, "swap-lines": swap_lines, "drop-line": drop_or_repeat_line,
    "number": odd_number, "header": absurd_header, "nesting": deep_nesting, "json-type": wrong_json_type,
    "non-utf8": non_utf8, "empty": empty, "bom": bom, "crlf": crlf,
}
HARMLESS = frozenset({"bom", "crlf"})


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """One to three mutations in a row; returns the bytes and the mutation names."""
    names = [rng.choice(sorted(MUTATIONS)) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    for name in names:
        data = MUTATIONS[name](data, rng)
    return data, names
