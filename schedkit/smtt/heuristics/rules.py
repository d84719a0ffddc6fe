"""SMTT dispatching rules as numba kernels over (p, d, w) arrays; each returns a sequence.

Sorting rules: EDD, SPT, WSPT. Dynamic rules (one kernel, `dispatch`, with the rule as a
small priority function): MDD (Baker & Bertrand 1982, weighted as in Kanet & Li 2004),
ATC (Vepsalainen & Morton 1987), MDDC (Çetinkaya et al. 2025). Their own kernels: PSK
(Panwalkar, Smith & Koulamas 1993) and EDDC (Çetinkaya et al. 2025). Every dynamic rule
can be augmented: after each append, move an earlier job to the end when that lowers the
tardiness of the partial sequence (Bean & Hall).

The O(n²) and O(n³) kernels poll `stop` (a one-element uint8 array, `deadline.stop_flag`): once
it is 1 they end early with the jobs not placed yet appended in index order (still a sequence).

Ties go to the shorter job, then the earlier due date, then the lower index.
"""

from __future__ import annotations

import math

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.smtt.heuristics.kernels import order_by

MDD = 0
ATC = 1
MDDC = 2


@njit(cache=True, nogil=True)
def edd(p, d, w):  # pragma: no cover - compiled
    """Earliest due date first."""
    return order_by(d, p)


@njit(cache=True, nogil=True)
def spt(p, d, w):  # pragma: no cover - compiled
    """Shortest processing time first."""
    return order_by(p, d)


@njit(cache=True, nogil=True)
def wspt(p, d, w):  # pragma: no cover - compiled
    """Largest w/p first (Smith's rule); zero-weight jobs last."""
    ratio = np.empty(p.size)
    for j in range(p.size):
        ratio[j] = p[j] / w[j] if w[j] > 0 else np.inf
    return order_by(ratio, d.astype(np.float64))


@njit(cache=True, nogil=True)
def _priority(rule, j, t, p, d, w, mean_p, max_p, k):  # pragma: no cover - compiled
    """Priority of job j at time t; the dispatcher picks the smallest."""
    if rule == MDD:
        if w[j] == 0:
            return np.inf
        return max(p[j], d[j] - t) / w[j]
    if rule == ATC:
        if w[j] == 0:
            return np.inf
        slack = max(d[j] - p[j] - t, 0)
        return -(math.log(w[j] / p[j]) - slack / (k * mean_p))
    # MDDC
    rho = min(p[j] / (t + max_p), 1.0)
    rho2 = rho * rho
    return max(1.1 * p[j] + t, d[j]) * (1.0 + rho2 / (1.0 + rho2)) + p[j] / (t + mean_p)


@njit(cache=True, nogil=True)
def _better(j, i, p, d):  # pragma: no cover - compiled
    """Tie-break: is job j preferred to job i (shorter, then earlier due, then lower index)?"""
    if p[j] != p[i]:
        return p[j] < p[i]
    if d[j] != d[i]:
        return d[j] < d[i]
    return j < i


@njit(cache=True, nogil=True)
def _fill_rest(sequence, m, scheduled):  # pragma: no cover - compiled
    """Positions m.. get the jobs not scheduled yet, in index order."""
    for j in range(scheduled.size):
        if not scheduled[j]:
            sequence[m] = j
            m += 1
    return sequence


@njit(cache=True, nogil=True)
def _move_to_end(sequence, m, p, d, w, stop):  # pragma: no cover - compiled
    """Augmentation on sequence[:m+1]: apply the best 'move an earlier job to the end' while
    it lowers the partial weighted tardiness (until `stop` is raised)."""
    while True:
        completion = np.empty(m + 1, dtype=np.int64)
        time = 0
        for k in range(m + 1):
            time += p[sequence[k]]
            completion[k] = time
        best_delta = 0
        best_q = -1
        for q in range(m):
            if stop[0]:
                return
            job = sequence[q]
            delta = w[job] * (max(0, time - d[job]) - max(0, completion[q] - d[job]))
            for k in range(q + 1, m + 1):
                other = sequence[k]
                delta += w[other] * (
                    max(0, completion[k] - p[job] - d[other]) - max(0, completion[k] - d[other])
                )
            if delta < best_delta:
                best_delta = delta
                best_q = q
        if best_q < 0:
            return
        job = sequence[best_q]
        for k in range(best_q, m):
            sequence[k] = sequence[k + 1]
        sequence[m] = job


@njit(cache=True, nogil=True)
def dispatch(p, d, w, rule, k, augment, stop):  # pragma: no cover - compiled
    """Build a sequence by repeatedly appending the unscheduled job of smallest priority."""
    n = p.size
    sequence = np.empty(n, dtype=np.int64)
    scheduled = np.zeros(n, dtype=np.bool_)
    remaining_p = 0
    for j in range(n):
        remaining_p += p[j]
    t = 0
    for m in range(n):
        if stop[0]:
            return _fill_rest(sequence, m, scheduled)
        mean_p = remaining_p / (n - m)
        max_p = 0
        for j in range(n):
            if not scheduled[j] and p[j] > max_p:
                max_p = p[j]
        best = -1
        best_value = np.inf
        for j in range(n):
            if scheduled[j]:
                continue
            value = _priority(rule, j, t, p, d, w, mean_p, max_p, k)
            if best < 0 or value < best_value or (value == best_value and _better(j, best, p, d)):
                best = j
                best_value = value
        sequence[m] = best
        scheduled[best] = True
        t += p[best]
        remaining_p -= p[best]
        if augment:
            _move_to_end(sequence, m, p, d, w, stop)
    return sequence


@njit(cache=True, nogil=True)
def psk(p, d, w, stop):  # pragma: no cover - compiled
    """PSK: scan the unscheduled jobs in SPT order, the first one active; a later job j takes
    over when d[active] > max(d[j], t + p[j]) (Emmons' condition fails for the active job);
    a late active job is kept at once. The active job at the end of the scan goes next."""
    n = p.size
    order = order_by(p, d)
    scheduled = np.zeros(n, dtype=np.bool_)
    sequence = np.empty(n, dtype=np.int64)
    t = 0
    for m in range(n):
        if stop[0]:
            return _fill_rest(sequence, m, scheduled)
        active = -1
        for idx in range(n):
            j = order[idx]
            if scheduled[j]:
                continue
            if active < 0:
                active = j
                continue
            if t + p[active] >= d[active]:
                break  # the active job is late: no longer job can displace it
            if d[active] > max(d[j], t + p[j]):
                active = j
        sequence[m] = active
        scheduled[active] = True
        t += p[active]
    return sequence


@njit(cache=True, nogil=True)
def eddc(p, d, w, stop):  # pragma: no cover - compiled
    """EDDC: start from the jobs sorted by p then d; for i = 1..n-1 bubble S[i] towards the
    front while its due date is earlier than its predecessor's and that predecessor
    completes before its own due date in the current sequence."""
    sequence = order_by(p, d)
    n = p.size
    completion = np.empty(n, dtype=np.int64)
    time = 0
    for k in range(n):
        time += p[sequence[k]]
        completion[k] = time
    for i in range(1, n):
        if stop[0]:
            break
        j = i
        while j > 0 and d[sequence[j]] < d[sequence[j - 1]]:
            before = sequence[j - 1]
            if completion[j - 1] >= d[before]:
                break
            moved = sequence[j]
            sequence[j - 1] = moved
            sequence[j] = before
            completion[j - 1] = completion[j - 1] - p[before] + p[moved]
            j -= 1
    return sequence
