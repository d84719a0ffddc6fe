"""Single-machine total (weighted) tardiness, 1||Σ wj·Tj."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schedkit.family import Family
from schedkit.smtt import check as checker
from schedkit.smtt import gantt
from schedkit.smtt import generate as generators
from schedkit.smtt.formats import orlib as orlib_wt
from schedkit.smtt.formats.records import smtt_from_record
from schedkit.smtt.sorting import early_plan


def _sniff(path: Path, text: str) -> str | None:
    """`wt40.txt` and the like: OR-Library weighted tardiness, n from the name."""
    return "orlib-wt" if orlib_wt.jobs_from_name(path) is not None else None


def _json_sniff(record: Mapping[str, Any]) -> bool:
    """The shared JSON lines carry no family field: processing times `p` make them SMTT."""
    return "p" in record


FAMILY = Family(
    name="smtt",
    description="single machine total (weighted) tardiness, 1||Σ wj·Tj",
    from_record=smtt_from_record,
    check=checker.check,
    readers={"orlib-wt": orlib_wt.read},
    writers={"orlib-wt": orlib_wt.write},
    format_arguments={"orlib-wt": "the job count (orlib-wt:N)"},
    sniff=_sniff,
    json_sniff=_json_sniff,
    generators={"smtt": generators.smtt},
    generate_command=generators.generate_command,
    gantt=gantt.gantt,
    early_plan=early_plan,
)
