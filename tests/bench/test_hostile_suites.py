"""Hostile suite and reference files: refused with one SchedkitError naming the file, before any
run; never an internal error, a file written outside --out, or a silent last-row-wins. A damaged
line of a result store is skipped (that run counts as not done)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedkit.bench.command import bench
from schedkit.bench.references import load_references
from schedkit.bench.store import ResultStore
from schedkit.bench.suite import load_suite
from schedkit.errors import SchedkitError
from tests.conftest import ROOT

WT40 = ROOT / "instances" / "smtt" / "wt40.txt"
BODY = 'instances = ["a.txt"]\ntime_limit = 1\n[[methods]]\nname = "edd"\n'


def _suite(tmp_path: Path, head: str, body: str = BODY) -> Path:
    (tmp_path / "a.txt").write_text("1 2\n")
    path = tmp_path / "s.toml"
    path.write_text(head + body)
    return path


def test_a_byte_order_mark_is_fine(tmp_path):
    """A suite saved with a UTF-8 BOM loads, as every instance file does (it was 'not valid TOML')."""
    path = _suite(tmp_path, 'name = "bom"\n')
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_suite(path).name == "bom"


@pytest.mark.parametrize("head", [
    'name = "../../escaped"\n',  # the report went two folders above --out
    'name = "sub/x"\n',
    'name = "s\\u0000x"\n',  # ValueError: embedded null byte, exit 3
    'name = ".."\n',
    'name = ["a"]\n',  # files named "['a'].md"
    'name = ""\n',
    'references = "r\\u0000.csv"\n',
    'root = "\\u0000"\n',
    'seeds = [1, 1]\n',  # every run twice: "2 of 1 runs stored"
])
def test_a_hostile_field_is_refused_naming_the_file(tmp_path, head):
    path = _suite(tmp_path, head)
    with pytest.raises(SchedkitError) as caught:
        load_suite(path)
    assert str(path) in str(caught.value)


def test_no_instances_is_refused(tmp_path):
    """An empty instance list ran nothing and wrote an empty report."""
    path = _suite(tmp_path, "", 'instances = []\ntime_limit = 1\n[[methods]]\nname = "edd"\n')
    with pytest.raises(SchedkitError, match="instances is empty"):
        load_suite(path)


@pytest.mark.parametrize(("name", "content", "match"), [
    ("r.jsonl", "[" * 100_000 + "\n", "nested"),  # RecursionError, exit 3
    ("r.csv", "instance,upper_bound\nft06," + "1" * 200_000 + "\n", "r.csv:2: .*field limit"),
    ("r.csv", "instance,upper_bound\nft06,5\nft06,7\n", "r.csv:3: .*second row for 'ft06'"),
    ("r.jsonl", '{"instance": "ft06", "upper_bound": true}\n', "True"),
    ("r.jsonl", '{"instance": ["ft06"], "upper_bound": 5}\n', "instance name"),
    ("r.jsonl", '{"instance": "ft06", "upper_bound": 1e30}\n', "2\\^62"),
])
def test_a_hostile_reference_file_is_one_parse_error(tmp_path, name, content, match):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(SchedkitError, match=match) as caught:
        load_references(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("line", [
    b"5", b"[1, 2]", b"null", b'{"key": ["a"]}', b"\xff\xfe", b"[" * 100_000, b'{"key": "k", "method": 5}',
    b'{"key": "k", "instance": "i", "method": "m", "objective": NaN}',
    b'{"key": "k", "instance": "i", "method": "m", "objective": "abc"}',
    b'{"key": "k", "instance": "i", "method": "m", "objective": true}',
    b'{"key": "k", "instance": "i", "method": "m", "wall_time": "x"}',
    b'{"key": "k", "instance": "i", "method": "m", "load": 5}',
])
def test_a_damaged_store_line_is_skipped(tmp_path, line):
    """--resume over a store with a damaged line was exit 3 (TypeError, UnicodeDecodeError,
    RecursionError, a NaN axis in the plots); that run now counts as not done."""
    path = tmp_path / "s.results.jsonl"
    good = {"key": "g", "instance": "i", "method": "m", "objective": 3, "load": [None, 1.5]}
    store = ResultStore(path)
    store.append(good)
    with path.open("ab") as file:
        file.write(line + b"\n")
    store.append(good)
    assert list(store.records()) == [good, good] and store.keys() == {"g"}


def test_a_scheduler_address_dask_cannot_parse_is_refused(tmp_path):
    """--scheduler garbage: Dask's ValueError ended as an internal error (exit 3)."""
    pytest.importorskip("dask.distributed")
    path = tmp_path / "s.toml"
    path.write_text(f'name = "s"\ninstances = ["{WT40}#1"]\ntime_limit = 1\n[[methods]]\nname = "edd"\n')
    with pytest.raises(SchedkitError, match="--scheduler 'garbage'"):
        bench(str(path), out=tmp_path / "out", scheduler="garbage", plot=False, quiet=True)


@pytest.mark.parametrize("flag", ["jobs", "dask_local"])
def test_more_parallel_runs_than_the_machine_takes_are_refused(tmp_path, monkeypatch, flag):
    """-j 100000 forked one solver per run of the suite at once (--dask-local started as many
    worker processes)."""
    path = tmp_path / "s.toml"
    path.write_text(f'name = "s"\ninstances = ["{WT40}#1"]\ntime_limit = 1\n[[methods]]\nname = "edd"\n')
    monkeypatch.setattr("schedkit.bench.command.run_suite", lambda *a, **k: pytest.fail("ran"))
    with pytest.raises(SchedkitError, match="runs at once"):
        bench(str(path), out=tmp_path / "out", plot=False, quiet=True, **{flag: 100_000})
