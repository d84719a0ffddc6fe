"""`auto` for serving: the deployable policies on the trace, best mean JCT kept.

Each single-pass policy is one simulation that cannot stop early, so the next one starts only
while the budget holds it (judged by the longest pass so far); `ttl-opt`, which tunes on a warm-up
prefix with many simulations, gets what is left when that is at least TTL_OPT_PASSES passes.
`srpt` is left out: it knows every program's future turns, which no server does.
"""

from __future__ import annotations

import math
import time

from schedkit.common.auto import run_method
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.serving.model import ServingInstance

AUTO_DEFAULT_TIME_LIMIT = 30.0
SINGLE_PASS = ("continuum", "program-fcfs", "las", "fcfs-lru", "fcfs")  # the first always runs
PASS_MARGIN = 1.5  # a further pass starts while this many times the longest pass so far are left
TTL_OPT_PASSES = 10.0  # ttl-opt starts while this many times the longest pass are left


def _jct(result: Result) -> float:
    """A policy's mean JCT (every serving result has one; none would rank last)."""
    return math.inf if result.objective is None else float(result.objective)


@register("serving", "auto", exact=False,
          description="the deployable policies (continuum, program-fcfs, las, fcfs-lru, fcfs, then ttl-opt) "
                      f"within the budget (default {AUTO_DEFAULT_TIME_LIMIT:g} s), best mean JCT kept")
def solve_auto(instance: ServingInstance, options: SolveOptions) -> Result:
    """Try the policies while the budget lasts; `stats["chosen"]` names the best, `stats["tried"]`
    gives every tried policy's mean JCT."""
    limit = options.time_limit if options.time_limit is not None else AUTO_DEFAULT_TIME_LIMIT
    deadline = options.started + limit
    tried: dict[str, Result] = {}
    one_pass = 0.0
    for name in SINGLE_PASS:
        if tried and time.perf_counter() + PASS_MARGIN * one_pass > deadline:
            break
        began = time.perf_counter()
        tried[name] = run_method("serving", name, instance, options, limit)
        one_pass = max(one_pass, time.perf_counter() - began)  # the whole run: metrics and checks too
    if len(tried) == len(SINGLE_PASS) and time.perf_counter() + TTL_OPT_PASSES * one_pass <= deadline:
        tried["ttl-opt"] = run_method("serving", "ttl-opt", instance, options, limit)
    chosen = min(tried, key=lambda name: _jct(tried[name]))
    best = tried[chosen]
    summary = ", ".join(f"{name} {result.objective:.3f}" for name, result in tried.items())
    return best.with_context(stats={**best.stats, "chosen": chosen, "tried": summary})
