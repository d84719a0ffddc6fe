"""Bad VMR input (issue 16): NaN / Infinity, absurd K and F, non-UTF-8 and non-ASCII digits are
schedkit errors at load time, never a crash or a memory blow-up on solve."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import schedkit
from schedkit.common import textfile
from schedkit.errors import InvalidInstance, ParseError, SchedkitError
from schedkit.vmr import generate as generate_vmr
from schedkit.vmr.model import MAX_FRAGMENT_SIZE, MAX_MIGRATION_LIMIT

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "instances" / "vmr" / "sample_m12.json"
SAMPLE_CSV = ROOT / "instances" / "vmr" / "sample_csv"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "true", "1.5", '"8"'])
def test_a_cpu_that_is_not_an_integer_is_refused(tmp_path, value):
    """`"cpu": NaN` used to raise ValueError, Infinity OverflowError: now InvalidInstance."""
    text = SAMPLE.read_text()
    record = json.loads(text)
    record["vms"][0]["cpu"] = "@@"
    bad = json.dumps(record).replace('"@@"', value)
    with pytest.raises((InvalidInstance, ParseError)):
        schedkit.load(_write(tmp_path, bad))


@pytest.mark.parametrize(("key", "value"), [
    ("migration_limit", 1e18), ("migration_limit", MAX_MIGRATION_LIMIT + 1), ("migration_limit", -1),
    ("fragment_size", 1e18), ("fragment_size", MAX_FRAGMENT_SIZE + 1), ("fragment_size", 0),
    ("meta", "x"),
])
def test_out_of_range_parameters_are_refused_at_load(tmp_path, key, value):
    """K and F have documented upper limits, checked before any method sizes arrays by them."""
    record = json.loads(SAMPLE.read_text())
    record[key] = value
    with pytest.raises(InvalidInstance):
        schedkit.load(_write(tmp_path, json.dumps(record)))


def test_limits_themselves_load():
    """K = MAX_MIGRATION_LIMIT and F = MAX_FRAGMENT_SIZE are valid."""
    x = schedkit.load(SAMPLE).replace(migration_limit=MAX_MIGRATION_LIMIT, fragment_size=MAX_FRAGMENT_SIZE)
    assert x.migration_limit == MAX_MIGRATION_LIMIT


@pytest.mark.parametrize("damage", [b"\xff\xfe", "٣".encode()])
def test_csv_bytes_and_digits(tmp_path, damage):
    """Non-UTF-8 bytes and non-ASCII digits in a CSV are a ParseError naming the file."""
    folder = tmp_path / "cluster"
    shutil.copytree(SAMPLE_CSV, folder)
    path = folder / "vms.csv"
    lines = path.read_bytes().split(b"\n")
    head, cells = lines[1].split(b",", 1)
    lines[1] = head + b"," + damage + cells[cells.index(b","):]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError, match="vms.csv"):
        schedkit.load(folder)


def test_csv_with_a_byte_order_mark_loads(tmp_path):
    """A UTF-8 BOM at the start of each CSV file is fine."""
    folder = tmp_path / "cluster"
    shutil.copytree(SAMPLE_CSV, folder)
    for name in ("machines.csv", "vms.csv"):
        path = folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    try:
        assert schedkit.load(folder) == schedkit.load(SAMPLE_CSV).replace(name=schedkit.load(folder).name)
    except SchedkitError as error:  # pragma: no cover - the failure message is the point
        pytest.fail(str(error))


def test_csv_size_is_checked_before_it_is_read(tmp_path, monkeypatch):
    """The CSV pair goes through the size check of every instance file (lowered here): it was
    read whole, whatever its size."""
    folder = tmp_path / "cluster"
    shutil.copytree(SAMPLE_CSV, folder)
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", (folder / "vms.csv").stat().st_size - 1)
    with pytest.raises(ParseError, match=r"vms\.csv.*under"):
        schedkit.load(folder)


class _CountingRng:
    """numpy's generator, counting draws and refusing more than `most` (a hang made visible)."""

    def __init__(self, seed: int, most: int) -> None:
        self.rng, self.draws, self.most = np.random.default_rng(seed), 0, most

    def permutation(self, n: int) -> np.ndarray:
        return self.rng.permutation(n)

    def integers(self, *args, **kwargs):
        self.draws += 1
        assert self.draws <= self.most, "a group drew its size after every VM had one"
        return self.rng.integers(*args, **kwargs)


def test_anti_affinity_groups_stop_when_the_vms_run_out():
    """`generate vmr --anti-affinity-groups 100000000000` looped on for every requested group
    (drawing a size each time) long after the VMs ran out: it hung. Groups stop with the VMs,
    and the groups drawn are those of a request for just as many."""
    vms = [(4, 4, 2 * v, -1) for v in range(12)]
    huge = generate_vmr._groups(vms, 10**12, _CountingRng(3, most=12))
    assert huge.tolist() == generate_vmr._groups(vms, 12, _CountingRng(3, most=12)).tolist()
    assert set(huge.tolist()) <= set(range(4))
