"""Hypothesis strategies for small clusters: a few nodes, running and pending pods, priorities,
taints and selectors, immovable pods; the running pods always fit their nodes."""

from __future__ import annotations

from hypothesis import strategies as st

from schedkit.pods.model import Node, Pod, PodsInstance, Taint, Toleration


@st.composite
def clusters(draw: st.DrawFn, max_nodes: int = 3, max_pods: int = 7) -> PodsInstance:
    """A valid cluster: nodes with 1000-4000m, 1-4 GiB-ish memory units, 1-4 slots."""
    n_nodes = draw(st.integers(1, max_nodes))
    nodes = []
    for i in range(n_nodes):
        tainted = draw(st.booleans()) and i > 0
        nodes.append(
            Node(
                name=f"n{i}",
                cpu=draw(st.integers(1, 8)) * 500,
                memory=draw(st.integers(1, 8)) * 100,
                max_pods=draw(st.integers(1, 4)),
                unschedulable=draw(st.integers(0, 5)) == 0,
                labels={"zone": draw(st.sampled_from(["a", "b"]))},
                taints=(Taint("dedicated", "x", "NoSchedule"),) if tainted else (),
            )
        )
    used = {n.name: [0, 0, 0] for n in nodes}
    pods = []
    for j in range(draw(st.integers(1, max_pods))):
        cpu = draw(st.integers(0, 6)) * 250
        memory = draw(st.integers(0, 6)) * 50
        node = draw(st.sampled_from([None, *used]))
        if node is not None:
            limit = next(n for n in nodes if n.name == node)
            u = used[node]
            if u[0] + cpu > limit.cpu or u[1] + memory > limit.memory or u[2] + 1 > limit.max_pods:
                node = None
            else:
                u[0] += cpu
                u[1] += memory
                u[2] += 1
        pods.append(
            Pod(
                name=f"p{j}",
                cpu=cpu,
                memory=memory,
                priority=draw(st.sampled_from([0, 1, 5])),
                node=node,
                movable=draw(st.integers(0, 3)) > 0,
                order=j,
                node_selector={"zone": "a"} if draw(st.integers(0, 4)) == 0 else {},
                tolerations=(Toleration("dedicated", "Equal", "x", "NoSchedule"),)
                if draw(st.booleans())
                else (),
            )
        )
    return PodsInstance(nodes=tuple(nodes), pods=tuple(pods), name="hypothesis")
