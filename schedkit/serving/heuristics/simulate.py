"""Run a policy through the simulator kernel and turn the logs into a Result with the metrics.

A policy is data: the order in which waiting requests join the batch (`order`), what happens
to a program's KV cache when a turn ends in a tool call (`cache`), and, for TTL pinning, per-tool
limits and scales (see `Policy`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from schedkit.common.compile import compile_until, python_twin, wait_until
from schedkit.common.numbers import MAX_VALUE
from schedkit.errors import InvalidInstance, ProblemTooLarge
from schedkit.registry import SolveOptions
from schedkit.result import Result
from schedkit.serving.heuristics import kernel
from schedkit.serving.model import ServingInstance, ServingSolution, Turn, build_instance
from schedkit.serving.presets import DEFAULT

ORDERS = {"request": kernel.ORDER_REQUEST_ARRIVAL, "program": kernel.ORDER_PROGRAM_ARRIVAL,
          "las": kernel.ORDER_LEAST_ATTAINED, "srpt": kernel.ORDER_SHORTEST_REMAINING}
CACHES = {"drop": kernel.CACHE_DROP, "lru": kernel.CACHE_LRU, "ttl": kernel.CACHE_TTL}
MAX_TIME = float(MAX_VALUE)  # seconds: every number of the log lies below 2^62
PYTHON_NOTE = ("the numba simulator was still compiling: it ran as plain Python (the same "
               "result, slower)")


@dataclass(frozen=True)
class Policy:
    """Batch order, cache rule and TTL rule.

    With cache "ttl", a cache is pinned after a turn calling tool k when the tool's predicted
    duration (moving average, weight `ema_alpha`, prior `ema_prior` s) is at most
    `pin_limit[k]·(1 + turn_weight·turns done)`; it stays pinned for
    min(`pin_scale[k]`·prediction, `ttl_cap`) seconds, then is an ordinary LRU entry. From
    `switch_time` on, `late_limit` / `late_scale` replace them (ttl-opt's tuned rule).
    """

    order: str = "request"
    cache: str = "drop"
    pin_limit: tuple[float, ...] = ()
    pin_scale: tuple[float, ...] = ()
    late_limit: tuple[float, ...] | None = None
    late_scale: tuple[float, ...] | None = None
    switch_time: float = math.inf
    ttl_cap: float = 30.0
    turn_weight: float = 0.1
    ema_alpha: float = 0.3
    ema_prior: float = 1.0


def per_tool(value: float, tools: int) -> tuple[float, ...]:
    """The same value for every tool."""
    return tuple([float(value)] * tools)


def simulator(options: SolveOptions) -> tuple[Any, dict[str, Any]]:
    """(the simulator, stats): the compiled kernel when it is ready within max(1 s, 20 % of
    the limit), else its Python twin while the compilation goes on (a cold numba cache)."""
    ready, waited = compile_until("serving", _warm, wait_until(options))
    stats: dict[str, Any] = {"compile_seconds": round(waited, 3)}
    if ready:
        return kernel.simulate, stats
    return python_twin(kernel.simulate), {**stats, "compiling": True, "note": PYTHON_NOTE}


def _warm() -> None:
    """The simulator once on a one-program trace with a tool call (compiles or loads it)."""
    turns = (Turn(20, 5, "tool", 0.5), Turn(10, 5))
    run_kernel(build_instance([("p", 0.0, turns)], DEFAULT, "warm-up"), Policy(cache="ttl"))


def run_kernel(instance: ServingInstance, policy: Policy,
               simulate: Any = kernel.simulate) -> tuple[Any, ...]:
    """The raw simulator output for `policy` on `instance`."""
    s = instance.server
    tools = max(len(instance.tools), 1)
    limit = np.array(policy.pin_limit or per_tool(0.0, tools), dtype=np.float64)
    scale = np.array(policy.pin_scale or per_tool(0.0, tools), dtype=np.float64)
    late_limit = limit if policy.late_limit is None else np.array(policy.late_limit, dtype=np.float64)
    late_scale = scale if policy.late_scale is None else np.array(policy.late_scale, dtype=np.float64)
    try:
        out = simulate(
            instance.arrival, np.argsort(instance.arrival, kind="stable"), instance.turn_ptr,
            instance.prompt, instance.output, instance.tool,
            instance.tool_seconds, s.kv_capacity, s.token_budget, s.max_batch, s.a, s.b, s.c, s.e,
            s.offload_capacity, max(s.offload_bandwidth, 1e-300), s.preemptive,
            ORDERS[policy.order], CACHES[policy.cache], limit, scale, late_limit, late_scale,
            float(policy.switch_time), float(policy.ttl_cap), float(policy.turn_weight),
            float(policy.ema_alpha), float(policy.ema_prior),
        )
    except MemoryError:  # the iteration log grows as it goes: its size is known only then
        turns = " (las re-chooses its batch every iteration: a row each while a waiting request prefills)" \
            if s.preemptive and policy.order == "las" else ""
        raise ProblemTooLarge(f"{instance.name}: the simulator's log of {instance.turns} LLM calls on "
                              f"server {s.name} does not fit in memory{turns}") from None
    if out[-1] != kernel.STATUS_OK:
        raise RuntimeError(f"{instance.name}: the simulator found no request it could serve "
                           "(a bug: please report the trace and server)")  # exit 3, not bad input
    _times_in_range(instance, out)
    return out


def _times_in_range(instance: ServingInstance, out: tuple[Any, ...]) -> None:
    """InvalidInstance when a simulated time is not finite or reaches 2^62 s (the limit of every
    number, which the checker holds the log to): the server is out of scale for the trace; or
    when a row's cached tokens read reach 2^62: the trace's contexts and decodes are."""
    rows = np.asarray(out[13], dtype=np.float64).reshape(-1, kernel.ROW_COLUMNS)
    for times in (*out[:3], out[8], out[9], np.delete(rows, kernel.ROW_CONTEXT, axis=1)):
        values = np.asarray(times, dtype=np.float64)
        if values.size and not (np.all(np.isfinite(values)) and np.abs(values).max() < MAX_TIME):
            s = instance.server
            raise InvalidInstance(
                f"{instance.name}: on server {s.name} the simulated times pass 2^62 s: its "
                f"iteration times (a = {s.a:g}, b = {s.b:g}, c = {s.c:g}, e = {s.e:g} s) or "
                f"offload bandwidth ({s.offload_bandwidth:g} tokens/s) are out of scale")
    if len(rows) and not rows[:, kernel.ROW_CONTEXT].max() < MAX_TIME:
        k = int(np.argmax(rows[:, kernel.ROW_CONTEXT]))
        raise InvalidInstance(
            f"{instance.name}: a run of {rows[k, 2]:.0f} iterations of one batch reads "
            f"{rows[k, kernel.ROW_CONTEXT]:.3g} cached tokens in all, beyond 2^62 (the limit of every "
            "number of the log): the trace's contexts and decodes are out of scale")


def solution_of(out: tuple[Any, ...]) -> ServingSolution:
    """The kernel output as the event log."""
    names = ("ready", "start", "finish", "prefilled", "reused", "reloaded", "first_row",
             "last_row", "pin_until")
    return ServingSolution(turn_log=dict(zip(names, out[:9], strict=True)), event_time=out[9],
                           event_program=out[10], event_gpu=out[11], event_kind=out[12],
                           rows=out[13])


def mean_jct(instance: ServingInstance, finish_times: np.ndarray) -> float:
    """Mean over programs of (last token time - arrival), summed exactly."""
    jct = finish_times - instance.arrival
    return math.fsum(jct.tolist()) / instance.n


def metrics(instance: ServingInstance, solution: ServingSolution) -> dict[str, Any]:
    """JCT mean/p50/p95/p99, throughput, re-prefilled tokens, KV hit rate, GPU busy fraction."""
    log = solution.turn_log
    jct = solution.program_finish(instance.turn_ptr) - instance.arrival
    first = np.zeros(instance.turns, dtype=bool)
    first[instance.turn_ptr[:-1]] = True
    needed = (np.asarray(log["prefilled"]) - instance.prompt + np.asarray(log["reused"])
              + np.asarray(log["reloaded"]))[~first]
    hits = (np.asarray(log["reused"]) + np.asarray(log["reloaded"]))[~first]
    reprefilled = int((np.asarray(log["prefilled"]) - instance.prompt).sum())
    rows = np.asarray(solution.rows)
    span = float(np.max(jct + instance.arrival) - instance.arrival.min())
    busy = math.fsum((rows[:, 1] - rows[:, 0]).tolist()) if len(rows) else 0.0
    return {
        "jct_mean": mean_jct(instance, jct + instance.arrival),
        "jct_p50": float(np.percentile(jct, 50)),
        "jct_p95": float(np.percentile(jct, 95)),
        "jct_p99": float(np.percentile(jct, 99)),
        "throughput": instance.n / span if span > 0 else math.inf,
        "token_throughput": float((instance.prompt + instance.output).sum()) / span if span > 0
        else math.inf,
        "reprefilled_tokens": reprefilled,
        "kv_hit_rate": float(hits.sum() / needed.sum()) if needed.sum() > 0 else 1.0,
        "gpu_busy_fraction": busy / span if span > 0 else 0.0,
        "llm_calls": instance.turns,
        "iterations": int(rows[:, 2].sum()) if len(rows) else 0,
        "pinned_turns": int((np.asarray(log["pin_until"]) >= 0).sum()),
    }


def conservation_errors(instance: ServingInstance, solution: ServingSolution) -> list[str]:
    """Cheap totals every run asserts: tokens prefilled and decoded once (plus the re-prefills
    the log counts), every request served after it exists, memory within capacity."""
    log, rows = solution.turn_log, np.asarray(solution.rows)
    context = np.asarray(log["prefilled"]) - instance.prompt + np.asarray(log["reused"]) \
        + np.asarray(log["reloaded"])
    errors = []
    if int((rows[:, 2] * rows[:, 3]).sum()) != int(np.asarray(log["prefilled"]).sum()):
        errors.append("prefilled tokens differ between iterations and turns")
    if int((rows[:, 2] * rows[:, 4]).sum()) != int(instance.output.sum()):
        errors.append("decoded tokens differ from the trace's output tokens")
    if np.any(context < 0) or np.any(np.asarray(log["start"]) < np.asarray(log["ready"])):
        errors.append("a request was served before it existed or prefilled too little")
    if len(rows) and rows[:, 7].max() > instance.server.kv_capacity:
        errors.append("GPU memory above capacity")
    return errors


def serve(instance: ServingInstance, policy: Policy, options: SolveOptions,
          simulation: tuple[Any, dict[str, Any]] | None = None, **stats: Any) -> Result:
    """Simulate `policy`; objective = mean JCT (no bound: status feasible). `simulation`: the
    (simulator, stats) a caller already has from `simulator(options)`."""
    simulate, compile_stats = simulator(options) if simulation is None else simulation
    started = time.perf_counter()
    solution = solution_of(run_kernel(instance, policy, simulate))
    elapsed = time.perf_counter() - started
    errors = conservation_errors(instance, solution)
    if errors:
        raise RuntimeError(f"{instance.name}: simulator bug, {'; '.join(errors)}")  # exit 3
    values = metrics(instance, solution)
    return Result(status="feasible", objective=values["jct_mean"], bound=None, solution=solution,
                  stats={**values, "simulate_seconds": elapsed, "workers": 1, **compile_stats,
                         **stats})
