"""Multi-turn LLM agent serving: programs (chains of turns with tool calls) on one server.

A program arrives at `arrival` seconds and runs its turns in order. Turn t sends `prompt[t]`
new tokens (appended to the program's growing context), generates `output[t]` tokens and then,
unless it is the program's last turn, calls tool `tool[t]` for `tool_seconds[t]` seconds; the
next turn is ready when the tool returns. The server batches requests continuously (see
`Server`); a program's job completion time (JCT) is its last token's time minus its arrival.
Objective: mean JCT over programs (seconds, minimised).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from schedkit.common import arguments
from schedkit.common.arrays import integer_array, real_array
from schedkit.common.numbers import MAX_VALUE, is_whole
from schedkit.errors import InvalidInstance

FAMILY = "serving"
MAX_PROGRAMS = 10_000_000
MAX_TURNS = 100_000_000
MAX_TOKENS = 10**9  # one turn's prompt or output
MAX_SECONDS = 10**9  # times and durations: beyond, float seconds lose the sub-microsecond steps
NO_TOOL = -1
MIN_ITERATION_SECONDS = 1e-6  # the shortest iteration: float times up to MAX_SECONDS resolve it


def check_counts(programs: int, turns: int, where: str) -> None:
    """InvalidInstance naming `where` when a trace has more programs or turns (LLM calls) than
    the family's limits: checked from the counts, before anything is allocated for them."""
    if programs > MAX_PROGRAMS:
        raise InvalidInstance(f"{where}programs: {programs:,} programs, at most {MAX_PROGRAMS:,}")
    if turns > MAX_TURNS:
        raise InvalidInstance(f"{where}turns: {turns:,} turns (LLM calls) in the trace, "
                              f"at most {MAX_TURNS:,}")


def _number(value: Any, where: str, minimum: float = 0.0, strict: bool = False,
            limit: float = math.inf) -> float:
    """A finite real >= minimum (> minimum when strict), |value| <= limit; booleans and NaN are
    not numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InvalidInstance(f"{where} = {value!r} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInstance(f"{where} = {value!r} is not a finite number")
    if number < minimum or (strict and number == minimum):
        rule = ">" if strict else ">="
        raise InvalidInstance(f"{where} = {value!r} must be {rule} {minimum:g}")
    if abs(number) > limit:
        raise InvalidInstance(f"{where} = {value!r} is beyond the limit {limit:g}")
    return number


def _count(value: Any, where: str, minimum: int = 0) -> int:
    """An integer >= minimum (a float without fraction is accepted)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InvalidInstance(f"{where} = {value!r} is not an integer")
    if isinstance(value, float | np.floating) and not float(value).is_integer():
        raise InvalidInstance(f"{where} = {value!r} is not an integer")
    number = int(value)
    if number < minimum:
        if minimum == 0:
            raise InvalidInstance(f"{where} = {number} is negative (a token count is >= 0)")
        raise InvalidInstance(f"{where} = {number} must be >= {minimum}")
    if number > MAX_TOKENS:
        raise InvalidInstance(f"{where} = {number} is above {MAX_TOKENS}")
    return number


@dataclass(frozen=True)
class Server:
    """One inference server: continuous batching under a KV-cache capacity and a token budget.

    An iteration (one forward pass) processes `prefill` prompt tokens (chunked prefill) and one
    token for each of `decode` running sequences, reading `context` cached tokens, and lasts

        a + b·prefill + c·decode + e·context   seconds

    (+ reloaded tokens / `offload_bandwidth` when it swaps caches in from CPU memory). At most
    `max_batch` sequences and `token_budget` tokens per iteration; at most `kv_capacity` tokens
    of KV cache in GPU memory. `offload_capacity` > 0 spills evicted caches to CPU memory.
    `preemptive` re-chooses the whole batch every iteration by the policy's priority (the
    degenerate configuration of the theory tests); otherwise a running request keeps its place
    until its turn ends (vLLM-like).
    """

    name: str
    kv_capacity: int
    token_budget: int
    max_batch: int
    a: float
    b: float
    c: float
    e: float
    offload_capacity: int = 0
    offload_bandwidth: float = 0.0
    preemptive: bool = False
    source: str = ""

    def __post_init__(self) -> None:
        for key in ("name", "source"):
            if not isinstance(getattr(self, key), str):
                raise InvalidInstance(f"server {key} must be text, got {getattr(self, key)!r}")
        for key in ("kv_capacity", "token_budget", "max_batch", "offload_capacity"):
            value, low = getattr(self, key), 0 if key == "offload_capacity" else 1
            if not is_whole(value, low, MAX_VALUE - 1):
                raise InvalidInstance(f"server {key} = {value!r} must be an integer from {low} to 2^62")
            object.__setattr__(self, key, int(value))  # np.int64 stayed, and no JSON writer took it
        for key in ("a", "b", "c", "e", "offload_bandwidth"):
            object.__setattr__(self, key, _number(getattr(self, key), f"server {key}"))
        if self.offload_capacity > 0 and self.offload_bandwidth <= 0:
            raise InvalidInstance("server offload_bandwidth must be > 0 when offload_capacity > 0")
        if not isinstance(self.preemptive, bool):
            raise InvalidInstance(f"server preemptive = {self.preemptive!r} must be true or false")
        if self.token_budget < self.max_batch:
            raise InvalidInstance(f"server token_budget {self.token_budget} is below max_batch "
                                  f"{self.max_batch}: every running sequence needs a token")
        shortest = self.a + min(self.b, self.c)  # one prefill or one decode token, no context
        if shortest < MIN_ITERATION_SECONDS:
            raise InvalidInstance(
                f"server iteration time a + min(b, c) = {shortest:g} s (one token) is below "
                f"{MIN_ITERATION_SECONDS:g} s: a turn could take no time at float resolution")

    @contextmanager
    def reading(self) -> Iterator[Server]:
        """A context in which traces (and project JSON) are read onto this server instead of the
        default preset, so that they are validated against it (`--server`)."""
        token = _READING_ON.set(self)
        try:
            yield self
        finally:
            _READING_ON.reset(token)

    def iteration_time(self, prefill: float, decode: float, context: float) -> float:
        """a + b·prefill + c·decode + e·context, seconds."""
        return self.a + self.b * prefill + self.c * decode + self.e * context

    def to_dict(self) -> dict[str, Any]:
        """The server's JSON object."""
        data: dict[str, Any] = {
            "name": self.name, "kv_capacity": self.kv_capacity, "token_budget": self.token_budget,
            "max_batch": self.max_batch, "a": self.a, "b": self.b, "c": self.c, "e": self.e,
        }
        if self.offload_capacity:
            data["offload_capacity"] = self.offload_capacity
            data["offload_bandwidth"] = self.offload_bandwidth
        if self.preemptive:
            data["preemptive"] = True
        if self.source:
            data["source"] = self.source
        return data


_READING_ON: ContextVar[Server | None] = ContextVar("serving_reading_on", default=None)


def chosen_server() -> Server | None:
    """The server of the enclosing `Server.reading()` context, if any."""
    return _READING_ON.get()


SERVER_FIELDS = ("name", "kv_capacity", "token_budget", "max_batch", "a", "b", "c", "e",
                 "offload_capacity", "offload_bandwidth", "preemptive", "source")


def server_from_dict(data: Mapping[str, Any], where: str = "server") -> Server:
    """A Server from its JSON object; unknown or missing fields are named."""
    if not isinstance(data, Mapping):
        raise InvalidInstance(f"{where}: a server is a JSON object")
    unknown = sorted(set(data) - set(SERVER_FIELDS) - {"family", "schedkit", "meta"})
    if unknown:
        raise InvalidInstance(f"{where}: unknown server field(s) {', '.join(unknown)} "
                              f"(known: {', '.join(SERVER_FIELDS)})")
    missing = [k for k in ("kv_capacity", "token_budget", "max_batch", "a", "b", "c", "e")
               if k not in data]
    if missing:
        raise InvalidInstance(f"{where}: missing server field(s) {', '.join(missing)}")
    fields = {k: data[k] for k in SERVER_FIELDS if k in data}
    fields.setdefault("name", "server")
    for key in ("kv_capacity", "token_budget", "max_batch", "offload_capacity"):
        if key in fields and isinstance(fields[key], float) and fields[key].is_integer():
            fields[key] = int(fields[key])
    try:
        return Server(**fields)
    except InvalidInstance as error:
        raise InvalidInstance(f"{where}: {error}") from None


@dataclass(frozen=True)
class Turn:
    """One LLM call of a program and the tool call after it (tool None on the last turn)."""

    prompt_tokens: int
    output_tokens: int
    tool: str | None = None
    tool_seconds: float = 0.0


@dataclass(frozen=True, eq=False)
class ServingInstance:
    """A trace (programs of turns) and the server that serves it.

    Flat arrays, read-only: `arrival[i]`; program i's turns are `turn_ptr[i]..turn_ptr[i+1]-1`
    with `prompt`, `output`, `tool` (index into `tools`, -1 on a last turn) and `tool_seconds`.
    """

    program_ids: tuple[str, ...]
    arrival: Any
    turn_ptr: Any
    prompt: Any
    output: Any
    tool: Any
    tool_seconds: Any
    tools: tuple[str, ...]
    server: Server
    name: str = "serving"
    meta: Mapping[str, Any] = field(default_factory=dict)
    family: str = field(default=FAMILY, init=False)

    def __post_init__(self) -> None:
        if not isinstance(self.server, Server):
            raise InvalidInstance(f"server must be a Server, got {type(self.server).__name__}")
        check_counts(_length(self.program_ids), _length(self.prompt), "")
        program_ids, tools = _names("program_ids", self.program_ids), _names("tools", self.tools)
        n = len(program_ids)
        if n < 1:
            raise InvalidInstance("a trace needs at least one program")
        if len(set(program_ids)) < n:
            first: dict[str, int] = {}
            for k, ident in enumerate(program_ids):
                if first.setdefault(ident, k) != k:
                    raise InvalidInstance(f"program id {ident!r} is given twice (programs {first[ident] + 1} "
                                          f"and {k + 1}): ids must be unique")
        arrays = {  # copies: the caller's arrays are neither aliased nor made read-only
            "arrival": real_array("arrival", self.arrival),
            "turn_ptr": integer_array("turn_ptr", self.turn_ptr),
            "prompt": integer_array("prompt", self.prompt),
            "output": integer_array("output", self.output),
            "tool": integer_array("tool", self.tool),
            "tool_seconds": real_array("tool_seconds", self.tool_seconds),
        }
        for key, value in (*arrays.items(), ("program_ids", program_ids), ("tools", tools)):
            object.__setattr__(self, key, value)
        self._validate(n)
        object.__setattr__(self, "meta", arguments.meta(self.meta))

    def _validate(self, n: int) -> None:
        ptr, turns = self.turn_ptr, len(self.prompt)
        if len(self.arrival) != n or len(ptr) != n + 1 or ptr[0] != 0 or ptr[-1] != turns:
            raise InvalidInstance("trace arrays disagree on the number of programs or turns")
        for key in ("output", "tool", "tool_seconds"):
            if len(getattr(self, key)) != turns:
                raise InvalidInstance(f"trace array {key} has the wrong length")
        if np.any(np.diff(ptr) < 1):
            i = int(np.argmax(np.diff(ptr) < 1))
            raise InvalidInstance(f"program {self.program_ids[i]} has no turns")
        bad = ~np.isfinite(self.arrival) | (self.arrival < 0) | (self.arrival > MAX_SECONDS)
        if np.any(bad):
            i = int(np.argmax(bad))
            raise InvalidInstance(f"program {self.program_ids[i]}: arrival {self.arrival[i]} must "
                                  f"be a finite number from 0 to {MAX_SECONDS:g}")
        self._check_turns(n)
        need = int(self.final_context().max())
        if need > self.server.kv_capacity:
            i = int(np.argmax(self.final_context()))
            raise InvalidInstance(
                f"server {self.server.name}: kv_capacity {self.server.kv_capacity} tokens cannot "
                f"hold one request of program {self.program_ids[i]} ({need} tokens of context)")
        if self.server.preemptive and int(self.final_context().sum()) > self.server.kv_capacity:
            raise InvalidInstance(f"server {self.server.name}: a preemptive server needs kv_capacity "
                                  f">= the whole trace's tokens ({int(self.final_context().sum())})")

    def _check_turns(self, n: int) -> None:
        program = np.repeat(np.arange(n), np.diff(self.turn_ptr))
        last = np.zeros(len(self.prompt), dtype=bool)
        last[self.turn_ptr[1:] - 1] = True

        def where(t: int) -> str:
            i = int(program[t])
            return f"program {self.program_ids[i]} turn {t - int(self.turn_ptr[i]) + 1}"

        checks = [
            (self.prompt < 0, "prompt_tokens is negative"),
            (self.output < 1, "has no output (output_tokens must be >= 1)"),
            (self.prompt > MAX_TOKENS, f"prompt_tokens is above {MAX_TOKENS}"),
            (self.output > MAX_TOKENS, f"output_tokens is above {MAX_TOKENS}"),
            (~last & ((self.tool < 0) | (self.tool >= len(self.tools))), "has no tool call"),
            (last & (self.tool != NO_TOOL), "is the last turn but calls a tool"),
            (~np.isfinite(self.tool_seconds) | (self.tool_seconds < 0) | (self.tool_seconds > MAX_SECONDS),
             f"tool_seconds must be a finite number from 0 to {MAX_SECONDS:g}"),
        ]
        for bad, rule in checks:
            if np.any(bad):
                raise InvalidInstance(f"{where(int(np.argmax(bad)))}: {rule}")

    @property
    def n(self) -> int:
        """Number of programs."""
        return len(self.program_ids)

    @property
    def turns(self) -> int:
        """Number of LLM calls (turns) over all programs."""
        return len(self.prompt)

    def final_context(self) -> np.ndarray:
        """Each program's context length after its last turn (prompts + outputs)."""
        return np.add.reduceat(self.prompt + self.output, self.turn_ptr[:-1])

    def program_turns(self, i: int) -> list[Turn]:
        """Program i's turns as records."""
        turns = []
        for t in range(int(self.turn_ptr[i]), int(self.turn_ptr[i + 1])):
            k = int(self.tool[t])
            turns.append(Turn(int(self.prompt[t]), int(self.output[t]),
                              self.tools[k] if k >= 0 else None, float(self.tool_seconds[t])))
        return turns

    def with_server(self, server: Server) -> ServingInstance:
        """The same trace on another server (validated again)."""
        if not isinstance(server, Server):
            raise InvalidInstance(f"not a server file: it holds a {type(server).__name__} "
                                  "(a server is a JSON object with kv_capacity, token_budget, ...)")
        return replace(self, server=server)

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON: family, name, server and the programs in trace form."""
        return {"family": FAMILY, "name": self.name, "server": self.server.to_dict(),
                "programs": [program_record(self, i) for i in range(self.n)],
                **({"meta": dict(self.meta)} if self.meta else {})}


def program_record(instance: ServingInstance, i: int) -> dict[str, Any]:
    """Program i as one trace line's object."""
    turns = []
    for turn in instance.program_turns(i):
        record: dict[str, Any] = {"prompt_tokens": turn.prompt_tokens,
                                  "output_tokens": turn.output_tokens}
        if turn.tool is not None:
            record["tool"] = turn.tool
            record["tool_seconds"] = turn.tool_seconds
        turns.append(record)
    raw_id = instance.program_ids[i]
    return {"id": raw_id, "arrival": float(instance.arrival[i]), "turns": turns}


def _length(values: Any) -> int:
    """len(values), or 0 for what has none (refused by the array checks that follow)."""
    try:
        return len(values)
    except TypeError:
        return 0


def _names(field: str, values: Any) -> tuple[str, ...]:
    """Program ids or tool names as a tuple of text; InvalidInstance naming the field otherwise."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence):
        raise InvalidInstance(f"{field} must be a list of names (text), got {type(values).__name__}")
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise InvalidInstance(f"{field}[{i}] = {value!r} is not a name (text)")
    return tuple(values)


def build_instance(programs: Sequence[tuple[str, float, Sequence[Turn]]], server: Server,
                   name: str = "serving", meta: Mapping[str, Any] | None = None) -> ServingInstance:
    """An instance from (id, arrival, turns) triples."""
    check_counts(len(programs), sum(len(turns) for _, _, turns in programs), "")
    tools: dict[str, int] = {}
    ptr, prompt, output, tool, seconds = [0], [], [], [], []
    for _, _, turns in programs:
        for k, turn in enumerate(turns):
            prompt.append(turn.prompt_tokens)
            output.append(turn.output_tokens)
            if turn.tool is None:
                tool.append(NO_TOOL if k == len(turns) - 1 else -2)
            else:
                tool.append(tools.setdefault(turn.tool, len(tools)) if k < len(turns) - 1 else -3)
            seconds.append(turn.tool_seconds)
        ptr.append(len(prompt))
    tool_array = np.array(tool, dtype=np.int64)
    if len(tool_array) and np.any(tool_array == -3):
        tool_array[tool_array == -3] = len(tools) + 10**6  # a last turn with a tool: refused below
    return ServingInstance(
        program_ids=tuple(str(p[0]) for p in programs),
        arrival=np.array([p[1] for p in programs], dtype=np.float64),
        turn_ptr=np.array(ptr, dtype=np.int64),
        prompt=np.array(prompt, dtype=np.int64), output=np.array(output, dtype=np.int64),
        tool=tool_array, tool_seconds=np.array(seconds, dtype=np.float64),
        tools=tuple(tools), server=server, name=name, meta=dict(meta or {}),
    )


TURN_LOG = ("ready", "start", "finish", "prefilled", "reused", "reloaded", "first_row", "last_row",
            "pin_until")
EVENT_KINDS = ("admit", "pin", "keep", "evict", "offload", "done")
ROW_FIELDS = ("start", "end", "count", "prefill", "decode", "context", "reload", "memory")


@dataclass(frozen=True, eq=False)
class ServingSolution:
    """The simulator's event log, from which the checker recomputes every metric.

    - per turn (arrays of length `turns`): `ready` (request exists), `start` (admitted),
      `finish` (last token), `prefilled` (tokens prefilled, re-prefills included), `reused`
      (context found in GPU memory), `reloaded` (context swapped in from CPU memory),
      `first_row` / `last_row` (iteration-log rows it was admitted and finished in), `pin_until`
      (pin expiry after the turn, -1 when not pinned);
    - cache events: `event_time`, `event_program`, `event_gpu` (the program's GPU KV tokens after
      the event), `event_kind` (index into EVENT_KINDS);
    - iteration log `rows` (k x 8, columns ROW_FIELDS): each row is `count` iterations of one
      batch, each prefilling `prefill` tokens and decoding `decode` sequences; `context` is the
      cached tokens read over all of them (it grows from one to the next), `reload` is in the first.
    """

    turn_log: Mapping[str, Any]
    event_time: Any
    event_program: Any
    event_gpu: Any
    event_kind: Any
    rows: Any

    def program_finish(self, turn_ptr: Any) -> np.ndarray:
        """Each program's completion time (its last turn's finish)."""
        return np.asarray(self.turn_log["finish"])[np.asarray(turn_ptr)[1:] - 1]

    def to_dict(self) -> dict[str, Any]:
        """Plain lists (the rows as a list of 8-value lists)."""
        return {
            **{key: np.asarray(self.turn_log[key]).tolist() for key in TURN_LOG},
            "event_time": np.asarray(self.event_time).tolist(),
            "event_program": np.asarray(self.event_program).tolist(),
            "event_gpu": np.asarray(self.event_gpu).tolist(),
            "event_kind": [EVENT_KINDS[k] for k in np.asarray(self.event_kind).tolist()],
            "rows": np.asarray(self.rows).tolist(),
        }
