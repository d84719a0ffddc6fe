"""Stage 3's state space (`Modifiers`): the modifier jobs M, the states (time, last job, subset
of M done) and the arcs between them, built round by round and relaxed over."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from schedkit.smtt.solvers.bdp import ssdp_kernels as k
from schedkit.smtt.solvers.bdp.search import CHUNK_SECONDS, Search, Stopped, table_bytes
from schedkit.smtt.solvers.bdp.subgradient import ascent

STATE_BYTES = 120  # t, j, subset (2 words), value, predecessor, chain, arc range, alive, rest, time order,
# two hash slots per state, and the previous round's t, j, subset (2 words), rest, hash slots
EDGES_PER_STATE = 8  # arcs stored per state at first (the arc array doubles when full)
WORDS = 2  # uint64 words of a subset of M
MAX_MODIFIERS = 64 * WORDS  # one bit per modifier job
STAGE3_ITERATIONS = 30  # subgradient steps per stage-3 round, at most
STAGE3_RATIO = 0.01
STAGE3_WINDOW = 10
FIRST_BUDGET = 1024  # stage-3 states per kernel call at first (a call ends after a whole time)


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
