"""The checker on hand-made plans that break each rule once, and on a valid one."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.groundstation.check import check
from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution
from tests.groundstation.cases import H, array, maintenance_clash, mixed, split_request, two_places


def plan(*tracks):
    """{"tracks": [...]} from (request, antennas, on, off) tuples."""
    return {"tracks": [{"request": r, "antennas": list(a), "tracking_on": on, "tracking_off": off}
                       for r, a, on, off in tracks]}


def test_a_valid_plan_passes_with_its_objective():
    """The split request's optimum: 4.5 h + 5 h, unserved 1800 s."""
    value, violations = check(split_request(), plan(("split", ["A"], 0, 4 * H + H // 2),
                                                    ("split", ["A"], 6 * H, 11 * H)))
    assert violations == [] and value == 1800


@pytest.mark.parametrize("instance, tracks, words", [
    (split_request, [("nope", ["A"], 0, 4 * H)], "no request has track_id"),
    (split_request, [("split", ["B"], 0, 4 * H)], "no alternative"),
    (split_request, [("split", ["A"], 0, 5 * H)], "in no view period"),
    (split_request, [("split", ["A"], 0, 3 * H)], "below the minimum"),
    (split_request, [("split", ["A"], 4 * H, 4 * H)], "not after"),
    (maintenance_clash, [("m", ["A"], 2 * H, 4 * H)], "overlap"),  # set-up runs into maintenance
    (array, [("r1", ["A", "B"], 0, 2 * H), ("r2", ["A"], 0, H)], "antenna A"),
    (two_places, [("a", ["A"], 0, H), ("b", ["B"], H // 2, 2 * H)], "tracked twice at once"),
    (array, [("r2", ["A"], 0, H), ("r2", ["A"], H, 2 * H)], "has 2 tracks"),
])
def test_each_broken_rule_is_reported(instance, tracks, words):
    """One broken rule, one violation naming it."""
    _, violations = check(instance(), plan(*tracks))
    assert any(words in v for v in violations), violations


def test_window_and_total_duration_rules():
    """A track outside the request's window, and a split request tracked beyond its duration."""
    x = mixed()
    _, violations = check(x, plan(("z", ["B"], 0, H)))
    assert any("time window" in v or "view period" in v for v in violations)
    y = split_request().replace(requests=(split_request().requests[0],))
    long = plan(("split", ["A"], 0, 4 * H + H // 2), ("split", ["A"], 6 * H, 11 * H))
    assert check(y, long)[1] == []
    shorter = y.replace(requests=(y.requests[0].__class__(**{**y.requests[0].__dict__,
                                                             "duration": 9 * H,
                                                             "duration_min": 8 * H}),))
    _, violations = check(shorter, long)
    assert any("above the requested" in v for v in violations)


def test_split_pieces_of_one_request_may_not_overlap_when_missions_are_relaxed():
    """Two pieces of one request at once break the rule even without satellite-operation mode."""
    from schedkit.groundstation.model import GroundStationInstance
    from tests.groundstation.cases import request

    r = request("s", "m", 8 * H, 8 * H, [(("A",), [(0, 5 * H)]), (("B",), [(0, 5 * H)])])
    x = GroundStationInstance((r,), spacecraft_exclusive=False)
    _, violations = check(x, plan(("s", ["A"], 0, 4 * H), ("s", ["B"], H, 5 * H)))
    assert any("overlap in time" in v for v in violations)


def test_claimed_objective_must_match():
    """schedkit.check flags a claimed objective that the plan does not give."""
    report = schedkit.check(split_request(), {"objective": 0, "solution": plan(("split", ["A"], 0, 4 * H))})
    assert not report.feasible and "claimed objective" in report.violations[-1]


def test_malformed_plan():
    """Not a plan, or non-integer times."""
    assert check(mixed(), [])[1]
    assert check(mixed(), plan(("z", ["B"], 1.5, H)))[1]


def test_a_track_names_its_request_by_text():
    """A track's request is a track_id (text): null matched a request named "None" and 5 the
    request "5"; both are now a violation, and the solution reader refuses them."""
    from tests.groundstation.cases import request

    x = GroundStationInstance((request("None", "m", H, H, [(("A",), [(0, 5 * H)])]),
                               request("5", "m", H, H, [(("B",), [(0, 5 * H)])])))
    for name in (None, 5):
        data = {"tracks": [{"request": name, "antennas": ["A" if name is None else "B"],
                            "tracking_on": 0, "tracking_off": H}]}
        assert any("request must be a track_id" in v for v in check(x, data)[1])
        with pytest.raises(schedkit.InvalidInstance, match="request must be a track_id"):
            GroundStationSolution.from_dict(data)
    good = {"tracks": [{"request": "5", "antennas": ["B"], "tracking_on": 0, "tracking_off": H}]}
    assert check(x, good) == (H, [])


@pytest.mark.parametrize("field", ["track_id", "mission"])
def test_a_request_named_by_a_number_is_refused(field):
    """Request(5, ...) was accepted, and every plan of it failed the checker (its tracks name
    request "5", the instance knew 5)."""
    from tests.groundstation.cases import request

    fields = {**request("r", "m", H, H, [(("A",), [(0, 5 * H)])]).__dict__, field: 5}
    with pytest.raises(schedkit.InvalidInstance, match=f"{field} must be text"):
        type(request("r", "m", H, H, []))(**fields)
