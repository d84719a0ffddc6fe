"""Random small traces on random small servers: every method's log passes the checker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.serving.model import Server, Turn, build_instance

METHODS = [m.name for m in schedkit.methods("serving")]

turn = st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from(["a", "b"]),
                 st.floats(0, 3, allow_nan=False))
program = st.tuples(st.floats(0, 5, allow_nan=False), st.lists(turn, min_size=1, max_size=4))


@st.composite
def instances(draw):
    programs = draw(st.lists(program, min_size=1, max_size=5))
    entries = []
    for k, (arrival, turns) in enumerate(programs):
        chain = [Turn(p, o, tool, round(s, 3)) for p, o, tool, s in turns[:-1]]
        chain.append(Turn(turns[-1][0], turns[-1][1]))
        entries.append((str(k), round(arrival, 3), chain))
    need = max(sum(t.prompt_tokens + t.output_tokens for t in chain) for _, _, chain in entries)
    batch = draw(st.integers(1, 4))
    offload = draw(st.sampled_from([0, need, 3 * need]))
    server = Server(name="random", kv_capacity=need + draw(st.integers(0, 2 * need)),
                    token_budget=batch + draw(st.integers(0, 40)), max_batch=batch,
                    a=draw(st.sampled_from([0.0, 0.01])), b=0.001, c=0.002, e=1e-5,
                    offload_capacity=offload, offload_bandwidth=1000.0 if offload else 0.0)
    return build_instance(entries, server)


@settings(max_examples=25, deadline=None)
@given(instances())
def test_every_method_log_passes_the_checker(instance):
    """Tight memory, small batches, offload or not: every policy serves every token, within
    capacity, and the checker recomputes the claimed mean JCT."""
    for method in METHODS:
        result = schedkit.solve(instance, method)
        report = schedkit.check(instance, result)
        assert report.feasible, (method, report.violations[:3])
