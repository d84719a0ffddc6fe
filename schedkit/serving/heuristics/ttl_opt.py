"""`ttl-opt`: tune the pin rule per tool on a warm-up prefix of the trace with the simulator,
then serve the whole trace: Continuum's rule until the warm-up ends, the tuned rule after.

Coordinate descent over a grid of pin limits and TTL scales, one tool at a time, starting from
Continuum's values; a move is kept only when it lowers the warm-up's mean JCT, so the tuned
rule is never worse than Continuum's on the warm-up itself. Tuning stops at 70 % of the time
limit, or earlier when the final pass (estimated from the first warm-up pass) needs the rest.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import numpy as np

from schedkit.errors import InvalidOption
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.serving.heuristics import kernel
from schedkit.serving.heuristics.policies import continuum_policy
from schedkit.serving.heuristics.simulate import Policy, mean_jct, run_kernel, serve, simulator
from schedkit.serving.model import ServingInstance

LIMITS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 30.0, 1e9)
SCALES = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
FINAL_PASS_MARGIN = 1.5  # the final pass (metrics and checks too) over a warm-up pass scaled by turns


def warmup_prefix(instance: ServingInstance, count: int) -> ServingInstance:
    """The first `count` programs by arrival, on the same server."""
    order = np.argsort(instance.arrival, kind="mergesort")[:count]
    ptr = instance.turn_ptr
    turns = np.concatenate([np.arange(ptr[i], ptr[i + 1]) for i in order])
    lengths = np.array([ptr[i + 1] - ptr[i] for i in order])
    return replace(
        instance, program_ids=tuple(instance.program_ids[i] for i in order),
        arrival=instance.arrival[order], turn_ptr=np.concatenate([[0], np.cumsum(lengths)]),
        prompt=instance.prompt[turns], output=instance.output[turns], tool=instance.tool[turns],
        tool_seconds=instance.tool_seconds[turns],  # keeps the name: errors name the user's trace
    )


def _score(instance: ServingInstance, policy: Policy, simulate: Any) -> float:
    out = run_kernel(instance, policy, simulate)
    return mean_jct(instance, out[2][instance.turn_ptr[1:] - 1])


def tune(warmup: ServingInstance, start: Policy, deadline: float, rounds: int = 2,
         simulate: Any = kernel.simulate, end: float = math.inf, reserve: float = 0.0
         ) -> tuple[Policy, int]:
    """Coordinate descent on (pin_limit, pin_scale) per tool; returns the policy and evaluations.
    It stops at `deadline`, or `reserve` times the first evaluation's time before `end`."""
    began = time.perf_counter()
    best, best_score, evaluations = start, _score(warmup, start, simulate), 1
    deadline = min(deadline, end - reserve * (time.perf_counter() - began))
    for _ in range(rounds):
        improved = False
        for k in range(len(start.pin_limit)):
            for field, grid in (("pin_limit", LIMITS), ("pin_scale", SCALES)):
                for value in grid:
                    if time.perf_counter() > deadline:
                        return best, evaluations
                    values = list(getattr(best, field))
                    if values[k] == value:
                        continue
                    values[k] = value
                    candidate = (replace(best, pin_limit=tuple(values)) if field == "pin_limit"
                                 else replace(best, pin_scale=tuple(values)))
                    score = _score(warmup, candidate, simulate)
                    evaluations += 1
                    if score < best_score - 1e-12:
                        best, best_score, improved = candidate, score, True
        if not improved:
            break
    return best, evaluations


@register("serving", "ttl-opt", exact=False,
          description="Continuum's rule re-tuned per tool on a warm-up prefix with the simulator",
          options={"warmup": 0.25, "rounds": 2})
def solve_ttl_opt(instance: ServingInstance, options: SolveOptions) -> Result:
    """Tune on the first `warmup` fraction of programs, then serve everything."""
    fraction = float(options.get("warmup"))
    if not 0 < fraction <= 1 or math.isnan(fraction):
        raise InvalidOption(f"ttl-opt: warmup = {fraction} must be in (0, 1]")
    rounds = int(options.get("rounds"))
    if rounds < 0:
        raise InvalidOption(f"ttl-opt: rounds = {rounds} must be >= 0 (0: Continuum's rule untuned)")
    count = max(1, int(round(fraction * instance.n)))
    base = continuum_policy(instance)
    simulation = simulator(options)
    simulate = simulation[0]
    deadline = options.deadline - 0.3 * (options.remaining() or 0.0)
    warmup = warmup_prefix(instance, count)
    reserve = FINAL_PASS_MARGIN * instance.turns / warmup.turns  # the whole trace's pass, estimated
    tuned, evaluations = tune(warmup, base, deadline, rounds, simulate, options.deadline, reserve)
    order = np.sort(instance.arrival)
    switch = float(order[count]) if count < instance.n else math.inf
    policy = replace(base, late_limit=tuned.pin_limit, late_scale=tuned.pin_scale,
                     switch_time=switch)
    return serve(instance, policy, options, simulation, warmup_programs=count, evaluations=evaluations,
                 tuned_pin_limit=list(tuned.pin_limit), tuned_pin_scale=list(tuned.pin_scale),
                 tools=list(instance.tools), switch_time=switch)
