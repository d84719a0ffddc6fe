"""The project's JSON record for RCPSP (`"family": "rcpsp"`), read by `records.from_record`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.common.records import list_field, meta_field, text_field
from schedkit.errors import InvalidInstance
from schedkit.rcpsp.model import RCPSPInstance

_FIELDS = ("durations", "successors", "capacities", "demands")
_KNOWN = {*_FIELDS, "family", "name", "meta", "schedkit", "lags"}


def from_record(record: Mapping[str, Any], default_name: str) -> RCPSPInstance:
    """Build a project from its JSON object (optional `lags`: one list per activity, one time
    lag per successor); unknown top-level fields go to `meta`."""
    for key in _FIELDS:
        list_field(record, key, f"an RCPSP record needs lists {', '.join(_FIELDS)}")
    for j, row in enumerate(record["successors"]):
        if not isinstance(row, list):
            raise InvalidInstance(f"successors[{j}] must be a list of activity ids, found {row!r:.40}")
    meta = meta_field(record, _KNOWN)
    return RCPSPInstance(
        durations=record["durations"], successors=record["successors"],
        capacities=record["capacities"], demands=record["demands"],
        name=text_field(record, "name", default_name), meta=meta, lags=record.get("lags"),
    )


def looks_like(record: Mapping[str, Any]) -> bool:
    """A JSON object without a family field is a project when it has every RCPSP field."""
    return all(key in record for key in _FIELDS)
