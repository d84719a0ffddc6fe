"""Python side of the VMR kernels: state set-up, greedy, LNS under a deadline, turning a
final placement into an ordered plan, and plans into solutions."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.common.rng import seed_state
from schedkit.result import Result
from schedkit.vmr.heuristics import kernels
from schedkit.vmr.heuristics.arrays import VMRArrays
from schedkit.vmr.model import Migration, VMRInstance, VMRSolution

CHUNK_SECONDS = 0.05  # LNS checks the clock about this often
RESTART_AFTER = 1000  # iterations without a new best before LNS ruins half its plan (200 restarted too
# often: the 95 % / K = 50 clusters need long annealing walks on one plan)



@dataclass
class Plan:
    """Migrations (vm, placement) in order and the objective they reach."""

    vm: np.ndarray
    dst: np.ndarray
    objective: int

    @property
    def length(self) -> int:
        """Number of migrations."""
        return int(self.vm.size)


def static_tuple(a: VMRArrays) -> tuple[np.ndarray, ...]:
    """The kernels' static tuple, in the order of the index constants of vmr_kernels."""
    return (a.place_a, a.place_b, a.node_machine, a.vm_half_cpu, a.vm_half_mem, a.vm_double, a.vm_group,
            a.rep_order, a.rep_start, a.size_of, a.size_half_cpu, a.size_half_mem, a.size_double,
            a.machine_first, a.pair_first, a.place_run)


def initial_state(a: VMRArrays) -> tuple[np.ndarray, ...]:
    """Fresh copies of (free_cpu, free_mem, gcount, cur, moved) at the initial placement."""
    return (a.free_cpu0.copy(), a.free_mem0.copy(), a.group_count0.copy(), a.place0.copy(),
            np.zeros(a.place0.size, dtype=np.uint8))


def new_rng(seed: int) -> np.ndarray:
    """The kernels' explicit random state for `seed`: one uint64 cell they advance in place."""
    return np.array([seed_state(seed)], dtype=np.uint64)


def initial_objective(a: VMRArrays) -> int:
    """Σ (free mod F) before any migration."""
    return int(kernels.objective(a.free_cpu0, a.fragment))


def greedy(a: VMRArrays, limit: int | None = None, blink: float = 0.0) -> Plan:
    """Up to K times the migration that lowers Σ (free mod F) most (each VM moves at most once)."""
    limit = a.limit if limit is None else limit
    state = initial_state(a)
    plan_vm = np.zeros(max(limit, 1), dtype=np.int64)
    plan_dst = np.zeros(max(limit, 1), dtype=np.int64)
    free_cpu, free_mem, gcount, cur, moved = state
    length, delta = kernels.greedy_fill(plan_vm, plan_dst, 0, limit, static_tuple(a), a.fragment,
                                        free_cpu, free_mem, gcount, cur, moved, blink, True, new_rng(0))
    return Plan(plan_vm[:length].copy(), plan_dst[:length].copy(), initial_objective(a) + int(delta))


def lns(a: VMRArrays, start: Plan, deadline: float, seed: int, max_remove: int = 3,
        blink: float = 0.02, temperature: float = 4.0, chains: float = 0.25, walk: float = 0.5,
        related: float = 0.5, prune: float = 0.3, stop_at: int = -1,
        iterations: int | None = None,
        stop: Callable[[int], bool] | None = None, incumbents: Incumbents | None = None,
        as_result: Callable[[Plan], Result] | None = None) -> tuple[Plan, dict[str, int]]:
    """Ruin and recreate from `start` until `deadline` (a perf_counter value) or until the
    best objective reaches `stop_at` (a proven lower bound). `chains` is the share of refills
    that may use two-migration chains (one chain search costs several single-migration
    searches); `related` is the share of ruins that drop every migration at the nodes of one
    or two random migrations (`_drop_related`) instead of 1..max_remove random ones. The
    annealing temperature falls linearly to 0 over the budget. With
    `iterations` it stops after that many ruin-and-recreate steps (then the temperature falls
    per iteration, and the result depends on the seed only, unless the deadline comes first).
    After RESTART_AFTER iterations without a new best, one iteration ruins half the plan and
    is accepted whatever it scores (the best plan is kept apart). Returns the best plan and
    counters. `stop`, when given, is asked about every CHUNK_SECONDS, with the best objective so
    far, whether to end early (`auto` ends the search once its MIP, running beside it, is done
    or has proven that value). Each new best, as `as_result` makes it a Result, goes to
    `incumbents` (progress)."""
    size = max(a.limit, 1)
    cur = (np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64))
    best = (np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64))
    work = (np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64))
    for target in (cur, best):
        target[0][: start.length] = start.vm
        target[1][: start.length] = start.dst
    scores = np.array([start.length, start.objective, start.length, start.objective], dtype=np.int64)
    init = (a.free_cpu0, a.free_mem0, a.group_count0, a.place0)
    state = initial_state(a)
    st = static_tuple(a)
    rng = new_rng(seed)
    began = time.perf_counter()
    done, batch, stall, restarts = 0, 1, 0, 0
    total = iterations
    if a.limit == 0 or a.place0.size == 0:
        deadline = began  # nothing to search
    while True:
        now = time.perf_counter()
        if now >= deadline or scores[3] <= stop_at or (total is not None and done >= total):
            break
        if stop is not None and stop(int(scores[3])):
            break
        if total is None:
            span = max(deadline - began, 1e-9)
            heat = temperature * max(0.0, (deadline - now) / span)
        else:  # fixed batches: the restarts below fall on the same iterations every run
            heat = temperature * (1.0 - done / max(total, 1))
            batch = min(16, total - done)
        if stall >= RESTART_AFTER:  # escape: ruin half the plan and take the result whatever it is
            kernels.lns_iterations(1, 1e12, max(max_remove, a.limit // 2), blink, chains, walk, 0.0, prune,
                                   a.limit, st, a.fragment, init, cur, best, work, state, scores, rng)
            done, stall, restarts = done + 1, 0, restarts + 1
            continue
        tick = time.perf_counter()
        before = scores[3]
        kernels.lns_iterations(batch, heat, max_remove, blink, chains, walk, related, prune, a.limit,
                               st, a.fragment, init, cur, best, work, state, scores, rng)
        done += batch
        stall = 0 if scores[3] < before else stall + batch
        if incumbents is not None and as_result is not None:
            if scores[3] < before:
                length = int(scores[2])
                found = Plan(best[0][:length].copy(), best[1][:length].copy(), int(scores[3]))
                incumbents.improved(found.objective, partial(as_result, found))
            incumbents.poll()
        spent = time.perf_counter() - tick
        if total is None:
            batch = max(1, min(batch * 2, int(batch * CHUNK_SECONDS / max(spent, 1e-6))))
    length = int(scores[2])
    plan = Plan(best[0][:length].copy(), best[1][:length].copy(), int(scores[3]))
    return plan, {"iterations": done, "restarts": restarts}


def realise(a: VMRArrays, target: np.ndarray) -> tuple[Plan, bool]:
    """An ordered plan of at most K migrations for the final placement `target` (placement
    per VM). Migrations run in an order that keeps every capacity; a cycle is broken by a
    temporary hop while K allows. If the target cannot be reached that way, the plan keeps
    what it could carry out and fills the rest greedily. Returns (plan, reached)."""
    st = static_tuple(a)
    free_cpu, free_mem, gcount, cur, moved = initial_state(a)
    size = max(a.limit, 1)
    plan_vm = np.zeros(size, dtype=np.int64)
    plan_dst = np.zeros(size, dtype=np.int64)
    length, done = kernels.order_final_state(target.astype(np.int64), st, a.fragment, a.limit,
                                             free_cpu, free_mem, gcount, cur, plan_vm, plan_dst)
    if not done:
        moved[plan_vm[:length]] = 1
        length, _ = kernels.greedy_fill(plan_vm, plan_dst, length, a.limit, st, a.fragment,
                                        free_cpu, free_mem, gcount, cur, moved, 0.0, True, new_rng(0))
    value = int(kernels.objective(free_cpu, a.fragment))
    return Plan(plan_vm[:length].copy(), plan_dst[:length].copy(), value), bool(done)


def final_placement(a: VMRArrays, plan: Plan) -> np.ndarray:
    """Placement of every VM after the plan."""
    place = a.place0.copy()
    place[plan.vm] = plan.dst
    return place


def to_solution(instance: VMRInstance, a: VMRArrays, plan: Plan) -> VMRSolution:
    """The plan as migrations naming VMs, machines and NUMA numbers."""
    moves = []
    for v, d in zip(plan.vm.tolist(), plan.dst.tolist(), strict=True):
        nodes = [int(a.place_a[d])] + ([int(a.place_b[d])] if a.place_b[d] >= 0 else [])
        machine = int(a.node_machine[nodes[0]])
        first = int(a.machine_first[machine])
        moves.append(Migration(instance.vm_ids[v], instance.machine_ids[machine],
                               tuple(n - first for n in nodes)))
    return VMRSolution(moves)
