"""`PodsInstance.allowed_pairs` (what `auto` sizes cpsat by) counts exactly the pairs of the
`allowed()` matrix, without building it."""

from __future__ import annotations

from hypothesis import given, settings

from schedkit.pods.generate import pods
from schedkit.pods.model import PodsInstance
from tests.pods.strategies import clusters


@settings(max_examples=60, deadline=None)
@given(clusters())
def test_allowed_pairs_counts_the_allowed_matrix(instance: PodsInstance) -> None:
    assert instance.allowed_pairs() == int(instance.allowed().sum())


def test_allowed_pairs_on_a_generated_cluster() -> None:
    instance = pods(40, 10, 3, 0.95, 2)
    assert instance.allowed_pairs() == int(instance.allowed().sum())
