"""A proven lower bound on unserved seconds from the interval LP (interval_lp.py) made a MIP:
per key (i, o, p, q) an integer y, the number of tracks with that key, equal to the sum of the
key's column weights.

Why it is valid: a plan's track has exactly one key, and the weights that write its shape from
the vertices of the piece holding it sum to 1, so a plan's point gives every key an integral
weight sum (its number of tracks, at most the request's max_tracks). The LP's fractional
answers (three 8 h requests sharing one slot at 0.40 / 0.36 / 0.24, each filling the rest of
its time with such shares elsewhere) are cut off: each request's tracks must now pick whole
keys, so two tracks cannot both run through one antenna's inner bucket. Only requests asking at
least `integer_from` seconds get integer keys (the others stay as in the LP): the long requests
carry the fractional shares, and fewer integers leave HiGHS more nodes.
The bound is HiGHS's MIP dual bound, valid whenever HiGHS stops (time or node limit), widened
by MIP_MARGIN and one second before rounding in our favour.
Unlike the LP bound it is not re-derived by weak duality: it trusts HiGHS's node LPs within
their tolerances (as cpsat trusts CP-SAT's bound).
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.interval_lp import build, mission_totals
from schedkit.groundstation.solvers.lp_bound import _Builder, solve_lp, tracked_ceiling

MIP_MARGIN = 1e-6  # relative slack on HiGHS's dual bound (its tolerances are 1e-7 to 1e-6)


def mip_unserved_bound(instance: GroundStationInstance, options: list[list[Option]],
                       seconds: float | None = None, grid: int = 10800, integer_from: int = 0,
                       node_limit: int | None = None, mission_caps: bool = True,
                       crossing_rows: bool = False) -> tuple[int, dict[str, Any]]:
    """(proven lower bound on unserved seconds, stats: HiGHS's status, nodes, integer keys,
    the bound and the best integer point of the relaxation in tracked hours); `seconds` covers
    building too; `crossing_rows` as in interval_lp."""
    import highspy

    started = time.perf_counter()
    caps = mission_totals(instance, options) if mission_caps else None
    lp = build(instance, options, grid, caps, crossing_rows=crossing_rows)
    stats: dict[str, Any] = {"grid": grid, "columns": len(lp.cost)}
    if not lp.cost:  # no column: nothing can be tracked, every requested second is unserved
        return _finish(instance, 0, stats, started)
    model, keys = _model(highspy, lp, instance, integer_from)
    stats["integer_keys"] = keys
    if not keys:  # no integer: HiGHS would solve an LP and report no MIP dual bound (0)
        left = None if seconds is None else max(0.01, seconds - (time.perf_counter() - started))
        stats["status"], stats["nodes"] = "lp", 0
        return _finish(instance, tracked_ceiling(solve_lp(lp, left)[0]), stats, started)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 0.0)
    if node_limit is not None:
        highs.setOptionValue("mip_max_nodes", int(node_limit))
    if seconds is not None:
        left = seconds - (time.perf_counter() - started)
        highs.setOptionValue("time_limit", max(0.01, left))
    highs.passModel(model)
    highs.run()
    info = highs.getInfo()
    stats["status"] = highs.modelStatusToString(highs.getModelStatus())
    stats["nodes"] = int(info.mip_node_count)
    primal = float(info.objective_function_value)
    stats["relaxed_point_hours"] = round(-primal / 3600, 4) if math.isfinite(primal) else None
    dual = float(info.mip_dual_bound)  # on -tracked, minimised
    if stats["nodes"] < 0 or not math.isfinite(dual):  # HiGHS ran no MIP search: no bound
        stats["bound_hours"] = None
        return 0, stats
    most = -dual
    return _finish(instance, math.floor(most + MIP_MARGIN * max(1.0, abs(most)) + 1.0), stats, started)


def _finish(instance: GroundStationInstance, ceiling: int, stats: dict[str, Any], started: float
            ) -> tuple[int, dict[str, Any]]:
    """(unserved bound from a ceiling on tracked seconds, stats with the bound and the time)."""
    stats["bound_hours"] = round(ceiling / 3600, 4)
    stats["seconds"] = round(time.perf_counter() - started, 2)
    return max(0, instance.requested - ceiling), stats


def _model(highspy: Any, lp: _Builder, instance: GroundStationInstance, integer_from: int
           ) -> tuple[Any, int]:
    """The interval LP's columns plus one integer column y per key of a request asking at least
    `integer_from` seconds, and one row per such key: sum of its weights - y = 0."""
    n = len(lp.cost)
    link: dict[object, int] = {}
    rows = len(lp.row_upper)
    column_link = np.full(n, -1, dtype=np.int64)
    key_upper: list[float] = []
    for j, tag in enumerate(lp.tags):
        if not isinstance(tag, tuple) or instance.requests[tag[0]].duration < integer_from:
            continue
        r = link.get(tag)
        if r is None:
            r = link[tag] = rows + len(key_upper)
            key_upper.append(float(instance.requests[tag[0]].max_tracks))
        column_link[j] = r
    starts = np.asarray(lp.starts, dtype=np.int64)
    counts = np.diff(starts) + (column_link >= 0)
    new_starts = np.concatenate([[0], np.cumsum(counts)])
    index = np.empty(new_starts[-1], dtype=np.int64)
    value = np.empty(new_starts[-1], dtype=np.float64)
    old_rows, old_values = np.asarray(lp.rows, dtype=np.int64), np.asarray(lp.values, dtype=np.float64)
    for j in range(n):  # copy the column, then its link entry
        a, b, c = starts[j], starts[j + 1], new_starts[j]
        index[c:c + b - a], value[c:c + b - a] = old_rows[a:b], old_values[a:b]
        if column_link[j] >= 0:
            index[c + b - a], value[c + b - a] = column_link[j], 1.0
    m = len(key_upper)
    key_rows = np.arange(rows, rows + m, dtype=np.int64)
    model = highspy.HighsLp()
    model.num_col_ = n + m
    model.num_row_ = rows + m
    model.col_cost_ = np.concatenate([-np.asarray(lp.cost), np.zeros(m)])
    model.col_lower_ = np.zeros(n + m)
    model.col_upper_ = np.concatenate([np.asarray(lp.upper, dtype=np.float64), key_upper])
    model.row_lower_ = np.concatenate([np.full(rows, -np.inf), np.zeros(m)])
    model.row_upper_ = np.concatenate([np.asarray(lp.row_upper, dtype=np.float64), np.zeros(m)])
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    key_starts = new_starts[-1] + np.arange(1, m + 1)  # one entry (-1 in its link row) per y
    model.a_matrix_.start_ = np.concatenate([new_starts, key_starts]).astype(np.int32)
    model.a_matrix_.index_ = np.concatenate([index, key_rows]).astype(np.int32)
    model.a_matrix_.value_ = np.concatenate([value, -np.ones(m)])
    model.integrality_ = [highspy.HighsVarType.kContinuous] * n + [highspy.HighsVarType.kInteger] * m
    return model, m
