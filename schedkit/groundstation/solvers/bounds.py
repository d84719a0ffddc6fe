"""A proven lower bound on unserved seconds from the satellite-operation-mode rule alone.

With one mission tracked at a time, relax everything else (antennas, set-up, minimum lengths,
one piece per request): each mission m is a transportation problem, its requests (at most L_i
each) sending tracking time into the elementary time segments their options cover (each segment
at most its length). The LP optimum T_m bounds what m can get, so
unserved >= requested - sum_m T_m. Solved per mission by HiGHS; the value is rounded in the
bound's favour only after a tolerance.
"""

from __future__ import annotations

import math

import numpy as np

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance

TOLERANCE = 1e-6


def mission_most(instance: GroundStationInstance, options: list[list[Option]], requests: list[int]) -> float:
    """Most tracking time the mission of `requests` can get (the transportation LP's value)."""
    import highspy

    points = sorted({p for i in requests for o in options[i] for p in (o.lo, o.hi)})
    segments = list(zip(points, points[1:], strict=False))
    columns: list[tuple[int, int, int]] = []
    for n, i in enumerate(requests):
        spans = [(o.lo, o.hi) for o in options[i]]
        for k, (a, b) in enumerate(segments):
            if any(lo <= a and b <= hi for lo, hi in spans):
                columns.append((n, k, b - a))
    if not columns:
        return 0.0
    lp = highspy.HighsLp()
    lp.num_col_ = len(columns)
    lp.num_row_ = len(requests) + len(segments)
    lp.col_cost_ = np.ones(len(columns))
    lp.col_lower_ = np.zeros(len(columns))
    lp.col_upper_ = np.array([c[2] for c in columns], dtype=np.float64)
    lp.row_lower_ = np.full(lp.num_row_, -np.inf)
    lp.row_upper_ = np.array([instance.requests[i].duration for i in requests]
                             + [b - a for a, b in segments], dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * len(columns) + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = np.array([r for n, k, _ in columns for r in (n, len(requests) + k)],
                                   dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(2 * len(columns))
    lp.sense_ = highspy.ObjSense.kMaximize
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return float(sum(instance.requests[i].duration for i in requests))  # no claim
    return float(highs.getInfo().objective_function_value)


def mission_flow_bound(instance: GroundStationInstance, options: list[list[Option]]) -> int:
    """Lower bound on unserved seconds (0 when missions may be tracked twice at once)."""
    if not instance.spacecraft_exclusive:
        return 0
    by_mission: dict[str, list[int]] = {}
    for i, r in enumerate(instance.requests):
        by_mission.setdefault(r.mission, []).append(i)
    most = sum(mission_most(instance, options, requests) for requests in by_mission.values())
    ceiling = math.floor(most + TOLERANCE * max(1.0, most) + 1e-6)
    return max(0, instance.requested - ceiling)
