"""`auto` for pods: CP-SAT (warm-started from kube-default, 10 s unless told otherwise) when the
model is of a size it builds quickly, kube-default beyond."""

from __future__ import annotations

from dataclasses import replace

from schedkit.errors import ProblemTooLarge
from schedkit.pods.model import PodsInstance
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result

AUTO_DEFAULT_TIME_LIMIT = 10.0
CPSAT_MAX_PAIRS = 200_000  # pod-node pairs; beyond, building the model eats a short budget


@register(
    "pods",
    "auto",
    exact=True,
    description=f"cpsat up to {CPSAT_MAX_PAIRS:,} pod-node pairs (default budget "
    f"{AUTO_DEFAULT_TIME_LIMIT:g} s), kube-default beyond",
)
def solve_auto(instance: PodsInstance, options: SolveOptions) -> Result:
    """Pick by size; the choice is recorded in `stats["chosen"]`."""
    pairs = int(instance.allowed().sum())
    chosen = "cpsat" if pairs <= CPSAT_MAX_PAIRS else "kube-default"
    limit = options.time_limit if options.time_limit is not None else AUTO_DEFAULT_TIME_LIMIT
    try:
        result = _run(instance, options, chosen, limit)
    except ProblemTooLarge:
        chosen = "kube-default"
        result = _run(instance, options, chosen, limit)
    return result.with_context(stats={**result.stats, "chosen": chosen})


def _run(instance: PodsInstance, options: SolveOptions, name: str, limit: float | None) -> Result:
    method = lookup("pods", name)
    return method.function(instance, replace(options, time_limit=limit, extra=dict(method.options)))
