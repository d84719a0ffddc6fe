"""Hypothesis strategies for SMTT instances with ties, zero/negative and far due dates."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import schedkit


@st.composite
def smtt_instances(draw: st.DrawFn, max_jobs: int = 8, weighted: bool | None = None) -> schedkit.SMTTInstance:
    """Small instances: p in 1..20 (ties likely), d from -10 to beyond Σp, w in 0..5."""
    n = draw(st.integers(1, max_jobs))
    p = draw(st.lists(st.integers(1, 20), min_size=n, max_size=n))
    total = sum(p)
    d = draw(st.lists(st.one_of(st.integers(-10, total + 10), st.sampled_from([0, total])),
                      min_size=n, max_size=n))
    use_weights = draw(st.booleans()) if weighted is None else weighted
    w = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)) if use_weights else None
    return schedkit.SMTTInstance(p=p, d=d, w=w, name="hypothesis")


def seeded_weighted(rng: np.random.Generator, sizes: tuple[int, int], p_max: int
                    ) -> schedkit.SMTTInstance:
    """A weighted instance of a random size in [sizes), p in [1, p_max), due dates within
    0.7 of the total processing time, weights in [1, 10)."""
    n = int(rng.integers(*sizes))
    p = rng.integers(1, p_max, n)
    return schedkit.SMTTInstance(p=p, d=rng.integers(0, int(0.7 * p.sum()), n),
                                 w=rng.integers(1, 10, n))
