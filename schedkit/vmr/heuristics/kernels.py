"""numba kernels for VM rescheduling: move deltas, the best single migration, greedy fill,
plan replay and the ruin-and-recreate loop of `lns`.

Randomness (blinks, ruins, annealing) comes from an explicit state `rng`, one uint64 cell
advanced in place through schedkit.common.rng (no global generator).

Static data travels as one tuple `st` (see `static_tuple`), the mutable state as
`free_cpu, free_mem, gcount, cur, moved`: free CPU and memory per node, VMs of each
anti-affinity group per machine, the current placement of each VM and whether it already
moved. The objective is Σ_n (free_cpu[n] mod F); every delta is evaluated on the (at most
four) nodes a migration touches, so one candidate costs O(1).

Best move: for every size class (CPU and memory per node, shape) the TOP best destinations
are ranked once per step; each (placement, class) representative VM then combines its own
source delta with the first ranked destination on another machine that anti-affinity allows
(a full scan only when all TOP are excluded), plus an exact look at its own machine's nodes.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import random_below, random_unit

INFEASIBLE = np.int64(1 << 40)
TOP = 8

# Indices into the static tuple.
PLACE_A, PLACE_B, NODE_MACHINE, HALF_CPU, HALF_MEM, DOUBLE, GROUP = 0, 1, 2, 3, 4, 5, 6
REP_ORDER, REP_START, SIZE_OF, SIZE_CPU, SIZE_MEM, SIZE_DOUBLE, MACHINE_FIRST, PAIR_FIRST = (
    7, 8, 9, 10, 11, 12, 13, 14)
PLACE_RUN = 15


@njit(cache=True, nogil=True)
def _below(rng, n):  # type: ignore[no-untyped-def]
    """An integer uniform in 0..n-1 from the explicit state rng[0] (advanced in place)."""
    rng[0], value = random_below(rng[0], n)
    return value


@njit(cache=True, nogil=True)
def _unit(rng):  # type: ignore[no-untyped-def]
    """A float uniform in [0, 1) from the explicit state rng[0] (advanced in place)."""
    rng[0], value = random_unit(rng[0])
    return value


@njit(cache=True, nogil=True)
def objective(free_cpu: np.ndarray, fragment: int) -> int:
    """Σ_n (free_cpu[n] mod F)."""
    total = 0
    for n in range(free_cpu.size):
        total += free_cpu[n] % fragment
    return total


@njit(cache=True, nogil=True)
def dest_delta(d, hc, hm, place_a, place_b, free_cpu, free_mem, fragment):  # type: ignore[no-untyped-def]
    """Change of the objective on placement d's nodes when a VM of (hc, hm) per node lands
    there (no node shared with its source), INFEASIBLE when it does not fit."""
    n = place_a[d]
    fc = free_cpu[n] - hc
    if fc < 0 or free_mem[n] < hm:
        return INFEASIBLE
    total = fc % fragment - free_cpu[n] % fragment
    n = place_b[d]
    if n >= 0:
        fc = free_cpu[n] - hc
        if fc < 0 or free_mem[n] < hm:
            return INFEASIBLE
        total += fc % fragment - free_cpu[n] % fragment
    return total


@njit(cache=True, nogil=True)
def source_delta(s, hc, place_a, place_b, free_cpu, fragment):  # type: ignore[no-untyped-def]
    """Change of the objective on placement s's nodes when a VM of hc per node leaves."""
    n = place_a[s]
    total = (free_cpu[n] + hc) % fragment - free_cpu[n] % fragment
    n = place_b[s]
    if n >= 0:
        total += (free_cpu[n] + hc) % fragment - free_cpu[n] % fragment
    return total


@njit(cache=True, nogil=True)
def move_delta(s, d, hc, hm, place_a, place_b, free_cpu, free_mem, fragment):  # type: ignore[no-untyped-def]
    """Exact delta of moving a VM from placement s to d (nodes may overlap), or INFEASIBLE."""
    sa, sb, da, db = place_a[s], place_b[s], place_a[d], place_b[d]
    total = 0
    for k in range(2):
        n = da if k == 0 else db
        if n < 0 or n in (sa, sb):
            continue
        fc = free_cpu[n] - hc
        if fc < 0 or free_mem[n] < hm:
            return INFEASIBLE
        total += fc % fragment - free_cpu[n] % fragment
    for k in range(2):
        n = sa if k == 0 else sb
        if n < 0 or n in (da, db):
            continue
        total += (free_cpu[n] + hc) % fragment - free_cpu[n] % fragment
    return total


@njit(cache=True, nogil=True)
def group_ok(v, d, st, gcount, cur):  # type: ignore[no-untyped-def]
    """Anti-affinity: no other VM of v's group on placement d's machine."""
    g = st[GROUP][v]
    if g < 0:
        return True
    machine = st[NODE_MACHINE][st[PLACE_A][d]]
    count = gcount[machine, g]
    if st[NODE_MACHINE][st[PLACE_A][cur[v]]] == machine:
        count -= 1
    return count == 0


@njit(cache=True, nogil=True)
def apply_move(v, d, st, free_cpu, free_mem, gcount, cur):  # type: ignore[no-untyped-def]
    """Carry out the migration of v to placement d on the state arrays."""
    place_a, place_b = st[PLACE_A], st[PLACE_B]
    hc, hm = st[HALF_CPU][v], st[HALF_MEM][v]
    s = cur[v]
    for n in (place_a[s], place_b[s]):
        if n >= 0:
            free_cpu[n] += hc
            free_mem[n] += hm
    for n in (place_a[d], place_b[d]):
        if n >= 0:
            free_cpu[n] -= hc
            free_mem[n] -= hm
    g = st[GROUP][v]
    if g >= 0:
        gcount[st[NODE_MACHINE][place_a[s]], g] -= 1
        gcount[st[NODE_MACHINE][place_a[d]], g] += 1
    cur[v] = d


@njit(cache=True, nogil=True)
def floor_delta(hc, double, fragment):  # type: ignore[no-untyped-def]
    """The lowest destination delta a VM of hc per node can have: −(hc mod F) per node."""
    return -(hc % fragment) * (2 if double else 1)


@njit(cache=True, nogil=True)
def _rank_destinations(st, active, free_cpu, free_mem, fragment, blink, rng):  # type: ignore[no-untyped-def]
    """The TOP best (delta, placement) per active size class; among equal deltas the best fit
    (least free CPU mod F left on the placement) ranks first, which keeps the roomier
    residues for later VMs (on the benchmark clusters greedy then finds more improving
    migrations). The scan stops once TOP placements reach the lowest possible delta with an
    exact fit; it starts at placement 0 (ties to the lower placement) or, when `blink` > 0, at a
    random one for diversity."""
    sizes = st[SIZE_CPU].size
    nodes = st[NODE_MACHINE].size
    places = st[PLACE_A].size
    top_d = np.full((sizes, TOP), -1, dtype=np.int64)
    top_v = np.full((sizes, TOP), INFEASIBLE, dtype=np.int64)
    top_k = np.full((sizes, TOP), INFEASIBLE, dtype=np.int64)
    width = 4 * fragment
    for z in range(sizes):
        if not active[z]:
            continue
        lo, hi = (nodes, places) if st[SIZE_DOUBLE][z] else (0, nodes)
        hc, hm = st[SIZE_CPU][z], st[SIZE_MEM][z]
        floor = floor_delta(hc, st[SIZE_DOUBLE][z], fragment) * width
        span = hi - lo
        offset = 0
        if blink > 0.0 and span > 0:
            offset = _below(rng, span)
        for step in range(span):
            if top_k[z, TOP - 1] <= floor:
                break
            d = lo + (offset + step) % span
            if blink > 0.0 and _unit(rng) < blink:
                continue
            dd = dest_delta(d, hc, hm, st[PLACE_A], st[PLACE_B], free_cpu, free_mem, fragment)
            if dd >= INFEASIBLE:
                continue
            left = (free_cpu[st[PLACE_A][d]] - hc) % fragment  # best fit among equal deltas
            if st[PLACE_B][d] >= 0:
                left += (free_cpu[st[PLACE_B][d]] - hc) % fragment
            key = dd * width + left
            if key >= top_k[z, TOP - 1]:
                continue
            k = TOP - 1
            while k > 0 and top_k[z, k - 1] > key:
                top_k[z, k] = top_k[z, k - 1]
                top_v[z, k] = top_v[z, k - 1]
                top_d[z, k] = top_d[z, k - 1]
                k -= 1
            top_k[z, k] = key
            top_v[z, k] = dd
            top_d[z, k] = d
    return top_d, top_v


@njit(cache=True, nogil=True)
def best_move(st, fragment, free_cpu, free_mem, gcount, cur, moved, blink, rng):  # type: ignore[no-untyped-def]
    """(vm, placement, delta) of the migration lowering the objective most among VMs not yet
    moved; vm = -1 when none lowers it. `blink` skips candidates at random (0: none)."""
    order, start = st[REP_ORDER], st[REP_START]
    place_a, place_b, node_machine = st[PLACE_A], st[PLACE_B], st[NODE_MACHINE]
    runs = start.size - 1
    reps = np.full(runs, -1, dtype=np.int64)
    active = np.zeros(st[SIZE_CPU].size, dtype=np.bool_)
    for r in range(runs):
        for k in range(start[r], start[r + 1]):
            if moved[order[k]] == 0:
                reps[r] = order[k]
                active[st[SIZE_OF][order[k]]] = True
                break
    top_d, top_v = _rank_destinations(st, active, free_cpu, free_mem, fragment, blink, rng)
    nodes, places = node_machine.size, place_a.size
    best, best_v, best_d = 0, -1, -1
    for r in range(runs):
        v = reps[r]
        if v < 0 or (blink > 0.0 and _unit(rng) < blink):
            continue
        z = st[SIZE_OF][v]
        s = cur[v]
        hc, hm = st[HALF_CPU][v], st[HALF_MEM][v]
        home = node_machine[place_a[s]]
        ds = source_delta(s, hc, place_a, place_b, free_cpu, fragment)
        usable = False
        for k in range(TOP):
            d = top_d[z, k]
            if d < 0:
                break
            if node_machine[place_a[d]] == home or not group_ok(v, d, st, gcount, cur):
                continue
            usable = True
            if ds + top_v[z, k] < best:
                best, best_v, best_d = ds + top_v[z, k], v, d
            break
        if not usable and top_d[z, TOP - 1] >= 0 and blink == 0.0:
            lo, hi = (nodes, places) if st[DOUBLE][v] else (0, nodes)
            for d in range(lo, hi):
                if node_machine[place_a[d]] == home or not group_ok(v, d, st, gcount, cur):
                    continue
                dd = dest_delta(d, hc, hm, place_a, place_b, free_cpu, free_mem, fragment)
                if dd < INFEASIBLE and ds + dd < best:
                    best, best_v, best_d = ds + dd, v, d
        if st[DOUBLE][v]:
            lo, hi = st[PAIR_FIRST][home], st[PAIR_FIRST][home + 1]
        else:
            lo, hi = st[MACHINE_FIRST][home], st[MACHINE_FIRST][home + 1]
        for d in range(lo, hi):
            if d == s:
                continue
            delta = move_delta(s, d, hc, hm, place_a, place_b, free_cpu, free_mem, fragment)
            if delta < best:
                best, best_v, best_d = delta, v, d
    return best_v, best_d, best


@njit(cache=True, nogil=True)
def _best_out_of(p, skip, st, fragment, free_cpu, free_mem, gcount, cur, moved, top_d, reps):  # type: ignore[no-untyped-def]
    """(delta, vm, placement) of the best migration of an unmoved VM at placement p (not
    `skip`) to one of its size class's ranked destinations, from the current state."""
    place_a, place_b = st[PLACE_A], st[PLACE_B]
    best, best_u, best_e = INFEASIBLE, -1, -1
    for r in range(st[PLACE_RUN][p], st[PLACE_RUN][p + 1]):
        u = reps[r]
        if u < 0 or u == skip or cur[u] != p:
            continue
        z = st[SIZE_OF][u]
        for k in range(TOP):
            e = top_d[z, k]
            if e < 0:
                break
            if e == p:
                continue
            delta = move_delta(p, e, st[HALF_CPU][u], st[HALF_MEM][u], place_a, place_b, free_cpu, free_mem,
                               fragment)
            if delta < best and group_ok(u, e, st, gcount, cur):
                best, best_u, best_e = delta, u, e
    return best, best_u, best_e


@njit(cache=True, nogil=True)
def best_chain(st, fragment, free_cpu, free_mem, gcount, cur, moved, rng):  # type: ignore[no-untyped-def]
    """Two migrations that together lower the objective when no single one does. A first
    migration v: s -> d at no cost (delta <= 0, d the best ranked destination of v's class on
    another machine) changes the residue of node s; the second is the better of: another VM
    leaving s (to a ranked destination of its class), or the VM whose departure lowers the
    objective most (per class) moving into s. O(representatives · (VMs per node + classes)).
    Returns (v, d, u, e, total delta); v = -1 when no such pair lowers the objective."""
    order, start = st[REP_ORDER], st[REP_START]
    place_a, place_b = st[PLACE_A], st[PLACE_B]
    runs = start.size - 1
    sizes = st[SIZE_CPU].size
    src_val = np.full((sizes, 2), INFEASIBLE, dtype=np.int64)
    src_vm = np.full((sizes, 2), -1, dtype=np.int64)
    reps = np.full(runs, -1, dtype=np.int64)
    active = np.zeros(sizes, dtype=np.bool_)
    for r in range(runs):
        for k in range(start[r], start[r + 1]):
            if moved[order[k]] == 0:
                reps[r] = order[k]
                break
        v = reps[r]
        if v < 0:
            continue
        z = st[SIZE_OF][v]
        active[z] = True
        if st[DOUBLE][v]:
            continue
        ds = source_delta(cur[v], st[HALF_CPU][v], place_a, place_b, free_cpu, fragment)
        if ds < src_val[z, 0]:
            src_val[z, 1], src_vm[z, 1] = src_val[z, 0], src_vm[z, 0]
            src_val[z, 0], src_vm[z, 0] = ds, v
        elif ds < src_val[z, 1]:
            src_val[z, 1], src_vm[z, 1] = ds, v
    top_d, _ = _rank_destinations(st, active, free_cpu, free_mem, fragment, 0.0, rng)
    best = 0
    bv, bd, bu, be = -1, -1, -1, -1
    node_machine = st[NODE_MACHINE]
    for r in range(runs):
        v = reps[r]
        if v < 0 or st[DOUBLE][v]:
            continue
        s = cur[v]
        hc, hm = st[HALF_CPU][v], st[HALF_MEM][v]
        z = st[SIZE_OF][v]
        d = -1
        first = INFEASIBLE
        for k in range(TOP):  # v's first ranked destination elsewhere: the follow-ups at s
            e = top_d[z, k]  # below do not depend on where v goes
            if e < 0:
                break
            if node_machine[place_a[e]] == node_machine[place_a[s]] or not group_ok(v, e, st, gcount, cur):
                continue
            first = move_delta(s, e, hc, hm, place_a, place_b, free_cpu, free_mem, fragment)
            d = e
            break
        if d < 0 or first > 0:
            continue
        apply_move(v, d, st, free_cpu, free_mem, gcount, cur)
        moved[v] = 1
        second, u, e = _best_out_of(s, v, st, fragment, free_cpu, free_mem, gcount, cur, moved, top_d, reps)
        if u >= 0 and first + second < best:
            best, bv, bd, bu, be = first + second, v, d, u, e
        for y in range(sizes):
            lowest = floor_delta(st[SIZE_CPU][y], False, fragment)
            if st[SIZE_DOUBLE][y] or first + src_val[y, 0] + lowest >= best:
                continue
            u = src_vm[y, 0] if src_vm[y, 0] != v else src_vm[y, 1]
            if u < 0 or cur[u] == s:
                continue
            second = move_delta(cur[u], s, st[HALF_CPU][u], st[HALF_MEM][u], place_a, place_b,
                                free_cpu, free_mem, fragment)
            if second < INFEASIBLE and first + second < best and group_ok(u, s, st, gcount, cur):
                best, bv, bd, bu, be = first + second, v, d, u, s
        moved[v] = 0
        apply_move(v, s, st, free_cpu, free_mem, gcount, cur)
    return bv, bd, bu, be, best


@njit(cache=True, nogil=True)
def best_evacuation(st, fragment, free_cpu, free_mem, gcount, cur, moved, budget,  # type: ignore[no-untyped-def]
                    out_vm, out_dst, rng):
    """Several migrations out of one node that together make its free CPU wrap past a multiple
    of F (neutral departures first, the last one pays): for every node, the fewest VMs on it
    (largest first) whose cores reach F − (free mod F), each sent to its best ranked
    destination elsewhere. Keeps the node with the best gain per migration, at most `budget`
    migrations. Writes them to out_vm / out_dst; returns (count, total delta), count 0 when
    no node gains."""
    order, start = st[REP_ORDER], st[REP_START]
    place_a, node_machine = st[PLACE_A], st[NODE_MACHINE]
    sizes = st[SIZE_CPU].size
    nodes = node_machine.size
    active = np.ones(sizes, dtype=np.bool_)
    top_d, _ = _rank_destinations(st, active, free_cpu, free_mem, fragment, 0.0, rng)
    best_total, best_count = 0, 1
    found = 0
    local = np.empty(64, dtype=np.int64)
    chosen_vm = np.empty(max(budget, 1), dtype=np.int64)
    chosen_dst = np.empty(max(budget, 1), dtype=np.int64)
    for a in range(nodes):
        need = fragment - free_cpu[a] % fragment
        held = 0
        for r in range(st[PLACE_RUN][a], st[PLACE_RUN][a + 1]):
            for k in range(start[r], start[r + 1]):
                v = order[k]
                if moved[v] == 0 and cur[v] == a and st[HALF_CPU][v] % fragment != 0 and held < 64:
                    local[held] = v
                    held += 1
        if held < 2:
            continue  # one VM alone is a single migration: best_move has seen it
        sizes_here = np.empty(held, dtype=np.int64)
        for i in range(held):
            sizes_here[i] = -st[HALF_CPU][local[i]]
        rank = np.argsort(sizes_here, kind="mergesort")
        total_cores, count = 0, 0
        while count < held and total_cores < need:
            total_cores += st[HALF_CPU][local[rank[count]]]
            count += 1
        if total_cores < need or count < 2 or count > budget:
            continue
        total, done = 0, 0
        for i in range(count):
            u = local[rank[i]]
            z = st[SIZE_OF][u]
            pick, pick_delta = -1, INFEASIBLE
            for j in range(TOP):
                e = top_d[z, j]
                if e < 0:
                    break
                if node_machine[place_a[e]] == node_machine[a] or not group_ok(u, e, st, gcount, cur):
                    continue
                delta = move_delta(a, e, st[HALF_CPU][u], st[HALF_MEM][u], place_a, st[PLACE_B],
                                   free_cpu, free_mem, fragment)
                if delta < pick_delta:
                    pick, pick_delta = e, delta
            if pick < 0:
                break
            apply_move(u, pick, st, free_cpu, free_mem, gcount, cur)
            chosen_vm[done] = u
            chosen_dst[done] = pick
            done += 1
            total += pick_delta
        for i in range(done - 1, -1, -1):
            apply_move(chosen_vm[i], a, st, free_cpu, free_mem, gcount, cur)
        if done == count and total < 0 and total * best_count < best_total * count:
            best_total, best_count, found = total, count, count
            out_vm[:count] = chosen_vm[:count]
            out_dst[:count] = chosen_dst[:count]
    return found, best_total


@njit(cache=True, nogil=True)
def greedy_fill(plan_vm, plan_dst, length, limit, st, fragment,  # type: ignore[no-untyped-def]
                free_cpu, free_mem, gcount, cur, moved, blink, chains, rng):
    """Append best migrations to the plan until it holds `limit` or none improves; with
    `chains`, a two-migration chain (`best_chain`) when no single migration improves:
    (new length, total delta)."""
    total = 0
    while length < limit:
        v, d, delta = best_move(st, fragment, free_cpu, free_mem, gcount, cur, moved, blink, rng)
        if v < 0:
            if not chains or length + 2 > limit:
                break
            count, delta = best_evacuation(st, fragment, free_cpu, free_mem, gcount, cur, moved,
                                           limit - length, plan_vm[length:], plan_dst[length:], rng)
            if count > 0:
                for i in range(length, length + count):
                    apply_move(plan_vm[i], plan_dst[i], st, free_cpu, free_mem, gcount, cur)
                    moved[plan_vm[i]] = 1
                length += count
                total += delta
                continue
            v, d, u, e, delta = best_chain(st, fragment, free_cpu, free_mem, gcount, cur, moved, rng)
            if v < 0:
                break
            apply_move(v, d, st, free_cpu, free_mem, gcount, cur)
            moved[v] = 1
            plan_vm[length] = v
            plan_dst[length] = d
            length += 1
            v, d = u, e
        apply_move(v, d, st, free_cpu, free_mem, gcount, cur)
        moved[v] = 1
        plan_vm[length] = v
        plan_dst[length] = d
        length += 1
        total += delta
    return length, total


@njit(cache=True, nogil=True)
def replay(plan_vm, plan_dst, length, st, fragment, free_cpu0, free_mem0, gcount0, place0,  # type: ignore[no-untyped-def]
           free_cpu, free_mem, gcount, cur, moved):
    """Reset the state to the initial placement and carry out the plan in order, dropping
    migrations that no longer fit (or move a VM twice); compacts the plan in place:
    (new length, objective)."""
    free_cpu[:] = free_cpu0
    free_mem[:] = free_mem0
    gcount[:, :] = gcount0
    cur[:] = place0
    moved[:] = 0
    kept = 0
    for k in range(length):
        v, d = plan_vm[k], plan_dst[k]
        if moved[v] or d == cur[v]:
            continue
        delta = move_delta(cur[v], d, st[HALF_CPU][v], st[HALF_MEM][v], st[PLACE_A], st[PLACE_B],
                           free_cpu, free_mem, fragment)
        if delta >= INFEASIBLE or not group_ok(v, d, st, gcount, cur):
            continue
        apply_move(v, d, st, free_cpu, free_mem, gcount, cur)
        moved[v] = 1
        plan_vm[kept] = v
        plan_dst[kept] = d
        kept += 1
    return kept, objective(free_cpu, fragment)


@njit(cache=True, nogil=True)
def plateau_move(st, fragment, free_cpu, free_mem, gcount, cur, moved, tries, rng):  # type: ignore[no-untyped-def]
    """A random migration that leaves the objective unchanged (of `tries` random draws), as
    (vm, placement, delta); vm = -1 when none was drawn. Such moves set up later gains: a
    VM leaving a node changes its residue so that the next one's departure wraps."""
    vms = cur.size
    nodes, places = st[NODE_MACHINE].size, st[PLACE_A].size
    for _ in range(tries):
        v = _below(rng, vms)
        if moved[v]:
            continue
        lo, hi = (nodes, places) if st[DOUBLE][v] else (0, nodes)
        d = lo + _below(rng, hi - lo)
        if d == cur[v]:
            continue
        delta = move_delta(cur[v], d, st[HALF_CPU][v], st[HALF_MEM][v], st[PLACE_A], st[PLACE_B],
                           free_cpu, free_mem, fragment)
        if delta <= 0 and group_ok(v, d, st, gcount, cur):
            return v, d, delta
    return -1, -1, 0


@njit(cache=True, nogil=True)
def _drop_related(drop, plan_vm, plan_dst, length, st, place0, seeds, rng):  # type: ignore[no-untyped-def]
    """Mark in `drop` every migration of the plan whose source or destination nodes meet the
    nodes of `seeds` random migrations of it (and those): a node's residue is set by all the
    migrations at it together (set-ups, evacuations, several arrivals), so they are rebuilt
    together."""
    place_a, place_b = st[PLACE_A], st[PLACE_B]
    hit = np.zeros(st[NODE_MACHINE].size, dtype=np.bool_)
    for _ in range(seeds):
        k = _below(rng, length)
        for p in (place0[plan_vm[k]], plan_dst[k]):
            hit[place_a[p]] = True
            if place_b[p] >= 0:
                hit[place_b[p]] = True
    for k in range(length):
        s, d = place0[plan_vm[k]], plan_dst[k]
        if hit[place_a[s]] or hit[place_a[d]] or (place_b[s] >= 0 and hit[place_b[s]]) or (
                place_b[d] >= 0 and hit[place_b[d]]):
            drop[k] = True


@njit(cache=True, nogil=True)
def _prune(plan_vm, plan_dst, length, value, st, fragment, init, state, rng):  # type: ignore[no-untyped-def]
    """Drop, one at a time from a random start, every migration whose removal keeps the rest
    feasible and the objective no higher (neutral walks and set-ups that no longer set up
    anything hold budget otherwise). Leaves the state at the pruned plan: (length, value)."""
    free_cpu0, free_mem0, gcount0, place0 = init
    free_cpu, free_mem, gcount, cur, moved = state
    tmp_vm = np.empty(max(length, 1), dtype=np.int64)
    tmp_dst = np.empty(max(length, 1), dtype=np.int64)
    first = _below(rng, max(length, 1))
    tries = length
    k = first % max(length, 1)
    for _ in range(tries):
        if length == 0:
            break
        k = k % length
        n = 0
        for j in range(length):
            if j != k:
                tmp_vm[n] = plan_vm[j]
                tmp_dst[n] = plan_dst[j]
                n += 1
        kept, val = replay(tmp_vm, tmp_dst, n, st, fragment, free_cpu0, free_mem0, gcount0, place0,
                           free_cpu, free_mem, gcount, cur, moved)
        if kept == length - 1 and val <= value:
            plan_vm[:kept] = tmp_vm[:kept]
            plan_dst[:kept] = tmp_dst[:kept]
            length, value = kept, val
        else:
            k += 1
    length, value = replay(plan_vm, plan_dst, length, st, fragment, free_cpu0, free_mem0, gcount0, place0,
                           free_cpu, free_mem, gcount, cur, moved)
    return length, value


@njit(cache=True, nogil=True)
def lns_iterations(iterations, temperature, max_remove, blink, chains, walk, related, prune,  # type: ignore[no-untyped-def]
                   limit, st, fragment, init, cur_plan, best_plan, work, state, scores, rng):
    """Ruin and recreate: drop 1..max_remove random migrations of the current plan, replay the
    rest, refill greedily with blinks (and, with probability `chains`, two-migration chains);
    with probability `walk`, when budget is left, add a random objective-neutral migration
    (`plateau_move`) and refill again; accept by simulated annealing at `temperature` (equal
    values always, so neutral migrations accumulate and may set up gains).

    With probability `related` the ruin is `_drop_related` instead (every migration touching
    the nodes of one or two random migrations of the plan). With probability `prune`, a plan
    that used the whole budget drops the migrations it does not need (`_prune`) and refills.

    `init` = (free_cpu0, free_mem0, gcount0, place0); plans are (vm, dst) array pairs and
    `scores` = [current length, current objective, best length, best objective], updated.
    """
    free_cpu0, free_mem0, gcount0, place0 = init
    free_cpu, free_mem, gcount, cur, moved = state
    cur_vm, cur_dst = cur_plan
    best_vm, best_dst = best_plan
    work_vm, work_dst = work
    for _ in range(iterations):
        length = scores[0]
        kept = 0
        drop = np.zeros(max(length, 1), dtype=np.bool_)
        if length > 0 and _unit(rng) < related:
            _drop_related(drop, cur_vm, cur_dst, length, st, place0, 1 + _below(rng, 2), rng)
        else:
            remove = min(length, 1 + _below(rng, max_remove)) if length > 0 else 0
            for _k in range(remove):
                drop[_below(rng, length)] = True
        for k in range(length):
            if not drop[k]:
                work_vm[kept] = cur_vm[k]
                work_dst[kept] = cur_dst[k]
                kept += 1
        kept, value = replay(work_vm, work_dst, kept, st, fragment, free_cpu0, free_mem0, gcount0, place0,
                             free_cpu, free_mem, gcount, cur, moved)
        chain = chains > 0.0 and _unit(rng) < chains
        kept, delta = greedy_fill(work_vm, work_dst, kept, limit, st, fragment,
                                  free_cpu, free_mem, gcount, cur, moved, blink, chain, rng)
        value += delta
        if kept < limit and _unit(rng) < walk:
            v, d, delta = plateau_move(st, fragment, free_cpu, free_mem, gcount, cur, moved, 64, rng)
            if v >= 0:
                apply_move(v, d, st, free_cpu, free_mem, gcount, cur)
                moved[v] = 1
                work_vm[kept] = v
                work_dst[kept] = d
                kept += 1
                value += delta
                kept, delta = greedy_fill(work_vm, work_dst, kept, limit, st, fragment,
                                          free_cpu, free_mem, gcount, cur, moved, blink, chain, rng)
                value += delta
        if kept == limit and _unit(rng) < prune:
            kept, value = _prune(work_vm, work_dst, kept, value, st, fragment, init, state, rng)
            kept, delta = greedy_fill(work_vm, work_dst, kept, limit, st, fragment,
                                      free_cpu, free_mem, gcount, cur, moved, blink, True, rng)
            value += delta
        worse = value - scores[1]
        if worse <= 0 or (temperature > 0.0 and _unit(rng) < np.exp(-worse / temperature)):
            cur_vm[:kept] = work_vm[:kept]
            cur_dst[:kept] = work_dst[:kept]
            scores[0], scores[1] = kept, value
        if value < scores[3]:
            best_vm[:kept] = work_vm[:kept]
            best_dst[:kept] = work_dst[:kept]
            scores[2], scores[3] = kept, value


@njit(cache=True, nogil=True)
def order_final_state(target, st, fragment, limit, free_cpu, free_mem, gcount, cur,  # type: ignore[no-untyped-def]
                      plan_vm, plan_dst):
    """Order the migrations that bring every VM v to placement target[v], from the state
    given (modified in place). Executes any migration that fits now; when none does, moves
    one waiting VM to a temporary placement (the one that hurts the objective least) if the
    budget `limit` leaves room for the extra migration. Returns (plan length, done): done is
    False when the plan stopped short of the target (the caller repairs it)."""
    vms = target.size
    waiting = np.zeros(vms, dtype=np.bool_)
    pending = 0
    for v in range(vms):
        if target[v] != cur[v]:
            waiting[v] = True
            pending += 1
    length = 0
    place_a, place_b = st[PLACE_A], st[PLACE_B]
    nodes, places = st[NODE_MACHINE].size, place_a.size
    while pending > 0 and length < limit:
        progressed = False
        for v in range(vms):
            if not waiting[v]:
                continue
            delta = move_delta(cur[v], target[v], st[HALF_CPU][v], st[HALF_MEM][v], place_a, place_b,
                               free_cpu, free_mem, fragment)
            if delta < INFEASIBLE and group_ok(v, target[v], st, gcount, cur):
                apply_move(v, target[v], st, free_cpu, free_mem, gcount, cur)
                plan_vm[length] = v
                plan_dst[length] = target[v]
                length += 1
                waiting[v] = False
                pending -= 1
                progressed = True
                break
        if progressed:
            continue
        if length + pending + 1 > limit:
            break
        hop_v, hop_d, hop_best = -1, -1, INFEASIBLE
        for v in range(vms):
            if not waiting[v]:
                continue
            lo, hi = (nodes, places) if st[DOUBLE][v] else (0, nodes)
            for d in range(lo, hi):
                if d == cur[v] or d == target[v] or not group_ok(v, d, st, gcount, cur):
                    continue
                delta = move_delta(cur[v], d, st[HALF_CPU][v], st[HALF_MEM][v], place_a, place_b,
                                   free_cpu, free_mem, fragment)
                if delta < hop_best:
                    hop_v, hop_d, hop_best = v, d, delta
        if hop_v < 0:
            break
        apply_move(hop_v, hop_d, st, free_cpu, free_mem, gcount, cur)
        plan_vm[length] = hop_v
        plan_dst[length] = hop_d
        length += 1
    return length, pending == 0
