"""Numba compilation inside the budget: `ensure_compiled(deadline)` compiles (or loads from the
cache) the SGS kernels on a two-activity project, on a helper thread, and says whether they were
ready by `deadline` and how long it waited, so a method counts that against its time limit
(`stats["compile_seconds"]`) and, when they are not ready, works without them
(heuristics/plain.py) while the compilation goes on."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from schedkit.common.compile import compile_until
from schedkit.common.rng import seed_state
from schedkit.rcpsp import bounds_pricing, bounds_windows
from schedkit.rcpsp import temporal as rcpsp_temporal
from schedkit.rcpsp.heuristics import ga_kernels as rcpsp_ga_kernels
from schedkit.rcpsp.heuristics import kernels as rcpsp_kernels
from schedkit.rcpsp.heuristics import lag_kernels as rcpsp_lag_kernels
from schedkit.rcpsp.model import RCPSPInstance

kernels: Any = rcpsp_kernels
ga_kernels: Any = rcpsp_ga_kernels
lag_kernels: Any = rcpsp_lag_kernels
temporal: Any = rcpsp_temporal
temporal_kernels: Any = rcpsp_temporal._floyd


def _read_only(values: list[Any], dtype: Any, shape: tuple[int, ...] | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=dtype)
    if shape is not None:
        array = array.reshape(shape)
    array.setflags(write=False)
    return array


def _toy() -> tuple[np.ndarray, ...]:
    """0 -> 1 on one resource, typed exactly as an RCPSPInstance's arrays (read-only int64)."""
    return (_read_only([1, 1], np.int64), _read_only([0, 0, 1], np.int64),
            _read_only([0], np.int64), _read_only([0, 1, 1], np.int64),
            _read_only([1], np.int64), _read_only([1, 1], np.int64, (2, 1)),
            _read_only([1], np.int64))


def compiled() -> bool:
    """True when every kernel the SGS methods call has been compiled in this process."""
    return all(getattr(kernels, name).signatures for name in
               ("serial_sgs", "parallel_sgs", "sample_batch", "makespan", "earliest_starts",
                "latest_starts", "successor_totals", "justify"))


def _warm_sgs() -> None:
    data = _toy()
    priority = np.zeros(2, dtype=np.float64)
    state = seed_state(0)
    order = _read_only([0, 1], np.int64)
    kernels.earliest_starts(order, data[0], data[1], data[2])
    kernels.latest_starts(order, data[0], data[3], data[4], 2)
    kernels.successor_totals(order, data[3], data[4])
    start, _ = kernels.serial_sgs(*data, priority, -1.0, state)
    kernels.parallel_sgs(*data, priority, -1.0, state)
    kernels.makespan(start, data[0])
    kernels.sample_batch(*data, priority, 1.0, True, True, 3, state)
    kernels.justify(start, *data, state)


def ensure_compiled(deadline: float = math.inf) -> tuple[bool, float]:
    """(ready, seconds waited) for the SGS kernels: compiled on a helper thread, waited for
    until `deadline` (a perf_counter value); (True, 0.0) once this process has them."""
    return compile_until("rcpsp.sgs", _warm_sgs, deadline, compiled)


def _ga_compiled() -> bool:
    return bool(ga_kernels.initialise.signatures and ga_kernels.generations.signatures)


def _warm_ga() -> None:
    data = _toy()
    size = 2
    lists = np.full((size, 2), -1, dtype=np.int64)
    starts = np.zeros((size, 2), dtype=np.int64)
    spans = np.zeros(size, dtype=np.int64)
    hashes = np.zeros(size, dtype=np.uint64)
    state = seed_state(0)
    priority = np.zeros(2, dtype=np.float64)
    _, _, state = ga_kernels.initialise(*data, priority, 1.0, lists, starts, spans, hashes, 0,
                                        size, False, 100, state)
    ga_kernels.generations(*data, np.ones(2, dtype=np.float64), priority, 1.0, lists, starts,
                           spans, hashes, 1, 100, 0, 0.05, 1, 0, np.uint64(state))


def ensure_ga_compiled(deadline: float = math.inf) -> tuple[bool, float]:
    """(ready, seconds waited) for the genetic algorithm's kernels (time grid and step
    profile alike), as `ensure_compiled`."""
    return compile_until("rcpsp.ga", _warm_ga, deadline, _ga_compiled)


def _lags_compiled() -> bool:
    return bool(lag_kernels.lag_sample.signatures and temporal_kernels.signatures)


def _warm_lags() -> None:
    data = _toy()
    lags = _read_only([1], np.int64)
    temporal._bellman_ford(2, data[3], data[4], lags)
    dist = temporal._floyd(2, data[3], data[4], lags, temporal.NO_PATH)
    earliest = np.zeros(2, dtype=np.int64)
    lag_kernels.lag_sample(data[0], data[5], data[6], dist, earliest, 4,
                           np.zeros(2, dtype=np.float64), 1.0, 2, temporal.NO_PATH,
                           np.zeros(1, dtype=np.uint8), 2, seed_state(0))


def ensure_lag_compiled(deadline: float = math.inf) -> tuple[bool, float]:
    """(ready, seconds waited) for the RCPSP/max kernels (temporal analysis, lag SGS), as
    `ensure_compiled`."""
    return compile_until("rcpsp.lags", _warm_lags, deadline, _lags_compiled)


def _cg_compiled() -> bool:
    return bool(bounds_windows._energy_kernel.signatures and bounds_pricing._search.signatures)


def _warm_cg() -> None:
    """Windows with energetic reasoning and one pricing call on a three-activity project (two
    that clash on one resource), typed as on a real one."""
    toy = RCPSPInstance([0, 2, 3, 0], [[1, 2], [3], [3], []], [2], [[0], [2], [1], [0]])
    net = bounds_windows.network(toy)
    bounds_windows.windows(net, 6)
    bounds_pricing.heaviest_set(np.ones(2), net.q[1:3], net.c, np.zeros((2, 2), dtype=bool))


def ensure_cg_compiled(deadline: float = math.inf) -> tuple[bool, float]:
    """(ready, seconds waited) for the feasible-subset LP's kernels (windows, pricing), as
    `ensure_compiled`."""
    return compile_until("rcpsp.cg", _warm_cg, deadline, _cg_compiled)


def warm_up() -> None:
    """Compile every kernel above, for `schedkit warmup`: its 1 s runs ask for the GA's kernels
    only once the SGS kernels are ready, which on a cold cache they are not, so `ga` and
    `cpsat-lns` compiled them inside a user's first call (55 s at load 8 after `make run`); the
    LP bound's kernels start only after a CP-SAT checkpoint, which no short run reaches."""
    ensure_compiled()
    ensure_ga_compiled()
    ensure_lag_compiled()
    ensure_cg_compiled()
