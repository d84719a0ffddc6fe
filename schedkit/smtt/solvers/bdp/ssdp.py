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
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.result import Result
from schedkit.smtt.solvers.bdp import ssdp_kernels as k
from schedkit.smtt.solvers.bdp.arc_graph import ArcGraph
from schedkit.smtt.solvers.bdp.kernels import cost_table
from schedkit.smtt.solvers.bdp.relaxation import arc_windows
from schedkit.smtt.solvers.bdp.repair import repair

TABLE_BYTES = 8 * 5 + 1  # costs, arc, f, g, order (int64) and ok (bool) per (t, j) cell
STATE_BYTES = 120  # t, j, subset (2 words), value, predecessor, chain, arc range, alive, rest, time order,
# two hash slots per state, and the previous round's t, j, subset (2 words), rest, hash slots
EDGES_PER_STATE = 8  # arcs stored per state at first (the arc array doubles when full)
FIRST_STATES = 1 << 16
WORDS = 2  # uint64 words of a subset of M
MAX_MODIFIERS = 64 * WORDS  # one bit per modifier job
STAGE1_STEPS_PER_JOB = 3  # at most 3·n stage-1 steps: 10·n were most of wt100's time, and
# at n = 200 (pvw200-tf0.8-rdd0.6, load 5) 1415 steps took 12 s for no better stage-2 bound
LARGE_JOBS = 100  # beyond, stage 2 hands over to stage 3 sooner (STAGE2_RATIO_LARGE)
STAGE2_ITERATIONS = 2000
STAGE1_RATIO = 0.02  # a stage ends when its last n steps closed less than this share of the gap
STAGE2_RATIO = 0.002
STAGE2_RATIO_LARGE = 0.05  # at n = 200 a stage-2 step takes 10-150 ms; stage 3,
# whose rounds re-optimise the multipliers, raises the bound faster from there (60 s, load 5:
# pvw200-tf0.8-rdd0.6 bound 1029514 in stage 2 with 0.002, 1029860 in stage 3 with 0.05)
ELIMINATE_EVERY = 10  # stage-2 steps between arc eliminations (after a better value)
STAGE1_ELIMINATE = False  # arcs deleted by stage-1 forward + backward values against the UB
STAGE2_WINDOW = 30  # stage-2 progress window in steps (0: n): the last 0.2 % of stage 2's
# progress over n steps is what stage 3 closes in a few rounds (standin100 #46, #16, #66,
# #86: stage 2 91-395 steps instead of 645-717; 10 mid-hard stand-ins, median 1.32 s vs 1.75 s);
# up to LARGE_JOBS only: at n = 200 it left stage 3 weaker bounds (10 classes: 4 proven vs 5)
STAGE2_CARRY = False  # stage 2 starts with stage 1's last step factor (else STEP_START)
HANDOVER_ARCS = 0  # stage 2 ends once at most this many arcs per job are left (0: never)
STEP_START = 1.0  # Polyak step factor at the start of each stage (and its maximum)
STEP_MIN = 1e-4  # a stage ends when its step factor falls below this
STEP_EXPAND = 1.2  # after a better value
STEP_SHRINK = 0.95  # after SHRINK_AFTER steps without one
SHRINK_AFTER = 2
DEFLECTION = 1.0  # weight of the previous direction (rescaled to the subgradient's length)
STAGE3_ITERATIONS = 30  # subgradient steps per stage-3 round, at most
STAGE3_RATIO = 0.01
STAGE3_WINDOW = 10
ADD_PER_ROUND = 4  # modifiers added per round, at least; after a round of few states
ROUND_STATES = 1_000_000  # 1 + log2(ROUND_STATES / states) if more (MAX_ADD_PER_ROUND at most).
# Since the stage numbering (no on-time cycles) a round holds 10-200 k states at n = 300, and
# with 2 a round (ROUND_STATES 200 k) stage 3 ran 35-40 rounds; with 4: 16-19 rounds and
# 0.5-0.72 of the stage-3 time on 4 stage-3-heavy n = 300 classes; neutral at n <= 200
MAX_ADD_PER_ROUND = 8
FIRST_CHUNK = 1  # times per kernel call at first (a time near T can hold many stage-3 states);
# the chunk then doubles at most per call, towards about CHUNK_SECONDS
CHUNK_SECONDS = 0.02
FIRST_BUDGET = 1024  # stage-3 states per kernel call at first (a call ends after a whole time)
USE_GRAPH = True  # sparse stage-2 passes over the arcs left (`arc_graph`)
GRAPH_RETRY = 0.8  # after a refused graph, tried again when this share of the arcs is left
REPAIR_SHARE = 0.1  # of the stages' time, at most, for upper bounds from relaxed paths


class Stopped(Exception):
    """The budget (time or memory) ran out inside a stage."""


@dataclass
class Search:
    """An instance prepared for the stages, the multipliers and what has been proven."""

    p: np.ndarray
    d: np.ndarray
    w: np.ndarray
    before: np.ndarray
    upper: int
    scale: int
    deadline: float
    memory_bytes: int
    costs: np.ndarray = field(init=False)
    ok: np.ndarray = field(init=False)
    arc: np.ndarray = field(init=False)
    f: np.ndarray = field(init=False)
    g: np.ndarray = field(init=False)
    order: np.ndarray = field(init=False)
    count: np.ndarray = field(init=False)
    mult: np.ndarray = field(init=False)
    bound: int = 0  # the best proven lower bound on the optimum (at most `upper`)
    sequence: np.ndarray | None = None  # an optimal sequence, once a stage found one
    proved: bool = False
    factor: float = STEP_START  # the step factor where the last subgradient run ended
    stats: dict[str, Any] = field(default_factory=dict)
    best: np.ndarray | None = None  # a sequence of value `upper` found from a relaxed path
    started: float = field(init=False)
    repair_seconds: float = 0.0
    last_path: int = 0  # hash of the latest relaxed path repaired
    progress: Incumbents | None = None  # where a better (upper, bound) pair is offered
    progress_result: Callable[[], Result] | None = None  # the Result of the current pair
    graph: ArcGraph | None = None  # the sparse stage-2 passes, once few arcs are left
    graph_refused: float = float("inf")  # the arcs left when the graph was last refused

    def __post_init__(self) -> None:
        self.costs = cost_table(self.p, self.d, self.w)
        horizon = self.costs.shape[0] - 1
        self.ok = arc_windows(self.p, self.before)
        self.arc = np.empty_like(self.costs)
        self.f = np.empty_like(self.costs)
        self.g = np.empty_like(self.costs)
        self.order = np.zeros_like(self.costs)
        self.count = np.zeros(horizon + 1, dtype=np.int64)
        self.mult = np.zeros(self.p.size, dtype=np.int64)
        self.stats["peak_memory_mb"] = round(table_bytes(self.p) / 2**20, 3)
        self.stats["repairs"] = self.stats["repair_improvements"] = 0
        self.started = time.perf_counter()

    @property
    def limit(self) -> int:
        """A relaxed path value above this cannot lead to a sequence better than `upper`."""
        return (self.upper - 1) * self.scale

    def prove(self, value: int) -> None:
        """Record a lower bound (scaled relaxed value); the upper bound caps it."""
        bound = min(self.upper, -(-value // self.scale))
        if bound > self.bound:
            self.bound = bound
        if self.bound >= self.upper:
            self.proved = True
        self.report()

    def report(self) -> None:
        """Offer the current upper bound and proven bound when either is better (progress)."""
        if self.progress is not None and self.progress_result is not None:
            self.progress.improved((self.upper, -self.bound), self.progress_result)

    def offer(self, path_of: Callable[[], np.ndarray]) -> None:
        """Repair the relaxed path `path_of()` into a sequence (`repair.repair`) and keep it
        when it beats `upper`; skipped while repairs have used REPAIR_SHARE of the time."""
        now = time.perf_counter()
        if REPAIR_SHARE <= 0 or self.repair_seconds > REPAIR_SHARE * (now - self.started):
            return
        path = path_of()
        key = hash(path.tobytes())
        if path.size == 0 or key == self.last_path:
            return
        self.last_path = key
        sequence, value = repair(path, self.p, self.d, self.w)
        self.repair_seconds += time.perf_counter() - now
        self.stats["repairs"] += 1
        if value < self.upper:
            self.upper, self.best = int(value), sequence
            self.stats["repair_improvements"] += 1
            if self.bound >= self.upper:
                self.bound, self.proved = self.upper, True
            self.report()

    def check_clock(self) -> None:
        if time.perf_counter() >= self.deadline:
            raise Stopped("deadline")


def table_bytes(p: np.ndarray) -> int:
    """Memory of the time-indexed tables for processing times `p`."""
    return (int(np.sum(p)) + 1) * p.size * TABLE_BYTES


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


def ascent(search: Search, evaluate: Callable[[np.ndarray, np.ndarray], int],
           sequence_of: Callable[[], np.ndarray], iterations: int, ratio: float, window: int,
           cut: Callable[[], object] | None = None, factor: float = STEP_START,
           enough: Callable[[], bool] | None = None) -> int:
    """Deflected Polyak subgradient ascent from search.mult towards the upper bound.

    evaluate(mult, counts) gives the relaxed optimum (scaled, Σμ included; INF when there is
    no path) and fills counts with how often each job is on it; sequence_of() reads that path
    when it is a sequence. The step factor grows by STEP_EXPAND after a better value (at most
    1) and shrinks by STEP_SHRINK after SHRINK_AFTER steps without one; the direction adds the
    previous one rescaled to the subgradient's length. Stops after `iterations`, when the
    factor is spent, or when the last `window` steps closed less than `ratio` of the gap they
    started from. `cut` (state elimination with the best multipliers in search.mult) runs
    every ELIMINATE_EVERY steps after a better value; the ascent ends when `enough()` says so
    after a cut. Starts with step factor `factor`; the
    last one is left in search.factor. Keeps the best multipliers in search.mult; returns the
    steps run."""
    n = search.p.size
    counts = np.zeros(n, dtype=np.int64)
    target = search.upper * search.scale
    clip = float(search.scale) * float(search.costs[-1].sum() + 1)
    best_value = -int(k.INF)
    best_mult = search.mult.copy()
    current = search.mult.astype(np.float64)
    previous = np.zeros(n)
    fails, better, since_cut = 0, 0, 0
    history: list[int] = []
    done = 0
    try:
        while done < iterations and factor > STEP_MIN:
            search.check_clock()
            mult = np.rint(current).astype(np.int64)
            value = evaluate(mult, counts)
            done += 1
            if value >= k.INF:  # no path: no sequence beats the upper bound
                search.prove(search.upper * search.scale)
                best_mult = mult
                return done
            search.prove(value)
            if search.proved:
                best_mult = mult
                return done
            gradient = 1.0 - counts
            if not gradient.any():  # the relaxed optimum is a sequence: no sequence is cheaper
                search.sequence = sequence_of()
                search.proved = True
                best_mult = mult
                return done
            search.offer(sequence_of)
            if search.proved:
                best_mult = mult
                return done
            target = search.upper * search.scale
            if value > best_value:
                if done > 1:
                    factor = min(1.0, factor * STEP_EXPAND)
                best_value, best_mult, fails = value, mult, 0
                better += 1
                since_cut += 1
            else:
                fails += 1
                if fails >= SHRINK_AFTER:
                    factor *= STEP_SHRINK
                    fails = 0
            history.append(best_value)
            if len(history) > window:
                old = history[-window - 1]
                if best_value - old < ratio * (target - old) and 10 * better >= window:
                    break
            if cut is not None and since_cut and done % ELIMINATE_EVERY == 0:
                search.mult = best_mult
                cut()
                since_cut = 0
                if enough is not None and enough():
                    break
            norm = float(gradient @ gradient)
            before_norm = float(previous @ previous)
            direction = gradient + (DEFLECTION * np.sqrt(norm / before_norm) * previous
                                    if before_norm > 0 else 0.0)
            square = float(direction @ direction)
            if square <= 0:
                direction, square = gradient, norm
            previous = direction
            current = np.clip(current + factor * (target - value) / square * direction, -clip, clip)
    finally:
        search.mult = best_mult
        search.factor = factor
        search.stats["iterations"] = search.stats.get("iterations", 0) + done
    return done


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


class Modifiers:
    """Stage-3 state space: the modifier jobs and the state arrays, grown on demand."""

    def __init__(self, search: Search, capacity: int) -> None:
        self.search = search
        n = search.p.size
        self.jobs: list[int] = []
        self.member = np.zeros((n, WORDS), dtype=np.uint64)  # the bit of each modifier
        self.pred = np.zeros((n, WORDS), dtype=np.uint64)
        self.succ = np.zeros((n, WORDS), dtype=np.uint64)
        self.capacity = capacity
        self.peak = 0
        self.previous: tuple[np.ndarray, ...] = (np.zeros(1, dtype=np.int32),) * 2 + (
            np.zeros((1, WORDS), dtype=np.uint64), np.zeros(1, dtype=np.int64),
            np.full(1, -1, dtype=np.int32))
        self.previous_full = np.zeros(WORDS, dtype=np.uint64)
        self.states: tuple[np.ndarray, ...] = ()
        self.head = np.zeros(0, dtype=np.int32)
        self.table = np.zeros(0, dtype=np.int32)
        self.alive = np.zeros(0, dtype=np.bool_)
        self.count = 0
        self.built = 0  # the states of the latest round
        self.must = np.zeros((0, WORDS), dtype=np.uint64)
        self.cannot = np.zeros((0, WORDS), dtype=np.uint64)
        self.last = -1  # the final state of the least path after the latest pass
        # the arcs of state x: targets[arc_from[x]:arc_to[x]] (the root: the last row)
        self.arc_from = np.zeros(1, dtype=np.int64)
        self.arc_to = np.zeros(1, dtype=np.int64)
        self.targets = np.zeros(0, dtype=np.int32)
        self.by_time = np.zeros(0, dtype=np.int64)  # the live states by time
        self.ordered = 0  # how many

    def add(self, jobs: list[int]) -> None:
        """Make `jobs` modifiers (bits in order) and update the precedence masks within M."""
        before = self.search.before
        for j in jobs:
            word, bit = divmod(len(self.jobs), 64)
            mask = np.uint64(1) << np.uint64(bit)
            self.jobs.append(j)
            self.member[j, word] = mask
            self.pred[before[j], word] |= mask  # j precedes these: they need j done first
            self.succ[before[:, j], word] |= mask  # these precede j: they must not come after j

    @property
    def full(self) -> np.ndarray:
        """The words of M itself."""
        m = len(self.jobs)
        return np.array([(1 << min(64, max(0, m - 64 * w))) - 1 for w in range(WORDS)],
                        dtype=np.uint64)

    @property
    def memory_bytes(self) -> int:
        """The state arrays, their hash table, the previous round's, and the stored arcs."""
        return self.capacity * STATE_BYTES + 4 * len(self.targets)

    def build(self) -> int:
        """Generate the modified state space with the current multipliers (search.arc), states
        kept while their cost plus the previous round's rest stays within the limit, and the
        arcs between them; the relaxed optimum (scaled with Σμ, INF when no state reaches the
        end)."""
        search = self.search
        n = search.p.size
        horizon = search.costs.shape[0] - 1
        limit = search.limit - int(search.mult.sum())
        capacity = self.capacity
        edge_capacity = max(len(self.targets), EDGES_PER_STATE * capacity)
        self._check_memory(capacity, edge_capacity)
        arrays = _state_arrays(capacity)
        arc_from = np.empty(capacity + 1, dtype=np.int64)
        arc_to = np.empty(capacity + 1, dtype=np.int64)
        targets = np.empty(edge_capacity, dtype=np.int32)
        head = np.full(horizon + 1, -1, dtype=np.int32)
        table = np.full(2 * capacity, -1, dtype=np.int32)
        cand = np.empty((n + 1, n), dtype=np.int32)
        cand_len = np.zeros(n + 1, dtype=np.int32)
        stamp = np.full(n + 1, -1, dtype=np.int64)
        count, edges, time_now, budget = 0, 0, 0, FIRST_BUDGET
        self.must = np.zeros((horizon + 1, WORDS), dtype=np.uint64)
        self.cannot = np.zeros((horizon + 1, WORDS), dtype=np.uint64)
        k.window_masks(search.p, search.ok, np.array(self.jobs, dtype=np.int64), self.must,
                       self.cannot)
        while time_now < horizon:
            search.check_clock()
            started = time.perf_counter()
            count, reached, edges, full = k.sublimate(  # type: ignore[call-arg]
                search.p, search.costs, search.before, search.ok, search.arc, search.g,
                self.member, self.pred, self.succ, limit, time_now, horizon, *arrays, arc_from,
                arc_to, targets, edges, head, table, count, *self.previous, self.previous_full,
                self.must, self.cannot, budget, cand, cand_len, stamp,
            )
            if full == k.FULL_STATES:  # the state arrays are full: double them
                self._check_memory(2 * capacity, targets.size)
                arc_from, arc_to = _grow_ends(arc_from, capacity), _grow_ends(arc_to, capacity)
                capacity *= 2
                self.capacity = capacity
                arrays = tuple(np.concatenate([a, np.empty_like(a)]) for a in arrays)
                table = np.full(2 * capacity, -1, dtype=np.int32)
                k.rehash(arrays[0], arrays[1], arrays[2], count, n, table)
            elif full == k.FULL_ARCS:  # the arc array is full: double it
                self._check_memory(capacity, 2 * targets.size)
                targets = np.concatenate([targets, np.empty_like(targets)])
            time_now = reached
            budget = _adapt(budget, time.perf_counter() - started)
        self.peak = max(self.peak, count)
        search.stats["stage3_states"] = search.stats.get("stage3_states", 0) + count
        search.stats.setdefault("stage3_round_states", []).append(count)
        search.stats["stage3_arcs"] = search.stats.get("stage3_arcs", 0) + edges
        self.states, self.head, self.table, self.count = arrays, head, table, count
        self.built = count
        self.arc_from, self.arc_to, self.targets = arc_from, arc_to, targets
        self.alive = np.ones(count, dtype=np.bool_)
        self.by_time = np.empty(count, dtype=np.int64)
        self.ordered = int(k.time_order(head, arrays[5], self.by_time))
        st_v, st_s, st_next = arrays[3], arrays[2], arrays[5]
        self.last = k.best_live_final(st_v, st_s, st_next, head, horizon, self.full, self.alive)
        return int(k.INF) if self.last < 0 else int(st_v[self.last]) + int(search.mult.sum())

    def _check_memory(self, capacity: int, edges: int) -> None:
        """Stopped("memory") when states for `capacity` and `edges` arcs would not fit."""
        need = capacity * STATE_BYTES + 4 * edges + table_bytes(self.search.p)
        if need > self.search.memory_bytes:
            raise Stopped("memory")

    def counts(self, counts: np.ndarray) -> np.ndarray:
        """Fill `counts` with the job counts of the latest least path; that path."""
        st_j, st_pred = self.states[1], self.states[4]
        path, found = k.read_path(st_j, st_pred, self.last, self.search.p.size)
        counts[:] = found
        return path

    def _in_slices(self, step: Callable[[int, int], object], reverse: bool) -> None:
        """Run step(a, b) over slices of by_time (from the end when `reverse`), each of about
        CHUNK_SECONDS, with a look at the clock before each."""
        total, done, size = self.ordered, 0, 4 * FIRST_BUDGET
        while done < total:
            self.search.check_clock()
            started = time.perf_counter()
            if reverse:
                step(max(0, total - done - size), total - done)
            else:
                step(done, min(total, done + size))
            done += size
            size = _adapt(size, time.perf_counter() - started)

    def relax(self, mult: np.ndarray) -> int:
        """The relaxed optimum over the states built, for multipliers `mult` (scaled, Σμ
        included; INF when no live state reaches the end); sets search.arc."""
        search = self.search
        k.arc_costs(search.costs, mult, search.scale, search.arc)
        st_t, st_j, st_s, st_v, st_pred, st_next = self.states
        st_v[:self.count] = k.INF
        self._in_slices(lambda a, b: k.relax_edges(st_t, st_j, search.arc, st_v, st_pred,
                                                   self.alive, self.by_time, self.arc_from,
                                                   self.arc_to, self.targets, a, b), False)
        horizon = search.costs.shape[0] - 1
        self.last = k.best_live_final(st_v, st_s, st_next, self.head, horizon, self.full,
                                      self.alive)
        return int(k.INF) if self.last < 0 else int(st_v[self.last]) + int(mult.sum())

    def rest(self) -> np.ndarray:
        """The exact cost to the end of every state for search.arc (INF for dead states)."""
        search = self.search
        st_t, st_j, st_s = self.states[:3]
        rest = np.full(self.count, k.INF, dtype=np.int64)
        horizon = search.costs.shape[0] - 1
        self._in_slices(lambda a, b: k.rest_edges(st_t, st_j, st_s, search.arc, rest, self.alive,
                                                  self.by_time, self.arc_from, self.arc_to,
                                                  self.targets,
                                                  horizon, self.full, a, b), True)
        return rest

    def cut(self, forward_done: bool = False) -> int:
        """Kill the states whose best path cannot beat the upper bound with search.mult (the
        forward values are rerun unless `forward_done`), and drop them and the arcs into them
        from the passes; how many (a state dead for one μ is dead for all: its bound holds for
        every μ)."""
        search = self.search
        if not forward_done:
            self.relax(search.mult)
        rest = self.rest()
        removed = int(k.eliminate_states(self.states[3], rest, self.alive, self.count,
                                         search.limit - int(search.mult.sum())))
        search.stats["stage3_states_cut"] = search.stats.get("stage3_states_cut", 0) + removed
        if removed:
            self.ordered = int(k.compact(self.alive, self.by_time, self.ordered, self.arc_from,
                                         self.arc_to, self.targets))
        return removed

    def reoptimise(self, counts: np.ndarray) -> int:
        """Subgradient steps on the multipliers over this round's states; the best ones end in
        search.mult (and search.arc), `counts` holds the job counts of their least path."""
        def evaluate(mult: np.ndarray, found: np.ndarray) -> int:
            value = self.relax(mult)
            if value < k.INF:
                self.counts(found)
            return value

        done = ascent(self.search, evaluate, lambda: self.counts(counts), STAGE3_ITERATIONS,
                      STAGE3_RATIO, STAGE3_WINDOW, self.cut, self.search.factor)
        if not self.search.proved:
            if self.relax(self.search.mult) >= k.INF:
                self.search.prove(self.search.upper * self.search.scale)
            else:
                self.counts(counts)
        return done

    def close_round(self) -> None:
        """Keep this round's states and their rest (for search.mult) to prune the next one."""
        st_t, st_j, st_s = self.states[:3]
        self.previous = (st_t, st_j, st_s, self.rest(), self.table)
        self.previous_full = self.full


def _adapt(budget: int, elapsed: float) -> int:
    """The next call's state budget: towards CHUNK_SECONDS a call, at most doubled."""
    return max(FIRST_BUDGET, min(2 * budget, int(budget * CHUNK_SECONDS / max(elapsed, 1e-6))))


def _grow_ends(ends: np.ndarray, capacity: int) -> np.ndarray:
    """An arc-range array for twice `capacity` states, the root's row moved to the end."""
    grown = np.empty(2 * capacity + 1, dtype=np.int64)
    grown[:capacity] = ends[:capacity]
    grown[2 * capacity] = ends[capacity]
    return grown


def _state_arrays(capacity: int) -> tuple[np.ndarray, ...]:
    return (np.empty(capacity, dtype=np.int32), np.empty(capacity, dtype=np.int32),
            np.empty((capacity, WORDS), dtype=np.uint64), np.empty(capacity, dtype=np.int64),
            np.empty(capacity, dtype=np.int32), np.empty(capacity, dtype=np.int32))


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
    repair(np.zeros(2, np.int64), p, d, w)
    stage2_eliminate_table(search)
