"""The report's load line: the range and median of the loads the runs recorded, and when they ran."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from schedkit.bench.machine import describe_load


def test_load_line_gives_range_median_and_times():
    records = [{"load": [0.5, 2.25], "finished": "2026-12-06T19:08:00"},
               {"load": [2.0, 1.0], "finished": "2026-12-06T19:13:30"}]
    assert describe_load(records) == ("Load: 1-minute average 0.5-2.2 at the runs' starts and ends, "
                                      "median 1.5; runs finished 2026-12-06 19:08:00 to 19:13:30")


def test_runs_without_a_load_are_counted_apart():
    records = [{"load": [1.0, 1.0], "finished": "2026-12-05T23:59:00"},
               {"finished": "2026-12-06T00:01:00"}]
    line = describe_load(records)
    assert "(1 older run(s) without a record of it)" in line
    assert line.endswith("2026-12-05 23:59:00 to 2026-12-06 00:01:00")
    assert describe_load([{"finished": "2026-12-06T00:01:00"}]).startswith("Load: not recorded")
    assert describe_load([]) == "Load: not recorded"


@given(st.lists(st.lists(st.floats(0, 64), min_size=2, max_size=2), min_size=1, max_size=20))
def test_the_range_holds_every_recorded_load(loads):
    line = describe_load([{"load": pair} for pair in loads])
    low, high = line.split("average ")[1].split(" at")[0].split("-")
    flat = [v for pair in loads for v in pair]
    assert float(low) == round(min(flat), 1) and float(high) == round(max(flat), 1)
