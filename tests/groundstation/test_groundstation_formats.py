"""SatNet files, week directories, project JSON, the track list and bad data."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import InvalidInstance
from schedkit.groundstation.formats import tracklist
from schedkit.loading import write
from tests.groundstation.cases import DATA, H, mixed


def test_problems_json_selector_and_maintenance_beside_it():
    """problems.json#W10_2018 is that week, with maintenance.csv filtered to week 10."""
    x = schedkit.load(DATA / "problems.json#W10_2018")
    assert x.name == "W10_2018" and x.n == 5
    assert x.requests[0].track_id == "fc9bbb54-3-1"
    assert x.requests[0].duration == H and x.requests[0].setup == 3600 and x.requests[0].teardown == 900
    assert x.maintenance and all(m.antenna in x.antennas for m in x.maintenance)
    y = schedkit.load(DATA / "problems.json#W11_2018")
    assert y.n == 2 and {m.start for m in y.maintenance}.isdisjoint({m.start for m in x.maintenance})


def test_week_directory_reads_problem_and_maintenance():
    """A directory with problem.json + maintenance.csv is one week."""
    x = schedkit.load(DATA / "W10_tiny")
    assert x.n == 5 and x.name == "W10_tiny" and len(x.maintenance) == 22
    arrays = [a for r in x.requests for a in r.alternatives if len(a.antennas) > 1]
    assert arrays and x.requests[3].splittable


def test_satnet_writers_round_trip(tmp_path):
    """problems.json and directory writers give the instance back."""
    x = schedkit.load(DATA / "W10_tiny").replace(name="W10_2018")
    write([x], tmp_path / "out" / "problems.json", "satnet")
    assert schedkit.load(tmp_path / "out" / "problems.json#W10_2018") == x
    write([x], tmp_path / "week", "satnet-dir")
    assert schedkit.load(tmp_path / "week").replace(name="W10_2018") == x


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), satellites=st.integers(1, 5))
def test_parse_dump_identity(seed, satellites, tmp_path_factory):
    """load(dump(x)) == x for generated networks (project JSON)."""
    x = schedkit.generate.groundstation(satellites, seed, stations=2, hours=6)
    path = tmp_path_factory.mktemp("gs") / "x.json"
    assert schedkit.load(schedkit.dump(x, path)) == x


def test_generator_is_reproducible_and_reachable():
    """schedkit.generate.groundstation: same seed, same network."""
    a = schedkit.generate.groundstation(5, 3)
    assert a == schedkit.generate.groundstation(5, 3)
    assert a != schedkit.generate.groundstation(5, 4)
    assert a.n == 15


def test_solution_json_and_track_list(tmp_path):
    """The solution JSON shape, and one track-list row per antenna with set-up/tear-down."""
    x = mixed()
    result = schedkit.solve(x, "cpsat", time_limit=5, workers=1)
    data = result.to_dict()["solution"]
    assert set(data) == {"tracks"}
    assert set(data["tracks"][0]) == {"request", "antennas", "tracking_on", "tracking_off"}
    out = tracklist.write(x, result.solution, tmp_path / "tracks.json")
    rows = json.loads(out.read_text())
    assert len(rows) == sum(len(t["antennas"]) for t in data["tracks"])
    first = rows[0]
    assert list(first) == list(tracklist.COLUMNS)
    r = next(q for q in x.requests if q.track_id == first["TRACK_ID"])
    assert first["START_TIME"] == first["TRACKING_ON"] - r.setup
    assert first["END_TIME"] == first["TRACKING_OFF"] + r.teardown
    csv_path = tracklist.write(x, result.solution, tmp_path / "tracks.csv")
    assert csv_path.read_text().splitlines()[0] == ",".join(tracklist.COLUMNS)


def _week(tmp_path, change):
    items = json.loads((DATA / "W10_tiny" / "problem.json").read_text())
    change(items[0])
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "problem.json").write_text(json.dumps(items))
    return folder


@pytest.mark.parametrize("change, words", [
    (lambda r: r["resource_vp_dict"]["DSS-34"][0].update({"TRX OFF": 1}),
     "fc9bbb54-3-1: view period 0 of DSS-34 ends"),
    (lambda r: r.update(duration_min=2.0), "fc9bbb54-3-1: duration_min 7200 s is above"),
    (lambda r: r["resource_vp_dict"].update({"DSS-99": []}),
     "fc9bbb54-3-1: resource_vp_dict names unknown antenna"),
    (lambda r: r.update(time_window_start=-5), "fc9bbb54-3-1: time_window_start = -5 is negative"),
    (lambda r: r.update(duration=True), "fc9bbb54-3-1: duration = True is not a number"),
    (lambda r: r.pop("setup_time"), "fc9bbb54-3-1: field 'setup_time' is missing"),
])
def test_bad_data_is_one_line_naming_request_and_field(tmp_path, change, words):
    """InvalidInstance, one line, naming the request and the field."""
    with pytest.raises(InvalidInstance) as error:
        schedkit.load(_week(tmp_path, change))
    message = str(error.value)
    assert words in message and "\n" not in message


def test_nan_is_refused_where_the_json_is_read(tmp_path):
    """NaN is not JSON: the reader refuses it in one line naming the file, before any request."""
    from schedkit import ParseError

    with pytest.raises(ParseError, match="problem.json.*NaN") as error:
        schedkit.load(_week(tmp_path, lambda r: r.update(duration=float("nan"))))
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("change, words", [
    (lambda r: r.update(track_id=None), "track_id = None is not text or a whole number"),
    (lambda r: r.update(track_id=[1, 2]), "track_id = [1, 2] is not text or a whole number"),
    (lambda r: r.update(subject={"a": 1}), "subject = {'a': 1} is not text or a whole number"),
    (lambda r: r.update(subject=True), "subject = True is not text or a whole number"),
    (lambda r: r.update(duration=200.0001), "duration = 200.0001 is not a whole number of seconds"),
    (lambda r: r.update(setup_time=10000.01), "setup_time = 10000.01 is not a whole number of seconds"),
])
def test_satnet_names_and_long_times_are_read_exactly(tmp_path, change, words):
    """A track_id or subject of another JSON type was read as its Python text (null: the
    request "None"), and above 500,000 s any fraction of a second passed the relative
    tolerance and was rounded away (200.0001 h read as 720,000 s)."""
    with pytest.raises(InvalidInstance) as error:
        schedkit.load(_week(tmp_path, change))
    assert words in str(error.value)


def test_satnet_hours_of_whole_seconds_are_read():
    """Float hours and minutes of whole seconds read exactly, small and near 2^40 s."""
    from schedkit.groundstation.formats.satnet import _seconds

    assert _seconds(4799 / 3600, 3600, "d") == 4799
    assert _seconds((2**40 - 1) / 3600, 3600, "d") == 2**40 - 1
    assert _seconds(0.1, 60, "s") == 6


@pytest.mark.parametrize("mission", ["²", "٣", "007", "+5", "12"])
def test_satnet_and_track_list_writers_keep_the_mission(tmp_path, mission):
    """Digit-like missions other than plain decimals stay text: "²" raised ValueError in the
    writers, and "٣" or "007" came back as mission "3" or "7", merged with another mission."""
    x = mixed()
    requests = (x.requests[0].__class__(**{**x.requests[0].__dict__, "mission": mission}), *x.requests[1:])
    x = x.replace(requests=requests, name="W10_2018")
    write([x], tmp_path / "problems.json", "satnet")
    again = schedkit.load(tmp_path / "problems.json#W10_2018")
    assert [r.mission for r in again.requests] == [r.mission for r in x.requests]
    result = schedkit.solve(x, "greedy", time_limit=5)
    rows = json.loads(tracklist.write(x, result.solution, tmp_path / "tracks.json").read_text())
    assert {str(row["SC"]) for row in rows} <= {r.mission for r in x.requests}
