"""Serving checker: replays the event log and recomputes every metric from it.

Conservation: each turn prefills its prompt plus the context it did not find cached, every
output token is decoded exactly once, no request is served before it exists (arrival or tool
return), iterations never overlap and last what the iteration-time model says, the batch and
token budget are respected, and the KV cache in GPU memory never exceeds the capacity. Plain
Python and numpy over the instance; it shares no code with the simulator.
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import Any

import numpy as np

from schedkit.serving.model import EVENT_KINDS, ROW_FIELDS, TURN_LOG, ServingInstance

TOLERANCE = 1e-9
SUM_ROUNDING = 2.0**-52  # per iteration of a row: a log may add their times one by one
WHOLE = ("prefilled", "reused", "reloaded", "first_row", "last_row", "event_program", "event_gpu")
LIMIT = 2**62  # whole numbers lie within ±LIMIT, as in every input (docs/input-limits.md)


def _is_number(value: Any, whole: bool) -> bool:
    """A finite number within ±LIMIT (whole: with no fraction); booleans and text are none."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    if isinstance(value, numbers.Integral):
        return abs(int(value)) < LIMIT
    number = float(value)
    return math.isfinite(number) and abs(number) < LIMIT and (not whole or number.is_integer())


def _numbers(values: Any, whole: bool) -> np.ndarray | None:
    """`values` as a float64 array when it is a list of such numbers, else None. Lists of plain
    ints or of plain floats are checked by numpy at once (a log of 20,000 programs holds 22 million
    numbers); anything else (mixed, numpy scalars, bools, huge ints) element by element."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if not isinstance(values, list | tuple):
        return None
    kinds = set(map(type, values))
    if kinds == {int}:
        try:
            ints = np.asarray(values, dtype=np.int64)
        except OverflowError:
            return None  # beyond int64, so beyond LIMIT
        return ints.astype(np.float64) if bool(np.all((ints > -LIMIT) & (ints < LIMIT))) else None
    if kinds == {float}:
        floats = np.asarray(values, dtype=np.float64)
        fine = np.isfinite(floats) & (np.abs(floats) < LIMIT)
        if whole:
            fine &= floats == np.floor(floats)
        return floats if bool(np.all(fine)) else None
    if not all(_is_number(v, whole) for v in values):
        return None
    return np.asarray(values, dtype=np.float64)


def _rows(rows: Any) -> np.ndarray | None:
    """The iteration log as a (k, len(ROW_FIELDS)) float64 array, or None when malformed."""
    if isinstance(rows, np.ndarray):
        rows = rows.tolist()
    if not isinstance(rows, list | tuple):
        return None
    width = len(ROW_FIELDS)
    if set(map(type, rows)) <= {list, tuple} and set(map(len, rows)) <= {width}:
        flat = _numbers(list(itertools.chain.from_iterable(rows)), False)
        return None if flat is None else flat.reshape(len(rows), width)
    checked = [_numbers(row, False) for row in rows]
    if any(row is None or len(row) != width for row in checked):
        return None
    return np.array(checked, dtype=np.float64).reshape(len(checked), width)


def _arrays(data: dict[str, Any], turns: int, violations: list[str]) -> dict[str, np.ndarray] | None:
    """The log's lists as arrays, or None with a violation naming the first malformed one."""
    log = {}
    for key in TURN_LOG:
        values = _numbers(data.get(key), key in WHOLE)
        if values is None or len(values) != turns:
            violations.append(f'the solution needs "{key}" with one finite number per turn ({turns})')
            return None
        log[key] = values
    rows = _rows(data.get("rows", []))
    if rows is None:
        violations.append(f'"rows" must be a list of rows of {len(ROW_FIELDS)} finite numbers')
        return None
    log["rows"] = rows
    for key in ("event_time", "event_program", "event_gpu"):
        values = _numbers(data.get(key, []), key in WHOLE)
        if values is None:
            violations.append(f'"{key}" must be a list of finite {"whole " if key in WHOLE else ""}numbers')
            return None
        log[key] = values
    kinds = data.get("event_kind", [])
    if not isinstance(kinds, list | tuple) or not all(isinstance(kind, str) for kind in kinds):
        violations.append(f'"event_kind" must be a list of names ({", ".join(EVENT_KINDS)})')
        return None
    return log


def _turn_rules(instance: ServingInstance, log: dict[str, np.ndarray], violations: list[str]) -> None:
    server = instance.server
    rows = log["rows"]
    for i in range(instance.n):
        context = 0
        for t in range(int(instance.turn_ptr[i]), int(instance.turn_ptr[i + 1])):
            where = f"program {instance.program_ids[i]} turn {t - int(instance.turn_ptr[i]) + 1}"
            first = t == instance.turn_ptr[i]
            exists = instance.arrival[i] if first else (log["finish"][t - 1]
                                                         + instance.tool_seconds[t - 1])
            ready, start, finish = log["ready"][t], log["start"][t], log["finish"][t]
            if not (np.isfinite(ready) and np.isfinite(start) and np.isfinite(finish)):
                violations.append(f"{where}: never served")
                return
            if ready != exists:
                violations.append(f"{where}: ready at {ready}, but it exists from {exists}")
            if start < exists:
                violations.append(f"{where}: served at {start}, before it exists ({exists})")
            if finish <= start:
                violations.append(f"{where}: finishes at {finish}, not after its start {start}")
            reused, reloaded = int(log["reused"][t]), int(log["reloaded"][t])
            if min(reused, reloaded) < 0 or (reused and reloaded) or reused + reloaded not in (0, context):
                violations.append(f"{where}: found {reused} + {reloaded} cached tokens of a "
                                  f"{context}-token context")
            expected = int(instance.prompt[t]) + context - reused - reloaded
            if int(log["prefilled"][t]) != expected:
                violations.append(f"{where}: prefilled {int(log['prefilled'][t])} tokens, expected "
                                  f"{expected} (prompt + uncached context)")
            a, z = int(log["first_row"][t]), int(log["last_row"][t])
            if not (0 <= a <= z < len(rows)):
                violations.append(f"{where}: iteration rows {a}..{z} do not exist")
            elif rows[a, 0] != start or rows[z, 1] != finish:
                violations.append(f"{where}: start/finish do not match iteration rows {a}..{z}")
            context += int(instance.prompt[t] + instance.output[t])
            if context > server.kv_capacity:
                violations.append(f"{where}: context {context} above kv_capacity")


def _row_rules(instance: ServingInstance, log: dict[str, np.ndarray], violations: list[str]) -> None:
    s, rows = instance.server, log["rows"]
    previous_end = -math.inf
    for k, (start, end, count, prefill, decode, context, reload, memory) in enumerate(rows.tolist()):
        if start < previous_end or end <= start or count < 1:
            violations.append(f"iteration row {k}: [{start}, {end}) x{count} overlaps or is empty")
        previous_end = end
        if decode > s.max_batch or prefill + decode > s.token_budget:
            violations.append(f"iteration row {k}: {decode} sequences and {prefill} prefill tokens "
                              f"exceed the batch {s.max_batch} or budget {s.token_budget}")
        if memory > s.kv_capacity:
            violations.append(f"iteration row {k}: {memory} KV tokens above capacity {s.kv_capacity}")
        duration = count * (s.a + s.b * prefill + s.c * decode) + s.e * context
        if reload:
            duration += reload / s.offload_bandwidth if s.offload_bandwidth > 0 else math.inf
        if abs((end - start) - duration) > TOLERANCE * max(1.0, end) + SUM_ROUNDING * count * abs(end):
            violations.append(f"iteration row {k} lasts {end - start}, the time model gives {duration}")
    totals = [("prefill", (rows[:, 2] * rows[:, 3]).sum(), log["prefilled"].sum(), "tokens prefilled"),
              ("decode", (rows[:, 2] * rows[:, 4]).sum(), instance.output.sum(), "tokens decoded"),
              ("reload", rows[:, 6].sum(), log["reloaded"].sum(), "tokens reloaded")]
    for name, by_rows, by_turns, what in totals:
        if int(round(by_rows)) != int(round(by_turns)):
            violations.append(f"{what}: iterations {int(by_rows)} but turns {int(by_turns)} ({name})")
    least = _least_context(instance, log)
    if rows[:, 5].sum() < least * (1 - TOLERANCE):
        violations.append(f"iterations read {rows[:, 5].sum():.0f} cached tokens, fewer than the "
                          f"{least:.0f} the turns' decode steps and first prefill chunks read")
    active = np.zeros(len(rows) + 1)
    np.add.at(active, log["first_row"].astype(np.int64).clip(0, len(rows)), 1)
    np.add.at(active, (log["last_row"].astype(np.int64) + 1).clip(0, len(rows)), -1)
    short = np.nonzero(np.cumsum(active)[:-1] < rows[:, 4])[0]
    if len(short):
        violations.append(f"iteration row {short[0]} decodes more sequences than turns in flight")


def _least_context(instance: ServingInstance, log: dict[str, np.ndarray]) -> float:
    """Cached tokens any schedule reads: a turn's decode step j reads its context, prompt and j
    outputs, and its first prefill chunk (when it prefills) the context it found cached."""
    sizes = (instance.prompt + instance.output).astype(np.float64)
    before = np.cumsum(sizes) - sizes
    ctx = before - np.repeat(before[instance.turn_ptr[:-1]], np.diff(instance.turn_ptr))
    output = instance.output.astype(np.float64)
    decode = output * (ctx + instance.prompt) + output * (output - 1) / 2
    found = np.where(log["prefilled"] > 0, log["reused"] + log["reloaded"], 0.0)
    return float(decode.sum() + found.sum())


def _memory_rules(instance: ServingInstance, data: dict[str, Any], log: dict[str, np.ndarray],
                  violations: list[str]) -> None:
    times = log["event_time"]
    programs, tokens = log["event_program"].astype(np.int64), log["event_gpu"].astype(np.int64)
    kinds = list(data.get("event_kind", []))
    if not (len(times) == len(programs) == len(tokens) == len(kinds)):
        violations.append("cache event lists differ in length")
        return
    if len(times) and np.any(np.diff(times) < 0):
        violations.append("cache events are not in time order")
    held = np.zeros(instance.n, dtype=np.int64)
    admitted = instance.turn_ptr[:-1].astype(np.int64)  # the turn each program's next admission starts
    reused = log["reused"].astype(np.int64).tolist()
    total = 0
    for time, i, gpu, kind in zip(times.tolist(), programs.tolist(), tokens.tolist(), kinds,
                                  strict=True):
        if kind not in EVENT_KINDS or not 0 <= i < instance.n:
            violations.append(f"cache event at {time}: unknown kind {kind!r} or program {i}")
            return
        if kind == "admit" and admitted[i] < instance.turn_ptr[i + 1]:
            t, admitted[i] = int(admitted[i]), admitted[i] + 1
            if reused[t] != held[i]:  # a turn reuses exactly the cache its program holds
                violations.append(f"at {time}: program {instance.program_ids[i]} reuses {reused[t]} "
                                  f"cached tokens but holds {held[i]} in GPU memory")
                return
        total += gpu - held[i]
        held[i] = gpu
        if total > instance.server.kv_capacity:
            violations.append(f"at {time}: {total} KV tokens in GPU memory, above capacity "
                              f"{instance.server.kv_capacity}")
            return
    if kinds.count("admit") != instance.turns or kinds.count("done") != instance.n:
        violations.append(f"{kinds.count('admit')} admissions for {instance.turns} turns, "
                          f"{kinds.count('done')} completions for {instance.n} programs")
    if total != 0:
        violations.append(f"{total} KV tokens still held after every program finished")


def recompute_metrics(instance: ServingInstance, data: dict[str, Any]) -> dict[str, float]:
    """JCT mean and percentiles, re-prefilled tokens, hit rate and GPU busy fraction, from the log."""
    finish = np.asarray(data["finish"], dtype=np.float64)
    last = [int(instance.turn_ptr[i + 1]) - 1 for i in range(instance.n)]
    jct = [float(finish[t]) - float(instance.arrival[i]) for i, t in enumerate(last)]
    prefilled = np.asarray(data["prefilled"], dtype=np.int64)
    hits = np.asarray(data["reused"], dtype=np.int64) + np.asarray(data["reloaded"], dtype=np.int64)
    later = np.ones(instance.turns, dtype=bool)
    later[instance.turn_ptr[:-1]] = False
    missed = prefilled - instance.prompt
    needed = int((hits + missed)[later].sum())
    rows = np.asarray(data["rows"], dtype=np.float64).reshape(-1, len(ROW_FIELDS))
    span = max(finish[t] for t in last) - float(instance.arrival.min())
    busy = math.fsum((rows[:, 1] - rows[:, 0]).tolist())
    return {
        "jct_mean": math.fsum(jct) / instance.n,
        "jct_p50": float(np.percentile(jct, 50)),
        "jct_p95": float(np.percentile(jct, 95)),
        "jct_p99": float(np.percentile(jct, 99)),
        "reprefilled_tokens": int(missed.sum()),
        "kv_hit_rate": float(hits[later].sum() / needed) if needed else 1.0,
        "gpu_busy_fraction": busy / span if span > 0 else 0.0,
    }


def check(instance: ServingInstance, data: Any) -> tuple[float | None, list[str]]:
    """(mean JCT recomputed from the log, violations)."""
    if not isinstance(data, dict):
        return None, ["a serving solution is the simulator's event log (a JSON object)"]
    violations: list[str] = []
    log = _arrays(data, instance.turns, violations)
    if log is None:
        return None, violations
    _turn_rules(instance, log, violations)
    if violations:
        return None, violations
    _row_rules(instance, log, violations)
    _memory_rules(instance, data, log, violations)
    return recompute_metrics(instance, data)["jct_mean"], violations
