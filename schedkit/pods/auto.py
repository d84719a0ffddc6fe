"""`auto` for pods: CP-SAT (warm-started from kube-default, 10 s unless told otherwise) when the
model is of a size it builds quickly, kube-default beyond."""

from __future__ import annotations

from schedkit.common.auto import run_plan
from schedkit.pods.model import PodsInstance
from schedkit.registry import SolveOptions, register
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
    """Pick by size (kube-default when cpsat refuses); `stats["chosen"]` says what ran."""
    pairs = instance.allowed_pairs()
    candidates = ("cpsat", "kube-default") if pairs <= CPSAT_MAX_PAIRS else ("kube-default",)
    return run_plan("pods", instance, options, candidates, AUTO_DEFAULT_TIME_LIMIT)
