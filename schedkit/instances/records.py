"""JSON record <-> instance, for every family (the project's JSON and JSON lines share it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.errors import InvalidInstance
from schedkit.model.smtt import SMTTInstance

FORMAT_VERSION = 1
_SMTT_FIELDS = {"family", "name", "p", "d", "w", "meta", "schedkit"}


def smtt_from_record(record: Mapping[str, Any], default_name: str) -> SMTTInstance:
    """Build an SMTT instance; unknown top-level fields (id, n, tf, opt...) go to `meta`."""
    for key in ("p", "d"):
        if key not in record:
            raise InvalidInstance(f"missing field {key!r} (an SMTT record needs p and d)")
    meta = dict(record.get("meta") or {})
    meta.update({k: v for k, v in record.items() if k not in _SMTT_FIELDS})
    if "n" in meta and meta["n"] != len(record["p"]):
        raise InvalidInstance(f"field n = {meta['n']} but p lists {len(record['p'])} jobs")
    name = record.get("name", default_name)
    return SMTTInstance(p=record["p"], d=record["d"], w=record.get("w"), name=name, meta=meta)


def from_record(record: Any, default_name: str) -> Any:
    """Instance from a parsed JSON object: its `family` field, else the family whose
    `json_sniff` claims it (the shared SMTT JSON lines, kubectl output...)."""
    from schedkit import families

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
