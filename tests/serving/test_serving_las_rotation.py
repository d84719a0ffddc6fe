"""las on a preemptive server while programs take turns (rotation.py): a run of iterations whose
batch changes every iteration is advanced to the next event at once and logged as one row. The
same turns, cache events and mean JCT as choosing and logging every iteration, and as the code
before it (digests pinned from it on generated traces with binary-fraction costs: every sum exact)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.serving.heuristics import kernel
from schedkit.serving.heuristics import simulate as serving_simulate
from schedkit.serving.model import Server, Turn, build_instance
from tests.serving.test_serving_event_steps import TURN_FIELDS, _runs, _twin, never, one

BINARY = Server(name="binary-preemptive", kv_capacity=10**9, token_budget=64, max_batch=4,
                a=2.0**-7, b=2.0**-15, c=2.0**-12, e=2.0**-24, preemptive=True)
LOGS = (*TURN_FIELDS, "event_time", "event_program", "event_gpu", "event_kind")
# (workload, programs, load, seed): the log digest and mean JCT (float.hex) before rotations
PINNED = {("bfcl", 40, 1.5, 1): ("8edd454d7b0c9e90", "0x1.ef23c4edbcdf2p+2"),
          ("swe", 12, 1.2, 2): ("37b7e44672dc81bc", "0x1.485b1e3b7c857p+7"),
          ("bfcl", 60, 3.0, 3): ("746f5bf12b4cc29d", "0x1.171bbc547c8ffp+4")}

# bundled trace, on a preemptive copy of its server (10^9 KV tokens): las's log digest and mean JCT,
# from the code before requests waiting above the band could be new or prefilling (main 58766b7)
BUNDLED = {("swe-8", False): ("e098d91237519a2a", "0x1.54775e3f2b201p+6"),
           ("swe-8", True): ("1c1c67d19d11e1db", "0x1.54775e3f2b201p+6"),
           ("bfcl-30", False): ("c686154fa6a852f3", "0x1.c4fe4f3da05e1p-1"),
           ("bfcl-30", True): ("6af168395071ea75", "0x1.c4fe4f3da05e1p-1")}
TRACES = Path(__file__).resolve().parents[2] / "instances" / "serving"


def _digest(log: dict) -> str:
    digest = hashlib.sha256()
    for key in LOGS:
        digest.update(repr(log[key]).encode())
    return digest.hexdigest()[:16]


def test_generated_traces_keep_the_logs_of_the_code_before():
    """Three generated traces on a binary-fraction preemptive server: the per-turn and cache-event
    logs and the mean JCT are bit for bit those of the simulator stepping each rotation."""
    for (workload, programs, load, seed), (digest, jct) in PINNED.items():
        x = schedkit.generate.serving(programs, workload, load=load, seed=seed, server=BINARY)
        result = schedkit.solve(x, "las")
        assert (_digest(result.solution.to_dict()), result.objective.hex()) == (digest, jct), workload
        assert schedkit.check(x, result).feasible


def test_bundled_traces_keep_the_logs_of_the_code_before():
    """swe-8 and bfcl-30 under las, on their server and on a preemptive copy: the same logs and
    mean JCT bit for bit as before rotations could pass requests waiting while they prefill."""
    for (name, preemptive), (digest, jct) in BUNDLED.items():
        x = schedkit.load(TRACES / f"{name}.jsonl")
        if preemptive:
            server = dataclasses.replace(x.server, preemptive=True, kv_capacity=10**9)
            x = dataclasses.replace(x, server=server)
        result = schedkit.solve(x, "las")
        found = (_digest(result.solution.to_dict()), result.objective.hex())
        assert found == (digest, jct), (name, preemptive)


def _preemptive_server(draw, name: str) -> Server:
    """A preemptive server of batch 1-3 with binary-fraction costs (every sum exact)."""
    batch = draw(st.integers(1, 3))
    return Server(name=name, kv_capacity=10**6, token_budget=batch + draw(st.integers(0, 4)),
                  max_batch=batch, a=draw(st.sampled_from([0.0, 0.25])), b=0.25,
                  c=draw(st.sampled_from([2.0**-4, 0.25])), e=draw(st.sampled_from([0.0, 2.0**-12])),
                  preemptive=True)


def _served_as_stepped(instance) -> None:
    """`las` with its rotations logs what the kernel's Python twin logs choosing every iteration;
    each row is its iterations' rows merged."""
    policy = serving_simulate.Policy("las", "drop")
    fast = serving_simulate.solution_of(serving_simulate.run_kernel(instance, policy)).to_dict()
    slow = serving_simulate.solution_of(serving_simulate.run_kernel(
        instance, policy, _twin(kernel.simulate, {"_steps": one, "rotation_plan": never}))).to_dict()
    for key in LOGS:
        assert fast[key] == slow[key], key
    assert _runs(np.asarray(fast["rows"]), np.asarray(slow["rows"]))


@st.composite
def taking_turns(draw):
    """3-6 single- or two-turn programs decoding long on a preemptive server of batch 1-3:
    more programs than places, so that they take turns."""
    programs = []
    for k in range(draw(st.integers(3, 6))):
        turns = [Turn(draw(st.integers(0, 3)), draw(st.integers(1, 300)), "t", draw(st.integers(0, 8)) / 4)
                 for _ in range(draw(st.integers(0, 1)))]
        turns.append(Turn(draw(st.integers(0, 3)), draw(st.integers(1, 300))))
        programs.append((str(k), draw(st.integers(0, 12)) / 8, turns))
    return build_instance(programs, _preemptive_server(draw, "turns"))


@settings(max_examples=40, deadline=None)
@given(taking_turns())
def test_rotations_serve_each_turn_as_iteration_by_iteration(instance):
    """Against the kernel's Python twin choosing and logging every iteration: the same logs and
    JCT; each row is its iterations' rows merged (same batch size, times, context read)."""
    _served_as_stepped(instance)


def test_two_long_decodes_taking_turns_make_a_few_rows():
    """Two programs decoding 10^6 tokens each, turn about on a batch of one: 2·10^6 iterations
    were 2·10^6 rows (10^8 tokens ran out of memory); now a row per prefill token and rotation."""
    server = Server(name="degenerate", kv_capacity=10**9, token_budget=1, max_batch=1, a=0.0, b=1.0, c=1.0,
                    e=0.0, preemptive=True)
    x = build_instance([(k, 0.0, [Turn(10, 10**6)]) for k in ("a", "b")], server, name="pair")
    result = schedkit.solve(x, "las")
    assert len(result.solution.rows) < 50 and result.stats["iterations"] == 2 * 10**6 + 20
    assert result.objective == (2 * 10**6 + 19 + 2 * 10**6 + 20) / 2  # a ends one iteration before b
    assert schedkit.check(x, result).feasible


@st.composite
def preempted_prefills(draw):
    """1-2 programs with long prompts from time 0, then 2-4 decoding programs arriving while they
    prefill, on a preemptive server of batch 1-3: the prefills wait above the decodes taking turns."""
    programs = [(f"p{k}", 0.0, [Turn(draw(st.integers(20, 200)), draw(st.integers(1, 5)))])
                for k in range(draw(st.integers(1, 2)))]
    for k in range(draw(st.integers(2, 4))):
        programs.append((f"d{k}", draw(st.integers(1, 16)) / 4, [Turn(draw(st.integers(0, 2)),
                                                                      draw(st.integers(1, 60)))]))
    return build_instance(programs, _preemptive_server(draw, "prefills"))


@settings(max_examples=30, deadline=None)
@given(preempted_prefills())
def test_rotations_above_a_waiting_prefill_serve_each_turn_as_iteration_by_iteration(instance):
    """Requests prefilling (or new) wait above the band: the runs serve what stepping each
    iteration serves, as with decodes alone (binary-fraction costs: every sum exact)."""
    _served_as_stepped(instance)


def test_a_prefill_preempted_by_decodes_taking_turns_makes_a_few_rows():
    """A 10^5-token prompt prefills one token a second; at 5·10^4 s two programs arrive to decode
    2·10^4 tokens each, in turns, while it waits half prefilled above them. Every waiting request
    had to decode for a rotation: 40,003 rows, a row per iteration of theirs; now a few."""
    server = Server(name="degenerate", kv_capacity=10**9, token_budget=1, max_batch=1, a=0.0, b=1.0, c=1.0,
                    e=0.0, preemptive=True)
    prompt, arrive, output = 10**5, 5 * 10**4, 2 * 10**4
    x = build_instance([("big", 0.0, [Turn(prompt, 1)]), ("x", float(arrive), [Turn(0, output)]),
                        ("y", float(arrive), [Turn(0, output)])], server, name="preempted-prefill")
    result = schedkit.solve(x, "las")
    assert len(result.solution.rows) < 50 and result.stats["iterations"] == prompt + 2 * output + 1
    # x ends one iteration before y, then big prefills the rest and decodes its token
    assert result.objective == pytest.approx((2 * output - 1 + 2 * output + prompt + 2 * output + 1) / 3,
                                             rel=1e-15)
    assert schedkit.check(x, result).feasible
