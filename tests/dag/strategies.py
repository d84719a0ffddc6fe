"""Hypothesis strategies for small DAG instances: zero costs, zero and large communication,
tasks numbered against the topological order, optionally a network (bandwidth, latency)."""

from __future__ import annotations

from hypothesis import strategies as st

from schedkit.dag.model import DAGInstance


@st.composite
def dag_instances(draw: st.DrawFn, max_tasks: int = 7, max_processors: int = 3,
                  network: bool | None = None, processors: int | None = None,
                  identical: bool = False) -> DAGInstance:
    """n <= max_tasks tasks on p processors; edges i -> j (i < j in a random relabelling).
    `identical`: every processor costs the same and the network (if any) is uniform."""
    n = draw(st.integers(1, max_tasks))
    p = processors if processors is not None else draw(st.integers(1, max_processors))
    if identical:
        cost = [[c] * p for c in draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))]
    else:
        cost = draw(st.lists(st.lists(st.integers(0, 9), min_size=p, max_size=p),
                             min_size=n, max_size=n))
    label = draw(st.permutations(range(n)))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2 * n)) if pairs else []
    edges = [(label[i], label[j]) for i, j in chosen]
    data = draw(st.lists(st.integers(0, 12), min_size=len(edges), max_size=len(edges)))
    use_network = draw(st.booleans()) if network is None else network
    bandwidth = latency = None
    if use_network and identical:
        speed, delay = draw(st.integers(1, 3)), draw(st.integers(0, 2))
        bandwidth = [[speed] * p for _ in range(p)]
        latency = [delay] * p
    elif use_network:
        bandwidth = draw(st.lists(st.lists(st.integers(1, 3), min_size=p, max_size=p),
                                  min_size=p, max_size=p))
        latency = draw(st.lists(st.integers(0, 2), min_size=p, max_size=p))
    return DAGInstance(cost=cost, edges=edges or None, data=data or None, bandwidth=bandwidth,
                       latency=latency, name="hypothesis")
