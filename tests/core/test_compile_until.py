"""common/compile.compile_until: a warm-up on a helper thread, waited for until a deadline only;
what it promises holds whatever the machine's speed (the warm-ups here wait on events)."""

from __future__ import annotations

import math
import threading
import time

import pytest

from schedkit.common import compile as compile_module


@pytest.fixture(autouse=True)
def fresh_tables(monkeypatch):
    """Each test starts with no warm-up done or running."""
    monkeypatch.setattr(compile_module, "_DONE", set())
    monkeypatch.setattr(compile_module, "_threads", {})
    monkeypatch.setattr(compile_module, "_errors", {})


def test_a_warm_up_past_the_deadline_goes_on_and_serves_the_next_call():
    release, calls = threading.Event(), []

    def warm():
        release.wait(60)
        calls.append(1)

    ready, waited = compile_module.compile_until("k", warm, time.perf_counter() + 0.05)
    assert not ready and waited >= 0 and compile_module.compiling()
    release.set()
    assert compile_module.compile_until("k", warm)[0]
    assert compile_module.compile_until("k", warm) == (True, 0.0) and calls == [1]
    assert not compile_module.compiling()


def test_a_call_waits_for_every_running_warm_up():
    """No kernel runs beside a compilation: another key's warm-up still running means not ready."""
    release = threading.Event()
    compile_module.compile_until("slow", lambda: release.wait(60), time.perf_counter())
    ready, _ = compile_module.compile_until("fast", lambda: None, time.perf_counter() + 0.2)
    assert not ready
    release.set()
    compile_module.wait_for_compiling(math.inf)
    assert compile_module.compile_until("fast", lambda: None) == (True, 0.0)


def test_a_failing_warm_up_raises_in_the_caller_and_may_be_retried():
    def broken():
        raise RuntimeError("no compiler")

    with pytest.raises(RuntimeError, match="no compiler"):
        compile_module.compile_until("bad", broken)
    ready, _ = compile_module.compile_until("bad", lambda: None)
    assert ready


def test_a_warm_up_calling_another_compiles_inline():
    """A warm-up that runs a method which itself asks for a key gets (True, 0.0) at once."""
    inner = []

    def outer():
        inner.append(compile_module.compile_until("inner", lambda: time.sleep(60)))

    assert compile_module.compile_until("outer", outer)[0]
    assert inner == [(True, 0.0)]
