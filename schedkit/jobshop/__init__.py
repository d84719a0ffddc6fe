"""Job shop and flexible job shop (makespan, weighted tardiness or flow time)."""

from __future__ import annotations

from schedkit.family import Family
from schedkit.jobshop import check as checker
from schedkit.jobshop import formats, gantt
from schedkit.jobshop.generate import generate_command
from schedkit.jobshop.generate import jobshop as generate_jobshop
from schedkit.jobshop.records import jobshop_from_record, looks_like_jobshop

FAMILY = Family(
    name="jobshop",
    description="job shop and flexible job shop: makespan, weighted tardiness or flow time",
    from_record=jobshop_from_record,
    check=checker.check,
    readers={"jobshop": formats.read_standard, "taillard": formats.read_taillard, "fjs": formats.read_fjs},
    writers={"jobshop": formats.write_standard, "taillard": formats.write_taillard, "fjs": formats.write_fjs},
    extensions={".fjs": "fjs"},
    sniff=formats.sniff,
    json_sniff=looks_like_jobshop,
    generators={"jobshop": generate_jobshop},
    generate_command=generate_command,
    gantt=gantt.gantt,
)
