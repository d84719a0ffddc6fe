"""SatNet (NASA Deep Space Network) files: `problems.json` (several weeks), a week directory
(`problem.json` + `maintenance.csv`), and their writers.

    problems.json     {"W10_2018": [request, ...], ...}; `problems.json#W10_2018` picks a week,
                      maintenance comes from `maintenance.csv` beside it, filtered to the week
    <dir>/problem.json  [request, ...] for one week, with <dir>/maintenance.csv
    request           subject, user, week, year, duration / duration_min (hours), setup_time /
                      teardown_time (minutes), track_id, time_window_start / _end (s),
                      resources [[antenna, ...], ...], resource_vp_dict {"DSS-34_DSS-35":
                      [{"RISE", "TRX ON", "TRX OFF", "SET"}, ...]}
    maintenance.csv   week,year,starttime,endtime,antenna

Hours and minutes are turned into integer seconds; a value that is not a whole number of
seconds is refused (the SatNet data is exact in seconds). `user`, `week` and `year` are kept in
each request's meta so the writers give the file back.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schedkit.common.jsonparse import parse_json
from schedkit.common.records import is_text
from schedkit.common.textfile import file_stem, read_text
from schedkit.errors import InvalidInstance, ParseError
from schedkit.groundstation.model import (
    Alternative,
    GroundStationInstance,
    Maintenance,
    Request,
    ViewPeriod,
)

PROBLEM = "problem.json"
MAINTENANCE = "maintenance.csv"
WEEK_KEY = re.compile(r"^W(\d+)_(\d{4})$")
MAINTENANCE_HEADER = ["week", "year", "starttime", "endtime", "antenna"]
_REQUIRED = ("subject", "track_id", "duration", "duration_min", "setup_time", "teardown_time",
             "time_window_start", "time_window_end", "resources", "resource_vp_dict")


def _seconds(value: Any, scale: int, where: str) -> int:
    """`value` hours (scale 3600) or minutes (60) as whole seconds; InvalidInstance otherwise.
    The slack is float rounding only: a relative 10^-6 let any fraction pass above 500,000 s."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise InvalidInstance(f"{where} = {value!r} is not a number")
    seconds = value * scale
    whole = round(seconds)
    if abs(seconds - whole) > 1e-9 + 2.0**-48 * abs(seconds):
        raise InvalidInstance(f"{where} = {value!r} is not a whole number of seconds")
    return int(whole)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise InvalidInstance(f"{where} = {value!r} is not a number")
    if isinstance(value, float) and not value.is_integer():
        raise InvalidInstance(f"{where} = {value!r} is not a whole number of seconds")
    if value < 0:
        raise InvalidInstance(f"{where} = {value!r} is negative")
    return int(value)


def _name(value: Any, where: str) -> str:
    """A track id or subject: text or a whole number (null was read as "None")."""
    if not is_text(value):
        raise InvalidInstance(f"{where} = {value!r} is not text or a whole number")
    return str(value)


def mission_number(mission: str) -> Any:
    """The mission as SatNet writes a subject: a number when it is a plain decimal ("521"),
    else the text ("٣", "²" and "007" would read back as other missions, or not at all)."""
    return int(mission) if mission.isascii() and mission.isdigit() and str(int(mission)) == mission \
        else mission


def request_from_satnet(item: Any, k: int) -> Request:
    """One SatNet request dict as a Request (errors name the track_id and the field)."""
    if not isinstance(item, Mapping):
        raise InvalidInstance(f"request {k} is not a JSON object")
    who = f"request {item.get('track_id', k)}"
    for key in _REQUIRED:
        if key not in item:
            raise InvalidInstance(f"{who}: field {key!r} is missing")
    resources = item["resources"]
    table = item["resource_vp_dict"]
    if not isinstance(resources, list) or not all(
            isinstance(a, list) and all(isinstance(x, str) for x in a) for a in resources):
        raise InvalidInstance(f"{who}: resources must be a list of antenna lists")
    if not isinstance(table, Mapping):
        raise InvalidInstance(f"{who}: resource_vp_dict must map alternatives to view periods")
    keys = ["_".join(a) for a in resources]
    for name in table:
        if name not in keys:
            raise InvalidInstance(f"{who}: resource_vp_dict names unknown antenna {name!r} (not "
                                  f"among its resources {keys})")
    alternatives = []
    for antennas, key in zip(resources, keys, strict=True):
        periods = table.get(key, [])
        if not isinstance(periods, list):
            raise InvalidInstance(f"{who}: resource_vp_dict[{key!r}] must be a list")
        vps = []
        for v, p in enumerate(periods):
            where = f"{who}: resource_vp_dict[{key!r}][{v}]"
            if not isinstance(p, Mapping) or "TRX ON" not in p or "TRX OFF" not in p:
                raise InvalidInstance(f"{where} needs 'TRX ON' and 'TRX OFF'")
            on, off = _int(p["TRX ON"], f"{where} TRX ON"), _int(p["TRX OFF"], f"{where} TRX OFF")
            rise = _int(p["RISE"], f"{where} RISE") if "RISE" in p else None
            fall = _int(p["SET"], f"{where} SET") if "SET" in p else None
            vps.append(ViewPeriod(on, off, rise, fall))
        alternatives.append(Alternative(tuple(antennas), tuple(vps)))
    meta = {key: item[key] for key in ("user", "week", "year") if key in item}
    return Request(
        track_id=_name(item["track_id"], f"{who}: track_id"),
        mission=_name(item["subject"], f"{who}: subject"),
        duration=_seconds(item["duration"], 3600, f"{who}: duration"),
        duration_min=_seconds(item["duration_min"], 3600, f"{who}: duration_min"),
        setup=_seconds(item["setup_time"], 60, f"{who}: setup_time"),
        teardown=_seconds(item["teardown_time"], 60, f"{who}: teardown_time"),
        window_start=_int(item["time_window_start"], f"{who}: time_window_start"),
        window_end=_int(item["time_window_end"], f"{who}: time_window_end"),
        alternatives=tuple(alternatives), meta=meta,
    )


def request_to_satnet(r: Request) -> dict[str, Any]:
    """The SatNet dict of a request (hours and minutes as the file has them)."""
    item: dict[str, Any] = {"subject": mission_number(r.mission)}
    for key in ("user", "week", "year"):
        if key in r.meta:
            item[key] = r.meta[key]
    item.update({
        "duration": r.duration / 3600, "duration_min": r.duration_min / 3600,
        "resources": [list(a.antennas) for a in r.alternatives], "track_id": r.track_id,
        "setup_time": r.setup / 60 if r.setup % 60 else r.setup // 60,
        "teardown_time": r.teardown / 60 if r.teardown % 60 else r.teardown // 60,
        "time_window_start": r.window_start, "time_window_end": r.window_end,
        "resource_vp_dict": {a.key: [{"RISE": p.on if p.rise is None else p.rise,
                                      "SET": p.off if p.set is None else p.set,
                                      "TRX ON": p.on, "TRX OFF": p.off} for p in a.view_periods]
                             for a in r.alternatives if a.view_periods},
    })
    return item


_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?")


def _whole_number(cell: str) -> int | None:
    """`cell` as an integer when it is a plain decimal (ASCII digits) of a whole value below
    2^62 ("10", "10.0", "1.5e3"); None otherwise (NaN, inf, fractions, other digits)."""
    text = cell.strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    if not math.isfinite(value) or value != int(value) or abs(value) >= 2**62:
        return None
    return int(value)


def read_maintenance(path: Path, week: int | None, year: int | None) -> list[Maintenance]:
    """Rows of maintenance.csv (only those of `week`/`year` when given); [] without the file."""
    if not path.exists():
        return []
    try:
        rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    except csv.Error as error:  # e.g. a lone carriage return inside a field
        raise ParseError(str(path), None, "CSV rows", str(error)) from None
    if not rows or [c.strip().lower() for c in rows[0]] != MAINTENANCE_HEADER:
        raise ParseError(str(path), 1, "the header " + ",".join(MAINTENANCE_HEADER),
                         repr(",".join(rows[0]) if rows else ""))
    found = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 5:
            raise ParseError(str(path), line, "5 cells", f"{len(cells)} cells")
        numbers = [_whole_number(cell) for cell in cells[:4]]
        if any(n is None for n in numbers):
            raise ParseError(str(path), line, "whole numbers (ASCII digits, below 2^62) in "
                             "week,year,starttime,endtime", repr(",".join(cells[:4])))
        w, y, start, end = (int(n) for n in numbers if n is not None)
        if week is not None and (w != week or y != year):
            continue
        if start < 0 or end < start:
            raise ParseError(str(path), line, "0 <= starttime <= endtime", f"{start}, {end}")
        found.append(Maintenance(cells[4].strip(), start, end))
    return found


def instance_from_requests(items: Any, maintenance: list[Maintenance], name: str, where: str
                           ) -> GroundStationInstance:
    """A week's instance from its request list; errors prefixed with `where`."""
    if not isinstance(items, list):
        raise InvalidInstance(f"{where}: a SatNet week is a list of requests")
    try:
        requests = [request_from_satnet(item, k) for k, item in enumerate(items)]
        return GroundStationInstance(tuple(requests), maintenance=tuple(maintenance), name=name,
                                     meta={"source": "satnet"})
    except InvalidInstance as error:
        raise InvalidInstance(f"{where}: {error}") from None


def _week(key: str) -> tuple[int | None, int | None]:
    match = WEEK_KEY.match(key)
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


def _week_of(items: Any) -> tuple[int | None, int | None]:
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], Mapping) else {}
    week, year = first.get("week"), first.get("year")
    return (int(week), int(year)) if isinstance(week, int | float) and isinstance(year, int) else (None, None)


def looks_like_satnet(text: str) -> bool:
    """A JSON document shaped like problems.json ({"W10_2018": [...]}) or a week's request list."""
    head = text.lstrip()[:4000]
    if head.startswith("{"):
        return re.match(r'\{\s*"W\d+_\d{4}"\s*:\s*\[', head) is not None
    return head.startswith("[") and '"resource_vp_dict"' in text[:200_000] and '"track_id"' in head


def read(path: Path, text: str, arg: str | None) -> list[tuple[str, Any]]:
    """problems.json (entries keyed by week) or one week's problem.json (one entry)."""
    data = parse_json(text, path)
    beside = path.parent / MAINTENANCE
    if isinstance(data, list):
        week, year = _week_of(data)
        name = path.parent.name if path.name == PROBLEM else file_stem(path)
        return [("1", instance_from_requests(data, read_maintenance(beside, week, year), name,
                                             str(path)))]
    if not isinstance(data, Mapping):
        raise ParseError(str(path), 1, "SatNet problems ({week: [requests]})", type(data).__name__)
    entries = []
    for key, items in data.items():
        week, year = _week(key)
        if week is None:
            week, year = _week_of(items)
        entries.append((key, instance_from_requests(
            items, read_maintenance(beside, week, year), key, f"{path}#{key}")))
    return entries


def read_directory(directory: Path) -> list[tuple[str, Any]]:
    """A week directory holding problem.json (and maintenance.csv); [] when it has none."""
    problem = directory / PROBLEM
    if not problem.exists():
        return []
    entries = read(problem, read_text(problem), None)
    return [(key, instance.replace(name=directory.name)) for key, instance in entries]


def _maintenance_rows(instance: GroundStationInstance) -> list[list[Any]]:
    week, year = _week(instance.name)
    if week is None and instance.requests:
        week, year = instance.requests[0].meta.get("week"), instance.requests[0].meta.get("year")
    return [[float(week) if week is not None else "", year if year is not None else "",
             m.start, m.end, m.antenna] for m in instance.maintenance]


def _write_maintenance(path: Path, rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(MAINTENANCE_HEADER)
    out.writerows(rows)
    path.write_text(buffer.getvalue())


def write(instances: Any, path: Path, arg: str | None) -> None:
    """Weeks as a problems.json keyed by instance name, plus maintenance.csv beside it."""
    items = list(instances)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {x.name or f"W{k + 1}": [request_to_satnet(r) for r in x.requests]
              for k, x in enumerate(items)}
    path.write_text(json.dumps(record) + "\n")
    _write_maintenance(path.parent / MAINTENANCE, [row for x in items for row in _maintenance_rows(x)])


def write_directory(instances: Any, path: Path, arg: str | None) -> None:
    """One week as `path/problem.json` + `path/maintenance.csv` (format `satnet-dir`)."""
    items = list(instances)
    if len(items) != 1:
        raise InvalidInstance(f"{path}: a SatNet week directory holds one week, got {len(items)}")
    path.mkdir(parents=True, exist_ok=True)
    (path / PROBLEM).write_text(json.dumps([request_to_satnet(r) for r in items[0].requests]) + "\n")
    _write_maintenance(path / MAINTENANCE, _maintenance_rows(items[0]))
