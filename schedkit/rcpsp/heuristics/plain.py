"""The RCPSP path without numba: what a method uses while its kernels still compile.

On a cold numba cache a process's first RCPSP call compiles the SGS kernels (about 10 s), so a
short time limit used to end `unknown`. Until the kernels are ready, methods use these instead:
the precedence windows run the kernels' own Python code (`py_func`; they call no other
kernel), and the schedule is one serial SGS pass with the LFT rule over a time-indexed usage
table in numpy.
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from schedkit.rcpsp.heuristics import kernels as rcpsp_kernels
from schedkit.rcpsp.model import RCPSPInstance

kernels: Any = rcpsp_kernels
MAX_CELLS = 20_000_000  # horizon x resources of the usage table (160 MB of int64)


def _compiled_or_python(kernel: Any) -> Any:
    """The kernel when this process has compiled it, else its Python code (never compiles)."""
    return kernel if kernel.signatures else kernel.py_func


def earliest_starts(instance: RCPSPInstance) -> np.ndarray:
    """Precedence-only earliest starts."""
    return _compiled_or_python(kernels.earliest_starts)(
        instance.order, instance.durations, instance.pred_ptr, instance.pred_idx)


def latest_starts(instance: RCPSPInstance, horizon: int) -> np.ndarray:
    """Precedence-only latest starts that finish everything by `horizon`."""
    return _compiled_or_python(kernels.latest_starts)(
        instance.order, instance.durations, instance.succ_ptr, instance.succ_idx, horizon)


def makespan(start: np.ndarray, durations: np.ndarray) -> int:
    """max_j start[j] + d[j] (0 for an empty project)."""
    return int((start + durations).max()) if durations.size else 0


def serial_lft(instance: RCPSPInstance) -> np.ndarray | None:
    """Starts of one serial SGS pass, eligible activities by latest finish time (then index);
    None when the usage table (Σd x resources) would exceed MAX_CELLS."""
    d, q, c = instance.durations, instance.demands, instance.capacities
    horizon = int(d.sum())
    if (horizon + 1) * max(1, c.size) > MAX_CELLS:
        return None
    finish_by = latest_starts(instance, horizon) + d
    usage = np.zeros((horizon + 1, c.size), dtype=np.int64)
    start = np.zeros(instance.n, dtype=np.int64)
    left = np.diff(instance.pred_ptr).tolist()
    eligible = [(int(finish_by[j]), j) for j in range(instance.n) if left[j] == 0]
    heapq.heapify(eligible)
    while eligible:
        _, j = heapq.heappop(eligible)
        preds = instance.pred_idx[instance.pred_ptr[j]:instance.pred_ptr[j + 1]]
        t = int((start[preds] + d[preds]).max()) if preds.size else 0
        length = int(d[j])
        if length > 0 and q[j].any():
            while True:  # jump past the last period in the window where j does not fit
                clash = np.flatnonzero(np.any(usage[t:t + length] + q[j] > c, axis=1))
                if clash.size == 0:
                    break
                t += int(clash[-1]) + 1
            usage[t:t + length] += q[j]
        start[j] = t
        for s in instance.succ_idx[instance.succ_ptr[j]:instance.succ_ptr[j + 1]].tolist():
            left[s] -= 1
            if left[s] == 0:
                heapq.heappush(eligible, (int(finish_by[s]), s))
    return start
