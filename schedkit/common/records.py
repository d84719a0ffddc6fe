"""JSON record <-> instance, for every family (the project's JSON and JSON lines share it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit import family as families
from schedkit.errors import InvalidInstance

FORMAT_VERSION = 1


def from_record(record: Any, default_name: str) -> Any:
    """Instance from a parsed JSON object: its `family` field, else the family whose
    `json_sniff` claims it (the shared SMTT JSON lines, kubectl output...)."""
    if not isinstance(record, Mapping):
        raise InvalidInstance(f"expected a JSON object, found {type(record).__name__}")
    known = families.all_families()
    name = record.get("family")
    if name is None:
        claimed = [f.name for f in known.values() if f.json_sniff is not None and f.json_sniff(record)]
        if not claimed:
            raise InvalidInstance(
                f"a JSON object without a 'family' field ({', '.join(sorted(known))}) whose "
                f"fields ({', '.join(sorted(map(str, record))[:8])}) match no family"
            )
        name = claimed[0]
    if name not in known:
        raise InvalidInstance(f"unknown family {name!r}; known: {', '.join(sorted(known))}")
    return known[name].from_record(record, default_name)


def to_record(instance: Any) -> dict[str, Any]:
    """The project's JSON object for `instance` (with the format version)."""
    return {"schedkit": FORMAT_VERSION, **instance.to_dict()}
