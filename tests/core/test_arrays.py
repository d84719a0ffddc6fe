"""The one integer reader behind every model's arrays."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.common.arrays import integer_array
from schedkit.errors import InvalidInstance


@pytest.mark.parametrize("values, ndim, match", [
    ([1, 2.5], 1, r"x\[1\] = 2.5 is not an integer"),
    ([[1, 2], [3, 4.5]], 2, r"x\[1, 1\] = 4.5 is not an integer"),
    ([1, float("nan")], 1, "not finite"),
    ([True, False], 1, r"x\[0\] = true: a boolean is not a number"),
    ([1, True], 1, r"x\[1\] = true: a boolean is not a number"),
    (["a"], 1, "must hold integers"),
    ([[1, 2], [3]], 2, "ragged"),
    ([[1, 2]], 1, "flat list"),
    ([1, 2], 2, "2-D array"),
    ([1, 11], 1, r"x\[1\] = 11 exceeds the limit ±10"),
])
def test_bad_values_are_named_with_their_index(values, ndim, match):
    """Fractions, NaN, booleans, text, ragged rows, wrong shapes and oversized values each
    raise InvalidInstance saying which entry breaks which rule (never a silent rounding)."""
    with pytest.raises(InvalidInstance, match=match):
        integer_array("x", values, ndim, limit=10)


def test_integral_floats_and_empty_rows_are_read():
    """3.0 reads as 3; an empty list becomes an empty array of the asked dimensions; the
    result is int64 and read-only."""
    array = integer_array("x", [1, 3.0, -2])
    assert array.tolist() == [1, 3, -2] and array.dtype == np.int64 and not array.flags.writeable
    assert integer_array("x", [], 2).shape == (0, 0)


@pytest.mark.parametrize("values, match", [
    ([1, 2**70], r"x\[1\] = 1180591620717411303424 exceeds the limit"),  # was 'got object values'
    ([1, -(2**70)], r"x\[1\] = -1180591620717411303424 exceeds the limit"),
    ([1, None], r"x\[1\] = None is not an integer"),
    ([2**62 + 1], r"x\[0\] = 4611686018427387905 exceeds the limit"),  # passed: 2**62 as a float
    (np.array([2**62 + 1], dtype=np.uint64), r"x\[0\] = 4611686018427387905 exceeds the limit"),
])
def test_integers_beyond_the_limit_are_compared_exactly(values, match):
    """A list holding a Python int beyond int64 said 'must hold integers, got object values', and
    2**62 + 1 passed the limit 2**62 because the check compared float64 values."""
    with pytest.raises(InvalidInstance, match=match):
        integer_array("x", values, 1, limit=2**62)


def test_an_object_array_of_integers_is_read():
    """np.array([3, 2], dtype=object) and a list of numpy integers are integers."""
    assert integer_array("x", np.array([3, 2], dtype=object)).tolist() == [3, 2]
    assert integer_array("x", [np.int8(3), np.uint64(2)]).tolist() == [3, 2]
