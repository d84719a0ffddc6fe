"""VM rescheduling: at most K migrations to cut Σ (free CPU mod F) over NUMA nodes."""

from __future__ import annotations

from schedkit.family import Family
from schedkit.vmr import check as checker
from schedkit.vmr import gantt
from schedkit.vmr.formats import csv as vmr_csv
from schedkit.vmr.formats.records import from_record
from schedkit.vmr.generate import generate_command
from schedkit.vmr.generate import vmr as generate_vmr

FAMILY = Family(
    name="vmr",
    description="VM rescheduling: at most K migrations minimising Σ (free CPU mod F) over NUMA nodes",
    from_record=from_record,
    check=checker.check,
    readers={"vmr-csv": vmr_csv.read},
    format_arguments={"vmr-csv": "the parameters (vmr-csv:K=25,F=16: migration limit, fragment size)"},
    writers={"vmr-csv": vmr_csv.write},
    sniff=vmr_csv.sniff,
    read_directory=vmr_csv.read_directory,
    gantt=gantt.gantt,
    generators={"vmr": generate_vmr},
    generate_command=generate_command,
)
