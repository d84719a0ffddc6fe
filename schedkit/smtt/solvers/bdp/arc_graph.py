"""Sparse stage-2 passes of `bdp`: the live arcs of the time-indexed table and the adjacency
edges between them, built once arc elimination has left few (`ArcGraph.build` says when),
then one O(arcs + edges) pass per subgradient step instead of one over the whole table."""

from __future__ import annotations

import numpy as np

from schedkit.smtt.solvers.bdp import arc_graph_kernels as g
from schedkit.smtt.solvers.bdp.ssdp_kernels import INF

MAX_EDGES = 6_000_000  # 24 MB of edges at most, and only when within the memory left
EDGES_PER_CELL = 2.0  # and no more edges than this many per cell of the table: a dense pass
# stops at the first allowed predecessor of a sorted row, an edge pass reads every edge
ARC_BYTES = 4 + 4 + 8 * 5  # t, j, start, value, f, g, pred per arc


class ArcGraph:
    """The live arcs (t, j) of `ok`, by time, with the edges between them; f, g per arc."""

    def __init__(self, p: np.ndarray, costs: np.ndarray, before: np.ndarray, ok: np.ndarray,
                 arc_t: np.ndarray, arc_j: np.ndarray, row: np.ndarray, start: np.ndarray,
                 src: np.ndarray) -> None:
        self.p, self.costs, self.before, self.ok = p, costs, before, ok
        self.horizon = ok.shape[0] - 1
        self.arc_t, self.arc_j, self.row, self.start, self.src = arc_t, arc_j, row, start, src
        self._allocate()
        self.last = -1

    def _allocate(self) -> None:
        m = self.arc_t.size
        self.value = np.empty(m, dtype=np.int64)
        self.f = np.empty(m, dtype=np.int64)
        self.g = np.empty(m, dtype=np.int64)
        self.pred = np.empty(m, dtype=np.int64)

    @staticmethod
    def build(p: np.ndarray, costs: np.ndarray, before: np.ndarray, ok: np.ndarray,
              memory_left: int) -> ArcGraph | None:
        """The graph of the arcs left in `ok`, or None while it would be too large (over
        MAX_EDGES, EDGES_PER_CELL or `memory_left` bytes)."""
        arc_t, arc_j, row = g.live_arcs(ok)
        estimate = int(g.edge_estimate(p, arc_t, arc_j, row))
        capacity = min(MAX_EDGES, int(EDGES_PER_CELL * ok.size),
                       (memory_left - ARC_BYTES * arc_t.size) // 4)
        if estimate > capacity:
            return None
        start, src, count = g.build_edges(p, costs, before, arc_t, arc_j, row, max(estimate, 1))
        return ArcGraph(p, costs, before, ok, arc_t, arc_j, row, start, src[:count].copy())

    @property
    def nbytes(self) -> int:
        return ARC_BYTES * self.arc_t.size + 4 * self.src.size

    def relax(self, mult: np.ndarray, scale: int) -> int:
        """The stage-2 relaxed optimum for `mult` (scaled, Σμ included; INF when there is no
        path); f and the least path's last arc kept."""
        g.arc_values(self.costs, mult, scale, self.arc_t, self.arc_j, self.value)
        g.forward(self.p, self.arc_t, self.arc_j, self.value, self.start, self.src, self.f,
                  self.pred)
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
        g.backward(self.arc_t, self.horizon, self.value, self.start, self.src, self.g)
        alive = np.empty(self.arc_t.size, dtype=np.bool_)
        removed = int(g.kill(self.arc_t, self.arc_j, self.f, self.g, int(mult.sum()), limit,
                             self.ok, alive))
        if removed:
            self.arc_t, self.arc_j, self.row, self.start, self.src = g.compact(
                self.arc_t, self.arc_j, self.row, self.start, self.src, alive)
            self._allocate()
            self.last = -1
        return removed
