"""DAG formats: the project JSON (the shared example's shape), STG, and the CSV pair."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, settings

import schedkit
from schedkit import InvalidInstance, ParseError
from schedkit.loading import write
from tests.dag.conftest import DATA, FIG2
from tests.dag.strategies import dag_instances


def test_shared_example_without_family_field(fig2):
    """The shared file has no `family`: it is recognised as a DAG and read whole."""
    assert "family" not in json.loads(FIG2.read_text())
    assert fig2.family == "dag" and (fig2.n, fig2.p, fig2.m) == (10, 3, 15)
    assert fig2.task_ids == tuple(range(1, 11)) and fig2.processors == ("P1", "P2", "P3")
    assert fig2.cost[0].tolist() == [14, 16, 9]
    assert fig2.meta["reference"]["heft_makespan"] == 80
    assert "source" in fig2.meta and not fig2.has_network


def test_project_json_is_the_shared_shape_plus_family(fig2, tmp_path):
    """dump writes the same fields as the shared file (plus family, meta); load(dump) == x."""
    path = schedkit.dump(fig2, tmp_path / "x.json")
    record = json.loads(path.read_text())
    shared = json.loads(FIG2.read_text())
    assert record["family"] == "dag"
    for key in ("task_ids", "processors", "computation_cost", "edges", "name"):
        assert record[key] == shared[key], key
    assert schedkit.load(path) == fig2


def test_csv_pair_equals_the_json(fig2):
    """The CSV directory of the same graph gives the same costs, edges and ids."""
    x = schedkit.load(DATA / "fig2_csv")
    assert x.replace(name=fig2.name, meta=fig2.meta) == fig2
    assert x.name == "fig2_csv"


def test_csv_round_trip(fig2, tmp_path):
    """write(x, dir, "dag-csv") then load(dir) gives x back (name = directory name)."""
    write([fig2], tmp_path / "g", "dag-csv")
    assert schedkit.load(tmp_path / "g") == fig2.replace(name="g", meta={})


def test_stg_default_and_named_processors():
    """`.stg` is sniffed; 4 identical processors by default, `stg:P` sets P."""
    x = schedkit.load(DATA / "small.stg")
    assert (x.n, x.p, x.m) == (6, 4, 6) and x.task_ids == tuple(range(6))
    assert x.cost[:, 0].tolist() == [0, 3, 2, 4, 1, 0]
    assert schedkit.load(DATA / "small.stg", format="stg:2").p == 2
    assert schedkit.solve(x, "heft").objective == 8  # the critical path 3 + 4 + 1


def test_stg_round_trip(tmp_path):
    """An STG graph written back reads the same."""
    x = schedkit.load(DATA / "small.stg", format="stg:3")
    write([x], tmp_path / "small.stg")
    assert schedkit.load(tmp_path / "small.stg", format="stg:3") == x


def test_stg_writer_refuses_what_it_cannot_hold(fig2, tmp_path):
    """Unrelated costs and communication have no STG form: InvalidInstance, not a lossy file."""
    with pytest.raises(InvalidInstance, match="identical processors"):
        write([fig2], tmp_path / "x.stg")


@pytest.mark.parametrize(("text", "message"), [
    ("2\n0 0 0\n1 5 1 0\n", r"x.stg:3: expected task id 2, found the end"),
    ("1\n0 0 0\n2 5 1 0\n2 0 1 1\n", r"x.stg:3: expected task id 1 .*found 2"),
    ("1\n0 0 0\n1 a 1 0\n2 0 1 1\n", r"x.stg:3: expected the cost of task 1 .*'a'"),
    ("1\n0 0 0\n1 5 1 7\n2 0 1 1\n", r"x.stg:3: expected a predecessor id below 3, found 7"),
    ("1\n0 0 0\n1 5 1 0\n2 0 1 1\n9\n", r"x.stg:5: expected the end of the 3 task lines"),
    ("1\n0 0 1 2\n1 5 1 0\n2 0 1 1\n", r"cycle: 0 -> 1 -> 2 -> 0"),
    ("1\n0 0 0\n1 -5 1 0\n2 0 1 1\n", r"x.stg:3: expected the cost of task 1 .*'-5'"),
])
def test_stg_errors(tmp_path, text, message):
    """Broken STG files: ParseError / InvalidInstance naming file, line and what was expected."""
    path = tmp_path / "x.stg"
    path.write_text(text)
    with pytest.raises((ParseError, InvalidInstance), match=message):
        schedkit.load(path)


@pytest.mark.parametrize("arg", ["0", "x", "5000"])
def test_stg_bad_processor_count(arg):
    """`stg:P` needs 1 <= P <= 4096."""
    with pytest.raises(ParseError, match="stg:P"):
        schedkit.load(DATA / "small.stg", format=f"stg:{arg}")


def _csv_dir(tmp_path, costs, edges):
    path = tmp_path / "g"
    path.mkdir()
    (path / "costs.csv").write_text(costs)
    if edges is not None:
        (path / "edges.csv").write_text(edges)
    return path


@pytest.mark.parametrize(("costs", "edges", "message"), [
    ("task,P1\n1,3\n", None, r"edges.csv: expected a DAG directory holds both"),
    ("task,P1,P2\n1,3\n", "source,target,cost\n", r"costs.csv:2: expected a task id and 2 costs"),
    ("task,P1,P2\n1,3,\n", "source,target,cost\n", r"costs.csv:2: .*'P2'.*empty cell"),
    ("task,P1\n1,3.5\n", "source,target,cost\n", r"costs.csv:2: expected an integer .*'3.5'"),
    ("task,P1\n1,-3\n", "source,target,cost\n", r"task 1 on processor P1 is -3"),
    ("id,P1\n1,3\n", "source,target,cost\n", r"costs.csv:1: expected a header"),
    ("task,P1\n1,3\n2,3\n", "source,target,cost\n1,7,2\n", r"edges.csv:2: expected a target task"),
    ("task,P1\n1,3\n2,3\n", "from,to\n1,2\n", r"edges.csv:1: expected the header"),
    ("task,P1\n1,3\n2,3\n", "source,target,cost\n1,2,1\n2,1,1\n", r"cycle: 1 -> 2 -> 1"),
])
def test_csv_errors(tmp_path, costs, edges, message):
    """Broken CSV pairs: errors name the file, the line and the column."""
    path = _csv_dir(tmp_path, costs, edges)
    with pytest.raises((ParseError, InvalidInstance), match=message):
        schedkit.load(path)


def test_csv_format_on_a_file_is_refused(tmp_path):
    """`--format dag-csv` on a single file says a directory is expected."""
    path = tmp_path / "costs.csv"
    path.write_text("task,P1\n1,3\n")
    with pytest.raises(ParseError, match="a directory holding"):
        schedkit.load(path, format="dag-csv")


def _record(**changes):
    record = json.loads(FIG2.read_text())
    record.update(changes)
    return record


@pytest.mark.parametrize(("record", "message"), [
    (_record(edges=[[1, 11, 5]]), r"edges\[0\]: target 11 is not a task"),
    (_record(edges=[[0, 2, 5]]), r"edges\[0\]: source 0 is not a task"),
    (_record(edges=[[1, 2]]), r"edges\[0\] = \[1, 2\]: expected \[source, target, cost\]"),
    (_record(edges=[[1, 2, 3], [2, 1, 3]]), r"cycle: 1 -> 2 -> 1"),
    (_record(computation_cost={str(i): [1, 1, 1] for i in range(1, 10)}),
     r"task 10 has no costs \(missing\)"),
    (_record(computation_cost={**{str(i): [1, 1, 1] for i in range(1, 11)}, "3": [1, 1]}),
     r"computation_cost\[3\] has 2 costs, expected 3"),
    (_record(computation_cost={**{str(i): [1, 1, 1] for i in range(1, 11)}, "3": [1, None, 1]}),
     r"computation_cost\[3\]\[1\] is missing"),
    (_record(computation_cost={**{str(i): [1, 1, 1] for i in range(1, 11)}, "4": [1, -2, 1]}),
     r"task 4 on processor P2 is -2"),
    (_record(computation_cost={**{str(i): [1, 1, 1] for i in range(1, 12)}}),
     r"names task 11, which is not in task_ids"),
    (_record(computation_cost={**{str(i): [1, 1, 1] for i in range(1, 11)}, "4": [1, 1.5, 1]}),
     r"computation_cost\[4\]\[1\] = 1.5 is not an integer"),
])
def test_json_errors(tmp_path, record, message):
    """Broken JSON records: InvalidInstance naming the file, the field and the task."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record))
    with pytest.raises(InvalidInstance, match=message) as caught:
        schedkit.load(path)
    assert "bad.json" in str(caught.value)


def test_json_network_fields(tmp_path):
    """bandwidth and latency in the JSON give the network model; they round-trip."""
    record = _record(family="dag", bandwidth=[[1, 2, 2], [2, 1, 2], [2, 2, 1]], latency=[1, 0, 3])
    path = tmp_path / "net.json"
    path.write_text(json.dumps(record))
    x = schedkit.load(path)
    assert x.has_network and x.latency.tolist() == [1, 0, 3]
    assert schedkit.load(schedkit.dump(x, tmp_path / "again.json")) == x


@settings(max_examples=40, deadline=None)
@given(dag_instances())
def test_parse_of_dump_is_identity(tmp_path_factory, instance):
    """Random graphs (with and without network): load(dump(x)) == x; CSV too when it applies."""
    folder = tmp_path_factory.mktemp("roundtrip")
    assert schedkit.load(schedkit.dump(instance, folder / "x.json")) == instance
    if not instance.has_network:
        write([instance], folder / "g", "dag-csv")
        assert schedkit.load(folder / "g") == instance.replace(name="g")
    shutil.rmtree(folder)
