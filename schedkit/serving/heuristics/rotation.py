"""Runs of iterations under `las` on a preemptive server while programs take turns: the batch
changes every iteration, yet which sequences it holds follows in closed form, so a run is
advanced to the next event at once and logged as one row (it was a row and a loop pass per
iteration: two 10^8-token decodes taking turns made 2·10^8 rows).

Sorted by (attained service, program), the lowest `f` (levels below L) are in every batch while
they stay below L; the band G (levels L and L+1, the programs at L+1 the lowest-numbered of G)
shares the other B' = batch - f places in program order, round robin: its s-th service from now
goes to G's (s mod g)-th member in sorted order, reading that member's context plus s // g. A
run ends before a band member would reach the level of the programs above the band, before a
low one reaches L, at the iteration where a sequence ends, or at the first iteration end
reaching the next event (bisection on the closed-form clock, as `kernel._steps`).

The low and the band must decode (none new or prefilling). The requests above the band are never
chosen in a run, so they may be new or prefilling: a long prefill preempted by two programs
decoding in turns no longer makes a row per iteration of theirs (every waiting request had to
decode). Other states take one iteration the usual way: a prefilling request among the low or
in the band gets what the decodes leave of the token budget, so its attained service may climb
by more than one a service, which the round robin's closed form does not hold; nor does a band
not in that order. A run serves what stepping each iteration serves: the same policy, only
fewer rows."""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.serving.heuristics.heap import push

NO_RUN = 0  # rotation_plan's count when the state is not a rotation


@njit(cache=True, nogil=True)
def _reads(count, f, low_context, g, band_context, prefix, batch):  # pragma: no cover - compiled
    """Cached tokens `count` iterations read: the low programs' contexts grow by one each
    iteration; the band's services go round robin (see the module docstring)."""
    k = float(count)
    services = count * (batch - f)
    q = services // g
    r = services - q * g
    fq = float(q)
    band = fq * band_context + prefix[r] + g * (fq * (fq - 1.0) * 0.5) + r * fq
    return k * low_context + f * (k * (k - 1.0) * 0.5) + band


@njit(cache=True, nogil=True)
def rotation_plan(now, a, c, e, batch, run, nrun, qi, qn, attained, dec_left, ctx, prompt, output, cur,
                  pre_left, admitted, kmax, horizon):  # pragma: no cover - compiled
    """(iterations of the run, or NO_RUN; the programs sorted by (attained, id); f; g; cached
    tokens read; the run's end). Nothing is changed: `rotation_apply` does that."""
    m = nrun + qn
    ids = np.empty(m, dtype=np.int64)
    for r in range(nrun):
        ids[r] = run[r]
    for r in range(qn):
        ids[nrun + r] = qi[r]
    ids = np.sort(ids)
    ids = ids[np.argsort(attained[ids], kind="mergesort")]
    levels = attained[ids]
    top = levels[batch - 1]
    low = top
    for k in range(batch):
        if levels[k] == top - 1:
            low = top - 1
    f = 0
    while levels[f] < low:
        f += 1
    end = f
    while end < m and levels[end] <= low + 1:
        end += 1
    for k in range(end):  # the low and the band decode; those above wait the run out, whatever they do
        if not admitted[ids[k]] or pre_left[ids[k]] > 0:
            return NO_RUN, ids, 0, 0, 0.0, now
    g = end - f
    share = batch - f
    above = 0  # band members at low + 1: they must be its lowest-numbered
    least_low = -1  # the lowest-numbered member at low (the first of the band)
    most_above = -1
    for k in range(f, end):
        if levels[k] > low:
            above += 1
            most_above = max(most_above, ids[k])
        elif least_low < 0:
            least_low = ids[k]
    if above > 0 and most_above > least_low:
        return NO_RUN, ids, 0, 0, 0.0, now
    contexts = np.empty(end)
    for k in range(end):
        i = ids[k]
        t = cur[i]
        contexts[k] = float(ctx[i] + prompt[t] + output[t] - dec_left[i])
    low_context = 0.0
    for k in range(f):
        low_context += contexts[k]
        kmax = min(kmax, dec_left[ids[k]], low - levels[k])
    prefix = np.zeros(g + 1)
    for j in range(g):
        prefix[j + 1] = prefix[j] + contexts[f + j]
        last = j + (dec_left[ids[f + j]] - 1) * g  # the service that ends member j's turn
        kmax = min(kmax, last // share + 1)
    if end < m:
        room = levels[end] - 1 - low  # levels the band may climb, >= 1
        if room <= (1 << 62) // g:
            kmax = min(kmax, (g * room - above) // share + 1)
    if kmax < 2:
        return NO_RUN, ids, 0, 0, 0.0, now
    step = a + c * batch
    low_k, high_k = 1, 1
    while high_k < kmax and now + (high_k * step + e * _reads(high_k, f, low_context, g, prefix[g], prefix,
                                                               batch)) < horizon:
        low_k = high_k + 1
        high_k = kmax if high_k > kmax // 2 else 2 * high_k
    while low_k < high_k:
        middle = low_k + (high_k - low_k) // 2
        if now + (middle * step + e * _reads(middle, f, low_context, g, prefix[g], prefix, batch)) >= horizon:
            high_k = middle
        else:
            low_k = middle + 1
    read = _reads(low_k, f, low_context, g, prefix[g], prefix, batch)
    return low_k, ids, f, g, read, now + (low_k * step + e * read)


@njit(cache=True, nogil=True)
def rotation_apply(count, ids, f, g, batch, attained, dec_left, state, run, qk, qi, qt
                   ):  # pragma: no cover - compiled
    """Serve the run's first `count` - 1 iterations; the last iteration's batch is left in `run`
    (in priority order) for the kernel's end-of-row pass, the others queued. Returns (nrun, qn)."""
    share = batch - f
    services = count * share
    last_from = (count - 1) * share  # the last iteration's services: last_from .. services - 1
    for k in range(ids.shape[0]):
        state[ids[k]] = 1
    nrun = 0
    for k in range(f):
        i = ids[k]
        attained[i] += count - 1
        dec_left[i] -= count - 1
        state[i] = 2
        run[nrun] = i
        nrun += 1
    for s in range(last_from, services):
        i = ids[f + s % g]
        state[i] = 2
        run[nrun] = i
        nrun += 1
    qn = 0
    for j in range(g):
        i = ids[f + j]
        served = (services - j + g - 1) // g if services > j else 0
        if state[i] == 2:
            served -= 1
        attained[i] += served
        dec_left[i] -= served
    for k in range(f, ids.shape[0]):
        i = ids[k]
        if state[i] != 2:
            qn = push(qk, qi, qt, qn, float(attained[i]), i, 0)
    return nrun, qn
