"""Online serving policies (no knowledge of the future): fcfs, fcfs-lru, program-fcfs, continuum, las."""

from __future__ import annotations

from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.serving.heuristics.simulate import Policy, per_tool, serve
from schedkit.serving.model import ServingInstance

# Continuum's rule as we state it (docs/families/serving.md): pin when the tool's predicted
# duration is at most 2 s, the limit growing by 10 % per turn done; TTL 1.5x the prediction.
CONTINUUM_LIMIT = 2.0
CONTINUUM_SCALE = 1.5


def continuum_policy(instance: ServingInstance) -> Policy:
    """Program-level FCFS with Continuum's tool-aware TTL pinning."""
    tools = max(len(instance.tools), 1)
    return Policy(order="program", cache="ttl", pin_limit=per_tool(CONTINUUM_LIMIT, tools),
                  pin_scale=per_tool(CONTINUUM_SCALE, tools))


@register("serving", "fcfs", exact=False,
          description="request-level FCFS, KV cache freed when a turn ends (vLLM default)")
def solve_fcfs(instance: ServingInstance, options: SolveOptions) -> Result:
    """Request-level first come first served; every turn re-prefills its context."""
    return serve(instance, Policy(order="request", cache="drop"), options)


@register("serving", "fcfs-lru", exact=False,
          description="request-level FCFS, prefix cache kept until memory pressure (LRU)")
def solve_fcfs_lru(instance: ServingInstance, options: SolveOptions) -> Result:
    """Request-level FCFS with an LRU prefix cache."""
    return serve(instance, Policy(order="request", cache="lru"), options)


@register("serving", "program-fcfs", exact=False,
          description="program-level FCFS (earliest program arrival first), LRU prefix cache")
def solve_program_fcfs(instance: ServingInstance, options: SolveOptions) -> Result:
    """Program-level first come first served."""
    return serve(instance, Policy(order="program", cache="lru"), options)


@register("serving", "continuum", exact=False,
          description="Continuum: program-level FCFS + KV pinning with a tool-aware time-to-live")
def solve_continuum(instance: ServingInstance, options: SolveOptions) -> Result:
    """Li et al. 2025, as approximated in the docs."""
    return serve(instance, continuum_policy(instance), options)


@register("serving", "las", exact=False,
          description="program-level least attained service (Autellix PLAS), LRU prefix cache")
def solve_las(instance: ServingInstance, options: SolveOptions) -> Result:
    """Least attained service (tokens processed so far by the program) first."""
    return serve(instance, Policy(order="las", cache="lru"), options)
