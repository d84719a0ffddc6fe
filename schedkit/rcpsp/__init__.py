"""Resource-constrained project scheduling, PS|prec|Cmax and RCPSP/max PS|temp|Cmax (PSPLIB .sm,
Patterson .rcp, ProGen/max .sch, JSON)."""

from __future__ import annotations

from pathlib import Path

from schedkit.family import Family
from schedkit.rcpsp import check as checker
from schedkit.rcpsp import gantt
from schedkit.rcpsp.formats import patterson as rcpsp_patterson
from schedkit.rcpsp.formats import progenmax as rcpsp_progenmax
from schedkit.rcpsp.formats import psplib as rcpsp_psplib
from schedkit.rcpsp.formats import records as rcpsp_json
from schedkit.rcpsp.generate import generate_command
from schedkit.rcpsp.generate import rcpsp as generate_rcpsp


def _sniff(path: Path, text: str) -> str | None:
    """A PSPLIB file under another name: its section titles give it away."""
    return "psplib-sm" if "PRECEDENCE RELATIONS" in text and "REQUESTS/DURATIONS" in text else None


FAMILY = Family(
    name="rcpsp",
    description="resource-constrained project scheduling, PS|prec|Cmax (and RCPSP/max time lags)",
    from_record=rcpsp_json.from_record,
    check=checker.check,
    readers={"psplib-sm": rcpsp_psplib.read, "patterson-rcp": rcpsp_patterson.read,
             "progenmax-sch": rcpsp_progenmax.read},
    writers={"psplib-sm": rcpsp_psplib.write, "patterson-rcp": rcpsp_patterson.write,
             "progenmax-sch": rcpsp_progenmax.write},
    extensions={".sm": "psplib-sm", ".rcp": "patterson-rcp", ".sch": "progenmax-sch"},
    sniff=_sniff,
    json_sniff=rcpsp_json.looks_like,
    generators={"rcpsp": generate_rcpsp},
    generate_command=generate_command,
    gantt=gantt.gantt,
)
