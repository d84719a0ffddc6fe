"""Numba kernels shared by SMTT heuristics and solvers: objective of a sequence, stable orders.

Solvers evaluate their own sequences with these; the checker never does (it recomputes
independently in Python).
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit


@njit(cache=True, nogil=True)
def weighted_tardiness(sequence, p, d, w):  # pragma: no cover - compiled
    """Σ w[j]·max(0, C[j] − d[j]) for jobs processed in `sequence` order from time 0."""
    time = 0
    total = 0
    for k in range(sequence.size):
        j = sequence[k]
        time += p[j]
        late = time - d[j]
        if late > 0:
            total += w[j] * late
    return total


@njit(cache=True, nogil=True)
def order_by(primary, secondary):  # pragma: no cover - compiled
    """Indices sorted by `primary`, then `secondary`, then index (two stable sorts)."""
    first = np.argsort(secondary, kind="mergesort")
    second = np.argsort(primary[first], kind="mergesort")
    return first[second]

