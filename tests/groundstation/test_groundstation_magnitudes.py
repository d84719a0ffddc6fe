"""Ground-station objectives stay far below 2^53: unserved seconds are at most the requested ones,
Σ durations, so 2^53 needs more than 8,192 requests of 2^40 s (35,000 years) each. Times near
the model's largest, 2^40, only shift every start and end: every claim holds against the
brute-force optimum, as near 0."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

import schedkit
from schedkit.groundstation.model import MAX_TIME, GroundStationInstance
from tests.conftest import ROOT
from tests.groundstation.brute import best_unserved
from tests.groundstation.test_groundstation_claims import tiny
from tests.verdicts import assert_claims

SHIFT = MAX_TIME - 20  # tiny()'s times lie in 0..17


def shifted(x: GroundStationInstance) -> GroundStationInstance:
    """Every time of `x` (windows, view periods, maintenance) SHIFT seconds later."""
    requests = tuple(replace(r, window_start=r.window_start + SHIFT, window_end=r.window_end + SHIFT,
                             alternatives=tuple(replace(a, view_periods=tuple(
                                 replace(v, on=v.on + SHIFT, off=v.off + SHIFT) for v in a.view_periods))
                                 for a in r.alternatives)) for r in x.requests)
    down = tuple(replace(m, start=m.start + SHIFT, end=m.end + SHIFT) for m in x.maintenance)
    return replace(x, requests=requests, maintenance=down)


@settings(max_examples=8, deadline=None)
@given(tiny())
def test_times_near_2_40_keep_the_optimum_and_every_claim(x):
    """cpsat and the mip on the shifted instance: claims true against the unshifted brute force."""
    far = shifted(x)
    best = best_unserved(x)
    for method in ("cpsat", "mip"):
        assert_claims(far, schedkit.solve(far, method, workers=1, time_limit=60.0), best)


def test_mip_counts_starts_from_the_earliest_view():
    """Regression (found by the test above): with starts near 2^40 as MIP coefficients, HiGHS
    found no plan in 60 s and claimed bound 1 over the optimum 0; from the earliest view it
    proves 0 at once, with CBC too."""
    x = schedkit.load(ROOT / "tests" / "data" / "groundstation" / "mip_times_near_2_40.json")
    for solver in ("highs", "cbc"):
        assert_claims(x, schedkit.solve(x, "mip", solver=solver, workers=1, time_limit=60.0), 0)
        result = schedkit.solve(x, "mip", solver=solver, workers=1)
        assert result.status == "optimal" and result.objective == 0
