"""The successive sublimation DP of Tanaka, Fujikuma & Araki (2009) for 1||Σ wj·Tj.

Stage 1: the Lagrangian relaxation of the time-indexed formulation ("each job once" relaxed with
multipliers μ) is a shortest path over the times 0..T (one 1-D pass); subgradient steps improve
μ until they stall.
Stage 2: the same with the adjacency restriction (the DP state is (t, last job)). First the
arcs no path reaches, or whose best path cannot beat the dynasearch upper bound, are deleted
(state elimination by forward + backward values); then deflected subgradient steps, with
another elimination every few steps after a better value. Deleting arcs shortens every job's
window and every later pass; once at most a fifth of the table's cells are arcs, the passes run
over the live arcs only (`arc_graph`: each arc's allowed predecessors as a bit mask).
Stage 3: successive sublimation: the jobs that the relaxed optimum repeats or misses become
modifiers M, and the state becomes (t, last job, the subset of M done), so that a job of M is
processed at most once and known precedences among M hold. After each round's states are
generated, the multipliers are re-optimised over them (the DP re-run over the stored arcs
between states), states that cannot beat the upper bound are killed, and the next round is
pruned by this round's exact cost to go. Modifiers are added until the relaxed optimum is a
sequence (then it is optimal) or no state survives (then the upper bound is). Every stage's
value is a valid lower bound.
Upper bounds from the relaxed paths, in every stage: a least path that is not a sequence is
repaired (first occurrences kept, missing jobs inserted at their cheapest places, dynasearch
descent; `repair`) and replaces the upper bound when better (at most REPAIR_SHARE of the time).

The stages share `search.Search` (tables, multipliers, bounds, budget); each moves the
multipliers with `subgradient.ascent`; stage 3's state space is `modifiers.Modifiers`.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.smtt.solvers.bdp import ssdp_kernels as k
from schedkit.smtt.solvers.bdp.arc_graph import ArcGraph
from schedkit.smtt.solvers.bdp.kernels import cost_table

# The `X as X` names moved to modifiers.py, search.py and subgradient.py and are re-exported
# for the scripts that import them from here. A constant is read where it is defined: patch it
# there.
from schedkit.smtt.solvers.bdp.modifiers import EDGES_PER_STATE as EDGES_PER_STATE
from schedkit.smtt.solvers.bdp.modifiers import FIRST_BUDGET as FIRST_BUDGET
from schedkit.smtt.solvers.bdp.modifiers import MAX_MODIFIERS, Modifiers
from schedkit.smtt.solvers.bdp.modifiers import STAGE3_ITERATIONS as STAGE3_ITERATIONS
from schedkit.smtt.solvers.bdp.modifiers import STAGE3_RATIO as STAGE3_RATIO
from schedkit.smtt.solvers.bdp.modifiers import STAGE3_WINDOW as STAGE3_WINDOW
from schedkit.smtt.solvers.bdp.modifiers import STATE_BYTES as STATE_BYTES
from schedkit.smtt.solvers.bdp.modifiers import WORDS as WORDS
from schedkit.smtt.solvers.bdp.repair import repair
from schedkit.smtt.solvers.bdp.search import CHUNK_SECONDS, Search, table_bytes
from schedkit.smtt.solvers.bdp.search import REPAIR_SHARE as REPAIR_SHARE
from schedkit.smtt.solvers.bdp.search import TABLE_BYTES as TABLE_BYTES
from schedkit.smtt.solvers.bdp.search import Stopped as Stopped
from schedkit.smtt.solvers.bdp.subgradient import DEFLECTION as DEFLECTION
from schedkit.smtt.solvers.bdp.subgradient import ELIMINATE_EVERY as ELIMINATE_EVERY
from schedkit.smtt.solvers.bdp.subgradient import SHRINK_AFTER as SHRINK_AFTER
from schedkit.smtt.solvers.bdp.subgradient import STEP_EXPAND as STEP_EXPAND
from schedkit.smtt.solvers.bdp.subgradient import STEP_MIN as STEP_MIN
from schedkit.smtt.solvers.bdp.subgradient import STEP_SHRINK as STEP_SHRINK
from schedkit.smtt.solvers.bdp.subgradient import STEP_START, ascent

FIRST_STATES = 1 << 16
STAGE1_STEPS_PER_JOB = 3  # at most 3·n stage-1 steps: 10·n were most of wt100's time, and
# at n = 200 (pvw200-tf0.8-rdd0.6, load 5) 1415 steps took 12 s for no better stage-2 bound
LARGE_JOBS = 100  # beyond, stage 2 hands over to stage 3 sooner (STAGE2_RATIO_LARGE)
STAGE2_ITERATIONS = 2000
STAGE1_RATIO = 0.02  # a stage ends when its last n steps closed less than this share of the gap
STAGE2_RATIO = 0.002
STAGE2_RATIO_LARGE = 0.05  # at n = 200 a stage-2 step takes 10-150 ms; stage 3,
# whose rounds re-optimise the multipliers, raises the bound faster from there (60 s, load 5:
# pvw200-tf0.8-rdd0.6 bound 1029514 in stage 2 with 0.002, 1029860 in stage 3 with 0.05)
STAGE1_ELIMINATE = False  # arcs deleted by stage-1 forward + backward values against the UB
STAGE2_WINDOW = 30  # stage-2 progress window in steps (0: n): the last 0.2 % of stage 2's
# progress over n steps is what stage 3 closes in a few rounds (standin100 #46, #16, #66,
# #86: stage 2 91-395 steps instead of 645-717; 10 mid-hard stand-ins, median 1.32 s vs 1.75 s);
# up to LARGE_JOBS only: at n = 200 it left stage 3 weaker bounds (10 classes: 4 proven vs 5)
STAGE2_CARRY = False  # stage 2 starts with stage 1's last step factor (else STEP_START)
HANDOVER_ARCS = 0  # stage 2 ends once at most this many arcs per job are left (0: never)
ADD_PER_ROUND = 4  # modifiers added per round, at least; after a round of few states
ROUND_STATES = 1_000_000  # 1 + log2(ROUND_STATES / states) if more (MAX_ADD_PER_ROUND at most).
# Since the stage numbering (no on-time cycles) a round holds 10-200 k states at n = 300, and
# with 2 a round (ROUND_STATES 200 k) stage 3 ran 35-40 rounds; with 4: 16-19 rounds and
# 0.5-0.72 of the stage-3 time on 4 stage-3-heavy n = 300 classes; neutral at n <= 200
MAX_ADD_PER_ROUND = 8
FIRST_CHUNK = 1  # times per kernel call at first (a time near T can hold many stage-3 states);
# the chunk then doubles at most per call, towards about CHUNK_SECONDS
USE_GRAPH = True  # sparse stage-2 passes over the arcs left (`arc_graph`)
GRAPH_RETRY = 0.8  # after a refused graph, tried again when this share of the arcs is left


def _in_chunks(search: Search, step: Any, first: int, stop: int, direction: int) -> None:
    """Run `step(a, b)` over first..stop in chunks (direction +1 or −1) of about
    CHUNK_SECONDS each, with a look at the clock before each."""
    chunk, at = FIRST_CHUNK, first
    while (at < stop) if direction > 0 else (at > stop):
        search.check_clock()
        started = time.perf_counter()
        end = min(stop, at + chunk) if direction > 0 else max(stop, at - chunk)
        step(at, end)
        at = end
        elapsed = time.perf_counter() - started
        chunk = max(1, min(2 * chunk, int(chunk * CHUNK_SECONDS / max(elapsed, 1e-6))))


def _backward(search: Search, adjacency: bool) -> None:
    """g for the current arcs (see `ssdp_kernels.backward`), in clock-checked chunks."""
    horizon = search.g.shape[0] - 1
    search.g[:, :] = k.INF
    search.g[horizon, :] = 0
    _in_chunks(search, lambda a, b: k.backward(search.p, search.costs, search.before, search.ok,
                                               search.arc, adjacency, search.g, a, b),
               horizon - 1, 0, -1)


def _relaxed(search: Search, mult: np.ndarray, adjacency: bool) -> int:
    """Relaxed optimum (scaled, Σμ included) for `mult`; fills f, order, count and arc."""
    k.arc_costs(search.costs, mult, search.scale, search.arc)
    search.f[:, :] = k.INF
    search.count[:] = 0
    _in_chunks(search, lambda a, b: k.forward(search.p, search.costs, search.before, search.ok,
                                              search.arc, adjacency, search.f, search.order,
                                              search.count, a, b),
               1, search.f.shape[0], 1)
    best = int(search.f[-1].min())
    return best if best >= k.INF else best + int(mult.sum())


def subgradient(search: Search, adjacency: bool, iterations: int, ratio: float = STAGE1_RATIO,
                eliminate: bool = False) -> int:
    """`ascent` on the stage-1 (adjacency False) or stage-2 relaxation, over windows of n
    steps; with `eliminate`, arcs that cannot beat the upper bound are deleted on the way."""
    if not adjacency:
        return _stage1(search, iterations, ratio)

    def evaluate(mult: np.ndarray, counts: np.ndarray) -> int:
        if search.graph is not None:
            value = search.graph.relax(mult, search.scale)
            if value < k.INF:
                counts[:] = np.bincount(search.graph.path(), minlength=search.p.size)
            return value
        value = _relaxed(search, mult, adjacency)
        search.stats["stage2_table_steps"] = search.stats.get("stage2_table_steps", 0) + 1
        if value < k.INF:
            k.path_counts(search.p, search.costs, search.before, search.arc, adjacency, search.f,
                          counts)
        return value

    return ascent(search, evaluate, lambda: _path_of(search, adjacency), iterations, ratio,
                  _stage2_window(search.p.size),
                  (lambda: stage2_eliminate(search)) if eliminate else None,
                  search.factor if STAGE2_CARRY else STEP_START,
                  (lambda: _few_arcs(search)) if eliminate and HANDOVER_ARCS else None)


def _stage2_window(n: int) -> int:
    """Steps of stage 2's progress test: STAGE2_WINDOW up to LARGE_JOBS jobs, n beyond."""
    return STAGE2_WINDOW if STAGE2_WINDOW and n <= LARGE_JOBS else n


def _few_arcs(search: Search) -> bool:
    """Few enough arcs left (HANDOVER_ARCS a job) for stage 3 to take over."""
    return search.graph is not None and search.graph.arc_t.size <= HANDOVER_ARCS * search.p.size


def _stage1(search: Search, iterations: int, ratio: float) -> int:
    """`ascent` on the stage-1 relaxation, one O(n·T) pass a step over 1-D tables."""
    horizon = search.costs.shape[0] - 1
    f1 = np.empty(horizon + 1, dtype=np.int64)
    last = np.empty(horizon + 1, dtype=np.int64)

    counts = np.zeros(search.p.size, dtype=np.int64)

    def evaluate(mult: np.ndarray, counts: np.ndarray) -> int:
        value = int(k.relax_free(search.p, search.costs, search.ok, mult, search.scale, f1, last,
                                 counts))
        return value if value >= k.INF else value + int(mult.sum())

    def cut() -> None:
        """Delete the arcs no stage-1 path through which beats the upper bound."""
        if evaluate(search.mult, counts) >= k.INF:
            return
        removed = int(k.eliminate_free(search.p, search.costs, search.ok, search.mult,
                                       search.scale, f1, int(search.mult.sum()), search.limit))
        search.stats["stage1_arcs_deleted"] = search.stats.get("stage1_arcs_deleted", 0) + removed

    try:
        return ascent(search, evaluate, lambda: k.free_path(search.p, last), iterations, ratio,
                      search.p.size, cut if STAGE1_ELIMINATE else None)
    finally:
        if STAGE1_ELIMINATE and not search.proved and time.perf_counter() < search.deadline:
            cut()


def _path_of(search: Search, adjacency: bool) -> np.ndarray:
    """The jobs of the least path in f (or the graph's), in order (after a forward pass)."""
    if adjacency and search.graph is not None:
        return search.graph.path()
    return k.least_path(search.p, search.costs, search.before, search.arc, adjacency, search.f)


def stage2_eliminate(search: Search) -> int:
    """Delete the arcs that cannot be on a path better than the upper bound; how many. Over
    the arc graph once there is one, else over the table, then the graph when few are left."""
    if search.graph is not None:
        return search.graph.eliminate(search.mult, search.scale, search.limit)
    removed = stage2_eliminate_table(search)
    left = int(search.ok.sum())
    if USE_GRAPH and left <= GRAPH_RETRY * search.graph_refused:
        search.graph = ArcGraph.build(search.p, search.costs, search.before, search.ok,
                                      search.memory_bytes - table_bytes(search.p))
        if search.graph is None:
            search.graph_refused = left  # too many edges: tried again with fewer arcs
        else:
            search.stats["graph_arcs"] = int(search.graph.arc_t.size)
            search.stats["peak_memory_mb"] = max(search.stats["peak_memory_mb"], round(
                (table_bytes(search.p) + search.graph.nbytes) / 2**20, 3))
    return removed


def stage2_eliminate_table(search: Search) -> int:
    """`stage2_eliminate` by passes over the whole table."""
    _relaxed(search, search.mult, True)
    _backward(search, True)
    return int(k.eliminate(search.f, search.g, search.ok, int(search.mult.sum()), search.limit))


def stage3(search: Search) -> None:
    """Successive sublimation until the relaxed optimum is a sequence, no state survives, or
    M is full: each round adds modifiers, builds the state space, then re-optimises the
    multipliers over it (states that cannot beat the upper bound die on the way); every
    round's value is a bound."""
    modifiers = Modifiers(search, FIRST_STATES)
    counts = np.zeros(search.p.size, dtype=np.int64)
    k.path_counts(search.p, search.costs, search.before, search.arc, True, search.f, counts)
    rounds = steps = 0
    try:
        while not search.proved:
            missing = _misfits(search, counts, modifiers.member)
            room = MAX_MODIFIERS - len(modifiers.jobs)
            if not missing or room <= 0:
                search.stats["stopped"] = "modifiers"
                return
            modifiers.add(missing[:min(_how_many(modifiers.built), room)])
            value = modifiers.build()
            rounds += 1
            if value >= k.INF:  # nothing beats the upper bound
                search.prove(search.upper * search.scale)
                return
            search.prove(value)
            if search.proved:
                return
            modifiers.cut(forward_done=True)  # the least path (within the limit) survives
            path = modifiers.counts(counts)
            if np.all(counts == 1):
                search.sequence = path
                search.proved = True
                return
            steps += modifiers.reoptimise(counts)
            if search.proved:
                return
            modifiers.close_round()
    finally:
        search.stats.update(stage3_rounds=rounds, modifiers=len(modifiers.jobs),
                            stage3_peak_states=modifiers.peak, stage3_iterations=steps)
        search.stats["peak_memory_mb"] = max(search.stats["peak_memory_mb"], round(
            (table_bytes(search.p) + modifiers.memory_bytes) / 2**20, 3))


def _how_many(built: int) -> int:
    """Modifiers to add this round after a round of `built` states (0: the first round):
    ADD_PER_ROUND, more while the states stay few (a modifier can double them)."""
    if built <= 0:
        return ADD_PER_ROUND
    spare = int(np.log2(max(1.0, ROUND_STATES / built)))
    return max(ADD_PER_ROUND, min(MAX_ADD_PER_ROUND, 1 + spare))


def _misfits(search: Search, counts: np.ndarray, member: np.ndarray) -> list[int]:
    """The jobs the relaxed optimum repeats or misses, not yet modifiers, the fewest arcs left
    first: a job with a narrow window splits few states into "done" and "not done" (in job
    order the first rounds of standin100#6 built 1.4 M and 7.6 M states, narrowest first
    0.3 M and 0.6 M)."""
    jobs = np.flatnonzero((counts != 1) & ~member.any(axis=1))
    width = search.ok[:, jobs].sum(axis=0)
    return [int(j) for j in jobs[np.argsort(width, kind="stable")]]


def solve(search: Search) -> None:
    """Stages 1, 2 and 3 until proven or stopped (Stopped propagates to the caller); the stage
    where it ended (`stage`) and the seconds of each go into the stats."""
    clock = time.perf_counter()
    search.stats["stage"] = 1
    try:
        search.stats["stage1_iterations"] = subgradient(
            search, False, stage1_steps(search.p.size), STAGE1_RATIO)
        search.stats["stage1_bound"] = search.bound
        if search.proved:
            return
        clock = _next_stage(search, clock)
        _stage2(search)
        if search.proved:
            return
        clock = _next_stage(search, clock)
        _relaxed(search, search.mult, True)
        _backward(search, True)
        stage3(search)
    finally:
        search.stats[f"stage{search.stats['stage']}_seconds"] = round(time.perf_counter() - clock, 4)


def stage1_steps(n: int) -> int:
    """Stage-1 subgradient steps at most, for n jobs."""
    return STAGE1_STEPS_PER_JOB * n


def _next_stage(search: Search, clock: float) -> float:
    """Record the seconds of the current stage since `clock` and move on; the time now."""
    now = time.perf_counter()
    search.stats[f"stage{search.stats['stage']}_seconds"] = round(now - clock, 4)
    search.stats["stage"] += 1
    return now


def _stage2(search: Search) -> None:
    """Subgradient steps with the adjacency restriction, arcs deleted first and every
    ELIMINATE_EVERY steps after a better value, until proven or the progress test ends it."""
    removed = stage2_eliminate(search)  # unreachable arcs first: they make every pass slow
    iterations = 0
    try:
        left = int(search.ok.sum())
        ratio = STAGE2_RATIO if search.p.size <= LARGE_JOBS else STAGE2_RATIO_LARGE
        iterations = subgradient(search, True, STAGE2_ITERATIONS, ratio, eliminate=True)
        if not search.proved:
            stage2_eliminate(search)
        removed += left - int(search.ok.sum())
    finally:
        search.graph = None  # stage 3 reads the table (ok is kept in step with the graph)
        search.stats.update(stage2_iterations=iterations, arcs_deleted=removed,
                            arcs_left=int(search.ok.sum()), stage2_bound=search.bound)


def warm_up(p: np.ndarray, d: np.ndarray, w: np.ndarray, before: np.ndarray) -> None:
    """Run every kernel of the stages once (numba compiles them) on a small instance."""
    upper = int(np.sum(w * np.maximum(0, np.cumsum(p) - d))) + 1
    solve(Search(p, d, w, before, upper, 64, float("inf"), 2**30))
    k.adjacent(0, 1, int(p[0] + p[1]), p, cost_table(p, d, w), before)
    search = Search(p, d, w, before, upper, 1, float("inf"), 2**30)
    _relaxed(search, search.mult, True)
    _backward(search, True)
    stage3(search)
    graph = ArcGraph.build(p, search.costs, before, search.ok, 2**30)  # the sparse stage 2
    if graph is not None:
        graph.relax(search.mult, 1)
        graph.path()
        graph.eliminate(search.mult, 1, search.limit)
    modifiers = Modifiers(search, 16)  # the multiplier steps of stage 3, whatever stage3 reached
    modifiers.add([0])
    if modifiers.build() < k.INF:
        modifiers.relax(search.mult)
        modifiers.cut()
        modifiers.close_round()
    # Rarely reached by warmup's short runs, so compiled here: the repair of a relaxed path (a
    # repeat and misses; the stages' p, d, w are read-only too) and the table's elimination.
    repair(np.zeros(2, np.int64), p, d, w, np.zeros(1, dtype=np.uint8))
    stage2_eliminate_table(search)
