"""Optional fields of the VMR JSON record: absent or null means none, any other value of the
wrong type is refused. `"anti_affinity": false` (or 0, "", []) was read as no groups, `"meta":
false` as no meta, and `"name": null` named the instance 'None'."""

from __future__ import annotations

import json

import pytest

import schedkit
from schedkit.errors import InvalidInstance

RECORD = {"family": "vmr", "machines": [{"id": "pm0", "numa": [{"cpu": 8, "mem": 8}]},
                                        {"id": "pm1", "numa": [{"cpu": 8, "mem": 8}]}],
          "vms": [{"id": "a", "cpu": 2, "mem": 1, "machine": "pm0", "numa": [0]}]}


def _load(tmp_path, **fields):
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({**RECORD, **fields}))
    return schedkit.load(path)


@pytest.mark.parametrize("value", [False, 0, "", [], ["a"], "g"])
def test_anti_affinity_of_another_type_is_refused(tmp_path, value):
    with pytest.raises(InvalidInstance, match="anti_affinity"):
        _load(tmp_path, anti_affinity=value)


@pytest.mark.parametrize("value", [False, 0, "", []])
def test_meta_of_another_type_is_refused(tmp_path, value):
    with pytest.raises(InvalidInstance, match="meta"):
        _load(tmp_path, meta=value)


@pytest.mark.parametrize("value", [False, 1.5, [], {}])
def test_a_name_of_another_type_is_refused(tmp_path, value):
    with pytest.raises(InvalidInstance, match="name"):
        _load(tmp_path, name=value)


def test_null_and_absent_fields_mean_none(tmp_path):
    """Null anti_affinity and meta are none; a null name is the file's."""
    x = _load(tmp_path, anti_affinity=None, meta=None, name=None)
    assert x.group_names == () and dict(x.meta) == {} and x.name == "cluster"
    assert _load(tmp_path, name=7).name == "7"
    assert _load(tmp_path, anti_affinity={}).group_names == ()
    assert _load(tmp_path, anti_affinity={"g": ["a"]}).group_names == ("g",)
