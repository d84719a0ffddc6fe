"""Sparse stage-2 passes of `bdp`: the live arcs of the time-indexed table with, per arc, a
bit mask of the arcs that may directly precede it, built once arc elimination has left few
(`ArcGraph.build` says when); then each subgradient step runs over the live arcs only instead
of the whole table."""

from __future__ import annotations

import numpy as np

from schedkit.smtt.solvers.bdp import arc_graph_kernels as g
from schedkit.smtt.solvers.bdp.ssdp_kernels import INF

CELL_SHARE = 0.2  # built when at most this share of the table's cells are live arcs
ARC_BYTES = 4 + 4 + 8 * 8  # t, j, value, f, g, pred, ranked (two), order, through per arc


class ArcGraph:
    """The live arcs (t, j) of `ok` by time, their predecessor masks; f, g per arc."""

    def __init__(self, p: np.ndarray, costs: np.ndarray, ok: np.ndarray, arc_t: np.ndarray,
                 arc_j: np.ndarray, row: np.ndarray, mask: np.ndarray) -> None:
        self.p, self.costs, self.ok = p, costs, ok
        self.horizon = ok.shape[0] - 1
        self.arc_t, self.arc_j, self.row, self.mask = arc_t, arc_j, row, mask
        self._allocate()

    def _allocate(self) -> None:
        m = self.arc_t.size
        self.value = np.empty(m, dtype=np.int64)
        self.f = np.empty(m, dtype=np.int64)
        self.g = np.empty(m, dtype=np.int64)
        self.pred = np.empty(m, dtype=np.int64)
        self.ranked = np.empty(m, dtype=np.int64)
        self.count = np.zeros(self.horizon + 1, dtype=np.int64)
        self.last = -1

    @staticmethod
    def build(p: np.ndarray, costs: np.ndarray, before: np.ndarray, ok: np.ndarray,
              memory_left: int, share: float | None = None) -> ArcGraph | None:
        """The graph of the arcs left in `ok`, or None while they are over `share` (default
        CELL_SHARE) of the table or would not fit in `memory_left` bytes."""
        arc_t, arc_j, row = g.live_arcs(ok)
        words = max(1, -(-int(g.widest_row(row)) // 64))
        share = CELL_SHARE if share is None else share
        if arc_t.size > share * ok.size or (ARC_BYTES + 8 * words) * arc_t.size > memory_left:
            return None
        mask = g.build_masks(p, costs, before, arc_t, arc_j, row, words)
        return ArcGraph(p, costs, ok, arc_t, arc_j, row, mask)

    @property
    def nbytes(self) -> int:
        return ARC_BYTES * self.arc_t.size + int(self.mask.nbytes)

    def relax(self, mult: np.ndarray, scale: int) -> int:
        """The stage-2 relaxed optimum for `mult` (scaled, Σμ included; INF when there is no
        path); f and the least path's last arc kept."""
        g.arc_values(self.costs, mult, scale, self.arc_t, self.arc_j, self.value)
        g.forward(self.p, self.arc_t, self.arc_j, self.row, self.mask, self.value, self.f,
                  self.pred, self.ranked, self.count)
        self.last = int(g.best_final(self.arc_t, self.horizon, self.row, self.f))
        return int(INF) if self.last < 0 else int(self.f[self.last]) + int(mult.sum())

    def path(self) -> np.ndarray:
        """The jobs of the least path of the latest `relax`, in order (empty: none)."""
        if self.last < 0:
            return np.zeros(0, dtype=np.int64)
        return g.path_jobs(self.arc_j, self.pred, self.last)

    def eliminate(self, mult: np.ndarray, scale: int, limit: int) -> int:
        """Delete (here and in ok) the arcs whose best path for `mult` exceeds `limit`; how
        many."""
        self.relax(mult, scale)
        order, offsets = g.by_start(self.p, self.arc_t, self.arc_j, self.horizon)
        through = np.empty(self.arc_t.size, dtype=np.int64)
        g.backward(self.arc_t, self.row, self.mask, self.value, order, offsets, self.g, through,
                   np.empty(self.arc_t.size, dtype=np.int64))
        alive = np.empty(self.arc_t.size, dtype=np.bool_)
        removed = int(g.kill(self.arc_t, self.arc_j, self.f, self.g, int(mult.sum()), limit,
                             self.ok, alive))
        if removed:
            self.arc_t, self.arc_j, self.row, self.mask = g.compact(
                self.p, self.arc_t, self.arc_j, self.row, self.mask, alive)
            self._allocate()
        return removed
