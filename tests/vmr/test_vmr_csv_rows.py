"""The CSV pair refuses what it would otherwise read as something else: a row with more fields
than the header (an unquoted `0,1` for a split VM read as NUMA 0 alone), a column named twice
(the last one won) and a params.csv key given twice (the last one won)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import schedkit
from schedkit.errors import InvalidInstance, ParseError
from schedkit.loading import write
from schedkit.vmr.model import VMRInstance

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


@pytest.mark.parametrize(("field", "ident"), [("machine", " pm0"), ("vm", "v "), ("group", " g"),
                                              ("name", "c\t")])
def test_the_writer_refuses_ids_the_reader_would_strip(tmp_path, field, ident):
    """The reader strips each field, so `convert --to vmr-csv` wrote ' pm0' and read back 'pm0':
    another instance, whose plans name other ids. The writer now refuses such an id."""
    ids = {"machine": ["pm0", "pm1"], "vm": ["v", "w"], "group": ["g"], "name": "c"}
    ids[field] = [ident, *ids[field][1:]] if field != "name" else ident
    x = VMRInstance(machine_ids=ids["machine"], node_machine=[0, 1], node_cpu=[8, 8], node_mem=[8, 8],
                    vm_ids=ids["vm"], vm_cpu=[2, 2], vm_mem=[1, 1], vm_node0=[0, 1], vm_node1=[-1, -1],
                    vm_group=[0, -1], group_names=ids["group"], name=ids["name"])
    with pytest.raises(InvalidInstance, match=repr(ident).replace("\\", "\\\\")):
        write([x], tmp_path / "out", "vmr-csv")
    x = x.replace(**{"machine_ids": ["pm0", "pm1"], "vm_ids": ["v", "w"], "group_names": ["g"], "name": "c"})
    write([x], tmp_path / "ok", "vmr-csv")
    assert schedkit.load(tmp_path / "ok") == x
