"""HEFT's mean edge delay sums the processor pairs by bandwidth group: the same value as the
pair-by-pair mean, with few bandwidths or with more than the groups hold."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.dag.heuristics import kernels


def _pair_by_pair(data: np.ndarray, bw: np.ndarray, lat: np.ndarray) -> np.ndarray:
    p = lat.size
    if p == 1:
        return np.zeros(data.size)
    totals = [sum(int(lat[k]) + -(-int(x) // int(bw[k, to])) for k in range(p) for to in range(p) if k != to)
              for x in data.tolist()]
    return np.array([t / (p * (p - 1)) for t in totals], dtype=np.float64)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10), st.integers(1, 200), st.integers(0, 5), st.data())
def test_grouped_mean_equals_the_pair_by_pair_mean(p: int, speeds: int, latency: int,
                                                   data: st.DataObject) -> None:
    bw = np.array(data.draw(st.lists(st.integers(1, speeds), min_size=p * p, max_size=p * p)),
                  dtype=np.int64).reshape(p, p)
    lat = np.array(data.draw(st.lists(st.integers(0, latency), min_size=p, max_size=p)), dtype=np.int64)
    sizes = np.array(data.draw(st.lists(st.integers(0, 10**9), max_size=8)), dtype=np.int64)
    never = np.zeros(1, np.uint8)  # a stop flag never raised
    expected = _pair_by_pair(sizes, bw, lat)
    np.testing.assert_array_equal(kernels.average_delays(sizes, bw, lat, never), expected)
