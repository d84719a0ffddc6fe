"""Layered, bounded forward DP over the order ideals of the precedence relation.

Layer k holds the sets S of k jobs (uint64 masks) that can open a canonical optimal sequence:
S is a down-set of the precedence order, F(S) is the least cost of S over the paths the DP
kept, and `last` marks every job that ends such a cheapest path. S ∪ {j} is generated only
when j's predecessors are all in S, j may finish at P(S) + p_j (an arc the relaxation kept),
and some job of `last` may directly precede j (no improving adjacent interchange). A new state
is dropped when its cost plus a lower bound on the remaining jobs cannot beat the upper bound.

A layer is built in an open-addressing hash table; it is then stored sorted by mask, so the
optimal sequence is read back from the last layer by binary search, one job at a time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.smtt.solvers.bdp.kernels import INF, expand, layer_bound, rehash

MAX_LOAD = 0.6  # the table is doubled beyond this fill ratio
FIRST_CHUNK = 256  # source states per kernel call at first; the clock is read between calls
MAX_CHUNK = 1 << 20
CHUNK_SECONDS = 0.01  # the chunk size adapts so that a call takes about this long
BYTES_PER_SLOT = 24  # key, value, last mask
BYTES_PER_STORED = 16  # key and last mask of every kept state, for the read-back
BYTES_PER_VALUE = 8  # F(S), kept for the newest layer only


@dataclass
class Tables:
    """What the layer kernels read: precedences, windows, the relaxation's tables."""

    p: np.ndarray
    d: np.ndarray
    w: np.ndarray
    before: np.ndarray
    pred_masks: np.ndarray
    earliest: np.ndarray
    ok: np.ndarray
    costs: np.ndarray
    precede: np.ndarray
    g: np.ndarray
    mult: np.ndarray
    scale: int
    tabled: bool


@dataclass
class Layer:
    """One complete layer, sorted by mask."""

    keys: np.ndarray
    values: np.ndarray
    lasts: np.ndarray


@dataclass
class Outcome:
    """How the layered DP ended: the sequence it proved optimal (None: the UB is optimal, or it
    stopped), whether it finished, a lower bound when it stopped, and its figures."""

    sequence: np.ndarray | None
    finished: bool
    bound: int | None
    stats: dict[str, Any] = field(default_factory=dict)


def _table(capacity: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.uint64]:
    """An empty hash table of `capacity` (a power of two) slots and its hash shift."""
    keys = np.zeros(capacity, dtype=np.uint64)
    values = np.empty(capacity, dtype=np.int64)
    lasts = np.empty(capacity, dtype=np.uint64)
    return keys, values, lasts, np.uint64(64 - capacity.bit_length() + 1)


def _grow(table: tuple) -> tuple:
    """The same entries in a table twice as large."""
    keys, values, lasts, _ = table
    bigger = _table(2 * keys.size)
    rehash(keys, values, lasts, *bigger)
    return bigger


def _compact(table: tuple) -> Layer:
    """The entries of a finished table as a Layer sorted by mask."""
    keys, values, lasts, _ = table
    used = np.flatnonzero(keys)
    order = np.argsort(keys[used])
    chosen = used[order]
    return Layer(keys[chosen], values[chosen], lasts[chosen])


class MemoryExceeded(Exception):
    """The stored layers and the table would outgrow the memory budget."""


class DeadlineReached(Exception):
    """The wall-clock budget ran out in the middle of a layer."""


def build_layer(source: Layer, tables: Tables, limit: int, deadline: float,
                memory_left: int) -> tuple[Layer, int]:
    """The next layer from `source`; (layer, peak table bytes). Raises on deadline or memory."""
    capacity = 1 << max(10, int(2 * source.keys.size / MAX_LOAD).bit_length())
    if capacity * BYTES_PER_SLOT > memory_left:
        raise MemoryExceeded
    table = _table(capacity)
    count, index, size, chunk = 0, 0, source.keys.size, FIRST_CHUNK
    while index < size:
        started = time.perf_counter()
        if started >= deadline:
            raise DeadlineReached
        stop = min(size, index + chunk)
        max_count = int(MAX_LOAD * table[0].size)
        index, count = expand(
            source.keys, source.values, source.lasts, index, stop, *table[:3], table[3], count,
            max_count, tables.p, tables.d, tables.w, tables.before, tables.pred_masks,
            tables.earliest, tables.ok, tables.costs, tables.precede, tables.g, tables.mult, tables.scale,
            limit, tables.tabled,
        )
        if count >= max_count:
            if 3 * table[0].size * BYTES_PER_SLOT > memory_left:  # old and new table together
                raise MemoryExceeded
            table = _grow(table)
        elapsed = time.perf_counter() - started
        chunk = max(FIRST_CHUNK, min(MAX_CHUNK, int(chunk * CHUNK_SECONDS / max(elapsed, 1e-6))))
    peak = table[0].size * BYTES_PER_SLOT
    return _compact(table), peak


def read_back(layers: list[Layer]) -> np.ndarray:
    """An optimal sequence from the stored layers: peel off a cheapest last job at a time."""
    n = len(layers) - 1
    sequence = np.empty(n, dtype=np.int64)
    state = int(layers[n].keys[0])
    last = int(layers[n].lasts[0])
    for position in range(n - 1, -1, -1):
        job = (last & -last).bit_length() - 1
        sequence[position] = job
        state ^= 1 << job
        layer = layers[position]
        where = int(np.searchsorted(layer.keys, np.uint64(state)))
        assert layer.keys[where] == state, "a stored state lost its predecessor"
        last = int(layer.lasts[where])
    return sequence


def layer_lower_bound(layer: Layer, tables: Tables) -> int | None:
    """The lower bound on the optimum implied by one complete layer (None: it implies none).

    Every sequence cheaper than the upper bound passes through one state of each layer, so
    the least F(S) + bound(rest) over a layer bounds the optimum (or the UB is optimal).
    """
    scaled = int(layer_bound(layer.keys, layer.values, layer.lasts, tables.p, tables.d, tables.w,
                             tables.earliest, tables.g, tables.mult, tables.scale, tables.tabled))
    return None if scaled >= INF else -(-scaled // tables.scale)


def solve_layers(tables: Tables, upper: int, deadline: float, memory_limit: int) -> Outcome:
    """Run the layers up to n; a sequence cheaper than `upper` if one exists.

    stats: states (all layers), peak_states (the largest layer), memory_bytes (the stored
    layers, the values of the newest one and the largest hash table, at their peak).
    """
    n = tables.p.size
    limit = (upper - 1) * tables.scale
    layers = [Layer(np.zeros(1, dtype=np.uint64), np.zeros(1, dtype=np.int64),
                    np.zeros(1, dtype=np.uint64))]
    stats: dict[str, Any] = {"states": 1, "peak_states": 1, "memory_bytes": 0, "layers": 0}
    stored = BYTES_PER_STORED
    for _ in range(n):
        held = stored + layers[-1].keys.size * BYTES_PER_VALUE
        try:
            layer, table_bytes = build_layer(layers[-1], tables, limit, deadline, memory_limit - held)
        except (DeadlineReached, MemoryExceeded) as stop:
            stats["stopped"] = "deadline" if isinstance(stop, DeadlineReached) else "memory"
            return Outcome(None, False, layer_lower_bound(layers[-1], tables), stats)
        stats["memory_bytes"] = max(stats["memory_bytes"], held + table_bytes)
        stored += layer.keys.size * BYTES_PER_STORED
        layers[-1].values = np.empty(0, dtype=np.int64)  # the read-back needs masks and last jobs
        stats["states"] += int(layer.keys.size)
        stats["peak_states"] = max(stats["peak_states"], int(layer.keys.size))
        stats["layers"] += 1
        layers.append(layer)
        if layer.keys.size == 0:  # every path is cut off: no sequence beats the upper bound
            return Outcome(None, True, None, stats)
    return Outcome(read_back(layers), True, None, stats)
