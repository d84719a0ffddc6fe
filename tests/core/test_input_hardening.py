"""Issue 16's crash classes, each at the point where data enters: every input loads correctly
or raises a SchedkitError (one line naming the file) — never RecursionError, UnicodeDecodeError,
ZeroDivisionError, OverflowError, MemoryError, TypeError or a silent misreading."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common import jsonparse
from schedkit.common.jsonparse import MAX_DEPTH, nesting_depth
from schedkit.common.numbers import read_int
from schedkit.errors import InvalidInstance, ParseError, SchedkitError

SMTT = {"family": "smtt", "p": [1, 2], "d": [3, 4]}
NODE = {"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "1", "memory": "1Gi"}}}
POD = {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}}


def _write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _refused(path, match: str, format: str | None = None) -> None:
    with pytest.raises(SchedkitError, match=match) as caught:
        schedkit.load_all(path, format=format).__next__()
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


@pytest.mark.parametrize(("name", "content", "match"), [
    ("deep.json", "[" * 1100, "nested at most"),
    ("deep.jsonl", "[" * 1100 + "\n", "nested at most"),
    ("deep_list.json", '{"kind": "List", "items": ' + "[" * 1100 + "]" * 1100 + "}", "nested at most"),
    ("nan.json", '{"family": "smtt", "p": [1, NaN], "d": [1, 2]}', "NaN"),
    ("inf.json", '{"family": "smtt", "p": [1, 1e400], "d": [1, 2]}', "1e400"),
    ("huge.json", '{"family": "smtt", "p": [1, 9223372036854775808], "d": [1, 2]}', "2\\^62"),
    ("wt0.txt", "1 2 3", "positive job count"),
    ("wt1.txt", "1 1 9223372036854775808", "2\\^62"),
    ("wt2.txt", "1 \u0663\n1 1\n5 5\n", "expected an integer"),
    ("wt3.txt", b"1 2 \xe9\n", "UTF-8"),
    ("x.stg", "1\n0 0 0\n1 \u00b2 1 0\n2 0 1 1\n", "non-negative integer"),
])
def test_bad_files_are_parse_errors(tmp_path, name, content, match):
    """Deep nesting, NaN/Infinity, numbers beyond 2^62, wt0.txt, non-ASCII digits, non-UTF-8."""
    _refused(_write(tmp_path, name, content), match)


def test_an_absurd_header_allocates_nothing(tmp_path):
    """Job-shop sniffing compares a `10^18 1` header with what follows: no MemoryError."""
    _refused(_write(tmp_path, "big", "1000000000000000000 1\n1 2\n"), "recognisable format")


@pytest.mark.parametrize(("key", "value", "match"), [
    ("meta", "x", "'meta' must be an object"), ("meta", 5, "'meta' must be an object"),
    ("family", {}, "'family' must be a family name"), ("p", 5, "'p' must be a list"),
    ("p", [True, 2], "boolean is not a number"), ("name", [1], "'name' must be a string"),
])
def test_wrong_json_types_in_records(tmp_path, key, value, match):
    """Wrong JSON types reach no Python built-in: InvalidInstance names the field."""
    _refused(_write(tmp_path, "x.json", json.dumps({**SMTT, key: value})), match)


@pytest.mark.parametrize(("record", "match"), [
    ({"family": "rcpsp", "durations": [0, 1], "successors": [5], "capacities": [1], "demands": [[0], [1]]},
     "successors\\[0\\] must be a list"),
    ({"family": "dag", "task_ids": 1.5, "computation_cost": {"1": [1]}, "edges": []},
     "'task_ids' must be a list"),
    ({"family": "jobshop", "machines": 10**15, "jobs": [[[0, 1]]]}, "beyond the supported maximum"),
    ({"family": "jobshop", "machines": 1e15, "jobs": [[[0, 1]]]}, "must be an integer"),
    ({"family": "jobshop", "machines": 2, "jobs": [[[0, 1]]], "release": [True]}, "boolean"),
    ({"family": "pods", "nodes": [{"name": "n", "cpu": 1000, "memory": 10}],
      "pods": [{"name": "p", "tolerations": [{"key": []}]}]}, "tolerations\\[0\\].key: expected a string"),
])
def test_wrong_json_types_per_family(tmp_path, record, match):
    """RCPSP successors [5], DAG task_ids 1.5, job-shop machines 1e15, pods toleration key []."""
    _refused(_write(tmp_path, "x.json", json.dumps(record)), match)


@pytest.mark.parametrize(("where", "value"), [
    (("pod", "metadata"), "x"), (("pod", "metadata", "ownerReferences"), 5),
    (("pod", "spec", "tolerations"), 5), (("pod", "spec", "initContainers"), 5),
    (("pod", "spec", "containers"), [5]), (("pod", "metadata", "annotations"), 5),
    (("pod", "spec", "overhead"), 5), (("pod", "spec", "tolerations"), [{"key": []}]),
    (("pod", "spec", "affinity"), {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": 5}}}),
    (("pod", "spec", "affinity"), {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "a", "operator": "In", "values": 5}]}]}}}),
    (("node", "spec"), {"taints": 5}), (("node", "spec"), {"taints": [{"key": [], "effect": "NoSchedule"}]}),
])
def test_kubectl_items_of_the_wrong_type(tmp_path, where, value):
    """metadata, ownerReferences, tolerations, initContainers, nodeSelectorTerms, values, taints."""
    node, pod = json.loads(json.dumps(NODE)), json.loads(json.dumps(POD))
    item = node if where[0] == "node" else pod
    for key in where[1:-1]:
        item = item[key]
    item[where[-1]] = value
    path = _write(tmp_path, "k.json", json.dumps({"kind": "List", "items": [node, pod]}))
    _refused(path, "must be|not an object|expected|a Pod without")


@pytest.mark.parametrize("name", ["x.json", "x.jsonl", "wt2.txt"])
def test_a_byte_order_mark_loads(tmp_path, name):
    """A UTF-8 BOM in front of a valid file changes nothing (every format: see tests/fuzz)."""
    text = "1 2\n1 1\n5 5\n" if name.endswith(".txt") else json.dumps(SMTT) + "\n"
    plain = schedkit.load(_write(tmp_path, "plain_" + name, text))
    assert schedkit.load(_write(tmp_path, name, b"\xef\xbb\xbf" + text.encode())) == plain.replace(
        name=plain.name.replace("plain_", ""))


def test_numbers_and_depth_helpers():
    """ASCII digits only, within ±2^62; depth counted without recursion, strings ignored."""
    assert read_int("-42") == -42 and read_int("+7") == 7
    for bad in ("\u0663", "1_000", "0x10", "1.5", "", "4611686018427387904"):
        with pytest.raises(ValueError):
            read_int(bad)
    assert nesting_depth('{"a": ["[[[[", [1]]}') == 3
    assert nesting_depth("[" * (MAX_DEPTH + 1)) == MAX_DEPTH + 1
    assert issubclass(ParseError, SchedkitError) and issubclass(InvalidInstance, SchedkitError)


def _depth_by_hand(text: str) -> tuple[int, bool]:
    """(the deepest nesting, whether a string is left open at the end)."""
    depth = deepest = 0
    inside = escaped = False
    for character in text:
        if inside:
            escaped, inside = (False, True) if escaped else (character == "\\", character != '"')
        elif character == '"':
            inside = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    return deepest, inside


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet='[]{}"\\a ', max_size=40), chunk=st.integers(1, 7))
def test_depth_by_chunks_is_the_depth(text: str, chunk: int):
    """Summed a few characters at a time, the depth is the one a character loop finds (compared
    where every string is closed: json refuses the others whatever their depth)."""
    deepest, open_string = _depth_by_hand(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonparse, "DEPTH_CHUNK", chunk)
        assert open_string or nesting_depth(text) == deepest


def test_depth_of_a_large_text_takes_a_few_bytes_per_character():
    """8 MB of brackets: the peak is a few copies of the text (it was 17 bytes per character)."""
    text = "[1]," * 2_000_000
    tracemalloc.start()
    try:
        assert nesting_depth(text) == 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(text)


@settings(max_examples=60, deadline=None)
@given(numbers=st.lists(st.integers(-(2**64), 2**64)
                        | st.sampled_from([10**18 - 1, 10**18, 2**62 - 1, 2**62, -(2**62)]), max_size=6),
       label=st.sampled_from(["", "1234567890123456789012"]))
def test_integers_beyond_the_limit_are_refused_on_either_path(numbers: list[int], label: str):
    """Without a run of 19 digits json's own int parsing is used (no integer of 18 digits reaches
    2^62); with one, anywhere (a string too), the hook that refuses: the verdict is the same."""
    text = json.dumps({"label": label, "values": numbers})
    if any(abs(value) >= 2**62 for value in numbers):
        with pytest.raises(ParseError, match="within ±2\\^62"):
            jsonparse.parse_json(text, "x.json")
    else:
        assert jsonparse.parse_json(text, "x.json") == {"label": label, "values": numbers}


def test_a_kubectl_kind_of_the_wrong_type(tmp_path):
    """An item whose `kind` is a list (unhashable) is no kubectl list: InvalidInstance."""
    path = _write(tmp_path, "k.json", json.dumps({"kind": "List", "items": [{**NODE, "kind": []}]}))
    _refused(path, "match no family")
