"""JSON record <-> instance, for every family (the project's JSON and JSON lines share it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    if name is not None and not isinstance(name, str):
        raise InvalidInstance(f"field 'family' must be a family name (a string), found {_kind(name)}")
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


def _kind(value: Any) -> str:
    """How a message names a JSON value of the wrong type: its JSON type name."""
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def meta_field(record: Mapping[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """The record's `meta` object (absent or null: empty) plus every top-level field not in
    `known`; InvalidInstance when `meta` is not an object."""
    meta = record.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, Mapping):
        raise InvalidInstance(f"field 'meta' must be an object, found {_kind(meta)}")
    fields = set(known)
    return {**meta, **{k: v for k, v in record.items() if k not in fields}}


def is_text(value: Any) -> bool:
    """Text or a whole number (read as its digits), never a boolean, null, float or object."""
    return isinstance(value, str | int) and not isinstance(value, bool)


def text_field(record: Mapping[str, Any], key: str, default: str) -> str:
    """A string field such as `name` (absent or null: `default`); InvalidInstance otherwise."""
    value = record.get(key)
    if value is None:
        return default
    if not is_text(value):
        raise InvalidInstance(f"field {key!r} must be a string, found {_kind(value)}")
    return str(value)


def list_field(record: Mapping[str, Any], key: str, what: str) -> list[Any]:
    """A required list field; InvalidInstance naming what it should hold otherwise."""
    if key not in record:
        raise InvalidInstance(f"missing field {key!r} ({what})")
    value = record[key]
    if not isinstance(value, list):
        raise InvalidInstance(f"field {key!r} must be a list ({what}), found {_kind(value)}")
    return value


def to_record(instance: Any) -> dict[str, Any]:
    """The project's JSON object for `instance` (with the format version)."""
    return {"schedkit": FORMAT_VERSION, **instance.to_dict()}
