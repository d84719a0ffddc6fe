"""The best of the EDD, SPT and WSPT orders by numpy sorts alone (no kernel, no solver): what an
SMTT solve answers before its methods' modules or kernels are loaded.

`early_plan` is the family's plan that `schedkit.solve` hands the hard deadline before importing
the methods (numba's import alone can outlast a 0.1 s limit in a fresh process); methods offer
the same (`compiling.within_budget`, `auto`), so the orders are sorted once per instance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.common.finish import finish
from schedkit.result import Result
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.model import SMTTInstance, SMTTSolution

OFFERED = "the best of the EDD, SPT and WSPT orders, before the method's own answer"
_last: tuple[SMTTInstance, np.ndarray, int] | None = None  # the last instance sorted, its order and value


def sorting_rules(instance: SMTTInstance) -> list[np.ndarray]:
    """EDD, SPT and WSPT (largest w/p first, zero weights last) by numpy sorts alone, ties broken
    as the compiled rules break them (EDD by p, SPT and WSPT by d, then the index)."""
    jobs = np.arange(instance.n)
    p, d, w = instance.p, instance.d, instance.w
    ratio = np.where(w > 0, p / np.maximum(w, 1), np.inf)
    return [np.lexsort(keys).astype(np.int64) for keys in ((jobs, p, d), (jobs, d, p), (jobs, d, ratio))]


def _tardiness(instance: SMTTInstance, sequence: np.ndarray) -> int:
    completion = np.cumsum(instance.p[sequence])
    return int(np.sum(instance.w[sequence] * np.maximum(0, completion - instance.d[sequence])))


def best_sorting_rule(instance: SMTTInstance) -> tuple[np.ndarray, int]:
    """The best of the EDD, SPT and WSPT orders (numpy alone) and its objective (the last
    instance's is kept: a copy of it comes back)."""
    global _last
    last = _last
    if last is None or last[0] is not instance:
        sequence = min(sorting_rules(instance), key=lambda order: _tardiness(instance, order))
        last = _last = (instance, sequence, _tardiness(instance, sequence))
    return last[1].copy(), last[2]


def sorting_result(instance: SMTTInstance, exact: bool, stats: dict[str, Any]) -> Result:
    """The best of EDD, SPT and WSPT from numpy alone (no kernel), as `feasible` (for exact
    methods with `bounds.cheap_bound`; `optimal` at objective 0 or when the bound meets it)."""
    sequence, objective = best_sorting_rule(instance)
    if exact:
        return finish(objective, cheap_bound(instance), False, SMTTSolution(sequence), stats)
    return Result("optimal" if objective == 0 else "feasible", objective,
                  0 if objective == 0 else None, SMTTSolution(sequence), stats)


def early_plan(instance: SMTTInstance) -> Result:
    """`sorting_result` with the cheap bound, for any method (`Family.early_plan`)."""
    return sorting_result(instance, True, {"workers": 1, "offered": OFFERED})
