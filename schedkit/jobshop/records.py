"""The project's JSON record <-> job shop instance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.common.records import meta_field, text_field
from schedkit.errors import InvalidInstance
from schedkit.jobshop.model import JobShopInstance

_FIELDS = {"family", "name", "machines", "jobs", "release", "due", "weight", "objective", "meta",
           "schedkit", "buffers"}


def jobshop_from_record(record: Mapping[str, Any], default_name: str) -> JobShopInstance:
    """Build an instance from `{"machines", "jobs", ["release", "due", "weight", "objective",
    "buffers"]}`;
    unknown top-level fields go to `meta`."""
    if "jobs" not in record:
        raise InvalidInstance("missing field 'jobs' (a job shop record needs jobs and machines)")
    jobs = record["jobs"]
    if not isinstance(jobs, list):
        raise InvalidInstance("field 'jobs' must be a list (per job) of operations")
    meta = meta_field(record, _FIELDS)
    return JobShopInstance.from_jobs(
        jobs, record.get("machines"), release=record.get("release"), due=record.get("due"),
        weight=record.get("weight"), objective=record.get("objective", "makespan"),
        name=text_field(record, "name", default_name), meta=meta,
        buffers=record.get("buffers", "unlimited"),
    )


def looks_like_jobshop(record: Mapping[str, Any]) -> bool:
    """A JSON object without a family field whose `jobs` and `machines` make it a job shop."""
    return "jobs" in record and "machines" in record and isinstance(record["jobs"], list)
