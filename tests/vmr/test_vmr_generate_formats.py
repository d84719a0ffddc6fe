"""`schedkit generate vmr --format` writes only what holds a VMR cluster (json, jsonl, vmr-csv):
`--format orlib-wt` or `stg` was an internal error (AttributeError: 'VMRInstance' object has
no attribute 'n' / 'cost', exit 3); and the OR-Library writer refuses what is not SMTT."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.errors import SchedkitError
from schedkit.loading import write


@pytest.mark.parametrize("fmt", ["orlib-wt", "orlib-wt:5", "stg", "taillard", "dag-csv", "satnet"])
def test_a_format_of_another_family_is_one_line_and_exit_2(tmp_path, fmt):
    run = CliRunner().invoke(main, ["generate", "vmr", "--machines", "3", "--format", fmt,
                                    "-o", str(tmp_path / "out.txt")])
    assert run.exit_code == 2, run.output
    assert "internal error" not in run.output and "vmr-csv" in run.output
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize(("fmt", "name"), [(None, "c.json"), ("json", "c.json"), ("jsonl", "c.jsonl"),
                                           ("vmr-csv", "csv"), ("vmr-csv:K=50,F=16", "csv")])
def test_vmr_formats_still_write(tmp_path, fmt, name):
    out = tmp_path / name
    run = CliRunner().invoke(main, ["generate", "vmr", "--machines", "3", "-o", str(out)]
                             + ([] if fmt is None else ["--format", fmt]))
    assert run.exit_code == 0, run.output
    assert schedkit.load(out).num_machines == 3


def test_the_orlib_writer_refuses_other_families(tmp_path):
    cluster = schedkit.generate.vmr(machines=3, utilisation=0.8, seed=1)
    with pytest.raises(SchedkitError, match="smtt"):
        write([cluster], tmp_path / "wt5.txt")
    with pytest.raises(SchedkitError, match="smtt"):
        write([cluster], tmp_path / "x.txt", "orlib-wt:5")
