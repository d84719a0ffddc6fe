"""Batches paced by measured time (common/pacing.py): a batch never aims past the time left,
whatever a slow (loaded) machine makes one item cost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.common.pacing import AIM_SECONDS, GROWTH, Pacer


def test_the_first_batch_is_one_item():
    """Nothing timed yet: one item, to learn the pace."""
    assert Pacer(100).size(10.0) == 1


@settings(max_examples=200, deadline=None)
@given(cap=st.integers(1, 500), last=st.integers(1, 500),
       per_item=st.floats(1e-7, 1.0), remaining=st.floats(0.0, 5.0))
def test_a_batch_fits_the_time_left(cap: int, last: int, per_item: float, remaining: float):
    """0 when one item does not fit; else at most cap and GROWTH times the last batch, and
    (past one item) no longer than min(aim, time left) at the measured pace."""
    pacer = Pacer(cap)
    pacer.record(last, last * per_item)
    size = pacer.size(remaining)
    assert pacer.per_item is not None
    per_item = pacer.per_item
    if per_item > remaining:
        assert size == 0
    else:
        assert 1 <= size <= min(cap, GROWTH * last)
        assert size == 1 or size * per_item <= min(AIM_SECONDS, remaining) * (1 + 1e-9)


def test_a_slower_batch_shrinks_the_next():
    """A batch twice as slow per item as the last one halves the next."""
    pacer = Pacer(1000)
    pacer.record(100, 0.05)
    quick = pacer.size(10.0)
    pacer.record(100, 0.10)
    assert pacer.size(10.0) * 2 <= quick + 1
