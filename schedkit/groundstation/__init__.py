"""Satellite–ground-station link scheduling (SatNet / CS-GSNSP): tracked time on antennas."""

from __future__ import annotations

from pathlib import Path

from schedkit.family import Family
from schedkit.groundstation import check as checker
from schedkit.groundstation import gantt, measures
from schedkit.groundstation import generate as gs_generator
from schedkit.groundstation.formats import records as gs_json
from schedkit.groundstation.formats import satnet
from schedkit.groundstation.generate import generate_command


def _sniff(path: Path, text: str) -> str | None:
    """SatNet's problems.json (weeks as keys) or a week's problem.json (a request list)."""
    return "satnet" if path.suffix.lower() == ".json" and satnet.looks_like_satnet(text) else None


FAMILY = Family(
    name="groundstation",
    description="satellite–ground-station link scheduling (NASA DSN SatNet), tracked time",
    from_record=gs_json.from_record,
    check=checker.check,
    readers={"satnet": satnet.read, "satnet-dir": satnet.read},
    writers={"satnet": satnet.write, "satnet-dir": satnet.write_directory},
    sniff=_sniff,
    json_sniff=gs_json.looks_like,
    read_directory=satnet.read_directory,
    generators={"groundstation": gs_generator.groundstation},
    generate_command=generate_command,
    gantt=gantt.gantt,
    measures=measures.hours,
)
