"""Hypothesis draws hostile but plausible Python values (numpy arrays of odd dtypes and shapes,
booleans, NaN, huge ints, text, None, numpy scalars) into one field of each family's
constructor, solution type or `solve` argument: the call succeeds or raises a SchedkitError,
never a TypeError, ValueError, IndexError or numpy error from inside."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.errors import SchedkitError

SCALARS = st.sampled_from([
    0, 1, 3, -1, -0.0, 2.5, 3.0, True, False, np.True_, np.nan, np.inf, 2**70, -(2**70), 2**62 + 1,
    "3", "", None, b"3", np.int8(3), np.uint64(2**63), np.float32(2.5), np.float64(3), Fraction(3),
    Decimal("3"), 1 + 0j, (), [], {}, {3},
])
DTYPES = st.sampled_from([np.int8, np.int64, np.uint64, np.float16, np.float64, np.bool_, object, np.str_])


@st.composite
def hostile(draw: st.DrawFn, length: int) -> object:
    """A scalar, a list of scalars, a numpy array of some dtype and shape, or a nested list."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(SCALARS)
    if kind == 1:
        return draw(st.lists(SCALARS, min_size=0, max_size=length + 1))
    if kind == 2:
        values = draw(st.lists(st.integers(-3, 2 * length), min_size=length, max_size=length))
        array = np.array(values).astype(draw(DTYPES))
        return array.reshape(1, -1) if draw(st.booleans()) else array
    if kind == 3:
        return [draw(st.lists(SCALARS, max_size=3)) for _ in range(length)]
    return tuple(draw(st.lists(st.integers(0, length), min_size=length, max_size=length)))


SMTT = schedkit.SMTTInstance(p=[3, 2, 4], d=[2, 4, 5], w=[1, 2, 3])
SHOP = schedkit.JobShopInstance.from_jobs([[(0, 3), (1, 2)], [(1, 4), (0, 1)]])
PROJECT = schedkit.RCPSPInstance([0, 3, 2, 0], [[1, 2], [3], [3], []], [4], [[0], [2], [3], [0]])
GRAPH = schedkit.DAGInstance([[2, 3], [4, 1], [3, 3]], [(0, 1), (0, 2)], data=[5, 6])

BUILDERS = {
    "smtt.p": lambda v: SMTT.replace(p=v), "smtt.d": lambda v: SMTT.replace(d=v),
    "smtt.w": lambda v: SMTT.replace(w=v), "smtt.meta": lambda v: SMTT.replace(meta=v),
    "jobshop.machines": lambda v: SHOP.replace(machines=v),
    "jobshop.release": lambda v: SHOP.replace(release=v),
    "jobshop.from_jobs": lambda v: schedkit.JobShopInstance.from_jobs(v),
    "jobshop.objective": lambda v: SHOP.replace(objective=v),
    "rcpsp.durations": lambda v: PROJECT.replace(durations=v),
    "rcpsp.successors": lambda v: PROJECT.replace(successors=v),
    "rcpsp.demands": lambda v: PROJECT.replace(demands=v),
    "rcpsp.lags": lambda v: PROJECT.replace(lags=v),
    "dag.cost": lambda v: GRAPH.replace(cost=v), "dag.edges": lambda v: GRAPH.replace(edges=v),
    "dag.task_ids": lambda v: GRAPH.replace(task_ids=v),
    "dag.bandwidth": lambda v: GRAPH.replace(bandwidth=v),
    "smtt.solution": lambda v: schedkit.check(SMTT, schedkit.SMTTSolution(v)),
    "smtt.check": lambda v: schedkit.check(SMTT, {"sequence": v}),
    "rcpsp.solution": lambda v: schedkit.check(PROJECT, schedkit.RCPSPSolution(v)),
    "rcpsp.check": lambda v: schedkit.check(PROJECT, {"start": v}),
    "dag.check": lambda v: schedkit.check(GRAPH, {"processor": v, "start": v}),
    "jobshop.check": lambda v: schedkit.check(SHOP, {"start": v, "machine": v}),
    "jobshop.solution": lambda v: schedkit.check(SHOP, schedkit.JobShopSolution(v, v)),
    "solve.time_limit": lambda v: schedkit.solve(SMTT, "edd", time_limit=v),
    "solve.seed": lambda v: schedkit.solve(SMTT, "edd", seed=v),
    "solve.workers": lambda v: schedkit.solve(SMTT, "edd", workers=v),
    "solve.option": lambda v: schedkit.solve(SMTT, "atc", k=v),
    "serving.prompt": lambda v: dataclasses.replace(SERVING, prompt=v),
    "serving.arrival": lambda v: dataclasses.replace(SERVING, arrival=v),
    "serving.program_ids": lambda v: dataclasses.replace(SERVING, program_ids=v),
    "server.kv_capacity": lambda v: dataclasses.replace(SERVING.server, kv_capacity=v),
    "server.a": lambda v: dataclasses.replace(SERVING.server, a=v),
    "vmr.vm_cpu": lambda v: VMR.replace(vm_cpu=v), "vmr.machine_ids": lambda v: VMR.replace(machine_ids=v),
    "vmr.migration_limit": lambda v: VMR.replace(migration_limit=v),
    "vmr.check": lambda v: schedkit.check(VMR, {"migrations": [{"vm": v, "to_machine": v, "to_numa": v}]}),
    "pods.from_array": lambda v: schedkit.PodsSolution.from_array(PODS, v),
    "pods.check": lambda v: schedkit.check(PODS, {"assignment": v}),
    "pods.node_cpu": lambda v: dataclasses.replace(PODS.nodes[0], cpu=v),
    "groundstation.antennas": lambda v: GROUND.replace(antennas=v),
    "groundstation.duration": lambda v: dataclasses.replace(GROUND.requests[0], duration=v),
    "groundstation.check": lambda v: schedkit.check(GROUND, {"tracks": [
        {"request": v, "antennas": v, "tracking_on": v, "tracking_off": v}]}),
    "simulate.shutdowns": lambda v: schedkit.simulate(SHOP, "mwkr", v),
    "simulate.seed": lambda v: schedkit.simulate(SHOP, "mwkr", 0.1, seed=v),
    "generate.smtt": lambda v: schedkit.generate.smtt(4, v, 0.5, seed=1),
    "generate.jobshop": lambda v: schedkit.generate.jobshop(3, 3, seed=v),
    "generate.vmr": lambda v: schedkit.generate.vmr(machines=4, utilisation=v),
}
SERVING = schedkit.generate.serving(2, seed=1)
VMR = schedkit.generate.vmr(machines=4, seed=1)
PODS = schedkit.generate.pods(3, 2, 2, 0.8, seed=1)
GROUND = schedkit.generate.groundstation(1, seed=1)


@pytest.mark.parametrize("target", sorted(BUILDERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_hostile_value_is_a_schedkit_error_or_read(target, data):
    """Any drawn value: the call returns, or raises a SchedkitError with a one-line message."""
    value = data.draw(hostile(4))
    try:
        BUILDERS[target](value)
    except SchedkitError as error:
        assert "\n" not in str(error)
