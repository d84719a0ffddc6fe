"""The hard deadline: a guarded call that never returns on its own still hands back control,
with `unknown`; one that returns or raises is passed through unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
import schedkit.api
from schedkit import deadline
from schedkit.errors import SchedkitError
from schedkit.result import Result


@pytest.fixture
def guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")


def _blocked(release: threading.Event) -> object:
    release.wait()
    return "late"


def test_a_call_that_never_returns_is_abandoned(guarded: None):
    release = threading.Event()
    try:
        finished, value = deadline.run_guarded(lambda: _blocked(release), 0.01, deadline.time.perf_counter())
    finally:
        release.set()
    assert (finished, value) == (False, None)


@settings(max_examples=20, deadline=None)
@given(value=st.integers() | st.text())
def test_a_returning_call_gives_its_value(value: object):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(deadline.ENVIRONMENT, "1")
        assert deadline.run_guarded(lambda: value, 60.0, deadline.time.perf_counter()) == (True, value)


def test_an_exception_reaches_the_caller(guarded: None):
    def fail() -> None:
        raise SchedkitError("bad input")

    with pytest.raises(SchedkitError, match="bad input"):
        deadline.run_guarded(fail, 60.0, deadline.time.perf_counter())


def test_nested_and_unlimited_calls_run_in_the_callers_thread(guarded: None):
    here = threading.get_ident()
    assert deadline.run_guarded(threading.get_ident, None, 0.0) == (True, here)
    inner = deadline.run_guarded(
        lambda: (threading.get_ident(), deadline.run_guarded(threading.get_ident, 60.0, 0.0)),
        60.0, deadline.time.perf_counter())[1]
    assert inner[0] != here and inner[1] == (True, inner[0])


def test_switched_off_by_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(deadline.ENVIRONMENT, "0")
    assert deadline.run_guarded(threading.get_ident, 60.0, 0.0) == (True, threading.get_ident())


def test_solve_returns_unknown_when_the_method_overruns(guarded: None, monkeypatch: pytest.MonkeyPatch):
    release = threading.Event()
    entry = SimpleNamespace(name="stuck", options={}, check_options=lambda options: options,
                            function=lambda instance, options: Result("feasible", _blocked(release)))
    monkeypatch.setattr(schedkit.api, "lookup", lambda family, name: entry)
    instance = schedkit.generate.jobshop(3, 2, seed=1)  # a family without an early plan (SMTT has one)
    try:
        result = schedkit.solve(instance, "stuck", time_limit=0.01)
    finally:
        release.set()
    assert result.status == "unknown" and result.solution is None and result.objective is None
    assert result.stats["hard_deadline"] is True and result.family == "jobshop"


def _offering(release: threading.Event, offered: Result) -> Result:
    deadline.offer(offered)
    deadline.cut_short()  # the deadline passes here (with `_cut_only`: at any machine speed)
    release.wait()
    return Result("feasible", 1)


def test_a_call_past_the_deadline_gives_its_last_offer(guarded: None, monkeypatch: pytest.MonkeyPatch):
    """What a method offered before its last phase comes back instead of nothing."""
    monkeypatch.setattr(deadline, "_cut_only", True)
    release = threading.Event()
    instance = schedkit.generate.smtt(5, 0.6, 0.6, seed=1)
    first = schedkit.solve(instance, "edd")
    try:
        finished, value = deadline.run_guarded(lambda: _offering(release, first), 0.01,
                                               deadline.time.perf_counter())
    finally:
        release.set()
    assert finished is False and value is first


def test_cut_short_from_another_thread_answers_every_running_guard(guarded: None):
    """A limit no run reaches: `cut_short` from outside returns the offer now, and the next
    guarded call is not cut by it."""
    release = threading.Event()
    offered = schedkit.solve(schedkit.generate.smtt(5, 0.6, 0.6, seed=1), "edd")

    def offer_then_wait() -> None:
        deadline.offer(offered)
        threading.Thread(target=deadline.cut_short).start()
        release.wait()

    try:
        assert deadline.run_guarded(offer_then_wait, 3600.0, deadline.time.perf_counter()) == (False, offered)
    finally:
        release.set()
        deadline.wait_for_abandoned()
    assert deadline.run_guarded(lambda: "value", 3600.0, deadline.time.perf_counter()) == (True, "value")


def test_an_offer_outside_a_guarded_solve_is_ignored(guarded: None):
    instance = schedkit.generate.smtt(5, 0.6, 0.6, seed=1)
    deadline.offer(schedkit.solve(instance, "edd"))  # no guarded run on this thread: no effect
    assert deadline.run_guarded(lambda: "value", 60.0, deadline.time.perf_counter()) == (True, "value")


def test_solve_returns_the_offer_when_the_method_overruns(guarded: None, monkeypatch: pytest.MonkeyPatch):
    """A feasible offered result, marked hard_deadline, and the checker accepts its solution."""
    release = threading.Event()
    instance = schedkit.generate.smtt(8, 0.6, 0.6, seed=2)
    offered = schedkit.solve(instance, "edd")
    entry = SimpleNamespace(name="phased", options={}, check_options=lambda options: options,
                            function=lambda instance, options: _offering(release, offered))
    monkeypatch.setattr(schedkit.api, "lookup", lambda family, name: entry)
    try:
        result = schedkit.solve(instance, "phased", time_limit=0.01)
    finally:
        release.set()
    assert result.status == "feasible" and result.objective == offered.objective
    assert result.stats["hard_deadline"] is True and result.method == "phased"
    assert schedkit.check(instance, result).feasible


def test_booleans_are_not_time_limits():
    with pytest.raises(SchedkitError, match="time_limit"):
        schedkit.solve(schedkit.generate.smtt(5, 0.6, 0.6, seed=1), "edd", time_limit=True)


CLI_WITH_A_STUCK_METHOD = """
import sys, threading
from types import SimpleNamespace
import schedkit, schedkit.api
from schedkit.cli import main
from schedkit.result import Result
never = threading.Event()
entry = SimpleNamespace(name="stuck", options={}, check_options=lambda options: options,
                        function=lambda instance, options: Result("feasible", never.wait()))
schedkit.api.lookup = lambda family, name: entry
main(["solve", sys.argv[1], "-m", "stuck", "-t", "0.2", "--json", sys.argv[2]])
"""


def test_the_cli_exits_at_once_when_a_run_is_abandoned(tmp_path: Path):
    """The abandoned run never ends: a CLI that waited for it at exit would never return."""
    instance = tmp_path / "shop.json"  # a family without an early plan (SMTT has one)
    schedkit.dump(schedkit.generate.jobshop(3, 2, seed=1), instance)
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-c", CLI_WITH_A_STUCK_METHOD, str(instance), str(out)],
                          env={**os.environ, deadline.ENVIRONMENT: "1"}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "unknown" in done.stdout
    [record] = json.loads(out.read_text())
    assert record["status"] == "unknown" and record["stats"]["hard_deadline"] is True


def test_native_libraries_are_read_when_not_cached(monkeypatch: pytest.MonkeyPatch):
    """Every shared library of NATIVE_LIBRARIES at least PAGE_IN_MIN_BYTES long is read to its end."""
    read: list[str] = []
    real_open = Path.open

    def counting_open(path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        read.append(path.name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(deadline, "_paged_in", threading.Event())
    monkeypatch.setattr(deadline, "_looks_cached", lambda file, size: False)
    monkeypatch.setattr(Path, "open", counting_open)
    deadline.page_in_native_libraries()
    deadline.page_in_native_libraries()  # once per process
    large = [path.name for path in deadline._native_libraries()
             if path.stat().st_size >= deadline.PAGE_IN_MIN_BYTES]
    assert "libllvmlite.so" in large and sorted(read) == sorted(large)


def test_an_abandoned_run_is_stopped_and_its_offers_dropped(guarded: None):
    """Once abandoned, a run sees its stop flag raised (`stopped`), and what it offers then
    reaches neither its guard nor the progress lines (a stopped kernel's leftovers)."""
    release, seen = threading.Event(), {}
    instance = schedkit.generate.smtt(5, 0.6, 0.6, seed=1)
    late = schedkit.solve(instance, "edd")

    def run() -> None:
        release.wait()
        seen["after"] = deadline.stopped()
        began = deadline.time.perf_counter()
        deadline.offer(late)
        seen["offered"] = deadline.latest_offer(began)
        seen["box"] = deadline.guard_box()

    try:
        assert deadline.run_guarded(run, 0.01, deadline.time.perf_counter()) == (False, None)
    finally:
        release.set()
    deadline.wait_for_abandoned()
    assert seen["after"] is True
    assert deadline.stopped() is False  # outside a guarded solve: never stopped
    assert seen["offered"] is None and "offer" not in seen["box"]
