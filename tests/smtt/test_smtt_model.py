"""SMTT model validation: every rule the constructor enforces, named in its message."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import InvalidInstance, SMTTInstance


def test_defaults_weights_to_one_and_freezes_arrays():
    """Absent weights become 1; arrays are read-only so an instance cannot change after checks."""
    instance = SMTTInstance(p=[3, 1], d=[2, 5])
    assert instance.w.tolist() == [1, 1]
    assert not instance.weighted
    with pytest.raises(ValueError):
        instance.p[0] = 7


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"p": [3, -1], "d": [1, 2]}, "p[1] = -1"),
        ({"p": [3, 0], "d": [1, 2]}, "p[1] = 0"),
        ({"p": [3, 2], "d": [1]}, "d has 1 entries"),
        ({"p": [3, 2], "d": [1, 2], "w": [1, -2]}, "w[1] = -2"),
        ({"p": [3, 2.5], "d": [1, 2]}, "p[1] = 2.5 is not an integer"),
        ({"p": [], "d": []}, "at least one job"),
        ({"p": ["a"], "d": [1]}, "must hold integers"),
        ({"p": [10**10], "d": [1]}, "exceeds the limit"),
        ({"p": [[1, 2]], "d": [1]}, "flat list"),
    ],
)
def test_rejects_invalid_data_naming_the_rule(fields, message):
    """Negative or fractional times, length mismatches, absurd sizes: InvalidInstance that says so."""
    with pytest.raises(InvalidInstance, match=message.replace("[", r"\[").replace("]", r"\]")):
        SMTTInstance(**fields)


def test_integral_floats_are_accepted_and_negative_due_dates_allowed():
    """2.0 is the integer 2; due dates may be negative (the job is late from the start)."""
    instance = SMTTInstance(p=np.array([2.0, 3.0]), d=[-4, 0])
    assert instance.p.dtype == np.int64 and instance.p.tolist() == [2, 3]


def test_replace_revalidates():
    """replace() builds a new instance through the same checks."""
    instance = SMTTInstance(p=[3, 1], d=[2, 5])
    assert instance.replace(d=[9, 9]).d.tolist() == [9, 9]
    with pytest.raises(InvalidInstance):
        instance.replace(p=[0, 1])


def test_result_refuses_unproven_optimal():
    """A Result cannot say 'optimal' unless its bound equals its objective."""
    with pytest.raises(ValueError, match="needs a proof"):
        schedkit.Result(status="optimal", objective=10, bound=9)
    assert schedkit.Result(status="feasible", objective=10, bound=8).gap == pytest.approx(0.2)


def test_refuses_an_objective_beyond_int64_arithmetic():
    """Two jobs within every field limit whose weighted tardiness (about 2·10^21) would wrap
    around in the kernels' int64 sums: refused, naming the limit, instead of a wrong objective."""
    with pytest.raises(InvalidInstance, match="could reach 2e\\+21"):
        SMTTInstance(p=[10**9, 10**9], d=[-(10**15), -(10**15)], w=[10**6, 10**6])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 4), p=st.integers(1, 10**9) | st.just(10**9),
       d=st.integers(-(10**15), 10**15) | st.sampled_from([-(10**15), -(10**12), 0]),
       w=st.integers(0, 10**6) | st.just(10**6))
def test_any_accepted_instance_solves_to_its_checked_objective(n, p, d, w):
    """Near the field limits an instance is either refused or solved with an objective the
    checker recomputes exactly (no silent int64 overflow in the rules)."""
    try:
        instance = SMTTInstance(p=[p] * n, d=[d] * n, w=[w] * n)
    except InvalidInstance as error:
        assert "could reach" in str(error)
        return
    result = schedkit.solve(instance, "edd", workers=1)
    assert schedkit.check(instance, result).feasible
