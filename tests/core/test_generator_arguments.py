"""Every generator checks its arguments before drawing anything: a boolean is no number, NaN
and text are refused, counts have ceilings; one InvalidInstance naming the argument."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common.arguments import flag, number, whole
from schedkit.errors import InvalidInstance

BAD = [
    ("smtt", {"n": 10**6 + 1, "tf": 0.5, "rdd": 0.5, "seed": 0}, "n must be a whole number"),
    ("smtt", {"n": True, "tf": 0.5, "rdd": 0.5, "seed": 0}, "n must be a whole number"),
    ("smtt", {"n": 3, "tf": True, "rdd": 0.5, "seed": 0}, "tf must be a number"),
    ("smtt", {"n": 3, "tf": 0.5, "rdd": 0.5, "seed": 0, "weighted": "yes"}, "weighted must be true"),
    ("dag", {"tasks": 4, "processors": 2, "seed": 0, "out_degree": 10**30}, "out_degree"),
    ("dag", {"tasks": 4, "processors": 2, "seed": 0, "mean_cost": 10**30}, "mean_cost"),
    ("dag", {"tasks": 4, "processors": 2, "seed": 0, "shape": "x"}, "shape"),
    ("dag", {"tasks": 4, "processors": 2, "seed": 0, "beta": None}, "beta"),
    ("dag", {"tasks": 4, "processors": 2, "seed": 0, "jump": True}, "jump"),
    ("groundstation", {"satellites": 1, "seed": 0, "array_share": math.nan}, "array_share"),
    ("groundstation", {"satellites": 1, "seed": 0, "maintenance_share": 1.5}, "maintenance_share"),
    ("groundstation", {"satellites": 1, "seed": 0, "spacecraft_exclusive": "no"}, "spacecraft_exclusive"),
    ("rcpsp", {"activities": 5, "resources": 1, "seed": 0, "max_duration": math.nan}, "max_duration"),
    ("rcpsp", {"activities": 5, "resources": 1, "seed": 0, "max_demand": 1.5}, "max_demand"),
    ("rcpsp", {"activities": 5, "resources": True, "seed": 0}, "resources"),
    ("rcpsp", {"activities": 5, "resources": 10**30, "seed": 0}, "resources"),
    ("rcpsp", {"activities": 5, "resources": 1, "seed": 0, "rf": None}, "rf"),
    ("vmr", {"machines": 2.5, "utilisation": 0.5}, "machines"),
    ("vmr", {"machines": 3, "utilisation": True}, "utilisation"),
    ("vmr", {"machines": 3, "utilisation": 0.5, "anti_affinity_groups": 1.5}, "anti_affinity_groups"),
    ("vmr", {"machines": 3, "utilisation": 0.5, "migration_limit": "x"}, "migration_limit"),
    ("pods", {"nodes": 2, "pods_per_node": 2, "priorities": 10**30, "utilisation": 0.5}, "priorities"),
]


@pytest.mark.parametrize(("family", "arguments", "name"), BAD)
def test_a_bad_argument_is_refused_by_name(family, arguments, name):
    """Before this check these raised TypeError or ValueError from numpy, allocated a million-job
    instance's arrays first, or (NaN, 1.5, True) drew an instance silently."""
    with pytest.raises(InvalidInstance, match=name) as caught:
        getattr(schedkit.generate, family)(**arguments)
    assert "\n" not in str(caught.value)


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.booleans(), st.none(), st.text(max_size=3), st.floats(allow_nan=True),
                       st.integers(-10, 10)))
def test_the_checks_accept_exactly_their_kind(value):
    """whole: integers in range, no booleans; number: real, not NaN, in range; flag: booleans."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    for check, accepted in (
        (lambda: whole("x", value, 0, 5), is_number and isinstance(value, int) and 0 <= value <= 5),
        (lambda: number("x", value, 0, 1, open_low=True), is_number and 0 < value <= 1),
        (lambda: flag("x", value), isinstance(value, bool)),
    ):
        if accepted:
            check()
        else:
            with pytest.raises(InvalidInstance, match="x must be"):
                check()


@pytest.mark.parametrize(("family", "arguments"), [
    ("smtt", {"n": 4, "tf": Fraction(1, 2), "rdd": Fraction(1, 2), "seed": 0}),
    ("rcpsp", {"activities": 5, "resources": 1, "seed": 0, "rf": Fraction(1, 2), "rs": Fraction(1, 2)}),
    ("dag", {"tasks": 4, "processors": 2, "seed": 0, "shape": Fraction(1), "ccr": Fraction(1),
             "beta": Fraction(1, 2)}),
    ("dag", {"tasks": np.int64(4), "processors": np.int8(2), "seed": 0, "beta": np.float32(0.5)}),
])
def test_a_checked_argument_is_used_as_the_number_it_was_checked_as(family, arguments):
    """The generators checked tf=Fraction(1, 2) as a number and then used the Fraction itself:
    TypeError from an f-string format or numpy's rint. The checked float (or int) is used."""
    getattr(schedkit.generate, family)(**arguments)


def test_serving_workload_that_is_no_text():
    """workload=["swe"] raised TypeError: unhashable type: 'list'."""
    with pytest.raises(InvalidInstance, match="workload"):
        schedkit.generate.serving(3, workload=["swe"])
