"""Destructive lower bound of the RCPSP from the feasible-subset LP, by column generation
(Brucker & Knust 2000; Mingozzi et al. 1998; Baptiste & Demassey 2004).

For a trial horizon T the windows of bounds_windows.py cut time at their ends into intervals.
x[S, k] >= 0 is the time the feasible set S (no path joins two members, demands within every
capacity, every member's window covers interval k) runs in interval k: the x of an interval
sum to at most its length, each activity runs its duration in all, at least what its latest
start forces before each time t (min(d_j, t - lst_j)) and its head forces after it. Phase 1
(HiGHS) minimises the artificial slack of those rows; pricing (bounds_pricing.py) is exact, so
for any row duals mu in [0, 1] the Lagrangian value  sum_r b_r mu_r - sum_k |I_k| max_S w_k(S)
is a lower bound on the slack. Positive: no schedule of makespan <= T exists. On j60 it refutes
no optimum - 1 that `cpsat` leaves open (rcpsp_j60_probes.md, section 7), but raises the bound
of projects far from a proof: with the option cg_share, solvers/cpsat_bound.py runs it when
CP-SAT's gap stays wide.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from schedkit.rcpsp.bounds_pricing import heaviest_set
from schedkit.rcpsp.bounds_windows import NONE, Network, network, windows
from schedkit.rcpsp.model import RCPSPInstance

EPSILON = 1e-6  # a Lagrangian value above it refutes the horizon
MAX_ITERATIONS = 2_000


@dataclass
class Rows:
    """The >= rows: right-hand sides and their (row, activity * intervals + interval) entries."""

    rhs: list[float]
    row: list[int]
    cell: list[int]

    def add(self, value: float, cells: list[int]) -> None:
        """One row sum_{cells} y >= value."""
        r = len(self.rhs)
        self.rhs.append(value)
        self.row.extend([r] * len(cells))
        self.cell.extend(cells)


def _intervals(net: Network, est: np.ndarray, lst: np.ndarray) -> np.ndarray:
    """The cut points: every busy activity's head, latest start, earliest and latest end."""
    busy = net.d > 0
    d = net.d[busy]
    return np.unique(np.concatenate([est[busy], lst[busy], est[busy] + d, lst[busy] + d]))


def _rows(net: Network, est: np.ndarray, lst: np.ndarray, points: np.ndarray,
          inside: np.ndarray) -> Rows:
    """Duration, latest-start and head rows per busy activity (inside[j, k]: k in j's window)."""
    m = points.size - 1
    rows = Rows([], [], [])
    for j in np.flatnonzero(net.d > 0).tolist():
        d, ks = int(net.d[j]), np.flatnonzero(inside[j]).tolist()
        rows.add(float(d), [j * m + k for k in ks])
        for k in ks:
            t = int(points[k + 1])  # intervals ending by t
            if lst[j] < t < lst[j] + d:
                rows.add(float(min(d, t - lst[j])), [j * m + h for h in ks if h <= k])
            t = int(points[k])  # intervals starting from t
            if est[j] < t < est[j] + d:
                rows.add(float(min(d, est[j] + d - t)), [j * m + h for h in ks if h >= k])
    return rows


class Master:
    """The restricted phase-1 LP in HiGHS: one <= row per interval, then the >= rows."""

    def __init__(self, lengths: np.ndarray, rows: Rows, cells: int) -> None:
        import highspy
        self.highspy = highspy
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("threads", 1)
        # HiGHS keeps one global thread pool per process, sized by the first run; a run asking
        # for another thread count fails unless the pool is reset (as common/mip.py does)
        self.h.resetGlobalScheduler(True)
        self.m, self.r = lengths.size, len(rows.rhs)
        inf = highspy.kHighsInf
        lower = np.concatenate([np.full(self.m, -inf), np.array(rows.rhs)])
        upper = np.concatenate([lengths.astype(float), np.full(self.r, inf)])
        self.h.addRows(self.m + self.r, lower, upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32),
                       np.zeros(0))
        self.rows_of: list[list[int]] = [[] for _ in range(cells)]
        for r, c in zip(rows.row, rows.cell, strict=True):
            self.rows_of[c].append(self.m + r)
        self.row, self.cell = np.array(rows.row, dtype=np.int64), np.array(rows.cell, dtype=np.int64)
        self.rhs = np.array(rows.rhs)
        slack = np.arange(self.r, dtype=np.int32) + self.m
        self.h.addCols(self.r, np.ones(self.r), np.zeros(self.r), np.full(self.r, inf), self.r,
                       np.arange(self.r, dtype=np.int32), slack, np.ones(self.r))

    def add(self, columns: list[tuple[int, list[int]]]) -> None:
        """Columns (interval k, cells of its members)."""
        starts: list[int] = []
        index: list[int] = []
        for k, cells in columns:
            starts.append(len(index))
            index.append(k)
            for c in cells:
                index.extend(self.rows_of[c])
        n = len(columns)
        self.h.addCols(n, np.zeros(n), np.zeros(n), np.full(n, self.highspy.kHighsInf), len(index),
                       np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                       np.ones(len(index)))

    def solve(self, until: float = float("inf")) -> tuple[float, np.ndarray, np.ndarray] | None:
        """(objective, interval duals, >= row duals); None: not solved to optimality by
        perf_counter() `until` (HiGHS' own time limit)."""
        left = until - time.perf_counter()
        if left <= 0:
            return None
        # HiGHS 1.x compares its time limit with the run time summed over every run() of this
        # object (ERGO-Code/HiGHS#1331, #1477): the runs so far plus what is left
        self.h.setOptionValue("time_limit", min(self.h.getRunTime() + left, self.highspy.kHighsInf))
        self.h.run()
        if self.h.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
            return None
        duals = np.array(self.h.getSolution().row_dual)
        return float(self.h.getInfo().objective_function_value), duals[:self.m], duals[self.m:]


def refute(instance: RCPSPInstance, net: Network, horizon: int, until: float = float("inf"),
           energy: bool = True, shaving: int = 0) -> bool | None:
    """True: no schedule of makespan <= horizon; False: the LP is feasible (or the horizon holds
    the activities one after the other); None: out of time."""
    if horizon >= int(net.d.sum()):
        return False
    found = windows(net, horizon, energy, shaving, until)
    if found is None:
        return True
    if time.perf_counter() > until:
        return None
    est, lst = found
    points = _intervals(net, est, lst)
    if points.size < 2:
        return False
    m = points.size - 1
    lengths = np.diff(points)
    inside = ((est[:, None] <= points[None, :-1]) & (points[None, 1:] <= (lst + net.d)[:, None])
              & (net.d > 0)[:, None])
    rows = _rows(net, est, lst, points, inside)
    master = Master(lengths, rows, instance.n * m)
    busy = [np.flatnonzero(inside[:, k]) for k in range(m)]
    master.add([(k, [j * m + k]) for k in range(m) for j in busy[k].tolist()])
    related = (net.dist > NONE) | (net.dist.T > NONE)
    for _ in range(MAX_ITERATIONS):
        solved = master.solve(until)
        if solved is None:
            return None
        value, pi, mu = solved
        if value <= EPSILON:
            return False
        mu = np.clip(mu, 0.0, 1.0)
        weight = np.bincount(master.cell, weights=mu[master.row], minlength=instance.n * m)
        weight = weight.reshape(instance.n, m)
        lagrange = float(master.rhs @ mu)
        columns = []
        for k in range(m):
            if time.perf_counter() > until:
                return None
            cand = busy[k][weight[busy[k], k] > 1e-12]
            if cand.size == 0:
                continue
            best, members, upper = heaviest_set(weight[cand, k], net.q[cand], net.c,
                                                related[np.ix_(cand, cand)])
            lagrange -= float(lengths[k]) * upper
            if best > -pi[k] + 1e-9:
                columns.append((k, [int(cand[i]) * m + k for i in members]))
        if lagrange > EPSILON:
            return True
        if not columns:
            return False  # converged with the Lagrangian value at or below EPSILON
        master.add(columns)
    return None


def destructive_bound(instance: RCPSPInstance, low: int, high: int, until: float = float("inf"),
                      energy: bool = True, shaving: int = 0) -> int:
    """A lower bound on the makespan from `low` (itself one) up to `high` (an upper bound), by
    binary search over the horizon: every horizon below the result is refuted."""
    net = network(instance)
    while low < high and time.perf_counter() < until:
        middle = (low + high) // 2
        outcome = refute(instance, net, middle, until, energy, shaving)
        if outcome is True:
            low = middle + 1
        elif outcome is False:
            high = middle
        else:
            break
    return low
