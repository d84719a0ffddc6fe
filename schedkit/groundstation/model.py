"""Satellite–ground-station link scheduling (SatNet / CS-GSNSP): the instance and the plan.

A request (one spacecraft's ask for contact time) has a mission, a requested duration L and a
minimum duration, set-up and tear-down times and a time window, and lists alternatives: one
antenna or an array of antennas used together, each with its view periods. A track is an
alternative and a tracking interval [on, off) inside one view period of it and inside the
window; it occupies every antenna of the alternative over [on - setup, off + teardown).

Rules: tracks on one antenna never overlap each other nor that antenna's maintenance; a
request under 8 h gets at most one track, of length in [minimum, L]; a request of 8 h or more
may be split into tracks of at least min(4 h, minimum) each, in total at most L, and its tracks
never overlap each other in time; with `spacecraft_exclusive` (the default) one mission has at
most one track at a time. All times are integer seconds.

Objective (minimised): unserved seconds = sum over requests of L - tracked. Also reported:
tracked hours, satisfied requests (tracked >= minimum) and per mission m the unsatisfied
fraction U_m = (requested_m - tracked_m) / requested_m, as U_max and U_rms = sqrt(mean U_m^2).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schedkit.common import arguments
from schedkit.errors import InvalidInstance

FAMILY = "groundstation"
SPLIT_THRESHOLD = 8 * 3600  # a request this long or longer may be split
SPLIT_MIN = 4 * 3600  # each piece of a split request lasts at least min(this, its minimum)
MAX_TIME = 2**40  # times are seconds (Unix time fits easily)
MAX_REQUESTS = 200_000


def _time(value: Any, where: str) -> int:
    """An integer number of seconds >= 0 as a Python int (numpy's integers read; booleans, NaN
    and fractions refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidInstance(f"{where} = {value!r} is not an integer number of seconds")
    value = int(value)
    if value < 0:
        raise InvalidInstance(f"{where} = {value} is negative: times are non-negative seconds")
    if value > MAX_TIME:
        raise InvalidInstance(f"{where} = {value} is beyond {MAX_TIME} seconds")
    return value


@dataclass(frozen=True)
class ViewPeriod:
    """Tracking is possible in [on, off); rise and set (for the record) default to on and off."""

    on: int
    off: int
    rise: int | None = None
    set: int | None = None


@dataclass(frozen=True)
class Alternative:
    """An antenna, or an array of antennas used together, with the request's view periods on it."""

    antennas: tuple[str, ...]
    view_periods: tuple[ViewPeriod, ...] = ()

    @property
    def key(self) -> str:
        """SatNet's name for the alternative: the antennas joined by '_'."""
        return "_".join(self.antennas)


def _plain_times(alternative: Alternative, who: str) -> Alternative:
    """The alternative with its antennas a tuple of names and its view periods' times Python ints
    (np.int64 times were refused, or kept where no JSON writer takes them)."""
    antennas = arguments.records(f"{who}: antennas", alternative.antennas)
    if not all(isinstance(a, str) for a in antennas):
        raise InvalidInstance(f"{who}: antennas must be names (text), got {list(antennas)}")
    periods = arguments.records(f"{who}: view_periods of {'_'.join(antennas)}", alternative.view_periods)
    if not all(isinstance(p, ViewPeriod) for p in periods):
        raise InvalidInstance(f"{who}: view_periods must be ViewPeriod records")
    plain = tuple(ViewPeriod(*(v if isinstance(v, bool) or not isinstance(v, numbers.Integral) else int(v)
                               for v in (p.on, p.off, p.rise, p.set))) for p in periods)
    return Alternative(antennas, plain)


@dataclass(frozen=True)
class Request:
    """One request; times in seconds (see the module docstring)."""

    track_id: str
    mission: str
    duration: int
    duration_min: int
    setup: int
    teardown: int
    window_start: int
    window_end: int
    alternatives: tuple[Alternative, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        who = f"request {self.track_id}"
        for name in ("track_id", "mission"):  # 5 for "5": every plan named it "5" and failed the checker
            if not isinstance(getattr(self, name), str):
                raise InvalidInstance(f"{who}: {name} must be text, got {getattr(self, name)!r}")
        for name in ("duration", "duration_min", "setup", "teardown", "window_start", "window_end"):
            object.__setattr__(self, name, _time(getattr(self, name), f"{who}: {name}"))
        if self.duration <= 0:
            raise InvalidInstance(f"{who}: duration must be positive, got {self.duration}")
        if self.duration_min <= 0:
            raise InvalidInstance(f"{who}: duration_min must be positive, got {self.duration_min}")
        if self.duration_min > self.duration:
            raise InvalidInstance(f"{who}: duration_min {self.duration_min} s is above the "
                                  f"requested duration {self.duration} s")
        if self.window_end < self.window_start:
            raise InvalidInstance(f"{who}: time_window_end {self.window_end} is before "
                                  f"time_window_start {self.window_start}")
        seen: dict[frozenset[str], str] = {}  # an array is its set of antennas, in any order
        alternatives = arguments.records(f"{who}: alternatives", self.alternatives)
        if not all(isinstance(alternative, Alternative) for alternative in alternatives):
            raise InvalidInstance(f"{who}: alternatives must be Alternative records")
        alternatives = tuple(_plain_times(alternative, who) for alternative in alternatives)
        for a, alternative in enumerate(alternatives):
            if not alternative.antennas or len(set(alternative.antennas)) != len(alternative.antennas):
                raise InvalidInstance(f"{who}: alternative {a} must name distinct antennas, got "
                                      f"{list(alternative.antennas)}")
            same = seen.get(frozenset(alternative.antennas))
            if same is not None:
                again = "" if same == alternative.key else f" (as {same})"
                raise InvalidInstance(f"{who}: alternative {alternative.key} is listed twice{again}")
            seen[frozenset(alternative.antennas)] = alternative.key
            for v, period in enumerate(alternative.view_periods):
                where = f"{who}: view period {v} of {alternative.key}"
                _time(period.on, f"{where} TRX ON")
                _time(period.off, f"{where} TRX OFF")
                if period.off < period.on:
                    raise InvalidInstance(f"{where} ends (TRX OFF {period.off}) before it starts "
                                          f"(TRX ON {period.on})")
                for name in ("rise", "set"):
                    if getattr(period, name) is not None:
                        _time(getattr(period, name), f"{where} {name.upper()}")
        object.__setattr__(self, "alternatives", alternatives)
        object.__setattr__(self, "meta", arguments.meta(self.meta))

    @property
    def splittable(self) -> bool:
        """True for a request of 8 h or more (it may get several tracks)."""
        return self.duration >= SPLIT_THRESHOLD

    @property
    def min_track(self) -> int:
        """Shortest allowed track: the minimum, or min(4 h, minimum) for a splittable request."""
        return min(SPLIT_MIN, self.duration_min) if self.splittable else self.duration_min

    @property
    def max_tracks(self) -> int:
        """Most tracks the request can get: 1, or L // min_track when splittable."""
        return self.duration // self.min_track if self.splittable else 1


@dataclass(frozen=True)
class Maintenance:
    """Antenna `antenna` is down over [start, end)."""

    antenna: str
    start: int
    end: int


@dataclass(frozen=True, eq=True)
class GroundStationInstance:
    """Requests, antennas (every antenna an alternative or maintenance names), maintenance,
    and whether one mission may be tracked by two alternatives at once (`spacecraft_exclusive`
    False relaxes the satellite-operation-mode rule)."""

    requests: tuple[Request, ...]
    antennas: tuple[str, ...] = ()
    maintenance: tuple[Maintenance, ...] = ()
    spacecraft_exclusive: bool = True
    name: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    family = FAMILY

    def __post_init__(self) -> None:
        requests = arguments.records("requests", self.requests)
        if not all(isinstance(r, Request) for r in requests):
            raise InvalidInstance("requests must be Request records")
        if len(requests) > MAX_REQUESTS:
            raise InvalidInstance(f"{len(requests)} requests is beyond the supported {MAX_REQUESTS}")
        ids = [r.track_id for r in requests]
        if len(set(ids)) != len(ids):
            twice = next(t for t in ids if ids.count(t) > 1)
            raise InvalidInstance(f"request {twice}: track_id is used twice")
        named = {a for r in requests for alt in r.alternatives for a in alt.antennas}
        maintenance = arguments.records("maintenance", self.maintenance)
        if not all(isinstance(m, Maintenance) for m in maintenance):
            raise InvalidInstance("maintenance must be Maintenance records")
        antennas = arguments.records("antennas", self.antennas)
        if not all(isinstance(a, str) for a in antennas):  # an array: ambiguous truth; a list: unhashable
            raise InvalidInstance(f"antennas must be names (text), got {arguments.shown(list(antennas))}")
        antennas = antennas or tuple(sorted(named | {m.antenna for m in maintenance}))
        known = set(antennas)
        for r in requests:
            for alt in r.alternatives:
                for a in alt.antennas:
                    if a not in known:
                        raise InvalidInstance(f"request {r.track_id}: alternative {alt.key} names "
                                              f"unknown antenna {a!r}")
        maintenance = tuple(Maintenance(m.antenna, _time(m.start, f"maintenance {k} ({m.antenna}) start"),
                                        _time(m.end, f"maintenance {k} ({m.antenna}) end"))
                            for k, m in enumerate(maintenance))
        for k, m in enumerate(maintenance):
            if m.antenna not in known:
                raise InvalidInstance(f"maintenance {k}: unknown antenna {m.antenna!r}")
            if m.end < m.start:
                raise InvalidInstance(f"maintenance {k} ({m.antenna}) ends at {m.end}, before its "
                                      f"start {m.start}")
        if not isinstance(self.spacecraft_exclusive, bool):
            raise InvalidInstance("spacecraft_exclusive must be true or false")
        object.__setattr__(self, "requests", requests)
        object.__setattr__(self, "antennas", antennas)
        object.__setattr__(self, "maintenance", maintenance)
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "meta", arguments.meta(self.meta))

    @property
    def n(self) -> int:
        """Number of requests."""
        return len(self.requests)

    @property
    def requested(self) -> int:
        """Total requested seconds (the objective of the empty plan)."""
        return sum(r.duration for r in self.requests)

    def index(self) -> dict[str, int]:
        """track_id -> request index."""
        return {r.track_id: i for i, r in enumerate(self.requests)}

    def missions(self) -> list[str]:
        """Missions in first-seen order."""
        return list(dict.fromkeys(r.mission for r in self.requests))

    def replace(self, **changes: Any) -> GroundStationInstance:
        """A new, re-validated instance with some fields changed."""
        fields: dict[str, Any] = {"requests": self.requests, "antennas": self.antennas,
                  "maintenance": self.maintenance, "spacecraft_exclusive": self.spacecraft_exclusive,
                  "name": self.name, "meta": self.meta}
        fields = arguments.changed(fields, changes, "GroundStationInstance")
        return GroundStationInstance(**fields)

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON (see schedkit.groundstation.formats.records)."""
        return {
            "family": FAMILY,
            "name": self.name,
            "antennas": list(self.antennas),
            "spacecraft_exclusive": self.spacecraft_exclusive,
            "maintenance": [[m.antenna, m.start, m.end] for m in self.maintenance],
            "requests": [_request_record(r) for r in self.requests],
            "meta": dict(self.meta),
        }

    def __repr__(self) -> str:
        return (f"GroundStationInstance(name={self.name!r}, requests={self.n}, "
                f"antennas={len(self.antennas)}, maintenance={len(self.maintenance)})")


def _request_record(r: Request) -> dict[str, Any]:
    record: dict[str, Any] = {
        "track_id": r.track_id, "mission": r.mission, "duration": r.duration,
        "duration_min": r.duration_min, "setup": r.setup, "teardown": r.teardown,
        "window": [r.window_start, r.window_end],
        "alternatives": [{"antennas": list(a.antennas),
                          "view_periods": [[p.on, p.off] if p.rise is None and p.set is None
                                           else [p.on, p.off, p.rise, p.set]
                                           for p in a.view_periods]}
                         for a in r.alternatives],
    }
    if r.meta:
        record["meta"] = dict(r.meta)
    return record


@dataclass(frozen=True)
class Track:
    """One track: the request's track_id, the antennas used together, tracking on and off."""

    request: str
    antennas: tuple[str, ...]
    tracking_on: int
    tracking_off: int

    @property
    def length(self) -> int:
        """Tracked seconds."""
        return self.tracking_off - self.tracking_on


@dataclass(frozen=True)
class GroundStationSolution:
    """A plan: its tracks (sorted by tracking_on, then request)."""

    tracks: tuple[Track, ...]

    def __init__(self, tracks: Sequence[Track]) -> None:
        tracks = arguments.records("tracks", tracks)
        if not all(isinstance(t, Track) for t in tracks):
            raise InvalidInstance("tracks must be Track records")
        ordered = sorted(tracks, key=lambda t: (t.tracking_on, t.request, t.antennas))
        object.__setattr__(self, "tracks", tuple(ordered))

    def to_dict(self) -> dict[str, Any]:
        """`{"tracks": [{"request", "antennas", "tracking_on", "tracking_off"}, ...]}`."""
        return {"tracks": [{"request": t.request, "antennas": list(t.antennas),
                            "tracking_on": t.tracking_on, "tracking_off": t.tracking_off}
                           for t in self.tracks]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GroundStationSolution:
        """Read the solution JSON; InvalidInstance naming the track and field when malformed."""
        if not isinstance(data, Mapping) or not isinstance(data.get("tracks"), list):
            raise InvalidInstance('a groundstation solution is {"tracks": [...]}')
        tracks = []
        for k, item in enumerate(data["tracks"]):
            if not isinstance(item, Mapping):
                raise InvalidInstance(f"tracks[{k}] is not an object")
            antennas = item.get("antennas")
            if not isinstance(antennas, list) or not all(isinstance(a, str) for a in antennas):
                raise InvalidInstance(f"tracks[{k}]: antennas must be a list of antenna names")
            if not isinstance(item.get("request"), str):
                raise InvalidInstance(f"tracks[{k}]: request must be a track_id (text), "
                                      f"got {item.get('request')!r}")
            on = _time(item.get("tracking_on"), f"tracks[{k}] tracking_on")
            off = _time(item.get("tracking_off"), f"tracks[{k}] tracking_off")
            tracks.append(Track(item["request"], tuple(antennas), on, off))
        return cls(tracks)


def unserved(instance: GroundStationInstance, tracked: Sequence[int]) -> int:
    """The objective: sum over requests of L - min(L, tracked)."""
    return sum(r.duration - min(r.duration, t) for r, t in zip(instance.requests, tracked, strict=True))


def fairness(instance: GroundStationInstance, tracked: Sequence[int]) -> tuple[float, float]:
    """(U_max, U_rms) over missions, tracked time capped per request."""
    requested: dict[str, int] = {}
    allocated: dict[str, int] = {}
    for r, t in zip(instance.requests, tracked, strict=True):
        requested[r.mission] = requested.get(r.mission, 0) + r.duration
        allocated[r.mission] = allocated.get(r.mission, 0) + min(r.duration, t)
    fractions = [(requested[m] - allocated[m]) / requested[m] for m in requested]
    if not fractions:
        return 0.0, 0.0
    return max(fractions), math.sqrt(sum(u * u for u in fractions) / len(fractions))


def plan_stats(instance: GroundStationInstance, tracked: Sequence[int]) -> dict[str, Any]:
    """The stats every method reports: tracked hours, requests satisfied, U_rms, U_max."""
    u_max, u_rms = fairness(instance, tracked)
    hours = sum(min(r.duration, t) for r, t in zip(instance.requests, tracked, strict=True)) / 3600
    satisfied = sum(1 for r, t in zip(instance.requests, tracked, strict=True) if t >= r.duration_min)
    return {"tracked_hours": round(hours, 4), "requested_hours": round(instance.requested / 3600, 4),
            "requests_satisfied": satisfied, "u_rms": round(u_rms, 6), "u_max": round(u_max, 6)}
