"""The serving checker reads a log's lists with numpy where it can: it must accept and refuse
exactly what the element-by-element reading does."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.serving.check import LIMIT, _is_number, _numbers, _rows
from schedkit.serving.model import ROW_FIELDS


def _plain(values: list, whole: bool) -> np.ndarray | None:
    """The reference: every element through _is_number."""
    if not all(_is_number(v, whole) for v in values):
        return None
    return np.asarray(values, dtype=np.float64)


EDGES = [0, 1, -1, LIMIT - 1, -(LIMIT - 1), LIMIT, -LIMIT, 2**63, 2**70, 0.5, -0.0, 2.0, 1e300,
         float(LIMIT), float("nan"), float("inf"), True, False, np.int64(3), np.float64(2.5)]
ELEMENTS = st.one_of(st.integers(-(2**64), 2**64), st.floats(allow_nan=True, allow_infinity=True),
                     st.sampled_from(EDGES))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.integers(-(2**64), 2**64), max_size=6),
                 st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=6),
                 st.lists(ELEMENTS, max_size=6)), st.booleans())
def test_numbers_read_as_one_at_a_time(values: list, whole: bool) -> None:
    got, want = _numbers(values, whole), _plain(values, whole)
    assert (got is None) == (want is None)
    if want is not None:
        np.testing.assert_array_equal(got, want)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0, 1.5, 7, True, float("nan")]), min_size=7, max_size=9),
                max_size=4))
def test_rows_read_as_one_at_a_time(rows: list) -> None:
    width = len(ROW_FIELDS)
    plain = [_plain(row, False) for row in rows]
    fine = all(row is not None and len(row) == width for row in plain)
    got = _rows(rows)
    assert (got is not None) == fine
    if fine:
        np.testing.assert_array_equal(got, np.array(plain, dtype=np.float64).reshape(len(rows), width))
