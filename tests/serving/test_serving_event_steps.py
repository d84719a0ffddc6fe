"""The simulator's work grows with the events, not the iterations: a run of iterations of one
batch ends at the fewest iterations reaching the next event, found by bisection on the closed
form of the time model, not counted one by one (5 s per 10^9 iterations before). Asserted at
any speed: the same logs as a slow reference that counts iteration by iteration, the same
turns as one that logs every iteration on its own (times exact in binary fractions: no
rounding), and the number of clock evaluations on 2·10^9 iterations."""

from __future__ import annotations

import types
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common.compile import is_kernel
from schedkit.serving.heuristics import kernel, ttl_opt
from schedkit.serving.heuristics import simulate as serving_simulate
from schedkit.serving.model import Server, Turn, build_instance

METHODS = [m.name for m in schedkit.methods("serving") if m.name != "auto"]
clock = kernel._clock.py_func


def _twin(dispatcher: Any, overrides: dict[str, Any]) -> Any:
    """The kernel's Python code, the kernels it calls as twins too, with `overrides` by name."""
    code = dispatcher.py_func
    names = dict(code.__globals__)
    for name in code.__code__.co_names:
        if name in overrides:
            names[name] = overrides[name]
        elif is_kernel(names.get(name)):
            names[name] = _twin(names[name], overrides)
    body = types.FunctionType(code.__code__, names, code.__name__, code.__defaults__, code.__closure__)

    def run(*args: Any) -> Any:
        with np.errstate(over="ignore"):
            return body(*args)

    return run


def stepwise(now, step, e, context, grow, kmax, horizon):
    """The slow reference: one iteration more while the run's end is before the horizon."""
    count = 1
    while count < kmax and clock(now, step, e, context, grow, count) < horizon:
        count += 1
    return count


times = st.floats(0, 1e6, allow_nan=False)
costs = st.sampled_from([0.0, 1e-9, 3.913e-08, 1e-5, 0.1 / 3, 0.00579, 1.0])


@settings(max_examples=300, deadline=None)
@given(times, st.floats(1e-6, 10.0), costs, st.integers(0, 10**6), st.integers(1, 300),
       st.integers(1, 3000), st.floats(0, 2e6, allow_nan=False) | st.just(np.inf) | st.integers(1, 3000))
def test_the_bisection_counts_what_stepping_counts(now, step, e, context, grow, kmax, horizon):
    """The run's length is the first iteration count whose end reaches the horizon (or kmax);
    an integer horizon j is the end of j iterations exactly (an event on an iteration's end)."""
    if isinstance(horizon, int):
        horizon = clock(now, step, e, context, grow, horizon)
    assert kernel._steps(now, step, e, context, grow, kmax, horizon) == \
        stepwise(now, step, e, context, grow, kmax, horizon)


@settings(max_examples=300, deadline=None)
@given(times, st.floats(1e-6, 10.0), costs, st.integers(0, 10**12), st.integers(1, 8192),
       st.integers(1, 2**62), st.floats(0, 1e30, allow_nan=False))
def test_the_bisection_stops_at_the_first_count_reaching_the_horizon_up_to_2_62(
        now, step, e, context, grow, kmax, horizon):
    """Runs far too long to step through: the count reaches the horizon, one fewer does not."""
    count = kernel._steps(now, step, e, context, grow, kmax, horizon)
    assert 1 <= count <= kmax
    assert count == kmax or clock(now, step, e, context, grow, count) >= horizon
    assert count == 1 or clock(now, step, e, context, grow, count - 1) < horizon


# Quarters: iterations ending exactly on an arrival or a tool return (an event on a boundary).
quarters = st.sampled_from([1e-6, 1e-5, 0.1 / 3, 0.25])
seconds = (st.floats(0, 3, allow_nan=False).map(lambda s: round(s, 2))
           | st.integers(0, 12).map(lambda k: k / 4.0))
turn = st.tuples(st.integers(0, 300), st.integers(1, 400), st.sampled_from(["a", "b"]), seconds)


@st.composite
def traces(draw):
    """Small traces of long decodes on small servers: many runs of iterations, events among them."""
    programs = draw(st.lists(st.tuples(seconds,
                                       st.lists(turn, min_size=1, max_size=3)), min_size=1, max_size=4))
    return _instance(draw, programs, "random", 64, a=draw(st.sampled_from([0.0, 0.01, 0.1 / 3, 0.25])),
                     b=draw(quarters), c=draw(quarters), e=draw(costs), bandwidth=1000.0 / 3)


def _instance(draw, programs, name, token_extra, a, b, c, e, bandwidth):
    """The programs (arrival, [(prompt, output, tool, seconds)...]) on a random small server with
    these costs: batch 1-3, preemptive or not, memory from one program's need up."""
    entries = []
    for k, (arrival, turns) in enumerate(programs):
        chain = [Turn(p, o, tool, s) for p, o, tool, s in turns[:-1]] + [Turn(*turns[-1][:2])]
        entries.append((str(k), arrival, chain))
    sizes = [sum(t.prompt_tokens + t.output_tokens for t in chain) for _, _, chain in entries]
    batch, preemptive = draw(st.integers(1, 3)), draw(st.booleans())
    offload = 0 if preemptive else draw(st.sampled_from([0, max(sizes)]))
    server = Server(name=name, kv_capacity=sum(sizes) if preemptive else max(sizes) + draw(
                        st.integers(0, max(sizes))),
                    token_budget=batch + draw(st.integers(0, token_extra)), max_batch=batch,
                    a=a, b=b, c=c, e=e, preemptive=preemptive,
                    offload_capacity=offload, offload_bandwidth=bandwidth if offload else 0.0)
    return build_instance(entries, server)


ON_BOUNDARY = build_instance(  # 0.5 s iterations; b arrives, and a's tool returns, on their ends
    [("a", 0.0, [Turn(0, 40, "t", 1.5), Turn(3, 9)]), ("b", 2.0, [Turn(0, 7)])],
    Server(name="quarters", kv_capacity=100, token_budget=2, max_batch=2, a=0.25, b=0.25, c=0.25, e=0.0))


def _against(instance, reference):
    """(method, its result, its result on `reference` as the simulator) for every method."""
    for method in METHODS:
        fast = schedkit.solve(instance, method)
        with pytest.MonkeyPatch.context() as patch:
            for module in (serving_simulate, ttl_opt):
                patch.setattr(module, "simulator", lambda options: (reference, {}))
            slow = schedkit.solve(instance, method)
        yield method, fast, slow


@settings(max_examples=30, deadline=None)
@given(traces())
@example(ON_BOUNDARY)
def test_every_method_logs_what_the_stepwise_simulator_logs(instance):
    """Every method (ttl-opt's tuning included) on the kernel and on its Python twin stepping one
    iteration at a time: the same per-turn, cache-event and iteration logs, the same mean JCT."""
    for method, fast, slow in _against(instance, _twin(kernel.simulate, {"_steps": stepwise})):
        assert fast.solution.to_dict() == slow.solution.to_dict(), method
        assert fast.objective == slow.objective


def test_two_billion_iterations_take_a_few_clock_evaluations():
    """Two programs decoding 10^9 tokens twice (with a tool call between), side by side: over
    2·10^9 iterations cost under a thousand evaluations of the clock (each was summed: 5 s per
    10^9 iterations)."""
    calls = []

    def counted(*args):
        calls.append(1)
        return clock(*args)

    server = Server(name="huge", kv_capacity=5 * 10**9, token_budget=8192, max_batch=256,
                    a=0.00579, b=2.952e-05, c=2.952e-05, e=3.913e-08)
    turns = [Turn(100, 10**9, "bash", 1.0), Turn(50, 10**9)]
    x = build_instance([("a", 0.0, turns), ("b", 0.5, turns)], server, name="huge")
    for policy in (serving_simulate.Policy("request", "drop"), serving_simulate.Policy("program", "lru")):
        calls.clear()
        out = serving_simulate.run_kernel(x, policy, _twin(kernel.simulate, {"_clock": counted}))
        solution = serving_simulate.solution_of(out)
        assert int(np.asarray(solution.rows)[:, 2].sum()) >= 2 * 10**9
        assert len(calls) < 1000
        assert serving_simulate.conservation_errors(x, solution) == []


def one(now, step, e, context, grow, kmax, horizon):
    """The reference without runs: every iteration a row of its own, the batch chosen anew."""
    return 1


def never(now, *args):
    """The reference without las rotations (rotation.py): one iteration at a time there too."""
    return kernel.NO_RUN, np.empty(0, dtype=np.int64), 0, 0, 0.0, now


TURN_FIELDS = ("ready", "start", "finish", "prefilled", "reused", "reloaded", "pin_until")
binary = st.sampled_from([2.0**-4, 0.25, 1.0])
eighths = st.integers(0, 24).map(lambda k: k / 8.0)


@st.composite
def binary_traces(draw):
    """Traces whose every time is a binary fraction: sums in any order are exact."""
    programs = draw(st.lists(st.tuples(eighths, st.lists(st.tuples(
        st.integers(0, 200), st.integers(1, 200), st.sampled_from(["a", "b"]), eighths),
        min_size=1, max_size=3)), min_size=1, max_size=4))
    return _instance(draw, programs, "binary", 40, a=draw(st.sampled_from([0.0, 0.25])), b=draw(binary),
                     c=draw(binary), e=draw(st.sampled_from([0.0, 2.0**-12])), bandwidth=1024.0)


def _runs(rows: np.ndarray, single: np.ndarray) -> bool:
    """Each row of `rows` is `count` rows of one iteration in `single`: the same batch, times
    and memory, its context read spread over them, its reload in the first."""
    k = 0
    for start, end, count, prefill, decode, context, reload, memory in rows.tolist():
        part = single[k:k + int(count)]
        k += int(count)
        if len(part) != count or part[0, 0] != start or part[-1, 1] != end or part[:, 5].sum() != context:
            return False
        if np.any(part[:, 3] != prefill) or np.any(part[:, 4] != decode) or np.any(part[:, 7] != memory):
            return False
        if part[0, 6] != reload or np.any(part[1:, 6] != 0) or np.any(part[1:, 0] != part[:-1, 1]):
            return False
    return k == len(single)


@settings(max_examples=40, deadline=None)
@given(binary_traces())
@example(ON_BOUNDARY)
def test_every_method_serves_each_turn_as_iteration_by_iteration(instance):
    """Runs of iterations (preemptive servers' included) against a batch chosen every iteration:
    the same turns, cache events and mean JCT; each run is its iterations' rows, merged."""
    reference = _twin(kernel.simulate, {"_steps": one, "rotation_plan": never})
    for method, fast, slow in _against(instance, reference):
        left, right = fast.solution.to_dict(), slow.solution.to_dict()
        for key in (*TURN_FIELDS, "event_time", "event_program", "event_gpu", "event_kind"):
            assert left[key] == right[key], (method, key)
        assert np.all(np.asarray(slow.solution.rows)[:, 2] == 1)
        assert _runs(np.asarray(fast.solution.rows), np.asarray(slow.solution.rows)), method
        assert fast.objective == slow.objective


@pytest.mark.parametrize("method", METHODS)
def test_a_preemptive_server_logs_a_long_decode_in_a_few_rows(method):
    """A preemptive server chose its batch anew every iteration and logged each: a 10^6-token
    prompt and 10^6 decodes made 2·10^6 rows (10^8 ran out of memory, exit 3); one program
    after another now take a few."""
    server = Server(name="degenerate", kv_capacity=10**7, token_budget=1, max_batch=1,
                    a=0.0, b=1.0, c=1.0, e=0.0, preemptive=True)
    x = build_instance([("long", 0.0, [Turn(10**6, 10**6)]), ("short", 0.5, [Turn(2, 3)])], server)
    result = schedkit.solve(x, method)
    assert len(result.solution.rows) < 50 and result.stats["iterations"] == 2 * 10**6 + 5
    assert schedkit.check(x, result).feasible
