"""Every bound a method reports, against the optimum `mip` (HiGHS) and `cpsat` prove, on small
random instances with split requests (pieces from 1 h), arrays, maintenance, set-up and
tear-down, the satellite rule on and off: cpsat (full model, windows only, the preemptive LP),
auto, mip and the LP and transportation bounds at several grids never exceed it, and with
objective="fair" the U_max phase's bound never exceeds the least U_max cpsat proves (nor a
feasible plan's). Runs under a time limit: only proven optima are compared."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import Alternative, GroundStationInstance, Maintenance, Request, ViewPeriod
from schedkit.groundstation.solvers.bounds import mission_flow_bound
from schedkit.groundstation.solvers.cpsat_model import FAIR_SCALE
from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound
from schedkit.groundstation.solvers.lp_bound import lp_unserved_bound

H = 3600
LIMIT = 5.0  # a run that does not prove in this is left out of the comparison (never asserted)
BOUNDED_RUNS = (("cpsat", {"workers": 1}), ("cpsat", {"workers": 2}),
                ("cpsat", {"workers": 1, "window_share": 1.0}),
                ("cpsat", {"workers": 1, "interval_grid": -1, "bound_grid": H}),
                ("auto", {"workers": 1}), ("mip", {"workers": 1}))


@st.composite
def small(draw) -> GroundStationInstance:
    """1-3 requests (some of 8-10 h with pieces from 1 h) on antennas A, B or the array A+B over
    [0, 16 h), set-up and tear-down up to 30 min, maintenance, two missions."""
    made = []
    for k in range(draw(st.integers(1, 3))):
        split = draw(st.booleans())
        duration = draw(st.integers(8, 10)) * H if split else draw(st.integers(1, 4)) * H
        minimum = H if split else draw(st.integers(1, duration // H)) * H
        alternatives = []
        for antennas in draw(st.lists(st.sampled_from([("A",), ("B",), ("A", "B")]), min_size=1,
                                      max_size=2, unique=True)):
            periods = []
            for _ in range(draw(st.integers(1, 2))):
                on = draw(st.integers(0, 8))
                periods.append(ViewPeriod(on * H, (on + draw(st.integers(1, 8))) * H))
            alternatives.append(Alternative(antennas, tuple(periods)))
        made.append(Request(f"r{k}", draw(st.sampled_from(["m1", "m2"])), duration, minimum,
                            draw(st.sampled_from([0, 600, 1800])), draw(st.sampled_from([0, 600, 1800])),
                            0, 16 * H, tuple(alternatives)))
    down = tuple(Maintenance(draw(st.sampled_from("AB")), s * H, (s + draw(st.integers(1, 2))) * H)
                 for s in draw(st.lists(st.integers(0, 14), max_size=2)))
    return GroundStationInstance(tuple(made), antennas=("A", "B"), maintenance=down,
                                 spacecraft_exclusive=draw(st.booleans()))


def _proven(x: GroundStationInstance) -> int | None:
    """The optimum mip and cpsat prove (they agree when both do), or None when neither does."""
    found = set()
    for method in ("mip", "cpsat"):
        try:
            result = schedkit.solve(x, method, time_limit=LIMIT, workers=1)
        except schedkit.ProblemTooLarge:
            continue
        assert schedkit.check(x, result).feasible
        if result.status == "optimal":
            found.add(result.objective)
    assert len(found) <= 1, found
    return found.pop() if found else None


@settings(max_examples=15, deadline=None)  # 8 solves of up to 5 s each: 60 took 318 s
@given(small())
def test_no_bound_exceeds_the_proven_optimum(x):
    """Each run's bound (and cpsat's LP and transportation stats) is at most the proven optimum,
    and at most its own plan; `optimal` only at the optimum. The LP bounds at 30 min, 1 h and
    3 h grids too."""
    optimum = _proven(x)
    if optimum is None:
        return
    for method, options in BOUNDED_RUNS:
        try:
            result = schedkit.solve(x, method, time_limit=LIMIT, **options)
        except schedkit.ProblemTooLarge:
            continue
        assert schedkit.check(x, result).feasible
        assert result.bound is None or result.bound <= min(optimum, result.objective), (method, options)
        assert result.status != "optimal" or result.objective == optimum
        for name in ("mission_flow_bound", "lp_bound", "interval_lp_bound"):
            value = result.stats.get(name)
            assert not isinstance(value, int) or value <= optimum, (method, options, name, value)
    options = request_options(x)
    assert mission_flow_bound(x, options) <= optimum
    for grid in (1800, H, 3 * H):
        assert lp_unserved_bound(x, options, None, grid) <= optimum
        assert interval_unserved_bound(x, options, None, grid) <= optimum


@settings(max_examples=15, deadline=None)  # 4 solves of up to 5 s each: 60 took 68 s
@given(small())
def test_fair_bounds_stay_below_the_least_u_max(x):
    """objective="fair" (cpsat, 1 and 2 workers; lns and ga for plans): the U_max phase's bound
    is at most every plan's U_max (in 1/10,000ths, rounded up as the model does) and at most a
    proven one; two proofs agree, and no plan beats one."""
    plans, proven, bounds = [], set(), []
    for method, options in (("cpsat", {"workers": 1}), ("cpsat", {"workers": 2}), ("lns", {}), ("ga", {})):
        result = schedkit.solve(x, method, time_limit=LIMIT if method == "cpsat" else 0.5,
                                objective="fair", seed=0, **options)
        assert schedkit.check(x, result).feasible
        assert result.bound is None or result.bound <= result.objective
        plans.append(math.ceil(round(result.stats["u_max"] * FAIR_SCALE, 6)))
        phase = result.stats.get("u_max_phase")
        if phase is not None:
            bounds.append(phase["bound"] * FAIR_SCALE)
            if phase["bound"] == phase["value"]:
                proven.add(round(phase["value"] * FAIR_SCALE))
    assert len(proven) <= 1, proven
    for bound in bounds:
        assert bound <= min(plans) + 1e-6
        assert not proven or bound <= min(proven) + 1e-6
    if proven:
        assert min(plans) >= min(proven)
