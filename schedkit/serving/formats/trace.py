"""The JSON-lines trace: one program per line (a contract, see docs/families/serving.md).

    {"id": ..., "arrival": <s>, "turns": [{"prompt_tokens": int, "output_tokens": int,
                                           "tool": name, "tool_seconds": float}, ...]}

The last turn has no tool fields. A trace alone is served by the default server preset
(`schedkit solve trace.jsonl --server FILE` picks another, and the trace is validated against it).
Program ids name the programs in messages and charts: an id given twice is refused.
A line's JSON objects (the program's and one per turn) are counted before it is parsed, so a
line with more turns than the trace has room for (MAX_TURNS) is refused before json builds them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from schedkit.common.jsonparse import parse_json
from schedkit.common.records import is_text
from schedkit.common.textfile import file_stem
from schedkit.errors import InvalidInstance, ParseError
from schedkit.serving import presets
from schedkit.serving.model import (
    MAX_PROGRAMS,
    MAX_SECONDS,
    MAX_TURNS,
    Server,
    ServingInstance,
    Turn,
    _count,
    _number,
    chosen_server,
)
from schedkit.serving.model import build_instance as build
from schedkit.serving.model import program_record as record_of

_TEXT = r'"[^"\\]*(?:\\.[^"\\]*)*"'  # a JSON string, escapes included (unrolled: twice as fast)
STRING = re.compile(_TEXT)
_SCALAR = f"(?:{_TEXT}|[-+0-9.eE]+)"
# A program line's start: id and arrival (text or numbers), then turns and a turn field
PROGRAM_START = re.compile(r'\s*\{\s*(?:"(?:id|arrival)"\s*:\s*' + _SCALAR + r'\s*,\s*)*"turns"\s*:\s*\[\s*\{'
                           r'\s*"(?:prompt_tokens|output_tokens|tool|tool_seconds)"\s*:')
TURN_FIELDS = {"prompt_tokens", "output_tokens", "tool", "tool_seconds"}
PROGRAM_FIELDS = {"id", "arrival", "turns"}


def looks_like_program(record: Any) -> bool:
    """A trace line: an object with `arrival` and a `turns` list."""
    return isinstance(record, Mapping) and "turns" in record and "arrival" in record


def sniff(path: Path, text: str) -> str | None:
    """`serving-trace` when the first non-blank line is a program object, or, cut short by the
    sniffed prefix (a line of many turns), starts like one (`PROGRAM_START`): the trace reader
    then counts its turns before parsing it (the generic JSON-lines reader parsed it in full)."""
    for line in text.splitlines(keepends=True):
        if line.strip():
            try:
                return "serving-trace" if looks_like_program(parse_json(line, path)) else None
            except ParseError:
                cut = not line.endswith(("\n", "\r"))
                return "serving-trace" if cut and PROGRAM_START.match(line) else None
    return None


def objects_on(line: str, most: int) -> int:
    """The JSON objects of a line (its `{` outside strings) when more than `most`, else 0: the
    count costs no copy of the line, and strings are skipped only when braces exceed `most`."""
    braces = line.count("{")
    if braces <= most:
        return 0
    objects = braces - sum(match.group().count("{") for match in STRING.finditer(line))
    return objects if objects > most else 0


def turn_from(data: Any, where: str, last: bool) -> Turn:
    """One turn object, validated (a last turn carries no tool fields)."""
    if not isinstance(data, Mapping):
        raise InvalidInstance(f"{where}: a turn is a JSON object")
    unknown = sorted(set(data) - TURN_FIELDS)
    if unknown:
        raise InvalidInstance(f"{where}: unknown field(s) {', '.join(unknown)}")
    for key in ("prompt_tokens", "output_tokens"):
        if key not in data:
            raise InvalidInstance(f"{where}: missing {key}")
    prompt = _count(data["prompt_tokens"], f"{where} prompt_tokens")
    output = _count(data["output_tokens"], f"{where} output_tokens")
    if output < 1:
        raise InvalidInstance(f"{where}: has no output (output_tokens must be >= 1)")
    has_tool = "tool" in data or "tool_seconds" in data
    if last:
        if has_tool:
            raise InvalidInstance(f"{where}: the last turn has no tool call (drop tool fields)")
        return Turn(prompt, output)
    if "tool" not in data or "tool_seconds" not in data:
        raise InvalidInstance(f"{where}: a turn before the last needs tool and tool_seconds")
    if not isinstance(data["tool"], str) or not data["tool"]:
        raise InvalidInstance(f"{where}: tool = {data['tool']!r} is not a tool name")
    return Turn(prompt, output, data["tool"], _number(data["tool_seconds"], f"{where} tool_seconds",
                                                          limit=MAX_SECONDS))


def program_from(record: Any, where: str, fallback_id: str,
                 room: int = MAX_TURNS) -> tuple[str, float, list[Turn]]:
    """(id, arrival, turns) from one program object; its turns are counted before they are read:
    at most `room` (what is left of the trace's MAX_TURNS)."""
    if not looks_like_program(record):
        raise InvalidInstance(f"{where}: a program is an object with arrival and turns")
    unknown = sorted(set(record) - PROGRAM_FIELDS)
    if unknown:
        raise InvalidInstance(f"{where}: unknown field(s) {', '.join(map(str, unknown))} "
                              f"(a program has {', '.join(sorted(PROGRAM_FIELDS))})")
    turns = record["turns"]
    if not isinstance(turns, list) or not turns:
        raise InvalidInstance(f"{where}: turns must be a non-empty list")
    if len(turns) > room:
        raise InvalidInstance(f"{where} turns: {len(turns):,} more turns (LLM calls) than the trace has "
                              f"room for: at most {MAX_TURNS:,} in a trace")
    ident = record.get("id", fallback_id)
    if not is_text(ident):  # null was "None", true "True"
        shown = json.dumps(ident, default=repr)[:40]
        raise InvalidInstance(f"{where}: id = {shown} is not text or a whole number")
    ident = str(ident)
    arrival = _number(record["arrival"], f"{where} arrival", limit=MAX_SECONDS)
    parsed = [turn_from(turn, f"{where} program {ident} turn {k + 1}", k == len(turns) - 1)
              for k, turn in enumerate(turns)]
    return ident, arrival, parsed


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """The whole file is one instance on the default server preset (or the `Server.reading()` one)."""
    server = chosen_server() or presets.DEFAULT
    programs: list[tuple[str, float, list[Turn]]] = []
    lines: dict[str, int] = {}  # each id's line: `schedkit` names programs by id
    turns = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(programs) >= MAX_PROGRAMS:
            raise ParseError(str(path), number, f"at most {MAX_PROGRAMS} programs", "more")
        objects = objects_on(line, MAX_TURNS - turns + 1)  # the program's object and its turns'
        if objects:
            raise InvalidInstance(f"{path}:{number} turns: {objects - 1:,} more turns (JSON objects besides "
                                  f"the program's, counted before the line is read) than the trace has "
                                  f"room for: at most {MAX_TURNS:,} in a trace")
        try:
            record = parse_json(line, path, number)
        except ParseError as error:
            if error.expected != "a JSON document":
                raise
            raise ParseError(str(path), number, "one JSON program object per line", error.found) from None
        try:
            program = program_from(record, f"{path}:{number}", str(len(programs) + 1), MAX_TURNS - turns)
        except InvalidInstance as error:
            raise InvalidInstance(str(error)) from None
        ident = program[0]
        if ident in lines:
            raise InvalidInstance(f"{path}:{number}: program id {ident!r} again: line {lines[ident]} has "
                                  "it (ids are unique; a line without an id is named by its position)")
        lines[ident] = number
        _fits(server, program, f"{path}:{number}")
        programs.append(program)
        turns += len(program[2])
    if not programs:
        raise ParseError(str(path), None, "at least one program", "none")
    try:
        return [("1", instance_of(programs, server, file_stem(path)))]
    except InvalidInstance as error:
        raise InvalidInstance(f"{path}: {error}") from None


def _fits(server: Server, program: tuple[str, float, list[Turn]], where: str) -> None:
    """InvalidInstance when `server` cannot hold the program's final context."""
    need = sum(turn.prompt_tokens + turn.output_tokens for turn in program[2])
    if need > server.kv_capacity:
        hint = " (a bigger server: --server FILE)" if server is presets.DEFAULT else ""
        raise InvalidInstance(f"{where}: server {server.name}: kv_capacity {server.kv_capacity} tokens "
                              f"cannot hold one request of program {program[0]} ({need} tokens of "
                              f"context){hint}")


def instance_of(programs: list[tuple[str, float, list[Turn]]], server: Server,
                name: str) -> ServingInstance:
    """The instance of parsed programs on `server`."""
    return build(programs, server, name=name)


def write(instances: Iterable[Any], path: Path, arg: str | None) -> None:
    """One trace line per program (one instance per file; its server is not written)."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: a trace file holds one instance, got {len(items)}")
    instance = items[0]
    with path.open("w") as out:
        for i in range(instance.n):
            out.write(json.dumps(record_of(instance, i), separators=(",", ":")) + "\n")
