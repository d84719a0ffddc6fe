"""VMR model, JSON and CSV formats: validation errors, round trips, the generator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import schedkit
from schedkit.errors import InvalidInstance, ParseError
from schedkit.vmr.formats.records import from_record
from tests.vmr.conftest import tiny_clusters, two_machines


def _record() -> dict:
    return two_machines(2).to_dict()


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r["vms"][0].update(machine="pm9"), "unknown machine 'pm9'"),
    (lambda r: r["vms"][0].update(cpu=-1), "cpu demand -1"),
    (lambda r: r["vms"][0].update(mem=-2), "mem demand -2 is negative"),
    (lambda r: r["vms"][1].update(id="a"), "ids must be unique"),
    (lambda r: r["machines"][1].update(id="pm0"), "machine id 'pm0' appears twice"),
    (lambda r: r["vms"][0].update(numa=[2]), "has no NUMA 2"),
    (lambda r: r["vms"][0].update(numa=[0, 0]), "lists NUMA 0 twice"),
    (lambda r: r["vms"][0].update(numa=[0, 1, 0]), "lists 3 nodes"),
    (lambda r: r["vms"][2].update(cpu=7, numa=[0, 1]), "must be even"),
    (lambda r: r["vms"][2].update(cpu=20), "over its capacity 16"),
    (lambda r: r["machines"][0]["numa"][0].update(cpu=-4), "capacity -4 is negative"),
    (lambda r: r.update(migration_limit=-1), "migration_limit = -1"),
    (lambda r: r.update(fragment_size=0), "fragment_size = 0"),
    (lambda r: r.update(anti_affinity={"g": ["a", "b"]}), "both run on machine 'pm0'"),
    (lambda r: r.update(anti_affinity={"g": ["a", "zz"]}), "unknown VM 'zz'"),
    (lambda r: r.update(anti_affinity={"g": ["a"], "h": ["a"]}), "one group only"),
    (lambda r: r["vms"][0].update(cpu=2.5), "must be an integer"),
    (lambda r: r.pop("vms"), "field 'vms'"),
])
def test_invalid_records_are_refused(change, message):
    """Each broken rule raises InvalidInstance whose message names the VM/machine and the rule."""
    record = _record()
    change(record)
    with pytest.raises(InvalidInstance, match=message):
        from_record(record, "x")


def test_json_file_errors_name_the_file(tmp_path):
    """A bad VMR JSON file: the loader's message starts with the file name."""
    record = _record()
    record["vms"][0]["machine"] = "nope"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record))
    with pytest.raises(InvalidInstance, match="bad.json.*unknown machine 'nope'"):
        schedkit.load(path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_clusters())
def test_json_round_trip(tmp_path_factory, instance):
    """parse∘dump is the identity for the project's JSON (anti-affinity groups included)."""
    path = tmp_path_factory.mktemp("json") / "x.json"
    schedkit.dump(instance, path)
    assert schedkit.load(path) == instance


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_clusters())
def test_csv_round_trip(tmp_path_factory, instance):
    """parse∘dump is the identity for the CSV pair (read back as a directory)."""
    folder = tmp_path_factory.mktemp("csv") / "cluster"
    schedkit.loading.write([instance], folder, "vmr-csv")
    again = schedkit.load(folder)
    assert again == instance


def test_csv_pair_by_file_and_format_arg(tmp_path):
    """machines.csv is sniffed; --format vmr-csv:K=..,F=.. overrides params.csv."""
    folder = tmp_path / "c"
    schedkit.loading.write([two_machines(2)], folder, "vmr-csv")
    assert schedkit.load(folder / "machines.csv") == two_machines(2)
    other = schedkit.load(folder / "vms.csv", format="vmr-csv:K=1,F=8")
    assert (other.migration_limit, other.fragment_size) == (1, 8)


def _pair(folder: Path, machines: str, vms: str) -> Path:
    folder.mkdir()
    (folder / "machines.csv").write_text(machines)
    (folder / "vms.csv").write_text(vms)
    return folder


@pytest.mark.parametrize(("machines", "vms", "message"), [
    ("machine,numa,cpu\npm0,0,16\n", "vm,cpu,mem,machine,numa\n", r"machines.csv:1: .*missing mem"),
    ("machine,numa,cpu,mem\npm0,0,x,8\n", "vm,cpu,mem,machine,numa\n", r"machines.csv:2: .*column 'cpu'"),
    ("machine,numa,cpu,mem\npm0,1,16,8\n", "vm,cpu,mem,machine,numa\n", r"machines.csv:2: expected NUMA 0"),
    ("machine,numa,cpu,mem\npm0,0,16,8\n", "vm,cpu,mem,machine,numa\nv,2,2,pm0,0;z\n",
     r"vms.csv:2: .*column 'numa'"),
])
def test_csv_parse_errors_name_file_and_line(tmp_path, machines, vms, message):
    """Malformed CSV rows raise ParseError naming the file, the line and the column."""
    folder = _pair(tmp_path / "c", machines, vms)
    with pytest.raises(ParseError, match=message):
        schedkit.load(folder)


def test_csv_invalid_data_names_the_folder(tmp_path):
    """Well-formed CSV with a VM on an unknown machine: InvalidInstance naming folder and VM."""
    folder = _pair(tmp_path / "c", "machine,numa,cpu,mem\npm0,0,16,8\n",
                   "vm,cpu,mem,machine,numa\nv1,2,2,pm7,0\n")
    with pytest.raises(InvalidInstance, match=r"c: VM 'v1' runs on unknown machine 'pm7'"):
        schedkit.load(folder)


def test_generator_is_reproducible_and_realistic():
    """Same seed, same cluster; utilisation near target; the initial fragment rate is in the
    range the VMR2L study reports (about 0.55), here between 0.3 and 0.9."""
    first = schedkit.generate.vmr(60, 0.9, seed=3, migration_limit=10)
    assert first == schedkit.generate.vmr(60, 0.9, seed=3, migration_limit=10)
    assert first != schedkit.generate.vmr(60, 0.9, seed=4, migration_limit=10)
    assert abs(first.meta["achieved_utilisation"] - 0.9) < 0.03
    assert 0.3 < first.fragment_rate(first.initial_objective) < 0.9
    assert set(first.vm_cpu.tolist()) <= {1, 2, 4, 8, 16, 32}


def test_generate_cli(tmp_path):
    """`schedkit generate vmr` writes a loadable instance (and refuses a bad utilisation)."""
    from click.testing import CliRunner

    from schedkit.cli import main

    out = tmp_path / "c.json"
    result = CliRunner().invoke(main, ["generate", "vmr", "--machines", "20", "-k", "5", "--seed", "1",
                                       "--anti-affinity-groups", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    instance = schedkit.load(out)
    assert instance.migration_limit == 5 and len(instance.group_names) == 2
    bad = CliRunner().invoke(main, ["generate", "vmr", "--utilisation", "1.5", "-o", str(out)])
    assert bad.exit_code != 0
