"""Hypothesis strategies for small (flexible) job shops with optional release dates and due dates."""

from __future__ import annotations

from hypothesis import strategies as st

from schedkit.jobshop.model import JobShopInstance


@st.composite
def jobshops(draw: st.DrawFn, max_jobs: int = 4, max_machines: int = 3, max_ops: int = 3,
             flexible: bool | None = None, extras: bool = True) -> JobShopInstance:
    """Up to `max_jobs` jobs of 1..`max_ops` operations, durations 0..9 (ties and zero-length
    operations likely), machines revisited, alternatives when flexible; sometimes release
    dates, due dates, weights and another objective."""
    m = draw(st.integers(1, max_machines))
    n = draw(st.integers(1, max_jobs))
    flex = draw(st.booleans()) if flexible is None else flexible
    jobs = []
    for _ in range(n):
        ops = []
        for _ in range(draw(st.integers(1, max_ops))):
            count = draw(st.integers(1, m)) if flex else 1
            machines = draw(st.permutations(range(m)))[:count]
            ops.append([(x, draw(st.integers(0, 9))) for x in machines])
        jobs.append(ops)
    fields: dict = {}
    if extras and draw(st.booleans()):
        fields["release"] = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    if extras and draw(st.booleans()):
        fields["due"] = draw(st.lists(st.integers(-5, 30), min_size=n, max_size=n))
        fields["weight"] = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
        fields["objective"] = draw(st.sampled_from(["makespan", "weighted_tardiness", "flow_time"]))
    return JobShopInstance.from_jobs(jobs, m, name="hypothesis", **fields)
