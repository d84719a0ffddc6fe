"""The hard deadline behind `time_limit`: a solve returns by limit + max(10 %, 0.5 s), always.

Methods plan their own budgets (model building, warm starts, numba compilation), and normally
return well inside the limit. What they cannot plan for is a fresh process's fixed costs on a
loaded machine (importing numba and OR-Tools, loading kernels from the cache) or a kernel that
has to compile from scratch. So `schedkit.solve` runs the method in a worker thread and waits
until the promise's last moment; if the method has not returned by then, the call returns
status `unknown` with `stats["hard_deadline"] = True`, and the thread finishes in the
background (its result is dropped; a compilation it was doing serves the next call). A phased
method hands the guard what it already has before each long phase (`offer`): then the call
returns that `feasible` result instead of `unknown`. An abandoned run is told to stop: kernels
that can run long poll the guard's `stop_flag()` and return early once it is raised, so that
the thread ends soon after (instead of burning a core for minutes).

Set the environment variable SCHEDKIT_HARD_DEADLINE=0 to run methods in the caller's thread
with no such guard (the test suite does, so that verdicts never depend on machine speed).
"""

from __future__ import annotations

import atexit
import dataclasses
import importlib.util
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.result import Result

# Seconds kept back before the promise runs out: to wake up, get the GIL back from a C call
# that holds it (a solver converting its model, a kernel loading from the numba cache) and
# build the `unknown` result.
GRACE = 0.3
ENVIRONMENT = "SCHEDKIT_HARD_DEADLINE"

# Packages whose shared libraries Python loads with the GIL held (llvmlite's is 180 MB): read
# into the page cache first, with the GIL released, so that loading them cannot stall the
# caller's thread for seconds on a cold disk.
NATIVE_LIBRARIES = {
    "llvmlite": ("binding/*.so*",),
    "ortools": (".libs/*.so*", "../ortools.libs/*.so*", "sat/python/*.so"),
    "highspy": ("*.so",),
}
PAGE_IN_MIN_BYTES = 1 << 20
CACHED_READ_SECONDS = 0.0005  # a read from the page cache takes microseconds; from disk, more
_paged_in = threading.Event()
_inside = threading.local()  # set in a guarded thread: a nested solve runs unguarded
_abandoned: list[threading.Thread] = []
_latest: tuple[float, Result] | None = None  # (when, what) of the last offer in the process
# Tests set this: the guard then waits for `cut_short()` (or the run's end) instead of the clock,
# so a stage held "past the deadline" is reached first at any machine speed.
_cut_only = False
_running: list[dict[str, Any]] = []  # the boxes of the guarded runs now in progress


def allowance(limit: float) -> float:
    """The promise's slack over `limit`: max(10 %, 0.5 s)."""
    return max(0.1 * limit, 0.5)


def _native_libraries() -> Iterator[Path]:
    for package, patterns in NATIVE_LIBRARIES.items():
        spec = importlib.util.find_spec(package)  # finds a top-level package without importing it
        for folder in spec.submodule_search_locations or () if spec else ():
            for pattern in patterns:
                yield from Path(folder).glob(pattern)


def _looks_cached(file: int, size: int) -> bool:
    """True when eight reads spread over the file each return within CACHED_READ_SECONDS."""
    for k in range(8):
        started = time.perf_counter()
        os.pread(file, 1, size * k // 8)
        if time.perf_counter() - started > CACHED_READ_SECONDS:
            return False
    return True


def page_in_native_libraries() -> None:
    """Read the solvers' and numba's shared libraries into the page cache once per process
    unless they are there already (see NATIVE_LIBRARIES): file reads release the GIL, the
    dynamic loader does not."""
    if _paged_in.is_set():
        return
    _paged_in.set()
    buffer = bytearray(4 << 20)
    for path in _native_libraries():
        try:
            size = path.stat().st_size
            if size < PAGE_IN_MIN_BYTES:
                continue
            with path.open("rb", buffering=0) as file:
                if _looks_cached(file.fileno(), size):
                    continue
                while file.readinto(buffer):
                    pass
        except OSError:
            continue  # only a speed-up: a library it cannot read is loaded the usual way


def enabled() -> bool:
    """False when SCHEDKIT_HARD_DEADLINE is 0 / false / no / off."""
    return os.environ.get(ENVIRONMENT, "1").strip().lower() not in ("0", "false", "no", "off")


def mute_offers() -> None:
    """Drop the offers made on this thread from now on: a warm-up's runs on tiny instances
    (common.compile) are nobody's incumbent, and progress lines must not show them."""
    _inside.muted = True


def offers_muted() -> bool:
    """Whether this thread's offers are dropped (`mute_offers`)."""
    return bool(getattr(_inside, "muted", False))


def guard_box() -> dict[str, Any] | None:
    """The guard of the solve running on this thread, None outside one: what a method's helper
    threads pass to `offer`."""
    return getattr(_inside, "box", None)


def stop_flag() -> np.ndarray:
    """The stop flag (one uint8, raised to 1 when the hard deadline abandons the run) of the solve
    running on this thread, for kernels to poll; outside a guarded solve, a flag never raised."""
    box = guard_box()
    return box["stop"] if box is not None else np.zeros(1, dtype=np.uint8)


def stopped() -> bool:
    """Whether the solve running on this thread was abandoned (its stop flag raised): what it
    computes from now on is dropped, so it may return at once."""
    return bool(stop_flag()[0])


def dropped(stats: dict[str, Any]) -> Result:
    """The answer of an abandoned run whose kernels returned early (`stopped()`): `unknown`, which
    nobody reads, instead of a result built from their partial work."""
    return Result("unknown", None, None, None, stats)


def cut_short() -> None:
    """The caller of the guarded run on this thread (of every guarded run, from another thread)
    gets its answer now, as if the hard deadline had passed: the last result offered, or `unknown`."""
    box = guard_box()
    for each in [box] if box is not None else list(_running):
        each["wake"].set()


def _abandon(thread: threading.Thread, box: dict[str, Any]) -> None:
    """Give up on a run: its kernels see their stop flag raised and return early."""
    _abandoned.append(thread)
    box["stop"][0] = 1


def offer(result: Result, box: dict[str, Any] | None = None) -> None:
    """Hand the guard of the solve running on this thread (or `box`, from `guard_box`) a result
    to return if the hard deadline comes first (the latest offer wins; its solution must not
    change afterwards). The latest offer in the process is also what progress displays show
    (`latest_offer`). An abandoned run's offers are dropped (a stopped kernel's leftovers)."""
    global _latest
    target = box if box is not None else guard_box()
    if result.solution is None or offers_muted() or (target is not None and target["stop"][0]):
        return
    _latest = (time.perf_counter(), result)
    if target is not None:
        target["offer"] = result


def offer_better(result: Result) -> None:
    """`offer` unless the guard already holds a better offer (a lower objective): for a method
    called after another one of the same solve (auto's plan), whose early answer is worse. The
    held offer's bound, proven for the same instance, stays with a better one that has less."""
    box = guard_box()
    held = box.get("offer") if box is not None else None
    if held is None or held.objective is None:
        offer(result)
    elif result.objective is not None and result.objective < held.objective:
        offer(_with_bound(result, held.bound))


def _with_bound(result: Result, bound: float | None) -> Result:
    """`result` with `bound` when that is higher than its own (`optimal` when it meets the
    objective; above it, Result refuses it as the bug it would be)."""
    if bound is None or result.objective is None or (result.bound is not None and result.bound >= bound):
        return result
    status = "optimal" if bound == result.objective else result.status
    return dataclasses.replace(result, status=status, bound=bound)


def latest_offer(since: float) -> Result | None:
    """The last result offered at or after `since` (a perf_counter value), if any: for a
    progress line, the incumbent a running solve has reported so far."""
    latest = _latest
    return latest[1] if latest is not None and latest[0] >= since else None


def run_guarded(call: Callable[[], Any], limit: float | None, started: float) -> tuple[bool, Any]:
    """(True, call()) when `call` returns before started + limit + allowance − GRACE (its
    exception is raised here); (False, the last offered Result or None) when that moment
    comes first."""
    if limit is None or not enabled() or getattr(_inside, "active", False):
        return True, call()
    done = threading.Event()
    wake = threading.Event()  # the run's end, or `cut_short`
    box: dict[str, Any] = {"stop": np.zeros(1, dtype=np.uint8), "wake": wake}

    def target() -> None:
        _inside.active = True
        _inside.box = box
        try:
            page_in_native_libraries()
            box["value"] = call()
        except BaseException as error:  # raised again in the caller's thread
            box["error"] = error
        finally:
            done.set()
            wake.set()

    thread = threading.Thread(target=target, name="schedkit-solve", daemon=True)
    _running.append(box)
    thread.start()
    try:
        last = started + limit + allowance(limit) - GRACE
        wake.wait(None if _cut_only else max(0.0, last - time.perf_counter()))
        finished = done.is_set()
    except BaseException:  # Ctrl-C while waiting: the run is abandoned, so that the CLI exits
        _abandon(thread, box)  # at once rather than tearing the interpreter down under it
        raise
    finally:
        _running.remove(box)
    if not finished:
        offered = box.get("offer")  # before the stop: a stopped kernel's leftovers are not offers
        _abandon(thread, box)
        return False, offered
    if "error" in box:
        raise box["error"]
    return True, box["value"]


def abandoned_running() -> bool:
    """True while a run the hard deadline abandoned is still going."""
    return any(thread.is_alive() for thread in _abandoned)


def wait_for_abandoned() -> None:
    """Wait until every run the hard deadline abandoned has ended."""
    for thread in list(_abandoned):
        thread.join()
    _abandoned.clear()


# At exit, abandoned runs end first (tearing the interpreter down under numba's compiler or a
# solver's threads can crash; their caller already has its answer). A fork while one holds a
# lock (numba's compiler, an import) would hand the child a lock no thread there releases:
# forks wait for them too.
atexit.register(wait_for_abandoned)
os.register_at_fork(before=wait_for_abandoned)
