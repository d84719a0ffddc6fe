"""The serving simulator: one event loop over iterations of a continuously batching server.

Events (program arrivals, tool returns, pin expiries) are handled at iteration boundaries.
Between events, runs of iterations of one batch (the same prefill chunks and decodes, nothing
able to join) are advanced in one step and logged as one row: the log grows with the events, not
with the token counts (a 10^9-token prompt in 1-token chunks made 10^9 rows, 64 GB), and so does
the work. A run's end is the time model summed in closed form (`_clock`), and its length the
fewest iterations reaching the next event, found by bisection (`_steps`); it summed them one by
one (5 s per 10^9 iterations, each sum's rounding in the end). The kernel sees arrays only; see
`schedkit.serving.heuristics.simulate` for the wrapper and the meaning of the rules.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.serving.heuristics.heap import pop, push
from schedkit.serving.heuristics.rotation import NO_RUN, rotation_apply, rotation_plan

# Order rules: which waiting request joins first (smallest key).
ORDER_REQUEST_ARRIVAL, ORDER_PROGRAM_ARRIVAL, ORDER_LEAST_ATTAINED, ORDER_SHORTEST_REMAINING = 0, 1, 2, 3
# Cache rules: what happens to a program's KV cache when its turn ends with a tool call.
CACHE_DROP, CACHE_LRU, CACHE_TTL = 0, 1, 2
# Cache event kinds of the log.
EV_ADMIT, EV_PIN, EV_KEEP, EV_EVICT, EV_OFFLOAD, EV_DONE = 0, 1, 2, 3, 4, 5
# Columns of the iteration log (one row = `count` iterations of one batch, see ServingSolution).
ROW_START, ROW_END, ROW_COUNT, ROW_PREFILL, ROW_DECODE, ROW_CONTEXT, ROW_RELOAD, ROW_MEMORY = range(8)
ROW_COLUMNS = 8
STATUS_OK, STATUS_STUCK = 0, 1


@njit(cache=True, nogil=True)
def _grow(rows):  # pragma: no cover - compiled
    bigger = np.empty((2 * rows.shape[0], rows.shape[1]), dtype=rows.dtype)
    bigger[: rows.shape[0]] = rows
    return bigger


@njit(cache=True, nogil=True)
def _read(context, grow, count):  # pragma: no cover - compiled
    """Cached tokens `count` iterations read when the first reads `context` and each next `grow`
    more (a float: it may pass 2^63)."""
    return count * context + grow * (count * (count - 1.0) * 0.5)


@njit(cache=True, nogil=True)
def _clock(now, step, e, context, grow, count):  # pragma: no cover - compiled
    """The end of `count` iterations of one batch from `now` (the time model summed in closed
    form): non-decreasing in `count`, as every operation in it is."""
    fcount = float(count)
    return now + (fcount * step + e * _read(context, grow, fcount))


@njit(cache=True, nogil=True)
def _steps(now, step, e, context, grow, kmax, horizon):  # pragma: no cover - compiled
    """The iterations of one batch before the next event: the fewest whose end reaches `horizon`,
    at most `kmax` (>= 1). Doubling, then bisection: the work grows with log(count), not count."""
    low = 1  # every count below `low` ends before the horizon
    high = 1  # its end reaches the horizon, or it is kmax
    while high < kmax and _clock(now, step, e, context, grow, high) < horizon:
        low = high + 1
        high = kmax if high > kmax // 2 else 2 * high
    while low < high:
        middle = low + (high - low) // 2
        if _clock(now, step, e, context, grow, middle) >= horizon:
            high = middle
        else:
            low = middle + 1
    return low


@njit(cache=True, nogil=True)
def _next_event(arrival, order, ap, n, tk, tn, pin_wait):  # pragma: no cover - compiled
    """The time of the next event that can change the batch: the next arrival, the first tool
    return, or the expiry of the pin blocking the queue (inf: none is pending)."""
    nxt = np.inf
    if ap < n:
        nxt = arrival[order[ap]]
    if tn > 0:
        nxt = min(nxt, tk[0])
    return min(nxt, pin_wait)


@njit(cache=True, nogil=True)
def _keeps_batch(order_rule, prefill, running, waiting):  # pragma: no cover - compiled
    """A preemptive server re-chooses its batch every iteration, in priority order (chunks too):
    until an event it chooses the same one when no priority changes (arrival orders), or when
    the order within the batch does not matter (only decodes of a token each, or one request)
    and no waiting request can overtake (srpt: the batch's priorities only fall; las: none waits)."""
    if order_rule in (ORDER_REQUEST_ARRIVAL, ORDER_PROGRAM_ARRIVAL):
        return True
    if prefill > 0 and running > 1:
        return False
    return order_rule == ORDER_SHORTEST_REMAINING or waiting == 0


@njit(cache=True, nogil=True)
def _priority(rule, i, t, ready, arrival, attained, ctx, prompt, output, suffix, pre_left,
              dec_left, admitted, gpu, cpu):  # pragma: no cover - compiled
    if rule == ORDER_REQUEST_ARRIVAL:
        return ready[t]
    if rule == ORDER_PROGRAM_ARRIVAL:
        return arrival[i]
    if rule == ORDER_LEAST_ATTAINED:
        return float(attained[i])
    if admitted[i]:
        return float(pre_left[i] + dec_left[i] + suffix[t])
    miss = ctx[i] if gpu[i] == 0 and cpu[i] == 0 else 0
    return float(prompt[t] + output[t] + miss + suffix[t])


@njit(cache=True, nogil=True)
def simulate(arrival, order, turn_ptr, prompt, output, tool, tool_seconds,
             cap, budget, max_batch, a, b, c, e, off_cap, off_bw, preemptive,
             order_rule, cache_rule, pin_limit, pin_scale, late_limit, late_scale, switch_time,
             ttl_cap, turn_weight, ema_alpha, ema_prior):  # pragma: no cover - compiled
    """Serve the trace; returns the per-turn log, the cache-event log, the iteration log, status."""
    n = arrival.shape[0]
    nt = prompt.shape[0]
    ready = np.full(nt, np.nan)
    start = np.full(nt, np.nan)
    finish = np.full(nt, np.nan)
    prefilled = np.zeros(nt, dtype=np.int64)
    reused = np.zeros(nt, dtype=np.int64)
    reloaded = np.zeros(nt, dtype=np.int64)
    first_row = np.full(nt, -1, dtype=np.int64)
    last_row = np.full(nt, -1, dtype=np.int64)
    pin_until = np.full(nt, -1.0)
    n_events = 3 * nt + n + 8
    ev_time = np.empty(n_events)
    ev_prog = np.empty(n_events, dtype=np.int64)
    ev_gpu = np.empty(n_events, dtype=np.int64)
    ev_kind = np.empty(n_events, dtype=np.int64)
    nev = 0
    rows = np.empty((1024, ROW_COLUMNS))
    nrows = 0

    suffix = np.zeros(nt, dtype=np.int64)  # tokens of the turns after t, within its program
    for i in range(n):
        acc = 0
        for t in range(turn_ptr[i + 1] - 1, turn_ptr[i] - 1, -1):
            suffix[t] = acc
            acc += prompt[t] + output[t]

    state = np.zeros(n, dtype=np.int64)  # 0 not arrived, 1 waiting, 2 running, 3 tool, 4 done
    cur = turn_ptr[:-1].copy()
    ctx = np.zeros(n, dtype=np.int64)
    gpu = np.zeros(n, dtype=np.int64)
    cpu = np.zeros(n, dtype=np.int64)
    pre_left = np.zeros(n, dtype=np.int64)
    dec_left = np.zeros(n, dtype=np.int64)
    chunk = np.zeros(n, dtype=np.int64)
    attained = np.zeros(n, dtype=np.int64)
    admitted = np.zeros(n, dtype=np.bool_)
    version = np.zeros(n, dtype=np.int64)
    ntools = pin_limit.shape[0]
    ema = np.full(max(ntools, 1), ema_prior)

    qk = np.empty(n)
    qi = np.empty(n, dtype=np.int64)
    qt = np.empty(n, dtype=np.int64)
    qn = 0
    tk = np.empty(n)
    ti = np.empty(n, dtype=np.int64)
    tt = np.empty(n, dtype=np.int64)
    tn = 0
    lk = np.empty(nt + n + 1)
    li = np.empty(nt + n + 1, dtype=np.int64)
    lt = np.empty(nt + n + 1, dtype=np.int64)
    ln = 0

    ap = 0  # next program in `order` (indices by arrival) to arrive
    run = np.empty(n, dtype=np.int64)
    nrun = 0
    used = 0
    cpu_used = 0
    now = 0.0
    done = 0
    status = STATUS_OK
    inf = np.inf

    while done < n:
        while ap < n and arrival[order[ap]] <= now:
            i = order[ap]
            ap += 1
            t = turn_ptr[i]
            ready[t] = arrival[i]
            state[i] = 1
            key = _priority(order_rule, i, t, ready, arrival, attained, ctx, prompt, output, suffix,
                            pre_left, dec_left, admitted, gpu, cpu)
            qn = push(qk, qi, qt, qn, key, i, 0)
        while tn > 0 and tk[0] <= now:
            i = ti[0]
            back = tk[0]
            tn = pop(tk, ti, tt, tn)
            prev = cur[i]
            k = tool[prev]
            ema[k] = ema_alpha * tool_seconds[prev] + (1.0 - ema_alpha) * ema[k]
            t = prev + 1
            cur[i] = t
            ready[t] = back
            state[i] = 1
            key = _priority(order_rule, i, t, ready, arrival, attained, ctx, prompt, output, suffix,
                            pre_left, dec_left, admitted, gpu, cpu)
            qn = push(qk, qi, qt, qn, key, i, 0)
        if preemptive:
            for r in range(nrun):
                i = run[r]
                state[i] = 1
                key = _priority(order_rule, i, cur[i], ready, arrival, attained, ctx, prompt, output,
                                suffix, pre_left, dec_left, admitted, gpu, cpu)
                qn = push(qk, qi, qt, qn, key, i, 0)
            nrun = 0

        left = budget
        for r in range(nrun):
            i = run[r]
            chunk[i] = 0
            if pre_left[i] == 0:
                left -= 1
        for r in range(nrun):
            i = run[r]
            if pre_left[i] > 0 and left > 0:
                chunk[i] = min(pre_left[i], left)
                left -= chunk[i]

        reload_tokens = 0
        blocked = False
        pin_wait = inf  # expiry of the pin that blocks the queue's head, if one does
        joined = 0  # requests admitted to this iteration: their chunks were given in admission order
        while qn > 0 and nrun < max_batch:
            if left < 1:
                blocked = True
                break
            i = qi[0]
            t = cur[i]
            total = ctx[i] + prompt[t] + output[t]
            need = 0 if admitted[i] else total - gpu[i]
            if used + need > cap:
                own_key = -1.0
                own_tag = -1
                while used + need > cap and ln > 0:
                    j = li[0]
                    if lt[0] != version[j] or gpu[j] == 0 or state[j] == 2 or admitted[j]:
                        ln = pop(lk, li, lt, ln)
                        continue
                    if j == i:
                        own_key = lk[0]
                        own_tag = lt[0]
                        ln = pop(lk, li, lt, ln)
                        continue
                    if lk[0] > now:
                        pin_wait = lk[0]
                        break
                    ln = pop(lk, li, lt, ln)
                    used -= gpu[j]
                    if off_cap > 0 and cpu_used + gpu[j] <= off_cap:
                        cpu[j] = gpu[j]
                        cpu_used += gpu[j]
                        kind = EV_OFFLOAD
                    else:
                        kind = EV_EVICT
                    gpu[j] = 0
                    version[j] += 1
                    ev_time[nev] = now
                    ev_prog[nev] = j
                    ev_gpu[nev] = 0
                    ev_kind[nev] = kind
                    nev += 1
                if own_tag >= 0:
                    ln = push(lk, li, lt, ln, own_key, i, own_tag)
                if used + need > cap:
                    blocked = True
                    break
            qn = pop(qk, qi, qt, qn)
            state[i] = 2
            run[nrun] = i
            nrun += 1
            joined += 1
            if not admitted[i]:
                admitted[i] = True
                version[i] += 1
                if gpu[i] > 0:
                    reused[t] = gpu[i]
                elif cpu[i] > 0:
                    reloaded[t] = cpu[i]
                    reload_tokens += cpu[i]
                    cpu_used -= cpu[i]
                    cpu[i] = 0
                pre_left[i] = prompt[t] + ctx[i] - reused[t] - reloaded[t]
                prefilled[t] = pre_left[i]
                dec_left[i] = output[t]
                used += need
                gpu[i] = total
                start[t] = now
                first_row[t] = nrows
                ev_time[nev] = now
                ev_prog[nev] = i
                ev_gpu[nev] = total
                ev_kind[nev] = EV_ADMIT
                nev += 1
            chunk[i] = 0
            if pre_left[i] > 0:
                chunk[i] = min(pre_left[i], left)
                left -= chunk[i]
            else:
                left -= 1

        prefill = 0
        decode = 0
        context = 0
        kmax = 1 << 62
        for r in range(nrun):
            i = run[r]
            t = cur[i]
            if pre_left[i] > 0:
                if chunk[i] > 0:
                    prefill += chunk[i]
                    context += ctx[i] + prompt[t] - pre_left[i]
                    kmax = min(kmax, pre_left[i] // chunk[i])  # the same chunk while this many are left
            else:
                decode += 1
                context += ctx[i] + prompt[t] + output[t] - dec_left[i]
                kmax = min(kmax, dec_left[i])

        if prefill == 0 and decode == 0:
            nxt = _next_event(arrival, order, ap, n, tk, tn, pin_wait)
            if nxt == inf:
                status = STATUS_STUCK
                break
            now = max(now, nxt)
            continue

        if nrows == rows.shape[0]:
            rows = _grow(rows)
        row = nrows
        nrows += 1
        rows[row, ROW_START] = now
        rows[row, ROW_MEMORY] = used
        rows[row, ROW_PREFILL] = prefill
        rows[row, ROW_DECODE] = decode
        rows[row, ROW_RELOAD] = reload_tokens
        steps = 1
        advance = 0  # a rotation serves all but its last iteration itself (rotation.py)
        # Later iterations of this batch give the chunks as the loop's top does (decodes first):
        # after an admission that may differ, so only a decode-only batch is advanced at once.
        same = prefill == 0 or joined == 0
        if preemptive:
            same = _keeps_batch(order_rule, prefill, nrun, qn)
        turns = NO_RUN  # las taking turns: a run in closed form (rotation.py; the requests waiting
        # above the band may be new or prefilling)
        if (not same and preemptive and order_rule == ORDER_LEAST_ATTAINED and prefill == 0
                and reload_tokens == 0 and qn > 0 and nrun == max_batch):
            horizon = _next_event(arrival, order, ap, n, tk, tn, pin_wait)
            turns, members, low, band, read, end = rotation_plan(
                now, a, c, e, max_batch, run, nrun, qi, qn, attained, dec_left, ctx, prompt, output, cur,
                pre_left, admitted, 1 << 62, horizon)
            if turns != NO_RUN:
                nrun, qn = rotation_apply(turns, members, low, band, max_batch, attained, dec_left, state,
                                          run, qk, qi, qt)
                steps = turns
                advance = 1
                rows[row, ROW_CONTEXT] = read
                now = end
        if turns != NO_RUN:
            pass
        elif same and reload_tokens == 0 and (qn == 0 or blocked or nrun == max_batch):
            horizon = _next_event(arrival, order, ap, n, tk, tn, pin_wait)
            step = a + b * prefill + c * decode
            grow = prefill + decode  # each iteration reads this many more cached tokens
            steps = _steps(now, step, e, context, grow, kmax, horizon)
            rows[row, ROW_CONTEXT] = _read(context, grow, float(steps))
            now = _clock(now, step, e, context, grow, steps)
        else:
            dt = a + b * prefill + c * decode + e * context
            if reload_tokens > 0:
                dt += reload_tokens / off_bw
            rows[row, ROW_CONTEXT] = context
            now = now + dt
        rows[row, ROW_COUNT] = steps
        rows[row, ROW_END] = now

        keep = 0
        for r in range(nrun):
            i = run[r]
            t = cur[i]
            if pre_left[i] > 0:
                pre_left[i] -= chunk[i] * steps
                attained[i] += chunk[i] * steps
                chunk[i] = 0
                run[keep] = i
                keep += 1
                continue
            dec_left[i] -= advance if advance > 0 else steps
            attained[i] += advance if advance > 0 else steps
            if dec_left[i] > 0:
                run[keep] = i
                keep += 1
                continue
            finish[t] = now
            last_row[t] = row
            ctx[i] += prompt[t] + output[t]
            admitted[i] = False
            if t == turn_ptr[i + 1] - 1:
                used -= gpu[i]
                gpu[i] = 0
                state[i] = 4
                done += 1
                kind = EV_DONE
            else:
                state[i] = 3
                tn = push(tk, ti, tt, tn, now + tool_seconds[t], i, 0)
                version[i] += 1
                kind = EV_KEEP
                if cache_rule == CACHE_DROP:
                    used -= gpu[i]
                    if off_cap > 0 and cpu_used + gpu[i] <= off_cap:
                        cpu[i] = gpu[i]
                        cpu_used += gpu[i]
                        kind = EV_OFFLOAD
                    else:
                        kind = EV_EVICT
                    gpu[i] = 0
                elif cache_rule == CACHE_LRU:
                    ln = push(lk, li, lt, ln, now, i, version[i])
                else:
                    k = tool[t]
                    late = now >= switch_time
                    limit = late_limit[k] if late else pin_limit[k]
                    scale = late_scale[k] if late else pin_scale[k]
                    turns_done = t - turn_ptr[i] + 1
                    if ema[k] <= limit * (1.0 + turn_weight * turns_done):
                        pin_until[t] = now + min(scale * ema[k], ttl_cap)
                        ln = push(lk, li, lt, ln, pin_until[t], i, version[i])
                        kind = EV_PIN
                    else:
                        ln = push(lk, li, lt, ln, now, i, version[i])
            ev_time[nev] = now
            ev_prog[nev] = i
            ev_gpu[nev] = gpu[i]
            ev_kind[nev] = kind
            nev += 1
        nrun = keep

    return (ready, start, finish, prefilled, reused, reloaded, first_row, last_row, pin_until,
            ev_time[:nev], ev_prog[:nev], ev_gpu[:nev], ev_kind[:nev], rows[:nrows], status)
