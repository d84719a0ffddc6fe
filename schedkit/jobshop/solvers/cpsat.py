"""Job shop with OR-Tools CP-SAT (method `cpsat`): interval model, warm start, tabu, LNS.

With a time limit T the budget is shared:
1. Warm start: the best dispatching rule (every rule, active and non-delay, and 20 seeded
   random runs; a few milliseconds even at 100 x 20).
2. A solve of the whole model (`jobshop_model`) hinted with it for max(1 s, 0.10·T): proves
   the small instances optimal and gives a lower bound (raised to the trivial job/machine
   bound for the makespan).
3. Makespan: tabu search (`jobshop_tabu`, N5 neighbourhood) until 0.60·T (flexible: with
   the machine assignment frozen, until 0.20·T). On 20 x 15 and larger classic instances this
   is where most of the improvement comes from.
4. A large-neighbourhood search (`jobshop_lns`): short CP-SAT solves of time windows, machines
   or jobs around the incumbent (the only phase that moves operations between machines),
   until 0.95·T.
5. A last whole-model solve hinted with the incumbent for the rest: bound, maybe a proof.
Option `hint` (a solution, or per-job lists of starts): its machine orders, rebuilt as the
earliest schedule keeping them, are the warm start when not worse than the best rule. Option
`pinned` (operation ids): operations that start at 0, already under way (the simulator's
`reschedule`); then only the hint can be the warm start, tabu search is skipped, and what
CP-SAT proves is the pinned problem's (`stats["pinned_bound"]`, `["pinned_status"]`): the
result itself keeps the instance's trivial makespan bound and is never `optimal` by it.
Every phase stops early once the incumbent meets the bound. `lns=False` / `tabu=False` skip
phases 4 / 3. Without a time limit the whole model is solved to optimality (no tabu, no LNS).
`num_workers` is `workers` in every CP-SAT solve; with a limit the outcome depends on timing.
Time: every phase ends by the caller's deadline (each CP-SAT solve gets what is left after
its model is hinted); a numba kernel that would have to compile in a budget too short for it
is skipped (no warm start: CP-SAT finds the first schedule; no tabu phase), and the first
calls' load or compile time is `compile_seconds`.
"""

from __future__ import annotations

import time
from typing import Any

from schedkit.common.cpsat import cpsat_bound, new_solver, settle
from schedkit.common.finish import finish
from schedkit.common.incumbents import Incumbents
from schedkit.deadline import dropped, offer, stopped
from schedkit.errors import SolverUnavailable
from schedkit.jobshop.heuristics import compiled
from schedkit.jobshop.heuristics import tabu as jobshop_tabu
from schedkit.jobshop.heuristics.hints import classic_from_hint, pinned_operations
from schedkit.jobshop.heuristics.methods import schedule_result
from schedkit.jobshop.heuristics.plain import offer_plain, warm_start_or_plain
from schedkit.jobshop.heuristics.rules import Schedule, objective
from schedkit.jobshop.heuristics.tabu_kernels import tabu_search
from schedkit.jobshop.model import JobShopInstance
from schedkit.jobshop.solvers import cpsat_lns as jobshop_lns
from schedkit.jobshop.solvers import cpsat_model as jobshop_model
from schedkit.jobshop.solvers.cpsat_blocking import solve_blocking
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

FIRST_SHARE = 0.10  # of the budget for the first whole-model solve
TABU_SHARE = 0.50  # of the budget for tabu search (classic job shop, makespan)
FLEXIBLE_TABU_SHARE = 0.10  # flexible: tabu search on the frozen assignment, then LNS moves machines
LAST_SHARE = 0.05  # of the budget for the closing whole-model solve
MIN_FIRST_SECONDS = 1.0
SOLVE_MARGIN = 0.05  # seconds kept back from each CP-SAT solve for reading its answer


def import_cp_model() -> Any:
    """OR-Tools' cp_model module (SolverUnavailable when missing)."""
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:  # pragma: no cover - ortools is a core dependency
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from error
    return cp_model


def _solve_whole(cp_model: Any, jm: jobshop_model.JobShopModel, instance: JobShopInstance,
                 incumbent: Schedule | None, deadline: float, options: SolveOptions,
                 stats: dict[str, Any]) -> tuple[Schedule | None, int | None, bool]:
    """One whole-model solve from `incumbent` until `deadline` (perf_counter; inf: no limit):
    (best schedule, lower bound, proved optimal)."""
    if incumbent is not None:
        offer_schedule(instance, incumbent, None, "before a whole-model solve", options)
        jobshop_model.hint(jm, instance, incumbent)
    seconds = None if deadline == float("inf") else deadline - time.perf_counter() - SOLVE_MARGIN
    solver = new_solver(cp_model, options.workers, options.seed, seconds)
    status = solver.solve(jm.model)
    solver, proved = settle(cp_model, jm.model, solver, status, options.workers, options.seed,
                            _left(deadline), stats)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        start, alt = jobshop_model.read(jm, instance, solver)
        value = objective(instance, start, alt)
        if incumbent is None or value <= incumbent.objective:
            incumbent = Schedule(start, alt, value, "cpsat")
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):  # not for a job shop: no bound
        return incumbent, None, False
    return incumbent, cpsat_bound(jm.model, solver), proved  # valid: the model is feasible


def _left(deadline: float) -> float | None:
    """Seconds to `deadline` (perf_counter; inf: None, no limit)."""
    return None if deadline == float("inf") else deadline - time.perf_counter()


def offer_schedule(instance: JobShopInstance, incumbent: Schedule, bound: int | None, phase: str,
                   options: SolveOptions) -> None:
    """Hand the guard (and progress lines) the incumbent and the bound proven so far (none
    with operations pinned: that bound is the pinned problem's)."""
    bound = None if bound is not None and bound > incumbent.objective or options.get("pinned") else bound
    offer(finish(incumbent.objective, bound, False, schedule_result(instance, incumbent).solution,
                 {"workers": options.workers, "offered": phase}))


@register(
    "jobshop",
    "cpsat",
    exact=True,
    description="OR-Tools CP-SAT interval model, warm-started by the best rule and tabu search, "
    "then LNS around the incumbent (blocking: variable-length intervals chained end to start, "
    "warm-started by iterated greedy for ig_share of the limit: 0.6, 0.1 on small shops with no "
    "more jobs than machines)",
    options={"lns": True, "tabu": True, "hint": None, "pinned": None, "ig_share": None},
)
def solve_cpsat(instance: JobShopInstance, options: SolveOptions) -> Result:
    """Best schedule found and the proven lower bound; optimal when they meet."""
    offer_plain(instance, options, "ortools.sat.python.cp_model")
    cp_model = import_cp_model()
    pinned = pinned_operations(instance, options.get("pinned")).size > 0
    result = (solve_blocking(instance, options, cp_model) if instance.blocking
              else _solve_classic(instance, options, cp_model))
    return _of_the_instance(instance, result) if pinned else result


def _of_the_instance(instance: JobShopInstance, result: Result) -> Result:
    """With operations pinned at 0, CP-SAT's bound and proof are the pinned problem's, whose
    optimum may lie above the instance's: they move to stats, the instance keeps its trivial
    makespan bound (none for other objectives), and a pinned problem without a schedule is no
    proof that the instance has none."""
    stats = {**result.stats, "pinned_status": result.status, "pinned_bound": result.bound}
    bound = jobshop_model.trivial_bound(instance) if instance.objective == "makespan" else None
    if result.objective is not None and bound is not None and bound > result.objective:
        bound = None
    return finish(result.objective, bound, False, result.solution, stats)


def _solve_classic(instance: JobShopInstance, options: SolveOptions, cp_model: Any) -> Result:
    """The five phases on a job shop with buffers (module docstring)."""
    limit = options.time_limit
    clock = compiled.CompileClock()
    pinned = pinned_operations(instance, options.get("pinned"))
    stats: dict[str, Any] = {"workers": options.workers}
    incumbent = None if pinned.size else warm_start_or_plain(instance, options, clock, stats)
    if stopped():
        return dropped(stats)
    if options.get("hint") is not None:
        hinted = classic_from_hint(instance, options.get("hint"))
        if hinted is not None and not hinted.start[pinned].any() and (
                incumbent is None or hinted.objective <= incumbent.objective):
            incumbent = hinted
    if incumbent is not None:  # the guard's answer should the model's build outlast the limit
        offer_schedule(instance, incumbent, None, "the warm start, before the model", options)
    upper = incumbent.objective if incumbent is not None and instance.objective == "makespan" else None
    jm = jobshop_model.build(cp_model, instance, upper)
    for o in pinned.tolist():
        jm.model.add(jm.start[o] == 0)
    if incumbent is not None:
        stats.update(warm_start=incumbent.objective, warm_start_rule=incumbent.rule)
    if limit is None:  # no budget to share: the whole model to optimality
        incumbent, bound, proved = _solve_whole(cp_model, jm, instance, incumbent, options.deadline,
                                                options, stats)
        return _result(instance, incumbent, bound, proved, stats, clock)
    first = min(options.deadline, time.perf_counter() + max(MIN_FIRST_SECONDS, FIRST_SHARE * limit))
    incumbent, bound, proved = _solve_whole(cp_model, jm, instance, incumbent, first, options, stats)
    if instance.objective == "makespan":
        bound = max(bound or 0, jobshop_model.trivial_bound(instance))
    floor = bound if bound is not None else 0
    if incumbent is None:
        return _result(instance, incumbent, bound, proved, stats, clock)
    offer_schedule(instance, incumbent, bound, "after the first whole-model solve", options)
    share = FLEXIBLE_TABU_SHARE if instance.flexible else TABU_SHARE
    until = options.deadline - (1 - share - FIRST_SHARE) * limit
    if (not proved and options.get("tabu", True) and jobshop_tabu.applies(instance) and not pinned.size
            and until > time.perf_counter()):
        if compiled.affordable(tabu_search, compiled.TABU_SECONDS, until - time.perf_counter()):
            clock.run(tabu_search, jobshop_tabu.warm_up)
            began = time.perf_counter()
            incumbent, iterations = jobshop_tabu.improve(instance, incumbent, until, options.seed, floor,
                                                         Incumbents(incumbent.objective, stats={
                                                             "workers": options.workers}))
            stats.update(tabu_iterations=iterations, tabu_seconds=round(time.perf_counter() - began, 3),
                         tabu_objective=incumbent.objective)
            offer_schedule(instance, incumbent, bound, "after tabu search", options)
        else:
            stats["tabu_skipped"] = "its kernel would compile longer than the tabu share of the budget"
    if not proved and incumbent.objective > floor and options.get("lns", True):
        closing = LAST_SHARE * limit
        incumbent, lns_stats = jobshop_lns.search(
            cp_model, jm, instance, incumbent, options.deadline - closing, options.workers,
            options.seed, floor,
            lambda better: offer_schedule(instance, better, bound, "an LNS improvement", options))
        stats.update(lns_steps=lns_stats.steps, lns_improved=lns_stats.improved,
                     lns_closed=lns_stats.closed, lns_size=lns_stats.size,
                     lns_seconds=round(lns_stats.seconds, 3))
    if not proved and incumbent.objective > floor and options.deadline - time.perf_counter() > 0.1:
        incumbent, later, proved = _solve_whole(cp_model, jm, instance, incumbent, options.deadline,
                                                options, stats)
        if later is not None:
            bound = later if bound is None else max(bound, later)
    return _result(instance, incumbent, bound, proved, stats, clock)


def _result(instance: JobShopInstance, incumbent: Schedule | None, bound: int | None, proved: bool,
            stats: dict[str, Any], clock: compiled.CompileClock) -> Result:
    """Through the one finish rule: optimal when proved or when the bound meets the objective."""
    stats["compile_seconds"] = round(clock.seconds, 3)
    if incumbent is None:
        return finish(None, bound, False, None, stats)
    if bound is not None and bound > incumbent.objective:
        stats["discarded_bound"] = bound
        bound = None
    solution = schedule_result(instance, incumbent).solution
    return finish(incumbent.objective, bound, proved, solution, stats)
