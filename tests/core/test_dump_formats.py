"""`schedkit.dump` writes the format its path's extension names, so what it writes reads back;
a format of another family is refused with one line, never an AttributeError."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.errors import SchedkitError
from tests.conftest import ROOT

RCPSP = ROOT / "instances" / "rcpsp" / "j30" / "j301_1.sm"
SMTT = ROOT / "instances" / "smtt" / "sample_wt40_1.json"


@pytest.mark.parametrize("name", ["copy.json", "copy.jsonl", "copy"])
def test_json_round_trip(tmp_path, name):
    instance = schedkit.load(SMTT)
    assert schedkit.load(schedkit.dump(instance, tmp_path / name)) == instance


def test_a_psplib_path_gets_a_psplib_file(tmp_path):
    """dump(x, "p.sm") wrote JSON into p.sm, which load then refused."""
    instance = schedkit.load(RCPSP)
    path = schedkit.dump(instance, tmp_path / "p.SM")
    assert path.read_text().startswith("*" * 10)
    back = schedkit.load(path)
    mine, theirs = back.to_dict(), instance.to_dict()
    for key in ("durations", "successors", "capacities", "demands"):
        assert mine[key] == theirs[key]


@pytest.mark.parametrize("suffix", [".sm", ".sch", ".rcp", ".fjs", ".stg"])
def test_a_format_of_another_family_is_refused(tmp_path, suffix):
    with pytest.raises(SchedkitError, match=r"format holds \w+ instances, not smtt"):
        schedkit.dump(schedkit.load(SMTT), tmp_path / f"x{suffix}")
    assert not (tmp_path / f"x{suffix}").exists()
