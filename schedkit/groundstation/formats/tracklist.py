"""The SatNet track list: one row per antenna of each track, as other tools' verifiers read it.

    RESOURCE, SC, START_TIME, TRACKING_ON, TRACKING_OFF, END_TIME, TRACK_ID

START_TIME = TRACKING_ON - set-up and END_TIME = TRACKING_OFF + tear-down. Written as a JSON
array of objects (`.json`, astro-reason's verifier input) or as CSV (any other suffix).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from schedkit.groundstation.formats.satnet import mission_number
from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution

COLUMNS = ("RESOURCE", "SC", "START_TIME", "TRACKING_ON", "TRACKING_OFF", "END_TIME", "TRACK_ID")


def rows(instance: GroundStationInstance, solution: GroundStationSolution) -> list[dict[str, Any]]:
    """One dict per (track, antenna)."""
    requests = {r.track_id: r for r in instance.requests}
    found = []
    for t in solution.tracks:
        r = requests[t.request]
        mission = mission_number(r.mission)
        for antenna in t.antennas:
            found.append(dict(zip(COLUMNS, (antenna, mission, t.tracking_on - r.setup, t.tracking_on,
                                            t.tracking_off, t.tracking_off + r.teardown, t.request),
                                  strict=True)))
    return found


def write(instance: GroundStationInstance, solution: GroundStationSolution, path: str | Path) -> Path:
    """Write the track list to `path` (JSON for .json, else CSV)."""
    target = Path(path)
    table = rows(instance, solution)
    if target.suffix.lower() == ".json":
        target.write_text(json.dumps(table, indent=1) + "\n")
        return target
    buffer = io.StringIO()
    out = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    out.writeheader()
    out.writerows(table)
    target.write_text(buffer.getvalue())
    return target
