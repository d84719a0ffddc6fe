"""Job shop checker: recomputes everything from the instance and the solution, vectorised with numpy.

Rules: one start time and one machine per operation; the machine is one of the operation's
alternatives (its duration is that alternative's); starts are integers >= the job's release
date (>= 0 without one); operations of a job run in order, each after the previous ends; no two
operations overlap on a machine (zero-length operations overlap nothing). The objective is
recomputed from the completion times.

Blocking instances (no buffers) also need `"leave"` per job, per operation: an operation holds
its machine from its start until it leaves, which must be exactly when the job's next operation
starts (the last one: when it ends), and never before it ends; no machine holds two operations
at once (holding intervals are half-open, so a machine freed at t may be taken at t: swaps are
allowed). The objective is recomputed from the ends of the last operations.

Violations are listed operation by operation (job order), then machine by machine; the rules
are tested on whole arrays and only the broken ones are put into words (a million operations
in well under a second). Integers beyond ±2^62 are kept exact (object arrays).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

SAFE = 2**62  # starts and leaves within ±SAFE add durations (<= 10^9) without leaving int64


def _integers(row: Any) -> bool:
    """True when every entry of `row` is an int and not a bool (one C pass when all are plain ints)."""
    if set(map(type, row)) <= {int}:
        return True
    return all(isinstance(x, int) and not isinstance(x, bool) for x in row)


def _shape_violations(instance: Any, data: Any) -> list[str]:
    if not isinstance(data, dict) or "start" not in data or "machine" not in data:
        return ['the solution needs "start" and "machine" fields (per job, per operation)']
    out = []
    counts = np.diff(instance.job_ptr).tolist()
    for key in ("start", "machine"):
        value = data[key]
        if not isinstance(value, list | tuple) or len(value) != len(counts):
            out.append(f'"{key}" must list {len(counts)} jobs')
            continue
        for j, (row, count) in enumerate(zip(value, counts, strict=True)):
            if not isinstance(row, list | tuple) or len(row) != count:
                out.append(f'"{key}"[{j}] must list the {count} operations of job {j}')
            elif not _integers(row):
                out.append(f'"{key}"[{j}] must hold integers')
    return out


def _times(rows: Any, size: int) -> np.ndarray:
    """Per operation id the (shape-checked) integers of `rows`: int64 when all lie within ±SAFE,
    else exact Python integers (an object array)."""
    try:
        values = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=size)
    except OverflowError:
        return np.array(list(itertools.chain.from_iterable(rows)), dtype=object)
    if size and (values.min() <= -SAFE or values.max() >= SAFE):
        return values.astype(object)
    return values


def _machines(rows: Any, size: int) -> np.ndarray:
    """Per operation id the chosen machine; one beyond int64 becomes -1 (never eligible; the
    messages quote the solution's own value)."""
    try:
        return np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=size)
    except OverflowError:
        return np.array([x if -SAFE < x < SAFE else -1 for x in itertools.chain.from_iterable(rows)],
                        dtype=np.int64)


def _chosen(instance: Any, machine: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(eligible, duration) per operation: whether its machine is one of its alternatives, and
    that alternative's duration (0 where not eligible)."""
    op_ptr, alt_machine, alt_duration = instance.op_ptr, instance.alt_machine, instance.alt_duration
    if alt_machine.size == machine.size:  # classic: one alternative each
        eligible = alt_machine == machine
        return eligible, np.where(eligible, alt_duration, 0)
    op_of_alt = np.repeat(np.arange(machine.size), np.diff(op_ptr))
    match = alt_machine == machine[op_of_alt]  # at most one per operation (no machine listed twice)
    eligible = np.logical_or.reduceat(match, op_ptr[:-1])
    return eligible, np.add.reduceat(np.where(match, alt_duration, 0), op_ptr[:-1])


def _where(instance: Any) -> tuple[np.ndarray, np.ndarray]:
    """(job, position in its job) of every operation id."""
    job = instance.job_of()
    return job, np.arange(job.size) - instance.job_ptr[job]


def _allowed(instance: Any, op: int) -> list[int]:
    """The machines operation `op` may run on, sorted."""
    return sorted(instance.alt_machine[instance.op_ptr[op]:instance.op_ptr[op + 1]].tolist())


def _stable_order(first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
    """The stable order by (first, second, third): one int64 key when their ranges multiply
    below 2^62 (twice as fast as lexsort), else lexsort."""
    if first.size and second.dtype != object and third.dtype != object:
        low = [int(first.min()), int(second.min()), int(third.min())]
        span = [int(first.max()) - low[0] + 1, int(second.max()) - low[1] + 1, int(third.max()) - low[2] + 1]
        if span[0] * span[1] * span[2] < SAFE:
            key = ((first - low[0]) * span[1] + (second - low[1])) * span[2] + (third - low[2])
            return np.argsort(key, kind="stable")
    return np.lexsort((third, second, first))


def _machine_overlaps(machine: np.ndarray, begin: np.ndarray, finish: np.ndarray, keep: np.ndarray,
                      job: np.ndarray, pos: np.ndarray, words: str) -> list[str]:
    """Per machine (ascending), its kept intervals [begin, finish) sorted by (begin, finish, job,
    position): each one starting before the previous one finishes."""
    ops = np.flatnonzero(keep & (finish > begin))
    order = ops[_stable_order(machine[ops], begin[ops], finish[ops])]
    first, second = order[:-1], order[1:]
    clash = (machine[first] == machine[second]) & (begin[second] < finish[first])
    out = []
    for a, b in zip(first[clash].tolist(), second[clash].tolist(), strict=True):
        out.append(words.format(m=machine[a], j1=job[a], k1=pos[a], s1=begin[a], e1=finish[a],
                                j2=job[b], k2=pos[b], s2=begin[b], e2=finish[b]))
    return out


def check(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """Return (recomputed objective or None, violations)."""
    violations = _shape_violations(instance, data)
    if violations:
        return None, violations
    if getattr(instance, "buffers", "unlimited") == "blocking":
        return _check_blocking(instance, data)
    size = instance.operations
    start, machine = _times(data["start"], size), _machines(data["machine"], size)
    eligible, duration = _chosen(instance, machine)
    job, pos = _where(instance)
    release = instance.release_or_zero()
    end = start + duration
    # ready: the end of the job's last eligible operation before this one, else its release date
    last = np.maximum.accumulate(np.where(eligible, np.arange(size), -1))
    before = np.concatenate(([-1], last[:-1]))
    has = before >= instance.job_ptr[job]
    ready = np.where(has, end[np.maximum(before, 0)], release[job])
    late = eligible & (start < ready)
    negative = eligible & (start < 0)
    for op in np.flatnonzero(~eligible | late | negative).tolist():
        j, k, s = int(job[op]), int(pos[op]), data["start"][int(job[op])][int(pos[op])]
        if not eligible[op]:
            violations.append(f"job {j}, operation {k}: machine {data['machine'][j][k]} is not eligible "
                              f"({_allowed(instance, op)})")
            continue
        if late[op] and k == 0:
            violations.append(f"job {j}, operation 0 starts at {s}, before the release date {ready[op]}")
        elif late[op]:
            violations.append(f"job {j}, operation {k} starts at {s}, before operation {k - 1} "
                              f"ends at {ready[op]}")
        if negative[op]:
            violations.append(f"job {j}, operation {k} starts at a negative time {s}")
    violations += _machine_overlaps(machine, start, end, eligible, job, pos,
                                    "machine {m}: job {j1} operation {k1} [{s1}, {e1}) overlaps "
                                    "job {j2} operation {k2} [{s2}, {e2})")
    if violations:
        return None, violations
    return _objective(instance, end[instance.job_ptr[1:] - 1].tolist(), release.tolist()), violations


def _objective(instance: Any, completion: list[int], release: list[int]) -> int:
    weight = [1] * len(completion) if instance.weight is None else [int(w) for w in instance.weight]
    if instance.objective == "makespan":
        return max(completion)
    if instance.objective == "weighted_tardiness":
        due = [int(d) for d in instance.due]
        return sum(w * max(0, c - d) for w, c, d in zip(weight, completion, due, strict=True))
    return sum(w * (c - r) for w, c, r in zip(weight, completion, release, strict=True))


def _check_blocking(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """The blocking rules: leave times, holding intervals per machine, then the objective."""
    counts = np.diff(instance.job_ptr).tolist()
    if "leave" not in data:
        return None, ['a blocking solution needs "leave" (per job, per operation): when each '
                      'operation releases its machine']
    rows = data["leave"]
    if not isinstance(rows, list | tuple) or len(rows) != len(counts) or not all(
            isinstance(row, list | tuple) and len(row) == count and _integers(row)
            for row, count in zip(rows, counts, strict=False)):
        return None, ['"leave" must list, per job, one integer per operation']
    size = instance.operations
    start, machine = _times(data["start"], size), _machines(data["machine"], size)
    leave = _times(rows, size)
    eligible, duration = _chosen(instance, machine)
    job, pos = _where(instance)
    release = instance.release_or_zero()
    end = start + duration
    last = np.zeros(size, bool)
    last[instance.job_ptr[1:] - 1] = True
    following = np.concatenate((start[1:], start[:1]))  # the next operation's start (unused at the last)
    early = eligible & (pos == 0) & (start < release[job])
    negative = eligible & (start < 0)
    short = eligible & (leave < end)
    stays = eligible & ~last & (leave != following)
    lingers = eligible & last & (leave != end)
    violations: list[str] = []
    for op in np.flatnonzero(~eligible | early | negative | short | stays | lingers).tolist():
        j, k = int(job[op]), int(pos[op])
        s, m, out = data["start"][j][k], data["machine"][j][k], rows[j][k]
        if not eligible[op]:
            violations.append(f"job {j}, operation {k}: machine {m} is not eligible "
                              f"({_allowed(instance, op)})")
            continue
        if early[op]:
            violations.append(f"job {j}, operation 0 starts at {s}, before the release date "
                              f"{release[j]}")
        if negative[op]:
            violations.append(f"job {j}, operation {k} starts at a negative time {s}")
        if short[op]:
            violations.append(f"job {j}, operation {k} leaves machine {m} at {out}, before "
                              f"it ends at {end[op]}")
        if stays[op]:
            violations.append(f"job {j}, operation {k} leaves at {out} but operation {k + 1} starts "
                              f"at {data['start'][j][k + 1]}: a job moves on the moment it leaves")
        if lingers[op]:
            violations.append(f"job {j}, last operation {k} leaves at {out}, not when it ends at {end[op]}")
    violations += _machine_overlaps(machine, start, leave, eligible, job, pos,
                                    "machine {m}: job {j1} operation {k1} holds it over [{s1}, {e1}), "
                                    "overlapping job {j2} operation {k2} over [{s2}, {e2})")
    if violations:
        return None, violations
    return _objective(instance, end[last].tolist(), release.tolist()), violations
