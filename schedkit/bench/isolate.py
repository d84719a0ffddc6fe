"""Run one (instance, method) in a forked child with a hard wall-clock and memory limit.

The child solves, checks the solution with `schedkit.check`, and sends a JSON record back
through a pipe. The parent kills it at time limit + grace. A child that hangs, crashes,
exhausts memory or raises becomes a record with outcome `error` and the reason; a solution
that fails the check becomes outcome `invalid` with the violations. Fork (not spawn) keeps
a run's start-up to milliseconds: the child inherits the loaded kernels and the instance.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import resource
import select
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import schedkit
from schedkit.bench.machine import load_average


@dataclass(frozen=True)
class RunSpec:
    """Everything one run needs; picklable so a Dask worker can execute it."""

    suite: str
    instance: Any
    method: str
    label: str
    options: dict[str, Any]
    seed: int
    time_limit: float
    workers: int
    grace: float
    memory_limit_mb: int | None
    versions: dict[str, str] = field(default_factory=dict)

    def identity(self) -> dict[str, Any]:
        """The fields that key a run in the store."""
        return {
            "suite": self.suite,
            "instance": self.instance.name,
            "method": self.method,
            "label": self.label,
            "options": self.options,
            "seed": self.seed,
            "time_limit": self.time_limit,
            "workers": self.workers,
            "versions": self.versions,
        }


def _solve_and_check(spec: RunSpec) -> dict[str, Any]:
    """Inside the child: solve, check, and describe the outcome."""
    result = schedkit.solve(spec.instance, spec.method, time_limit=spec.time_limit, seed=spec.seed,
                            workers=spec.workers, **spec.options)
    record: dict[str, Any] = {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "wall_time": result.wall_time,
        "stats": {k: v for k, v in result.to_dict()["stats"].items()
                  if isinstance(v, int | float | str | bool)},
        "outcome": "ok",
        "error": None,
        "violations": [],
    }
    if result.solution is not None:
        report = schedkit.check(spec.instance, result)
        if not report.feasible:
            record["outcome"] = "invalid"
            record["violations"] = report.violations[:20]
    return record


def _child(spec: RunSpec, pipe: int) -> None:
    """Body of the forked child; never returns."""
    faulthandler.disable()  # a crash is reported through the record, not a dump on stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the harness stops its children itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the harness's own "interrupted"
    try:
        if spec.memory_limit_mb:
            limit = spec.memory_limit_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            record = _solve_and_check(spec)
        except MemoryError:
            record = {"outcome": "error", "error": f"out of memory (limit {spec.memory_limit_mb} MiB)"}
        except BaseException as error:  # noqa: BLE001 - every failure becomes a record
            record = {"outcome": "error", "error": f"raised {type(error).__name__}: {error}"}
        payload = json.dumps(record, default=str).encode()
        view = memoryview(payload)
        while view:
            view = view[os.write(pipe, view):]
    finally:
        os._exit(0)


def _read_until(pipe: int, deadline: float) -> tuple[bytes, bool]:
    """Read the child's payload until EOF; (data, finished before the deadline)."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), False
        ready, _, _ = select.select([pipe], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(pipe, 1 << 16)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)


def _describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name
        hint = " (out of memory?)" if number == signal.SIGKILL else ""
        return f"crashed: killed by {name}{hint}"
    return f"crashed: exit code {os.WEXITSTATUS(status)} without a result"


_guard = threading.Lock()  # a fork and its registration in _running are one step
_running: set[int] = set()  # the children of this process's runs still going
_stopped = threading.Event()


def stop_runs() -> None:
    """Kill every running child and start no new one: the harness was interrupted."""
    with _guard:
        _stopped.set()
        for pid in _running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def allow_runs() -> None:
    """Let runs start again (a new suite in the same process)."""
    _stopped.clear()


def execute(spec: RunSpec) -> dict[str, Any]:
    """Run `spec` in a child process; always returns a record (never raises for the run)."""
    load_at_start = load_average()
    hard_limit = spec.time_limit + spec.grace
    read_end, write_end = os.pipe()
    started = time.monotonic()
    with _guard:
        if _stopped.is_set():
            os.close(read_end)
            os.close(write_end)
            return {"outcome": "error", "error": "not started: the harness was interrupted",
                    **spec.identity()}
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _child(spec, write_end)
        _running.add(pid)
    os.close(write_end)
    try:
        data, finished = _read_until(read_end, started + hard_limit)
    finally:
        os.close(read_end)
    record: dict[str, Any]
    if not finished:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    with _guard:
        _running.discard(pid)
    if not finished:
        record = {"outcome": "error", "error": f"timeout: no result within {hard_limit:g} s "
                  f"(time limit {spec.time_limit:g} s + grace {spec.grace:g} s)"}
    else:
        try:
            record = json.loads(data) if data else {"outcome": "error", "error": _describe_exit(status)}
        except json.JSONDecodeError:
            record = {"outcome": "error", "error": _describe_exit(status)}
    record.update(spec.identity())
    record["elapsed"] = round(time.monotonic() - started, 6)
    record["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    record["load"] = [load_at_start, load_average()]
    return record
