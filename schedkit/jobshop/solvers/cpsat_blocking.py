"""`cpsat` on a blocking job shop: warm start, whole model, LNS, whole model for the bound.

1. Warm start: the best blocking rule (every rule and 20 seeded random runs of the
   deadlock-free simulation), or option `hint`'s machine orders when not worse (option
   `pinned`: operations fixed to start at 0; then only the hint).
   Then `ig` (iterated greedy) from it until IG_SHARE·T, one walk (seed + i) per worker in
   threads (makespan; not with `pinned`); a walk without a new best for IG_STALL·T starts
   again from another rule's schedule, then from random runs (`ig.Starts`, shared by the walks):
   the best rule's schedule can trap every walk (la37: 2593 from it, about 2000 from SPT's).
   The stall time grows with the shop (`stall_seconds`). On small shops with more jobs than
   machines every second restart goes back to the walk's best (an elite restart) and whole jobs
   go back by slide or exact job insertion (`ig_slide`, `ig_insert`) in half of their destructions.
   On small shops (`orders_fit`: order
   literals in the model) the walks pause at PROOF_AFTER·T for the whole model with order
   literals, hinted with their best, for PROOF_SHARE·T: 10x5 shops end there proven.
2. The whole model (`cpsat_blocking_model`) hinted with it for max(1 s, 0.10·T): proves small
   instances optimal and gives a lower bound (at least the trivial job/machine bound).
   On small shops the walks end at SMALL_IG_SHARE·T (SQUARE_IG_SHARE = PROOF_AFTER, i.e. no
   walks after the early proof, when there are no more jobs than machines) and this solve runs
   to the end (no LNS).
3. LNS until 0.90·T: each step frees a time window of operations (their k next starts from a
   random one), every operation of a few random jobs (about k operations: their best joint
   reinsertion) or of a few random machines, keeps the others' order on each
   machine (a kept operation starts once the previous kept one has left), hints the
   incumbent and solves for at most 2 s; accepted when not worse. k grows 10 % after a step
   CP-SAT closed, shrinks 10 % otherwise.
4. The whole model hinted with the incumbent for the rest: the bound, maybe a proof.
Without a time limit the whole model is solved to optimality.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.common.cpsat import cpsat_bound, new_solver, settle
from schedkit.common.finish import finish
from schedkit.common.incumbents import Incumbents
from schedkit.common.walks import run_walks, walk_count
from schedkit.deadline import dropped, offer, stopped
from schedkit.errors import InvalidOption
from schedkit.jobshop.heuristics import blocking_tabu, compiled, ig
from schedkit.jobshop.heuristics.blocking import (
    BlockingSchedule,
    leave_times,
    objective,
)
from schedkit.jobshop.heuristics.hints import blocking_from_hint, pinned_operations
from schedkit.jobshop.heuristics.plain import blocking_start_or_plain
from schedkit.jobshop.model import JobShopInstance
from schedkit.jobshop.solvers import cpsat_blocking_model as blocking_model
from schedkit.registry import SolveOptions
from schedkit.result import Result

IG_SHARE = 0.6  # of the time limit: iterated greedy from the warm start (option `ig_share`); 0.8
# left LNS no time on large shops (its window closed as the first whole solve ended); against 0.8,
# 60 s, seed 0, interleaved on la24 la25 la31 la33 la35 ta03 ta05 ta17: better on 6 of 8, mean gap
# 4.06 % against 5.71 % (goal60s report, blocking28; one seed)
SMALL_IG_SHARE = 0.6  # the same on small shops (`orders_fit`): the whole model with order
# literals hinted with the walks' best then runs to the end (la08: 1081 -> 1043, orb01: 1213 -> 1175)
SQUARE_IG_SHARE = 0.1  # small shops with no more jobs than machines (10x10): there CP-SAT improves
# on the walks, the walks seldom on it: against 0.6 (blocking26, 60 s, seeds 1-2) better on ft10
# x2, abz5, abz6 x2, orb07, worse on orb01 x2, la18; on 15x5 worse on la06, la07, better on la09
# (jobshop_blocking_refopt60s.md)
IG_STALL = 0.05  # of the time limit (per 200 operations, see `stall_seconds`): a walk without a
# new best for that long restarts from a fresh start
LARGE_JOB_SHARE = 0.3  # of the walks' destructions on large shops (not `orders_fit`): whole jobs
# (0.9 interleaved against 0.3 on 13 goal instances: better on 8, mean gap 7.90 % against 7.87 %)
WALKS = "chain"  # the walks' search on large shops: "ig", "tabu" (blocking_tabu), "mixed" (walk 0 ig,
# the others tabu) or "chain" (ig, then tabu from the walk's best for TABU_TAIL of the limit); small shops: ig
SMALL_JOB_SHARE = 0.6  # of the walks' destructions on small shops with more jobs than machines (15x5):
# whole jobs, SMALL_SLIDE_SHARE of those put back as a block (`ig_slide`); ig alone 10 s, sum over
# la06-10, seed 1: 0.3/0 (before) 5720, 0.6/0.5 5556, 0.6/1 5633; seed 2: 0.6/0.5 5588, 0.9/0.5 5684,
# 0.6/0.7 5641; in cpsat 60 s, seeds 0-3 interleaved: mean gap 2.71 % against 3.25 % (refopt60s report)
SMALL_SLIDE_SHARE = 0.25  # was 0.5 before the exact job insertion took half of the slides' share
SMALL_INSERT_SHARE = 0.25  # of those one-job destructions on the same shops: exact job insertion
# (`ig_insert`); with SMALL_ELITE_EVERY, ig alone 10 s, sums over la06-10, seeds 1-4
# (jobshop_blocking_refopt60s report, blocking29): slide 0.5 alone 22386, every second restart an elite
# 22289; seeds 1-2: insertion 0.25 + slide 0.25 11166 against 11202; seeds 3-4, both: 11129 against 11184
SMALL_ELITE_EVERY = 2  # on the same shops every that many walk restarts go back to the walk's best
TABU_TAIL = 0.15  # of the time limit: the end of the walks' phase that "chain" gives to tabu
ORDER_PAIRS = 1_000  # up to that many machine pairs (20x5 shops: 950) the model carries order literals
SMALL_LNS_END = 0.0  # of the time limit: on small shops LNS until then (0: none)
PROOF_AFTER = 0.1  # of the time limit: walks until then, then the whole model with order literals
PROOF_SHARE = 0.15  # of the time limit: that whole model's time, before the walks go on
QUICK_PROOF_OPERATIONS = 50  # up to this many operations (ft06: 36) the whole model first tries
QUICK_PROOF_SHARE = 0.02  # for this share of the limit, from the best rule (10x5 shops need 2-3 s)
FIRST_SHARE = 0.10
MIN_FIRST_SECONDS = 1.0
LNS_END_SHARE = 0.90
WINDOW_SHARE = 0.3
JOBS_SHARE = 0.4  # LNS steps that free whole jobs (the job-reinsertion neighbourhood); the rest: machines
STEP_SECONDS = 2.0
MIN_STEP_SECONDS = 0.2
MIN_SIZE = 8
SOLVE_MARGIN = 0.05


def trivial_bound(instance: JobShopInstance) -> int:
    """max(longest job, busiest machine): a makespan lower bound."""
    p = instance.alt_duration
    jobs = np.add.reduceat(p, instance.job_ptr[:-1]) + instance.release_or_zero()
    machines = np.bincount(instance.alt_machine, weights=p, minlength=instance.m)
    return int(max(jobs.max(), machines.max()))


def _whole(cp_model: Any, bm: blocking_model.BlockingModel, instance: JobShopInstance,
           incumbent: BlockingSchedule | None, deadline: float, options: SolveOptions,
           stats: dict[str, Any]) -> tuple[BlockingSchedule | None, int | None, bool]:
    """One whole-model solve until `deadline`: (best schedule, bound, proved optimal)."""
    if incumbent is not None:
        _offer(instance, incumbent, None, "before a whole-model solve", options)
        blocking_model.hint(bm, instance, incumbent.start, incumbent.leave)
    seconds = None if deadline == float("inf") else deadline - time.perf_counter() - SOLVE_MARGIN
    solver = new_solver(cp_model, options.workers, options.seed, seconds)
    status = solver.solve(bm.model)
    solver, proved = settle(cp_model, bm.model, solver, status, options.workers, options.seed,
                            None if deadline == float("inf") else deadline - time.perf_counter(), stats)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        start = blocking_model.read(bm, solver.response_proto.solution)
        value = objective(instance, start)
        if incumbent is None or value <= incumbent.objective:
            incumbent = BlockingSchedule(start, leave_times(instance, start), value, "cpsat")
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return incumbent, None, False
    return incumbent, cpsat_bound(bm.model, solver), proved


def _offer(instance: JobShopInstance, incumbent: BlockingSchedule, bound: float | None, phase: str,
           options: SolveOptions) -> None:
    """Hand the guard (and progress lines) the incumbent and the bound proven so far (none
    with operations pinned: that bound is the pinned problem's)."""
    proven = None if bound is None or bound > incumbent.objective or options.get("pinned") else int(bound)
    offer(finish(incumbent.objective, proven, False, incumbent.solution(instance),
                 {"workers": options.workers, "offered": phase}))


def _share(value: Any, small: bool = False, square: bool = False) -> float:
    """Option `ig_share` checked to lie in [0, 1] (the registry has checked it is a finite
    number); None: IG_SHARE, SMALL_IG_SHARE on small shops, SQUARE_IG_SHARE on small `square` ones."""
    if value is None:
        if small:
            return SQUARE_IG_SHARE if square else SMALL_IG_SHARE
        return IG_SHARE
    if not 0 <= value <= 1:
        raise InvalidOption(f"cpsat: option ig_share must be a number from 0 to 1, got {value!r}")
    return float(value)


def stall_seconds(instance: JobShopInstance, limit: float) -> float:
    """How long a walk may go without a new best: IG_STALL of the limit per 200 operations,
    from half to three times that (bigger shops need longer walks: ta05, la31)."""
    return IG_STALL * limit * min(3.0, max(0.5, instance.operations / 200))


def _early_proof(cp_model: Any, instance: JobShopInstance, incumbent: BlockingSchedule,
                 pinned: np.ndarray, options: SolveOptions, stats: dict[str, Any],
                 share: float = PROOF_SHARE) -> tuple[BlockingSchedule, tuple[int | None, bool]]:
    """The whole model with order literals, hinted with the warm start, for `share` of the
    limit: small shops end here proven. The schedule, then (bound, proved)."""
    assert options.time_limit is not None
    upper = incumbent.objective if instance.objective == "makespan" else None
    bm = blocking_model.build(cp_model, instance, upper, orders=True)
    for o in pinned.tolist():
        bm.model.add(bm.start[o] == 0)
    deadline = min(options.deadline, time.perf_counter() + share * options.time_limit)
    incumbent_, bound, proved = _whole(cp_model, bm, instance, incumbent, deadline, options, stats)
    assert incumbent_ is not None
    return incumbent_, (bound, proved)


def _iterated_greedy(instance: JobShopInstance, incumbent: BlockingSchedule, pinned: np.ndarray,
                     options: SolveOptions, clock: compiled.CompileClock, stats: dict[str, Any],
                     bound: int = 0, until: float | None = None) -> BlockingSchedule:
    """`ig` from the warm start until IG_SHARE (or `until`) of the limit (makespan, nothing pinned)."""
    limit = options.time_limit
    share = _share(options.get("ig_share"), bool(stats.get("order_literals")), instance.n <= instance.m)
    if until is not None:
        share = min(share, until)
    if limit is None or share <= 0 or pinned.size or instance.objective != "makespan" \
            or options.started + share * limit <= time.perf_counter() \
            or not compiled.affordable(ig.iterated_greedy, ig.IG_SECONDS, options.remaining()):
        return incumbent
    clock.run(ig.iterated_greedy, ig.warm_up)
    small = bool(stats.get("order_literals"))
    kinds = [_walk_kind(i, small) for i in range(walk_count(options.workers))]
    if kinds[-1] != "ig":
        kernel = blocking_tabu.tabu_search
        if compiled.affordable(kernel, blocking_tabu.TABU_SECONDS, options.remaining()):
            clock.run(kernel, blocking_tabu.warm_up)
        else:
            kinds = ["ig"] * len(kinds)
    began = time.perf_counter()
    end, floor = options.started + share * limit, max(bound, trivial_bound(instance))
    starts = ig.Starts(instance, options.seed, incumbent.rule)  # shared: each restart a new one
    if small and instance.n > instance.m:
        job_share, slide_share, insert_share = SMALL_JOB_SHARE, SMALL_SLIDE_SHARE, SMALL_INSERT_SHARE
        elite = SMALL_ELITE_EVERY
    else:
        job_share, slide_share, insert_share = (ig.JOB_SHARE if small else LARGE_JOB_SHARE), 0.0, 0.0
        elite = 0
    patience = stall_seconds(instance, limit)
    ig_end = end - TABU_TAIL * limit
    incumbents = Incumbents(incumbent.objective, stats={"workers": options.workers})  # the walks' new bests

    def walk(i: int) -> tuple[BlockingSchedule, int]:
        seed = options.seed + i
        if kinds[i] == "tabu":
            return blocking_tabu.improve(instance, incumbent, end, seed, None, floor, patience, starts,
                                         incumbents)
        if kinds[i] == "chain":
            found, done = ig.improve(instance, incumbent, ig_end, seed, None, floor, patience, starts,
                                     job_share, slide_share, insert_share, elite, incumbents)
            polished, more = blocking_tabu.improve(instance, found, end, seed, None, floor,
                                                   incumbents=incumbents)
            return polished, done + more
        return ig.improve(instance, incumbent, end, seed, None, floor, patience, starts, job_share,
                          slide_share, insert_share, elite, incumbents)

    runs = run_walks(walk, len(kinds))  # the kernels release the GIL: one walk per worker
    found = min((schedule for schedule, _ in runs), key=lambda schedule: schedule.objective)
    stats["ig_iterations"] = stats.get("ig_iterations", 0) + sum(done for _, done in runs)
    stats["ig_seconds"] = round(stats.get("ig_seconds", 0) + time.perf_counter() - began, 3)
    stats.update(ig_objective=found.objective, ig_walks=len(kinds), walks=",".join(kinds))
    return found


def _walk_kind(i: int, small: bool) -> str:
    """Walk i's search under WALKS: "ig", "tabu" or "chain" (ig on small shops)."""
    if small or WALKS == "ig":
        return "ig"
    if WALKS == "mixed":
        return "ig" if i == 0 else "tabu"
    return WALKS


def _free(instance: JobShopInstance, incumbent: BlockingSchedule, k: int, rng: np.random.Generator
          ) -> np.ndarray:
    """A time window of k operations, every operation of a few random jobs (their best
    reinsertion), or every operation of a few random machines."""
    draw = rng.random()
    if draw < WINDOW_SHARE or instance.m < 2 or instance.n < 2:
        order = np.argsort(incumbent.start, kind="stable")
        first = int(rng.integers(0, max(1, order.size - k + 1)))
        return order[first:first + k]
    if draw < WINDOW_SHARE + JOBS_SHARE:
        return _whole_groups(instance.job_of(), instance.n, instance.operations, k, rng)
    return _whole_groups(instance.alt_machine, instance.m, instance.operations, k, rng)


def _whole_groups(group_of: np.ndarray, groups: int, operations: int, k: int,
                  rng: np.random.Generator) -> np.ndarray:
    """Every operation of a few random groups (jobs or machines; `group_of` per operation),
    about k operations in all, never every group."""
    per_group = max(1, operations // groups)
    count = max(1, min(groups - 1, round(k / per_group)))
    chosen = rng.choice(groups, count, replace=False)
    return np.flatnonzero(np.isin(group_of, chosen))


def _fix_rest(bm: blocking_model.BlockingModel, sub: Any, instance: JobShopInstance,
              incumbent: BlockingSchedule, free: np.ndarray) -> None:
    """On every machine the kept operations that hold it a while, in incumbent order: the next
    starts once the previous has left (its job's next start, or its end for a last operation)."""
    kept = np.ones(instance.operations, dtype=bool)
    kept[free] = False
    machine = instance.alt_machine
    order = np.lexsort((incumbent.leave, incumbent.start, machine))
    ops = order[kept[order] & (incumbent.leave[order] > incumbent.start[order])]  # empty holds: free
    last = np.zeros(instance.operations, dtype=bool)
    last[instance.job_ptr[1:] - 1] = True
    starts = [sub.get_int_var_from_proto_index(s.index) for s in bm.start]
    p = instance.alt_duration
    for a, b in zip(ops[:-1].tolist(), ops[1:].tolist(), strict=True):
        if machine[a] != machine[b]:
            continue
        leave = starts[a] + int(p[a]) if last[a] else starts[a + 1]
        sub.add(starts[b] >= leave)


def _lns(cp_model: Any, bm: blocking_model.BlockingModel, instance: JobShopInstance,
         incumbent: BlockingSchedule, deadline: float, options: SolveOptions, floor: int,
         stats: dict[str, Any]) -> BlockingSchedule:
    rng = np.random.default_rng(options.seed)
    k = max(MIN_SIZE, min(instance.operations, 4 * instance.m, instance.operations // 2))
    steps = improved = closed = 0
    began = time.perf_counter()
    while incumbent.objective > floor and deadline - time.perf_counter() >= MIN_STEP_SECONDS:
        free = _free(instance, incumbent, k, rng)
        sub = bm.model.clone()
        _fix_rest(bm, sub, instance, incumbent, free)
        blocking_model.hint(bm, instance, incumbent.start, incumbent.leave, sub)
        left = deadline - time.perf_counter()
        solver = new_solver(cp_model, options.workers, int(rng.integers(0, 2**31 - 1)),
                            min(STEP_SECONDS, left))
        status = solver.solve(sub)
        steps += 1
        if status == cp_model.OPTIMAL:
            closed += 1
            k = min(instance.operations, int(k * 1.1) + 1)
        else:
            k = max(MIN_SIZE, int(k * 0.9))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            start = blocking_model.read(bm, solver.response_proto.solution)
            value = objective(instance, start)
            if value <= incumbent.objective:
                better = value < incumbent.objective
                improved += better
                incumbent = BlockingSchedule(start, leave_times(instance, start), value, "lns")
                if better:
                    _offer(instance, incumbent, floor, "an LNS improvement", options)
    stats.update(lns_steps=steps, lns_improved=improved, lns_closed=closed, lns_size=k,
                 lns_seconds=round(time.perf_counter() - began, 3))
    return incumbent


def solve_blocking(instance: JobShopInstance, options: SolveOptions, cp_model: Any) -> Result:
    """The phased search on a blocking instance (see the module docstring)."""
    _share(options.get("ig_share"))  # a bad value fails before any work
    clock = compiled.CompileClock()
    stats: dict[str, Any] = {"workers": options.workers}
    incumbent: BlockingSchedule | None = None
    pinned = pinned_operations(instance, options.get("pinned"))
    if not pinned.size:
        incumbent = blocking_start_or_plain(instance, options, clock, stats)
    if stopped():
        return dropped(stats)
    if options.get("hint") is not None:
        hinted = blocking_from_hint(instance, options.get("hint"))
        if hinted is not None and not hinted.start[pinned].any() and (
                incumbent is None or hinted.objective <= incumbent.objective):
            incumbent = hinted
    orders = blocking_model.orders_fit(instance, ORDER_PAIRS)
    stats["order_literals"] = orders
    proof: tuple[int | None, bool] = (None, False)
    if incumbent is not None:
        stats.update(warm_start=incumbent.objective, warm_start_rule=incumbent.rule)
        _offer(instance, incumbent, None, "the best rule, before the walks", options)
        if orders and options.time_limit is not None and instance.operations <= QUICK_PROOF_OPERATIONS:
            incumbent, proof = _early_proof(cp_model, instance, incumbent, pinned, options, stats,
                                            QUICK_PROOF_SHARE)
            if proof[1]:  # ft06 in 0.1 s, where the walks first spent PROOF_AFTER of the limit
                return _result(instance, incumbent, proof[0], True, stats, clock)
        if orders and options.time_limit is not None:
            incumbent = _iterated_greedy(instance, incumbent, pinned, options, clock, stats,
                                         until=PROOF_AFTER)
            incumbent, proof = _early_proof(cp_model, instance, incumbent, pinned, options, stats)
            if proof[1]:
                return _result(instance, incumbent, proof[0], True, stats, clock)
        incumbent = _iterated_greedy(instance, incumbent, pinned, options, clock, stats, proof[0] or 0)
    upper = incumbent.objective if incumbent is not None and instance.objective == "makespan" else None
    bm = blocking_model.build(cp_model, instance, upper, orders)
    for o in pinned.tolist():
        bm.model.add(bm.start[o] == 0)
    limit = options.time_limit
    if limit is None:
        incumbent, bound, proved = _whole(cp_model, bm, instance, incumbent, options.deadline, options, stats)
        return _result(instance, incumbent, bound, proved, stats, clock)
    first = min(options.deadline, time.perf_counter() + max(MIN_FIRST_SECONDS, FIRST_SHARE * limit))
    if orders and SMALL_LNS_END <= 0:  # small shops: one whole-model solve to the end, no LNS
        first = options.deadline
    incumbent, bound, proved = _whole(cp_model, bm, instance, incumbent, first, options, stats)
    if proof[0] is not None:
        bound = proof[0] if bound is None else max(bound, proof[0])
    if instance.objective == "makespan":
        bound = max(bound or 0, trivial_bound(instance))
    floor = bound if bound is not None else 0
    if incumbent is not None:
        _offer(instance, incumbent, bound, "after the first whole-model solve", options)
    if incumbent is not None and not proved and incumbent.objective > floor and options.get("lns", True) \
            and (not orders or SMALL_LNS_END > 0):
        lns_end = options.started + (SMALL_LNS_END if orders else LNS_END_SHARE) * limit
        incumbent = _lns(cp_model, bm, instance, incumbent, lns_end, options, floor, stats)
    # the whole model again for the bound; also when there is no plan yet (no warm start: its
    # kernel not compiled within the budget) and the first phase found none
    if not proved and (incumbent is None or incumbent.objective > floor) \
            and options.deadline - time.perf_counter() > 0.1:
        incumbent, later, proved = _whole(cp_model, bm, instance, incumbent, options.deadline, options, stats)
        if later is not None:
            bound = later if bound is None else max(bound, later)
    return _result(instance, incumbent, bound, proved, stats, clock)


def _result(instance: JobShopInstance, incumbent: BlockingSchedule | None, bound: int | None,
            proved: bool, stats: dict[str, Any], clock: compiled.CompileClock) -> Result:
    stats["compile_seconds"] = round(clock.seconds, 3)
    if incumbent is None:
        return finish(None, bound, False, None, stats)
    if bound is not None and bound > incumbent.objective:
        stats["discarded_bound"] = bound
        bound = None
    return finish(incumbent.objective, bound, proved, incumbent.solution(instance), stats)
