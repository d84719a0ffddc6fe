"""Groundstation checker: every rule of the model re-verified from the plan alone, and the
objective (unserved seconds) and metrics (tracked hours, requests satisfied, U_rms, U_max)
recomputed. Plain Python over the instance; it shares nothing with the methods.
"""

from __future__ import annotations

import math
from typing import Any

from schedkit.groundstation.model import GroundStationInstance, Request


def _tracks(data: Any, violations: list[str]) -> list[tuple[str, tuple[str, ...], int, int]]:
    if not isinstance(data, dict) or not isinstance(data.get("tracks"), list):
        violations.append('a groundstation solution is {"tracks": [...]}')
        return []
    found = []
    for k, item in enumerate(data["tracks"]):
        if not isinstance(item, dict):
            violations.append(f"tracks[{k}] is not an object")
            continue
        on, off, antennas = item.get("tracking_on"), item.get("tracking_off"), item.get("antennas")
        if any(isinstance(v, bool) or not isinstance(v, int) for v in (on, off)):
            violations.append(f"tracks[{k}]: tracking_on and tracking_off must be integer seconds")
            continue
        if not isinstance(antennas, list) or not all(isinstance(a, str) for a in antennas):
            violations.append(f"tracks[{k}]: antennas must be a list of names")
            continue
        if not isinstance(item.get("request"), str):  # null matched a request named "None"
            violations.append(f"tracks[{k}]: request must be a track_id (text), got {item.get('request')!r}")
            continue
        assert isinstance(on, int) and isinstance(off, int)
        found.append((item["request"], tuple(antennas), on, off))
    return found


def _overlaps(intervals: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Pairs of labels whose half-open intervals overlap (each one against the latest end so far)."""
    clashes = []
    latest_end, latest = None, ""
    for start, end, label in sorted(intervals):
        if latest_end is not None and start < latest_end:
            clashes.append((latest, label))
        if latest_end is None or end > latest_end:
            latest_end, latest = end, label
    return clashes


def _place(r: Request, antennas: tuple[str, ...], on: int, off: int, label: str) -> list[str]:
    """Rules of one track taken alone: alternative, view period, window, length."""
    problems = []
    alternative = next((a for a in r.alternatives if sorted(a.antennas) == sorted(antennas)), None)
    if alternative is None:
        return [f"{label}: antennas {list(antennas)} are no alternative of request {r.track_id}"]
    if off <= on:
        problems.append(f"{label}: tracking_off {off} is not after tracking_on {on}")
    if on < r.window_start or off > r.window_end:
        problems.append(f"{label}: [{on}, {off}) leaves the time window "
                        f"[{r.window_start}, {r.window_end}]")
    if not any(p.on <= on and off <= p.off for p in alternative.view_periods):
        problems.append(f"{label}: [{on}, {off}) lies in no view period of {alternative.key}")
    shortest = min(4 * 3600, r.duration_min) if r.duration >= 8 * 3600 else r.duration_min
    if off - on < shortest:
        problems.append(f"{label}: lasts {off - on} s, below the minimum {shortest} s")
    return problems


def check(instance: GroundStationInstance, data: Any) -> tuple[int | None, list[str]]:
    """(recomputed unserved seconds or None, violations) for a `{"tracks": [...]}` plan."""
    violations: list[str] = []
    tracks = _tracks(data, violations)
    if violations:
        return None, violations
    by_id = {r.track_id: r for r in instance.requests}
    tracked = {r.track_id: 0 for r in instance.requests}
    count = {r.track_id: 0 for r in instance.requests}
    on_antenna: dict[str, list[tuple[int, int, str]]] = {}
    of_request: dict[str, list[tuple[int, int, str]]] = {}
    of_mission: dict[str, list[tuple[int, int, str]]] = {}
    for k, (request, antennas, on, off) in enumerate(tracks):
        label = f"track {k} ({request})"
        r = by_id.get(request)
        if r is None:
            violations.append(f"{label}: no request has track_id {request!r}")
            continue
        problems = _place(r, antennas, on, off, label)
        violations.extend(problems)
        if problems:
            continue
        tracked[request] += off - on
        count[request] += 1
        for antenna in antennas:
            on_antenna.setdefault(antenna, []).append((on - r.setup, off + r.teardown, label))
        of_request.setdefault(request, []).append((on, off, label))
        of_mission.setdefault(r.mission, []).append((on, off, label))
    for r in instance.requests:
        if r.duration < 8 * 3600 and count[r.track_id] > 1:
            violations.append(f"request {r.track_id} (under 8 h) has {count[r.track_id]} tracks")
        if tracked[r.track_id] > r.duration:
            violations.append(f"request {r.track_id}: {tracked[r.track_id]} s tracked, above the "
                              f"requested {r.duration} s")
    for m in instance.maintenance:
        on_antenna.setdefault(m.antenna, []).append((m.start, m.end, f"maintenance {m.start}-{m.end}"))
    for antenna, intervals in sorted(on_antenna.items()):
        for a, b in _overlaps([i for i in intervals if i[1] > i[0]]):
            if a.startswith("maintenance") and b.startswith("maintenance"):
                continue  # overlapping maintenance windows are data, not the plan's fault
            violations.append(f"antenna {antenna}: {a} and {b} overlap (set-up and tear-down included)")
    for request, intervals in sorted(of_request.items()):
        for a, b in _overlaps(intervals):
            violations.append(f"request {request}: {a} and {b} overlap in time")
    if instance.spacecraft_exclusive:
        for mission, intervals in sorted(of_mission.items()):
            for a, b in _overlaps(intervals):
                violations.append(f"mission {mission} is tracked twice at once: {a} and {b}")
    objective = sum(r.duration - min(r.duration, tracked[r.track_id]) for r in instance.requests)
    return objective, violations


def metrics(instance: GroundStationInstance, data: Any) -> dict[str, float | int]:
    """Tracked hours, requests satisfied, U_rms and U_max recomputed from the plan's tracks."""
    tracked = {r.track_id: 0 for r in instance.requests}
    for item in data.get("tracks", []):
        if item.get("request") in tracked:
            tracked[item["request"]] += int(item["tracking_off"]) - int(item["tracking_on"])
    requested: dict[str, int] = {}
    allocated: dict[str, int] = {}
    satisfied = 0
    for r in instance.requests:
        got = min(r.duration, tracked[r.track_id])
        requested[r.mission] = requested.get(r.mission, 0) + r.duration
        allocated[r.mission] = allocated.get(r.mission, 0) + got
        satisfied += tracked[r.track_id] >= r.duration_min
    fractions = [(requested[m] - allocated[m]) / requested[m] for m in requested]
    return {
        "tracked_hours": sum(allocated.values()) / 3600,
        "requests_satisfied": satisfied,
        "u_rms": math.sqrt(sum(u * u for u in fractions) / len(fractions)) if fractions else 0.0,
        "u_max": max(fractions, default=0.0),
    }
