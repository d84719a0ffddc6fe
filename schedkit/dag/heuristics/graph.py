"""The arrays the DAG kernels run on, built once from an instance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from schedkit.common.compile import kernels_or_twins
from schedkit.dag.heuristics import kernels as dag_kernels
from schedkit.dag.model import DAGInstance
from schedkit.deadline import stop_flag

# Compiled kernels, or their Python twins while they compile (a cold cache: heuristics/methods.py).
kernels: Any = kernels_or_twins(dag_kernels)


@dataclass(frozen=True)
class Graph:
    """CSR adjacency (successors and predecessors with edge indices), the FIFO topological
    order and positions, the network arrays, and the average costs w̄ and delays c̄ that
    the rank functions of HEFT, CPOP and PEFT use."""

    succ_ptr: np.ndarray
    succ_idx: np.ndarray
    succ_edge: np.ndarray
    pred_ptr: np.ndarray
    pred_idx: np.ndarray
    pred_edge: np.ndarray
    topo: np.ndarray
    topo_pos: np.ndarray
    cost: np.ndarray
    data: np.ndarray
    bw: np.ndarray
    lat: np.ndarray
    wbar: np.ndarray
    cbar: np.ndarray


def _csr(n: int, keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, values[order].astype(np.int64), order.astype(np.int64)


def build(instance: DAGInstance) -> Graph:
    """The kernel arrays of `instance` (O(n + m) plus O(m·p²) for c̄ with a network)."""
    n = instance.n
    sources, targets = instance.edges[:, 0], instance.edges[:, 1]
    succ_ptr, succ_idx, succ_edge = _csr(n, sources, targets)
    pred_ptr, pred_idx, pred_edge = _csr(n, targets, sources)
    topo_pos = kernels.topological_positions(n, succ_ptr, succ_idx)
    topo = np.empty(n, np.int64)
    topo[topo_pos] = np.arange(n)
    bw, lat = instance.network_arrays()
    # Writable int64 copies whether or not the instance has a network (its arrays are
    # read-only): numba compiles one specialisation per read-only flag, so one layout means
    # one compilation, the one `schedkit warmup` caches.
    bw, lat = np.array(bw, np.int64, order="C"), np.array(lat, np.int64)
    cost = np.ascontiguousarray(instance.cost)
    return Graph(
        succ_ptr, succ_idx, succ_edge, pred_ptr, pred_idx, pred_edge, topo, topo_pos,
        cost, instance.data, bw, lat,
        cost.mean(axis=1), kernels.average_delays(instance.data, bw, lat, stop_flag()),
    )
