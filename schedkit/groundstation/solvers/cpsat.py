"""`cpsat`: optional intervals per (request, alternative, view-period piece, copy), with variable
length; the antenna-occupying interval holds set-up and tear-down around the tracking interval.

- options are the view-period pieces that can hold a track of the minimum length (maintenance
  cut out, see heuristics.board.request_options): a week of SatNet keeps ~2,500-3,300;
- a splittable request gets copies of an option (ordered, no symmetric twins) up to what fits
  between other tracks there (solvers/copies.py);
- one no-overlap per antenna (an array's track sits in each of its antennas'), maintenance as
  fixed intervals; one no-overlap per mission (per request when the instance relaxes it);
- per request at most max_tracks tracks (one under 8 h) and at most L seconds in total;
- objective: unserved seconds (`objective="fair"`: first U_max, then unserved seconds);
- when the full model is solved (up to 50 requests, or no time limit), redundant capacity rows
  per mission and antenna (solvers/energy.py) give its relaxation a bound;
- one worker on up to 50 requests searches at CP-SAT's linearization level 2 (LINEARIZATION);
- warm start: `lns` for `warm_share` (0.4) of the budget (on up to 50 requests it stops once
  it stalls; late acceptance over `late_history` steps, heuristics/lns.py), given as hints;
- search: above 50 requests the rest of the budget goes to a CP-SAT LNS over time windows
  (solvers/window_lns.py: the full model with every slot outside a window fixed to the
  incumbent; some rounds over one group of antennas, `group_share`), below it to one CP-SAT
  run on the full model; `window_share` (0-1) splits the budget between the two explicitly;
- at most MAX_MODEL_SLOTS optional tracks (beyond: the warm start and the bounds, even without
  a time limit);
- bound: the best of CP-SAT's own (when the full model ran), the mission transportation bound
  (solvers/bounds.py) and the LP bounds of solvers/bound_job.py, run in a thread beside the
  search: the non-preemptive LP (solvers/interval_lp.py, `interval_grid` s buckets; 0: 3 h,
  then 1 h, then 30 min while time is left), or with `interval_grid=-1` the preemptive bucketed LP
  (`bound_grid` s buckets, 3 h), HiGHS stopped after `bound_share` (0.9) of the budget.
"""

from __future__ import annotations

import math
import time
from typing import Any

from schedkit.common.cpsat import new_solver
from schedkit.common.finish import finish, integral_bound
from schedkit.common.incumbents import Incumbents
from schedkit.deadline import offer
from schedkit.errors import InvalidOption
from schedkit.groundstation.heuristics.board import Board, Option, request_options
from schedkit.groundstation.heuristics.floor import proven_floor
from schedkit.groundstation.heuristics.lns import END_SHARE, LATE_HISTORY, late_history, lns_board
from schedkit.groundstation.heuristics.missions import serve_missions
from schedkit.groundstation.heuristics.score import Scorer, check_objective
from schedkit.groundstation.model import (
    GroundStationInstance,
    plan_stats,
)
from schedkit.groundstation.solvers import cpsat_model
from schedkit.groundstation.solvers.antenna_groups import antenna_groups
from schedkit.groundstation.solvers.bound_job import BoundJob
from schedkit.groundstation.solvers.bounds import mission_flow_bound
from schedkit.groundstation.solvers.copies import copy_counts
from schedkit.groundstation.solvers.cpsat_model import Slot
from schedkit.groundstation.solvers.sub_model import SubModels
from schedkit.groundstation.solvers.window_lns import (
    CLIP_SHARE,
    GROUP_SHARE,
    INSERT_SHARE,
    SHORT_SHARE,
    WindowSearch,
    search,
)
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

EXTRACT_SECONDS = 0.8  # kept back from the solver for reading the answer (and its overrun)
BUILD_SECONDS_PER_SLOT = 1e-3  # model building, measured ~0.6 ms per optional track at load 15
IMPORT_SECONDS = 1.0  # importing OR-Tools on a loaded machine
FLOW_SECONDS_PER_OPTION = 1e-3  # the transportation bound, ~0.3 ms per option at load 15
WARM_STALL = 300  # on a small instance the warm start stops after this many idle lns steps
SMALL = 50  # requests
LP_SETUP_SECONDS = 1.5  # building the bucketed LP and reading its duals (a SatNet week, loaded machine)
LP_GRID = 10800  # preemptive LP buckets (s)
INTERVAL_GRIDS = (10800, 3600, 1800)  # interval LP buckets (s), coarse first (a stage that would
# likely not end in time is skipped, see solvers/bound_job.py)
LP_MIN_SECONDS = 2.0  # HiGHS is not started with less than this
WARM_SHARE = 0.4  # default share of the budget for the lns warm start
NO_ROOM_NOTE = "no room in the time limit for the CP-SAT model after the warm start: lns had all of it"
MAX_MODEL_SLOTS = 100_000  # optional tracks CP-SAT is given: 100,000 took 2.5 GB (a SatNet week:
# 2,700-3,700); a split request's copies grow with the tracks that fit in its view (copies.py)
COPIES_SHARE = 0.1  # of the time limit for copies.copy_counts (10^4 requests: 3.7 s at load 8);
# the options left get every copy that fits
SUB_MODELS = True  # window rounds build a model of their free slots only (solvers/sub_model.py)
WINDOW_SHARE = 1.0  # default share of the search budget for the window LNS (above SMALL requests)
LINEARIZATION = 2  # CP-SAT's linearization_level for one worker up to SMALL requests: at its default
# (1) one worker, without the warm start's hint, was stuck at 14400 for 15 s on a one-request case
# (tests/groundstation/test_groundstation_overlapping_views.py) that level 2 proves in 0.4 s


def _offer_values(instance: GroundStationInstance, slots: list[Slot], values: list[list[int]],
                  stats: dict[str, Any], phase: str) -> None:
    """Hand the guard (and progress lines) the plan of these slot values."""
    solution, tracked = cpsat_model.plan_from(instance, slots, values)
    offer(finish(instance.requested - sum(tracked), None, False, solution,
                 {**stats, **plan_stats(instance, tracked), "offered": phase}))


def _warm_board(instance: GroundStationInstance, opts: list[list[Option]], options: SolveOptions,
                seconds: float, stats: dict[str, Any], floor: tuple[int, int] = (0, 0)) -> Board:
    """The lns plan after `seconds` (from now), as CP-SAT's hint (its walk keeps every mission
    it tracks tracked, with `every_mission`); it stops at the proven `floor` (floor.py)."""
    scorer = Scorer(instance, options.get("objective", "hours"), bool(options.get("every_mission", True)))
    stall = WARM_STALL if instance.n <= SMALL else None  # small: stop once lns stalls
    return lns_board(instance, opts, scorer, time.perf_counter() + seconds, options.seed, stall=stall,
                     history=late_history(options),
                     incumbents=Incumbents(stats={"workers": options.workers}), stats=stats, floor=floor)


@register("groundstation", "cpsat", exact=True,
          description="CP-SAT: optional variable-length intervals per view-period piece, no-overlap "
          "per antenna and per mission, warm start from lns; proven bound on unserved seconds",
          options={"objective": "hours", "warm_share": WARM_SHARE, "bound_share": 0.9,
                   "bound_grid": 0, "interval_grid": 0,
                   "window_share": -1.0, "clip_share": CLIP_SHARE, "short_share": SHORT_SHARE,
                   "group_share": GROUP_SHARE, "insert_share": INSERT_SHARE, "sub_models": SUB_MODELS,
                   "every_mission": True, "late_history": LATE_HISTORY})
def solve_cpsat(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """Build, hint from lns, solve; `fair` runs two phases (U_max, then unserved seconds).
    Stages that would not fit in what is left of the budget are skipped (the warm start is
    returned, with the transportation bound when it was computed). An LP bound still running
    on return is cancelled (`BoundJob.abandon`)."""
    jobs: list[BoundJob] = []
    try:
        return _solve(instance, options, jobs)
    finally:
        for job in jobs:
            job.abandon()


def _solve(instance: GroundStationInstance, options: SolveOptions, jobs: list[BoundJob]) -> Result:
    """solve_cpsat's phases; the LP bound job it starts goes into `jobs`."""
    objective = check_objective(options.get("objective", "hours"))
    _check_options(options)
    opts = request_options(instance)
    limit = options.time_limit
    warm_seconds = None if limit is None else max(0.05, float(options.get("warm_share", WARM_SHARE)) * limit)
    counts = copy_counts(instance, opts,
                         math.inf if limit is None else options.started + COPIES_SHARE * limit)
    size = sum(map(sum, counts))  # the optional tracks the model would get
    stats: dict[str, Any] = {"options": sum(map(len, opts)), "slots": size}
    build_seconds = BUILD_SECONDS_PER_SLOT * size + IMPORT_SECONDS + EXTRACT_SECONDS
    lp_job = _start_lp(instance, opts, options) if objective == "hours" else None
    jobs.extend([lp_job] if lp_job is not None else [])
    flow = None
    # No room for the model after a warm start that runs its whole share (above SMALL requests; a
    # small one stops once lns stalls): lns gets the budget but the bound's time.
    search_seconds = BUILD_SECONDS_PER_SLOT * size  # the least worth building for: as long as the build
    short = (warm_seconds is not None and instance.n > SMALL
             and not _fits(options, warm_seconds + build_seconds + search_seconds))
    if short:
        flow = _flow_bound(instance, opts, options, objective, stats)
        warm_seconds = max(0.05, options.started + END_SHARE * (limit or 0.0) - time.perf_counter())
    floor = proven_floor(instance, opts, objective, limit or 10.0)
    board = _warm_board(instance, opts, options, warm_seconds if warm_seconds is not None else 10.0, stats,
                        floor)
    if board.unserved() in (0, floor[1]):  # nothing left to serve, or the proven floor: optimal
        served = {"warm_start": board.unserved(), "solver_status": "not run", "proven_floor": floor[1],
                  **plan_stats(instance, board.tracked)}
        return Result("optimal", board.unserved(), board.unserved(), board.solution(), served)
    stats["warm_start"] = board.unserved()
    offer(finish(board.unserved(), None, False, board.solution(),
                 {**stats, **plan_stats(instance, board.tracked), "offered": "the lns warm start"}))
    if short:  # every mission lns can serve keeps a track, as in the plans CP-SAT improves
        stats["cpsat_skipped"] = NO_ROOM_NOTE
        board = _fair_hint(board, options, stats) if objective == "hours" else board
        found = _fallback(instance, board, stats, _join_lp(lp_job, options, stats, flow))
        return found.with_context(stats={**found.stats, "chosen": "lns"})
    flow = _flow_bound(instance, opts, options, objective, stats)
    if size > MAX_MODEL_SLOTS:  # no time limit built them all: 2^40 for one request
        stats["cpsat_skipped"] = f"{size:,} optional tracks, beyond the {MAX_MODEL_SLOTS:,} CP-SAT is given"
    if size > MAX_MODEL_SLOTS or not _fits(options, build_seconds):
        return _fallback(instance, board, stats, _join_lp(lp_job, options, stats, flow))
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    slots, tracked = cpsat_model.build(model, instance, opts, counts)
    unserved = instance.requested - sum(tracked)
    share = _window_share(instance, options) if objective == "hours" else 0.0
    if share < 1:  # the full model is solved: its relaxation needs the capacity rows for a bound
        cpsat_model.capacity_rows(model, instance, slots)
    hint_board = _fair_hint(board, options, stats) if share > 0 else board
    warm_values = cpsat_model.hint_values(slots, hint_board)
    cpsat_model.hint(model, slots, warm_values)
    if objective == "fair":
        fair_z = cpsat_model.fair_cut(model, instance, tracked)
        solver = _run(model, fair_z, options, stats, 0.5, instance.n <= SMALL)
        if solver is None:
            return _fallback(instance, board, stats, None)
        stats["u_max_phase"] = {"value": solver.Value(fair_z) / cpsat_model.FAIR_SCALE,
                                "bound": solver.BestObjectiveBound() / cpsat_model.FAIR_SCALE}
        model.Add(fair_z <= int(solver.Value(fair_z)))  # type: ignore[attr-defined]
        cpsat_model.hint_from(model, slots, solver)
    solver = _run(model, unserved, options, stats, 1.0 - share, instance.n <= SMALL) if share < 1 else None
    if share >= 1:
        stats["solver_status"] = "not run"  # the windows get the whole search budget
    elif stats["solver_status"] == "OPTIMAL":
        share = 0.0  # proven by the full solve: nothing for the windows to find
    if share > 0:
        model.minimize(unserved)
        values = cpsat_model.solver_values(solver, slots) if solver is not None else warm_values
        solution, done = cpsat_model.plan_from(instance, slots,
                                    _window_lns(instance, model, slots, values, options, stats, opts,
                                                           lp_job).values)
    elif solver is not None:
        solution, done = cpsat_model.plan(instance, solver, slots)
    flow = _join_lp(lp_job, options, stats, flow)
    if share <= 0 and solver is None:
        return _fallback(instance, board, stats, flow)
    if objective == "hours" and sum(done) < sum(hint_board.tracked):  # CP-SAT left the hint behind
        solution, done = hint_board.solution(), list(hint_board.tracked)
        stats["chosen"] = "lns warm start"
    value = instance.requested - sum(done)
    stats.update(plan_stats(instance, done))
    if objective == "fair":
        return Result("feasible", value, None, solution, stats)
    own = integral_bound(solver.BestObjectiveBound()) if solver is not None else None
    bound = max(_valid(flow or 0, value, stats), _valid(own or 0, value, stats))
    stats["hours_upper_bound"] = round((instance.requested - bound) / 3600, 4)
    return finish(value, bound, stats["solver_status"] == "OPTIMAL" and bound == value, solution, stats)


SHARES = ("warm_share", "bound_share", "clip_share", "short_share", "group_share", "insert_share")


def _check_options(options: SolveOptions) -> None:
    """InvalidOption for a share outside [0, 1] (window_share: -1 is "by size"), a negative
    bound_grid, an interval_grid below -1 or a late_history out of range (kinds are checked)."""
    for name in SHARES:
        if not 0 <= options.get(name) <= 1:
            raise InvalidOption(f"cpsat: option {name} must be a share from 0 to 1, "
                                f"got {options.get(name)!r}")
    if not (0 <= options.get("window_share") <= 1 or options.get("window_share") == -1):
        raise InvalidOption(f"cpsat: option window_share must be a share from 0 to 1 or -1 (by size), "
                            f"got {options.get('window_share')!r}")
    if options.get("bound_grid") < 0 or options.get("interval_grid") < -1:
        raise InvalidOption(f"cpsat: option bound_grid must be 0 (default) or seconds, interval_grid 0, -1 "
                            f"or seconds; got bound_grid={options.get('bound_grid')!r}, "
                            f"interval_grid={options.get('interval_grid')!r}")
    late_history(options)


def _window_share(instance: GroundStationInstance, options: SolveOptions) -> float:
    """Share of the search budget for the window LNS: `window_share`, or by default
    WINDOW_SHARE above SMALL requests (0 below: CP-SAT proves small instances on its own)."""
    if options.time_limit is None:
        return 0.0
    chosen = options.get("window_share", -1.0)
    if chosen is None or float(chosen) < 0:
        return WINDOW_SHARE if instance.n > SMALL else 0.0
    return min(1.0, float(chosen))


def _fair_hint(board: Board, options: SolveOptions, stats: dict[str, Any]) -> Board:
    """With `every_mission` (default): a copy of the warm start in which every mission that can
    be tracked gets a track (heuristics/missions.py); the window LNS then keeps them served.
    stats["warm_start"] becomes the repaired plan's value (the lns plan's: `lns_warm_start`)."""
    if not options.get("every_mission", True):
        return board
    repaired = board.blank()
    repaired.copy_from(board)
    limit = options.time_limit  # the repair stops where lns would (10^4 requests: minutes at 2 s)
    repaired.deadline = deadline = math.inf if limit is None else options.started + END_SHARE * limit
    again = serve_missions(repaired, deadline)  # lns repaired its start and kept them: rarely any left
    stats["missions_repaired"] = stats.get("missions_repaired", 0) + again
    if again:  # the warm start CP-SAT gets is the repaired plan
        stats["lns_warm_start"], stats["warm_start"] = board.unserved(), repaired.unserved()
    return repaired


def _window_lns(instance: GroundStationInstance, model: Any, slots: list[Slot],
                values: list[list[int]], options: SolveOptions, stats: dict[str, Any],
                opts: list[list[Option]], lp_job: BoundJob | None) -> WindowSearch:
    """Improve `values` by CP-SAT rounds over time windows until the budget's end (some
    centred by the LP bound's solution once `lp_job` has one)."""
    spans = [(s.option.lo - instance.requests[s.i].setup, s.option.hi + instance.requests[s.i].teardown,
              s.option.antennas, instance.requests[s.i].mission) for s in slots]
    objective = instance.requested - sum(v[2] for v in values)
    state = WindowSearch([cpsat_model.slot_vars(s) for s in slots], spans, [list(v) for v in values],
                         objective)
    state.limits = [(s.option.lo, s.option.hi, instance.requests[s.i].min_track) for s in slots]
    state.clip_share = float(options.get("clip_share", CLIP_SHARE))
    kept: set[str] = set()
    if options.get("every_mission", True):
        kept = cpsat_model.kept_missions(instance, slots, values)
        stats["missions_kept"] = cpsat_model.keep_missions(model, instance, slots, values)
    if options.get("sub_models", SUB_MODELS):
        state.builder = SubModels(instance, [(s.i, s.option, s.copy) for s in slots],
                                  cpsat_model.merged_maintenance(instance), kept).build
    index = {(i, id(option)): o for i, mine in enumerate(opts) for o, option in enumerate(mine)}
    state.keys = [(s.i, index[(s.i, id(s.option))]) for s in slots]
    state.wanted = [r.duration for r in instance.requests]
    state.short_share = float(options.get("short_share", SHORT_SHARE))
    state.group_share = float(options.get("group_share", GROUP_SHARE))
    state.insert_share = float(options.get("insert_share", INSERT_SHARE))
    if state.group_share > 0:
        state.groups = antenna_groups(len(instance.antennas), opts)
    if lp_job is not None:
        state.guide = lambda: lp_job.guide
    remaining = options.remaining()
    if remaining is not None and spans:
        deadline = time.perf_counter() + remaining - EXTRACT_SECONDS
        horizon = (min(lo for lo, *_ in spans), max(hi for _, hi, *_ in spans))
        search(model, state, deadline, options.workers, options.seed, horizon, len(instance.antennas),
               lambda better: _offer_values(instance, slots, better.values, stats, "a window round"))
    stats["window_lns"] = {"rounds": state.rounds, "improved": state.improved, "start": objective,
                           "end": state.objective, "hours": round(state.hours, 2),
                           "guided": state.guided, "guided_improved": state.guided_improved,
                           "clipped": state.clipped, "clipped_improved": state.clipped_improved,
                           "short": state.short, "short_improved": state.short_improved,
                           "grouped": state.grouped, "grouped_improved": state.grouped_improved,
                           "inserted": state.inserted, "inserted_improved": state.inserted_improved,
                           "solver_seconds": round(state.solver_seconds, 1)}
    return state


def _start_lp(instance: GroundStationInstance, opts: list[list[Option]], options: SolveOptions
              ) -> BoundJob | None:
    """Start the bucketed LP bound beside the warm start, HiGHS limited to `bound_share` of
    the budget; None when that is too short to be worth it."""
    limit = options.time_limit
    seconds = None if limit is None else float(options.get("bound_share", 0.9)) * limit - LP_SETUP_SECONDS
    if seconds is not None and seconds < LP_MIN_SECONDS:
        return None
    grid = int(options.get("bound_grid", 0))
    grid = grid if grid > 0 else LP_GRID
    interval = int(options.get("interval_grid", 0))
    grids: tuple[int, ...] = INTERVAL_GRIDS if interval == 0 else (interval,) if interval > 0 else ()
    job = BoundJob(instance, opts, seconds, grid, grids)
    job.start()
    return job


def _join_lp(job: BoundJob | None, options: SolveOptions, stats: dict[str, Any], flow: int | None
             ) -> int | None:
    """The better of `flow` and the LP bounds (waited for while the budget lasts)."""
    if job is None:
        return flow
    remaining = options.remaining()
    job.join(None if remaining is None else max(0.0, remaining - EXTRACT_SECONDS))
    stats["lp_bound_grid"] = job.grid
    stats["interval_lp_grids"] = list(job.interval_grids)
    stages = dict(job.stages)
    if "lp" in stages:
        stats["lp_bound"], stats["lp_seconds"] = stages["lp"]
    else:
        stats["lp_bound"] = ("off" if job.interval_grids else "too large" if "lp_too_large" in stages
                             else "not finished" if job.is_alive() else "not started")
    intervals = [(stages[f"interval_lp_{g}"], g) for g in job.interval_grids
                 if isinstance(stages.get(f"interval_lp_{g}"), tuple)]
    skipped = [g for g in job.interval_grids if stages.get(f"interval_lp_{g}") == "skipped"]
    if skipped:
        stats["interval_lp_skipped"] = skipped  # would likely not have ended in time
    too_large = [g for g in job.interval_grids if stages.get(f"interval_lp_{g}") == "too large"]
    if too_large:
        stats["interval_lp_too_large"] = too_large  # beyond lp_bound's limits, or out of time building
    if intervals:
        stats["interval_lp_bound"] = max(v for (v, _), _ in intervals)
        stats["interval_lp_seconds"] = {g: t for (_, t), g in intervals}
    else:
        stats["interval_lp_bound"] = ("off" if not job.interval_grids else "too large" if too_large
                                      else "not finished" if job.is_alive() else "not started")
    value = job.value
    return flow if value is None else max(value, flow or 0)


def _flow_bound(instance: GroundStationInstance, opts: list[list[Option]], options: SolveOptions,
                objective: str, stats: dict[str, Any]) -> int | None:
    """The missions' transportation bound on unserved seconds (objective `hours`, when it fits)."""
    if objective != "hours" or not _fits(options, FLOW_SECONDS_PER_OPTION * stats["options"]):
        return None
    stats["mission_flow_bound"] = flow = mission_flow_bound(instance, opts)
    return flow


def _fits(options: SolveOptions, seconds: float) -> bool:
    """True when `seconds` of work fit in what is left of the budget (always without one)."""
    remaining = options.remaining()
    return remaining is None or remaining > seconds


def _run(model: Any, goal: Any, options: SolveOptions, stats: dict[str, Any], share: float,
         small: bool) -> Any:
    """Minimise `goal` with `share` of the remaining budget; the solver, or None without a plan.
    One worker on a `small` instance gets CP-SAT's full linearisation (see LINEARIZATION)."""
    from ortools.sat.python import cp_model

    model.Minimize(goal)
    remaining = options.remaining()
    seconds = None if remaining is None else max(0.05, share * (remaining - EXTRACT_SECONDS))
    solver = new_solver(cp_model, options.workers, options.seed, seconds)
    if small and options.workers == 1:
        solver.parameters.linearization_level = LINEARIZATION
    status = solver.Solve(model)
    stats["solver_status"] = solver.StatusName(status)
    stats["branches"] = stats.get("branches", 0) + solver.NumBranches()
    stats["nodes"] = stats["branches"]
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def _fallback(instance: GroundStationInstance, board: Board, stats: dict[str, Any],
              bound: int | None) -> Result:
    """The warm start when CP-SAT has no plan within the budget, with `bound` if one was proven."""
    stats.update(plan_stats(instance, board.tracked))
    stats["chosen"] = "lns warm start"
    value = board.unserved()
    return finish(value, None if bound is None else _valid(bound, value, stats), False,
                  board.solution(), stats)


def _valid(bound: int, value: int, stats: dict[str, Any]) -> int:
    """`bound` when it is at most the plan's `value`; else 0, the bound recorded as discarded
    (a proven bound never exceeds a feasible value: it would be a bug, not a proof)."""
    if bound <= value:
        return bound
    stats["discarded_bound"] = bound
    return 0

