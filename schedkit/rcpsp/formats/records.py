"""The project's JSON record for RCPSP (`"family": "rcpsp"`), read by `records.from_record`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.errors import InvalidInstance
from schedkit.rcpsp.model import RCPSPInstance

_FIELDS = ("durations", "successors", "capacities", "demands")
_KNOWN = {*_FIELDS, "family", "name", "meta", "schedkit", "lags"}


def from_record(record: Mapping[str, Any], default_name: str) -> RCPSPInstance:
    """Build a project from its JSON object (optional `lags`: one list per activity, one time
    lag per successor); unknown top-level fields go to `meta`."""
    for key in _FIELDS:
        if key not in record:
            raise InvalidInstance(f"missing field {key!r} (an RCPSP record needs {', '.join(_FIELDS)})")
    meta_field = record.get("meta") or {}
    if not isinstance(meta_field, Mapping):
        raise InvalidInstance("meta must be a JSON object")
    meta = dict(meta_field)
    meta.update({k: v for k, v in record.items() if k not in _KNOWN})
    return RCPSPInstance(
        durations=record["durations"], successors=record["successors"],
        capacities=record["capacities"], demands=record["demands"],
        name=record.get("name", default_name), meta=meta, lags=record.get("lags"),
    )


def looks_like(record: Mapping[str, Any]) -> bool:
    """A JSON object without a family field is a project when it has every RCPSP field."""
    return all(key in record for key in _FIELDS)
