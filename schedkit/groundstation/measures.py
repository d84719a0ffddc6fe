"""A ground station result in hours, the unit its users plan in (the objective is unserved seconds)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def hours(objective: Any, bound: Any, stats: Mapping[str, Any]) -> dict[str, Any] | None:
    """Tracked, requested and at most trackable hours (what the proven bound on unserved seconds
    leaves), their gap in %, satisfied requests, U_rms and U_max; None without a plan's stats."""
    if "tracked_hours" not in stats or "requested_hours" not in stats:
        return None
    tracked, requested = float(stats["tracked_hours"]), float(stats["requested_hours"])
    most = None if bound is None else requested - float(bound) / 3600
    gap = None if not most else 100 * (most - tracked) / most
    return {
        "tracked h": round(tracked, 2),
        "requested h": round(requested, 2),
        "at most h": None if most is None else round(most, 2),
        "hours gap %": None if gap is None else round(gap, 2),
        "satisfied": stats.get("requests_satisfied"),
        "U_rms": stats.get("u_rms"),
        "U_max": stats.get("u_max"),
    }
