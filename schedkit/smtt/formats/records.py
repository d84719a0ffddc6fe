"""The SMTT JSON record, {"p": [...], "d": [...], "w": [...]}, as the shared JSON lines carry it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.errors import InvalidInstance
from schedkit.smtt.model import SMTTInstance

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
