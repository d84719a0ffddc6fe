"""Hypothesis strategies for random RCPSP projects (small, so exact methods finish at once)."""

from __future__ import annotations

from hypothesis import strategies as st

from schedkit.rcpsp.model import RCPSPInstance


@st.composite
def projects(draw: st.DrawFn, max_activities: int = 8, max_resources: int = 2) -> RCPSPInstance:
    """Up to `max_activities` activities (durations 0..5) with forward arcs only (so acyclic),
    demands within capacities 1..6, in no particular shape (no dummies required)."""
    n = draw(st.integers(1, max_activities))
    k = draw(st.integers(0, max_resources))
    durations = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    successors = [sorted(draw(st.sets(st.integers(i + 1, n - 1), max_size=3))) if i < n - 1 else []
                  for i in range(n)]
    capacities = draw(st.lists(st.integers(1, 6), min_size=k, max_size=k))
    demands = [[draw(st.integers(0, c)) for c in capacities] for _ in range(n)]
    return RCPSPInstance(durations, successors, capacities, demands, name="random")
