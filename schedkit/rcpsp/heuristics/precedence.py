"""Precedence steps every schedule generation scheme takes (numba): the activities with no
predecessor, and the earliest start its scheduled predecessors allow."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def first_eligible(pred_ptr):  # type: ignore[no-untyped-def]
    """(predecessors left per activity, the activities with none first in a buffer of n, their count)."""
    n = pred_ptr.size - 1
    left = np.empty(n, dtype=np.int64)
    candidates = np.empty(n, dtype=np.int64)
    m = 0
    for j in range(n):
        left[j] = pred_ptr[j + 1] - pred_ptr[j]
        if left[j] == 0:
            candidates[m] = j
            m += 1
    return left, candidates, m


@njit(cache=True, nogil=True)
def precedence_ready(start, d, pred_ptr, pred_idx, j):  # type: ignore[no-untyped-def]
    """The latest finish among `j`'s predecessors (all scheduled), 0 without any."""
    t = 0
    for a in range(pred_ptr[j], pred_ptr[j + 1]):
        i = pred_idx[a]
        if start[i] + d[i] > t:
            t = start[i] + d[i]
    return t
