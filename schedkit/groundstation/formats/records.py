"""The project's JSON for groundstation instances (times in seconds):

    {"family": "groundstation", "name": "tiny", "antennas": ["A", "B"],
     "spacecraft_exclusive": true, "maintenance": [["A", 100, 200]],
     "requests": [{"track_id": "r1", "mission": "m1", "duration": 3600, "duration_min": 1800,
                   "setup": 600, "teardown": 300, "window": [0, 86400],
                   "alternatives": [{"antennas": ["A"], "view_periods": [[0, 7200]]},
                                    {"antennas": ["A", "B"], "view_periods": [[0, 9000]]}]}]}

A view period is [on, off] or [on, off, rise, set]. `antennas` defaults to every antenna named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.common.arguments import flag
from schedkit.common.records import is_text, meta_field, text_field
from schedkit.errors import InvalidInstance
from schedkit.groundstation.model import (
    Alternative,
    GroundStationInstance,
    Maintenance,
    Request,
    ViewPeriod,
)


def looks_like(record: Mapping[str, Any]) -> bool:
    """A JSON object with requests that list alternatives is a groundstation instance."""
    requests = record.get("requests")
    return isinstance(requests, list) and bool(requests) and isinstance(requests[0], Mapping) \
        and "alternatives" in requests[0]


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInstance(f"{where} must be a list")
    return value


def _text(value: Any, where: str) -> str:
    """A name (antenna, mission, track id): a string, or an integer id; nothing else."""
    if not is_text(value):
        raise InvalidInstance(f"{where} must be a string")
    return str(value)


def _request(item: Any, k: int) -> Request:
    if not isinstance(item, Mapping):
        raise InvalidInstance(f"requests[{k}] is not an object")
    who = f"request {item.get('track_id', k)}"
    for key in ("track_id", "mission", "duration", "duration_min", "window", "alternatives"):
        if key not in item:
            raise InvalidInstance(f"{who}: field {key!r} is missing")
    window = _list(item["window"], f"{who}: window")
    if len(window) != 2:
        raise InvalidInstance(f"{who}: window must be [start, end]")
    alternatives = []
    for a, alt in enumerate(_list(item["alternatives"], f"{who}: alternatives")):
        if not isinstance(alt, Mapping):
            raise InvalidInstance(f"{who}: alternatives[{a}] is not an object")
        antennas = _list(alt.get("antennas"), f"{who}: alternatives[{a}].antennas")
        periods = []
        for v, p in enumerate(_list(alt.get("view_periods", []), f"{who}: alternatives[{a}].view_periods")):
            if not isinstance(p, list) or len(p) not in (2, 4):
                raise InvalidInstance(f"{who}: alternatives[{a}].view_periods[{v}] must be "
                                      "[on, off] or [on, off, rise, set]")
            periods.append(ViewPeriod(*p))
        names = tuple(_text(x, f"{who}: alternatives[{a}].antennas") for x in antennas)
        alternatives.append(Alternative(names, tuple(periods)))
    return Request(
        track_id=_text(item["track_id"], f"requests[{k}].track_id"),
        mission=_text(item["mission"], f"{who}: mission"), duration=item["duration"],
        duration_min=item["duration_min"], setup=item.get("setup", 0),
        teardown=item.get("teardown", 0), window_start=window[0], window_end=window[1],
        alternatives=tuple(alternatives), meta=_meta(item, who),
    )


def _meta(item: Mapping[str, Any], who: str) -> dict[str, Any]:
    """A request's `meta` object (absent or null: empty)."""
    meta = item.get("meta")
    if meta is not None and not isinstance(meta, Mapping):
        raise InvalidInstance(f"{who}: meta must be an object")
    return dict(meta or {})


def from_record(record: Mapping[str, Any], default_name: str) -> GroundStationInstance:
    """Build an instance from the JSON object (see the module docstring)."""
    requests = [_request(item, k) for k, item in enumerate(_list(record.get("requests"), "requests"))]
    maintenance = []
    for k, row in enumerate(_list(record.get("maintenance", []), "maintenance")):
        if not isinstance(row, list) or len(row) != 3:
            raise InvalidInstance(f"maintenance[{k}] must be [antenna, start, end]")
        maintenance.append(Maintenance(_text(row[0], f"maintenance[{k}] antenna"), row[1], row[2]))
    antennas = _list(record.get("antennas") or [], "antennas")
    return GroundStationInstance(
        tuple(requests), antennas=tuple(_text(a, "antennas") for a in antennas),
        maintenance=tuple(maintenance),
        spacecraft_exclusive=flag("spacecraft_exclusive", record.get("spacecraft_exclusive", True)),
        name=text_field(record, "name", default_name), meta=dict(meta_field(record, KNOWN)),
    )


KNOWN = ("schedkit", "family", "name", "antennas", "spacecraft_exclusive", "maintenance", "requests", "meta")
