"""The SMTT JSON record, {"p": [...], "d": [...], "w": [...]}, as the shared JSON lines carry it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schedkit.common.records import list_field, meta_field, text_field
from schedkit.errors import InvalidInstance
from schedkit.smtt.model import SMTTInstance

_SMTT_FIELDS = {"family", "name", "p", "d", "w", "meta", "schedkit"}


def smtt_from_record(record: Mapping[str, Any], default_name: str) -> SMTTInstance:
    """Build an SMTT instance; unknown top-level fields (id, n, tf, opt...) go to `meta`."""
    p = list_field(record, "p", "an SMTT record needs p and d, one integer per job")
    list_field(record, "d", "an SMTT record needs p and d, one integer per job")
    meta = meta_field(record, _SMTT_FIELDS)
    if "n" in meta and meta["n"] != len(p):
        raise InvalidInstance(f"field n = {meta['n']!r} but p lists {len(p)} jobs")
    name = text_field(record, "name", default_name)
    return SMTTInstance(p=record["p"], d=record["d"], w=record.get("w"), name=name, meta=meta)
