"""Affinity's Gt and Lt read numbers as Kubernetes does (strconv.ParseInt, base 10, int64): a
label such as `1_000` or a 20-digit value is no number, so the node does not match, and a
requirement whose value is no such number is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import schedkit
from schedkit.errors import InvalidInstance
from schedkit.pods.check import check
from schedkit.pods.model import Node, Pod, PodsInstance, PodsSolution, Requirement

NOT_INT64 = ["1_000", " 7", "7 ", "\t7", "٣", "７", "0x10", "1e3", "", "+", "-", "9223372036854775808",
             "-9223372036854775809", "99999999999999999999"]
INT64 = ["7", "+7", "-7", "007", "9223372036854775807", "-9223372036854775808"]


def _cluster(label: str, operator: str = "Gt", limit: str = "5") -> PodsInstance:
    node = Node("a", cpu=1000, memory=1000, labels={"gen": label})
    pod = Pod("p", cpu=10, memory=10, affinity=((Requirement("gen", operator, (limit,)),),))
    return PodsInstance(nodes=(node,), pods=(pod,))


@pytest.mark.parametrize("label", NOT_INT64)
@pytest.mark.parametrize("operator", ["Gt", "Lt"])
def test_a_label_that_is_no_int64_never_matches(label, operator):
    """Neither the model nor the checker reads `1_000` as 1000 (the pod would go where
    Kubernetes never puts it)."""
    instance = _cluster(label, operator, "5")
    assert not instance.eligible[0, 0]
    value, violations = check(instance, PodsSolution({"default/p": "a"}).to_dict())
    assert value is None and violations


@pytest.mark.parametrize("limit", NOT_INT64)
def test_a_limit_that_is_no_int64_is_refused(limit):
    with pytest.raises(InvalidInstance, match="one integer value"):
        Requirement("gen", "Gt", (limit,))


@pytest.mark.parametrize("text", INT64)
def test_int64_text_is_read(text):
    """Signs and leading zeros are numbers, to the ends of int64."""
    number = int(text)
    assert _cluster(text, "Gt", "0").eligible[0, 0] == (number > 0)
    assert _cluster(text, "Lt", "-0").eligible[0, 0] == (number < 0)
    assert not _cluster(text, "Gt", text).eligible[0, 0]


@given(st.integers(-(2**63), 2**63 - 1), st.integers(-(2**63), 2**63 - 1), st.sampled_from(["Gt", "Lt"]))
def test_model_and_checker_agree_on_numbers(label, limit, operator):
    instance = _cluster(str(label), operator, str(limit))
    holds = label > limit if operator == "Gt" else label < limit
    assert bool(instance.eligible[0, 0]) == holds
    value, _ = check(instance, PodsSolution({"default/p": "a"}).to_dict())
    assert (value is not None) == holds


def test_file_with_an_underscore_limit_is_refused(tmp_path):
    """From a file: one line naming the expression, not a silent 99."""
    path = tmp_path / "c.json"
    path.write_text('{"family": "pods", "nodes": [{"name": "a", "cpu": 1, "memory": 1}], "pods": '
                    '[{"name": "p", "affinity": [[{"key": "g", "operator": "Lt", "values": ["9_9"]}]]}]}')
    with pytest.raises(InvalidInstance, match="affinity .g. Lt needs one integer value"):
        schedkit.load(path)


@pytest.mark.parametrize("text", ["0" * 5000 + "7", "7" * 5000, "+-7", "--7", "+"])
def test_long_or_odd_labels(text):
    """Leading zeros are fine at any length; 5,000 digits are no int64 (and no int() error)."""
    instance = _cluster(text, "Gt", "5")
    assert bool(instance.eligible[0, 0]) == (text == "0" * 5000 + "7")
    value, _ = check(instance, PodsSolution({"default/p": "a"}).to_dict())
    assert (value is not None) == (text == "0" * 5000 + "7")
