"""SMTT heuristic methods as registered in schedkit: thin wrappers around the kernels."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from schedkit.deadline import offer_better, stop_flag
from schedkit.errors import InvalidOption
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.compiling import within_budget
from schedkit.smtt.heuristics import local as smtt_local
from schedkit.smtt.heuristics import rules as smtt_rules
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.heuristics.search import atc_best_k, best_rule, iterated_dynasearch
from schedkit.smtt.model import SMTTInstance, SMTTSolution

RULES_SHARE = 0.3  # of the time left: the descent methods' start rules (40,000 jobs: ATC's grid alone
# took over 60 s, and dynasearch started from the sorting rules)
Kernel = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
Stoppable = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def sequence_result(instance: SMTTInstance, sequence: np.ndarray, **stats: Any) -> Result:
    """A heuristic's Result; objective 0 is provably optimal (tardiness is never negative)."""
    value = int(weighted_tardiness(sequence, instance.p, instance.d, instance.w))
    return Result(
        status="optimal" if value == 0 else "feasible",
        objective=value,
        bound=0 if value == 0 else None,
        solution=SMTTSolution(sequence),
        stats={"workers": 1, **stats},
    )


def _stoppable(kernel: Stoppable) -> Kernel:
    """An O(n²) rule's kernel given the solve's stop flag."""
    return lambda p, d, w: kernel(p, d, w, stop_flag())


def _sorting_rule(name: str, kernel: Kernel, description: str) -> None:
    def method(instance: SMTTInstance, options: SolveOptions) -> Result:
        return sequence_result(instance, kernel(instance.p, instance.d, instance.w))

    method.__name__ = f"solve_{name}"
    method.__doc__ = description
    register("smtt", name, exact=False, description=description)(within_budget(exact=False)(method))


def _dispatch_rule(name: str, rule: int, augment: bool, description: str) -> None:
    def method(instance: SMTTInstance, options: SolveOptions) -> Result:
        sequence = smtt_rules.dispatch(instance.p, instance.d, instance.w, rule, 0.0, augment, stop_flag())
        return sequence_result(instance, sequence)

    method.__name__ = f"solve_{name.replace('-', '_')}"
    method.__doc__ = description
    register("smtt", name, exact=False, description=description)(within_budget(exact=False)(method))


_sorting_rule("edd", smtt_rules.edd, "earliest due date first")
_sorting_rule("spt", smtt_rules.spt, "shortest processing time first")
_sorting_rule("wspt", smtt_rules.wspt, "largest weight / processing time first (Smith)")
_sorting_rule("psk", _stoppable(smtt_rules.psk), "Panwalkar–Smith–Koulamas (1993) SPT-scan rule")
_sorting_rule("eddc", _stoppable(smtt_rules.eddc), "EDD challenger of Çetinkaya et al. (2025)")
_dispatch_rule("mdd", smtt_rules.MDD, False, "modified due date (Baker–Bertrand; weighted: Kanet–Li)")
_dispatch_rule("mddc", smtt_rules.MDDC, False, "MDD challenger of Çetinkaya et al. (2025)")
_dispatch_rule("mdd-aug", smtt_rules.MDD, True, "MDD with move-to-end augmentation")
_dispatch_rule("mddc-aug", smtt_rules.MDDC, True, "MDDC with move-to-end augmentation")


@register(
    "smtt", "atc", exact=False, options={"k": None},
    description="apparent tardiness cost; k=None tries k = 0.5..4.5 and keeps the best",
)
@within_budget(exact=False)
def solve_atc(instance: SMTTInstance, options: SolveOptions) -> Result:
    """ATC with look-ahead `k`; the default searches the grid 0.5, 1.0, ..., 4.5."""
    k = options.get("k")
    if k is None:
        sequence, k = atc_best_k(instance.p, instance.d, instance.w, options.deadline)
    else:
        if not (isinstance(k, int | float) and k > 0):
            raise InvalidOption(f"ATC look-ahead k must be positive, got {k!r}")
        sequence = smtt_rules.dispatch(instance.p, instance.d, instance.w, smtt_rules.ATC, float(k), False,
                                       stop_flag())
    return sequence_result(instance, sequence, k=float(k))


def _offered_start(instance: SMTTInstance, options: SolveOptions) -> tuple[np.ndarray, str]:
    """The best rule's sequence, offered to the guard: a descent step of a few thousand jobs
    runs for seconds and never looks at the clock (n = 5000: `unknown` at 10 s without it). The
    rules get RULES_SHARE of the time left, so that the descent has the rest."""
    now = time.perf_counter()
    start, rule = best_rule(instance.p, instance.d, instance.w, now + RULES_SHARE * (options.deadline - now))
    offer_better(sequence_result(instance, start.copy(), start=rule, offered="the best rule's sequence"))
    return start, rule


def _descent(name: str, kernel: Callable[..., int], description: str) -> None:
    def method(instance: SMTTInstance, options: SolveOptions) -> Result:
        start, rule = _offered_start(instance, options)
        sequence = start.copy()
        kernel(sequence, instance.p, instance.d, instance.w, stop_flag())
        return sequence_result(instance, sequence, start=rule)

    method.__name__ = f"solve_{name}"
    method.__doc__ = description
    register("smtt", name, exact=False, description=description)(within_budget(exact=False)(method))


_descent("api", smtt_local.adjacent_interchange, "adjacent pairwise interchange descent from the best rule")
_descent("insertion", smtt_local.insertion, "insertion descent from the best rule")

DYNASEARCH_ITERATIONS = 40  # with kick 6: under 0.1 % mean gap at n = 100 (benchmarks/reports)
MAX_KICK = 1000  # swaps per kick: more only scrambles the sequence, and the kernel never looks at the clock


@register(
    "smtt", "dynasearch", exact=False, options={"iterations": None, "kick": 6},
    description="iterated dynasearch (swap + insertion moves) from the best rule",
)
@within_budget(exact=False)
def solve_dynasearch(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Iterated dynasearch: `iterations` kicks (default 40) of `kick` swaps; a time limit may
    stop it sooner."""
    iterations = options.get("iterations")
    iterations = DYNASEARCH_ITERATIONS if iterations is None else iterations
    if iterations < 0:
        raise InvalidOption(f"dynasearch: iterations must be 0 or more, got {iterations}")
    if not 0 <= options.get("kick") <= MAX_KICK:  # a kernel loop no deadline stops
        raise InvalidOption(f"dynasearch: kick must be a number of swaps from 0 to {MAX_KICK}, "
                            f"got {options.get('kick')}")
    start, rule = _offered_start(instance, options)

    def improved(sequence: np.ndarray) -> None:
        offered = sequence_result(instance, sequence.copy(), start=rule, offered="the descent's best so far")
        offer_better(offered)

    sequence, _, done = iterated_dynasearch(
        instance.p, instance.d, instance.w, start, int(iterations), options.seed,
        options.deadline, kick=int(options.get("kick")), improved=improved,
    )
    return sequence_result(instance, sequence, start=rule, iterations=done)
