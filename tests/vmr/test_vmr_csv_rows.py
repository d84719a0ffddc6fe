"""The CSV pair refuses what it would otherwise read as something else: a row with more fields
than the header (an unquoted `0,1` for a split VM read as NUMA 0 alone), a column named twice
(the last one won) and a params.csv key given twice (the last one won)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import schedkit
from schedkit.errors import ParseError

SAMPLE_CSV = Path(__file__).resolve().parents[2] / "instances" / "vmr" / "sample_csv"
MACHINES = "machine,numa,cpu,mem\npm0,0,44,176\npm0,1,44,176\n"


def _cluster(tmp_path: Path, vms: str, params: str | None = None) -> Path:
    folder = tmp_path / "cluster"
    folder.mkdir()
    (folder / "machines.csv").write_text(MACHINES)
    (folder / "vms.csv").write_text(vms)
    if params is not None:
        (folder / "params.csv").write_text(params)
    return folder


@pytest.mark.parametrize(("vms", "line"), [
    ("vm,cpu,mem,machine,numa\nvm0,8,32,pm0,0\nvm1,16,64,pm0,0,1\n", 3),
    ("vm,cpu,mem,machine,numa,group\nvm1,16,64,pm0,0,1,db\n", 2),
])
def test_a_row_longer_than_the_header_is_refused(tmp_path, vms, line):
    """`vm1,16,64,pm0,0,1` (numa 0;1 with a comma) was read as a VM on NUMA 0 alone."""
    with pytest.raises(ParseError, match=rf"vms\.csv:{line}: expected at most"):
        schedkit.load(_cluster(tmp_path, vms))


def test_a_machine_row_longer_than_the_header_is_refused(tmp_path):
    folder = _cluster(tmp_path, "vm,cpu,mem,machine,numa\nvm0,8,32,pm0,0\n")
    (folder / "machines.csv").write_text("machine,numa,cpu,mem\npm0,0,44,176,9\npm0,1,44,176\n")
    with pytest.raises(ParseError, match=r"machines\.csv:2: expected at most 4 fields"):
        schedkit.load(folder)


@pytest.mark.parametrize("header", ["vm,cpu,mem,machine,numa,cpu", "vm,cpu,mem,machine,numa, cpu "])
def test_a_column_named_twice_is_refused(tmp_path, header):
    """`vm,cpu,mem,machine,numa,cpu` read the VM's CPU from the last column."""
    with pytest.raises(ParseError, match=r"vms\.csv:1: expected each column named once, found cpu twice"):
        schedkit.load(_cluster(tmp_path, f"{header}\nvm0,8,32,pm0,0,4\n"))


def test_a_parameter_given_twice_is_refused(tmp_path):
    """Two migration_limit rows: the last one was K."""
    params = "key,value\nmigration_limit,5\nmigration_limit,7\n"
    with pytest.raises(ParseError, match=r"params\.csv:3: expected migration_limit once"):
        schedkit.load(_cluster(tmp_path, "vm,cpu,mem,machine,numa\nvm0,8,32,pm0,0\n", params))


def test_short_rows_and_the_sample_still_load(tmp_path):
    """A row without its optional group field, and the shipped sample, load as before."""
    x = schedkit.load(_cluster(tmp_path, "vm,cpu,mem,machine,numa,group\nvm0,8,32,pm0,0\n"))
    assert x.num_vms == 1 and x.group_names == ()
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE_CSV, copy)
    assert schedkit.load(copy).num_vms == schedkit.load(SAMPLE_CSV).num_vms
