"""`cpsat` with no room in its time limit for the CP-SAT model after the warm start (a network
above SMALL requests): lns has the whole budget, with the bounds the run proves beside it."""

from __future__ import annotations

from pathlib import Path

import schedkit
from schedkit.groundstation.auto import LNS_CHOSEN, long_requests
from schedkit.groundstation.solvers.cpsat import NO_ROOM_NOTE, SMALL
from tests.verdicts import assert_checked

ROOT = Path(__file__).resolve().parents[2]


def test_a_budget_too_short_for_the_model_goes_to_lns() -> None:
    x = schedkit.generate.groundstation(30, 3, stations=2, antennas=1, requests=4, hours=24)
    assert x.n > SMALL
    # 1 s is shorter than the warm start's share plus the model's estimated import and build
    # alone, whatever the machine: the decision does not depend on its speed
    result = schedkit.solve(x, "cpsat", time_limit=1.0, workers=1, seed=2)
    assert result.stats["cpsat_skipped"] == NO_ROOM_NOTE
    assert result.stats["chosen"] == "lns"
    assert "solver_status" not in result.stats  # CP-SAT never ran
    assert_checked(x, result)
    assert result.objective > 0  # a congested network: lns cannot serve everything


def test_a_small_network_still_gets_the_model() -> None:
    """At most SMALL requests the warm start stops once lns stalls, so the model is built."""
    x = schedkit.generate.groundstation(2, 3, stations=2, requests=2, hours=6)
    assert x.n <= SMALL
    result = schedkit.solve(x, "cpsat", time_limit=1.0, workers=1, seed=2)
    assert "cpsat_skipped" not in result.stats
    assert_checked(x, result)


def test_auto_gives_lns_the_budget_on_long_requests_up_to_its_threshold() -> None:
    """A SatNet week (hours-long requests) at 2 s: lns with cpsat's bounds; a generated
    network of minutes-long passes: cpsat. The choice depends on the data and the limit only."""
    week = schedkit.load(f"{ROOT}/instances/groundstation/problems.json#W10_2018")
    assert long_requests(week) and week.n > SMALL
    result = schedkit.solve(week, "auto", time_limit=2.0, workers=1)
    assert result.stats["chosen"] == LNS_CHOSEN
    assert_checked(week, result)
    passes = schedkit.generate.groundstation(3, 1, stations=2, requests=2, hours=6)
    assert not long_requests(passes)
    result = schedkit.solve(passes, "auto", time_limit=2.0, workers=1)
    assert result.stats["chosen"] == "cpsat"
    assert_checked(passes, result)
