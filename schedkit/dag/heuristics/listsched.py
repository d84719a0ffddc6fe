"""HEFT, CPOP and PEFT (priorities and processor rules) on top of one list-scheduling kernel.

- HEFT (Topcuoglu, Hariri, Wu 2002): priority rank_u (w̄ and c̄ averages), each task on the
  processor of earliest finish time with insertion into idle gaps.
- CPOP (same paper): priority rank_u + rank_d; the tasks of the critical path (priority =
  |CP|) all go to the one processor minimising their summed cost, the others by earliest
  finish time.
- PEFT (Arabnejad, Barbosa 2014): priority rank_oct = mean of the optimistic cost table row;
  processor minimising EFT + OCT.
Ties: see `schedkit.dag.heuristics.kernels` (topological position, then lowest processor).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.common.compile import kernels_or_twins
from schedkit.dag.heuristics import kernels as dag_kernels
from schedkit.dag.heuristics.graph import Graph
from schedkit.deadline import stop_flag

# Compiled kernels, or their Python twins while they compile (a cold cache: heuristics/methods.py).
kernels: Any = kernels_or_twins(dag_kernels)

Schedule = tuple[np.ndarray, np.ndarray]


def _run(g: Graph, priority: np.ndarray, forced: np.ndarray | None = None,
         lookahead: np.ndarray | None = None) -> Schedule:
    n, p = g.cost.shape
    forced = np.full(n, -1, np.int64) if forced is None else forced
    lookahead = np.zeros((n, p), np.float64) if lookahead is None else lookahead
    return kernels.list_schedule(priority, g.topo_pos, g.pred_ptr, g.pred_idx, g.pred_edge,
                                 g.succ_ptr, g.succ_idx, g.cost, g.data, g.bw, g.lat, forced,
                                 lookahead, stop_flag())


def upward_ranks(g: Graph) -> np.ndarray:
    """HEFT's rank_u of every task."""
    return kernels.upward_ranks(g.topo, g.succ_ptr, g.succ_idx, g.succ_edge, g.wbar, g.cbar)


def heft(g: Graph) -> Schedule:
    """(processor, start) per task by HEFT."""
    return _run(g, upward_ranks(g))


def cpop(g: Graph) -> tuple[np.ndarray, np.ndarray, int]:
    """(processor, start, critical-path processor) per task by CPOP."""
    down = kernels.downward_ranks(g.topo, g.pred_ptr, g.pred_idx, g.pred_edge, g.wbar, g.cbar)
    priority = upward_ranks(g) + down
    on_path = kernels.critical_path(priority, g.succ_ptr, g.succ_idx, g.pred_ptr)
    chosen = int(np.argmin(g.cost[on_path].sum(axis=0)))  # argmin: lowest index on ties
    forced = np.where(on_path, chosen, -1).astype(np.int64)
    processor, start = _run(g, priority, forced)
    return processor, start, chosen


def peft(g: Graph) -> Schedule:
    """(processor, start) per task by PEFT."""
    table = kernels.optimistic_costs(g.topo, g.succ_ptr, g.succ_idx, g.succ_edge, g.cost, g.cbar, stop_flag())
    return _run(g, table.mean(axis=1), lookahead=table)
