"""Sampling and `sgs-lags` under a deadline on a slow (loaded) machine: with a fake clock on
which every SGS pass costs a fixed time, the last batch ends by the deadline instead of a
fixed-count batch past it (at load 5, 66 passes on 302 activities took 0.3-0.38 s)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.rcpsp.heuristics import lags, methods
from schedkit.rcpsp.temporal import analyse
from tests.rcpsp.conftest import RCPSP, psplib


class Clock:
    """A perf_counter that only moves when a (fake) kernel pass runs."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def slow_kernels(module: Any, name: str, clock: Clock, per_pass: float) -> SimpleNamespace:
    """`module`'s kernels, with `name` advancing `clock` by `per_pass` per pass it is asked for
    (the pass count is the last argument but one of both kernels)."""
    real = getattr(module, name)

    def slow(*args: Any) -> Any:
        clock.now += per_pass * int(args[-2])
        return real(*args)

    slow.signatures = ["faked"]  # type: ignore[attr-defined]  # compiled_or_twin: "compiled"
    kernels = {key: getattr(module, key) for key in dir(module) if not key.startswith("__")}
    return SimpleNamespace(**{**kernels, name: slow})


@settings(max_examples=10, deadline=None)
@given(per_pass=st.floats(0.001, 0.02), limit=st.floats(0.05, 1.0))
def test_sampling_ends_by_the_deadline_at_any_pace(per_pass: float, limit: float):
    """Every batch is sized by the last one's pace, so none runs past the deadline."""
    instance = schedkit.load(RCPSP / "large" / "gen300_2.sm")
    clock = Clock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(methods.time, "perf_counter", clock)
        patch.setattr(methods, "kernels", slow_kernels(methods.kernels, "sample_batch", clock, per_pass))
        deadline = clock.now + limit
        _, _, used = methods.sample(instance, deadline, None, 0, bound=0)
    assert clock.now <= deadline + per_pass  # the first batch (one pass) is the only one untimed
    assert used >= 1


@settings(max_examples=10, deadline=None)
@given(per_pass=st.floats(0.005, 0.05), limit=st.floats(0.05, 1.0))
def test_sgs_lags_ends_by_the_deadline_at_any_pace(per_pass: float, limit: float):
    """The same for the lag SGS's random passes (after the deterministic one)."""
    instance = psplib("j301_1")
    temporal = analyse(instance)
    clock = Clock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lags.time, "perf_counter", clock)
        patch.setattr(lags, "kernels", slow_kernels(lags.kernels, "lag_sample", clock, per_pass))
        deadline = clock.now + per_pass + limit  # the deterministic pass, then `limit`
        lags.lag_sample(instance, temporal, deadline, None, 0, bound=-1)
    assert clock.now <= deadline + per_pass


def test_a_pass_count_gives_the_same_schedule_in_any_batches():
    """`schedules=` stays reproducible: paced batches split the same passes differently."""
    instance = psplib("j301_1")
    first = methods.sample(instance, float("inf"), 300, 7, bound=0)
    whole = methods.kernels.sample_batch(*methods.arrays(instance), methods.priorities(instance, "lft"),
                                         1.0, True, False, 299, np.uint64(0))
    assert first[2] == 300 and whole[2] == 299
    again = methods.sample(instance, float("inf"), 300, 7, bound=0)
    assert np.array_equal(first[0], again[0]) and first[1] == again[1]
