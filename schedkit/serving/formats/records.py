"""The project's JSON for serving: an instance (server + programs), or a server alone.

    {"family": "serving", "name": ..., "server": {...}, "programs": [<trace lines>]}
    {"name": "h100-8b", "kv_capacity": ..., "token_budget": ..., ...}      # a server file
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from schedkit.common.records import text_field
from schedkit.errors import InvalidInstance
from schedkit.serving import presets
from schedkit.serving.formats.trace import instance_of, program_from
from schedkit.serving.model import Server, check_counts, chosen_server, server_from_dict

FIELDS = ("schedkit", "family", "id", "name", "server", "programs", "meta")  # id: a JSON-lines key


def looks_like_server(record: Mapping[str, Any]) -> bool:
    """A server JSON object: capacity, budget and the iteration-time coefficients."""
    return "kv_capacity" in record and "token_budget" in record


def from_record(record: Mapping[str, Any], default_name: str) -> Any:
    """A ServingInstance, or a Server when the object is a server file."""
    if "programs" not in record:
        if looks_like_server(record):
            return server_from_dict(record, default_name)
        raise InvalidInstance("a serving record needs programs (or is a server: kv_capacity, ...)")
    unknown = sorted(set(map(str, record)) - set(FIELDS))
    if unknown:  # a misspelt "server" left the trace on the default preset
        raise InvalidInstance(f"unknown field(s) {', '.join(unknown)} (known: {', '.join(FIELDS)})")
    programs = record["programs"]
    if not isinstance(programs, list) or not programs:
        raise InvalidInstance("programs must be a non-empty list of trace objects")
    check_counts(len(programs), sum(len(p["turns"]) for p in programs if isinstance(p, Mapping)
                                    and isinstance(p.get("turns"), list)), "")
    server: Server = presets.DEFAULT
    if "server" in record:
        server = server_from_dict(record["server"])
    server = chosen_server() or server  # `--server` replaces the file's own server
    parsed = [program_from(p, f"programs[{k}]", str(k + 1)) for k, p in enumerate(programs)]
    instance = instance_of(parsed, server, text_field(record, "name", default_name))
    meta = record.get("meta")
    if meta is not None and not isinstance(meta, Mapping):
        raise InvalidInstance(f"meta must be an object, found {type(meta).__name__}")
    if meta:
        instance = replace(instance, meta=dict(meta))
    return instance
