"""common/compile.compile_until: a warm-up on a helper thread, waited for until a deadline only;
what it promises holds whatever the machine's speed (the warm-ups here wait on events)."""

from __future__ import annotations

import math
import sys
import threading
import time

import numpy as np
import pytest
from numba import njit

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


@njit(cache=False)
def _inner(x):  # pragma: no cover - compiled
    return x * 2


@njit(cache=False)
def _outer(values):  # pragma: no cover - compiled
    total = 0
    for v in values:
        total += _inner(v)
    return total


def test_a_python_twin_computes_the_same_and_compiles_nothing():
    """The twin of a kernel that calls another runs both as Python: neither gets a signature."""
    twin = compile_module.python_twin(_outer)
    assert twin(np.arange(5)) == 20
    assert not _outer.signatures and not _inner.signatures
    assert _outer(np.arange(5)) == 20  # the kernels themselves are untouched


@njit(cache=False)
def _to_compile(x):  # pragma: no cover - compiled
    return x + 1


def test_a_warm_up_gets_the_kernels_themselves_to_compile_them():
    """Code that reads kernels through compiled_or_twin gets twins outside a warm-up but the
    kernels inside one (a warm-up that ran twins would compile nothing: a bug once)."""
    assert compile_module.compiled_or_twin(_to_compile) is not _to_compile
    seen = []
    compile_module.compile_until("twins", lambda: seen.append(compile_module.compiled_or_twin(_to_compile)))
    assert seen == [_to_compile]
    twins = compile_module.kernels_or_twins(sys.modules[__name__])
    assert twins._to_compile is not _to_compile and twins.math is math
