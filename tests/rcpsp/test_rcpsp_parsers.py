"""PSPLIB .sm, Patterson .rcp and JSON: reading the bundled files, round trips, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import schedkit
import schedkit.loading
from schedkit import InvalidInstance, ParseError
from schedkit.rcpsp.bounds import critical_path
from schedkit.rcpsp.formats import patterson as rcpsp_patterson
from schedkit.rcpsp.formats import psplib as rcpsp_psplib
from schedkit.rcpsp.model import RCPSPInstance
from tests.rcpsp.conftest import RCPSP, psplib
from tests.rcpsp.strategies import projects

J301_1 = RCPSP / "j30" / "j301_1.sm"


def test_reads_j301_1():
    """The first j30 file: 32 jobs incl. dummies, 4 resources of capacity 12 13 4 12, job 2
    lasts 8 and needs 4 of R1, job 1 precedes jobs 2 3 4 (0-based 1 2 3); header in meta."""
    x = psplib("j301_1")
    assert (x.name, x.n, x.resources, x.arcs) == ("j301_1", 32, 4, 48)
    assert x.capacities.tolist() == [12, 13, 4, 12]
    assert x.durations[1] == 8 and x.demands[1].tolist() == [4, 0, 0, 0]
    assert x.successors[0].tolist() == [1, 2, 3]
    assert x.durations[0] == x.durations[31] == 0
    assert x.meta["horizon"] == 158 and x.meta["mpm_time"] == 38


def test_every_bundled_file_loads():
    """All bundled j30/j60/j120 files parse; their names are exactly the references' names."""
    from tests.rcpsp.conftest import REFERENCES

    names = set()
    for folder, size in (("j30", 32), ("j60", 62), ("j120", 122)):
        for path in sorted((RCPSP / folder).glob("*.sm")):
            x = schedkit.load(path)
            assert x.n == size
            names.add(x.name)
    assert names == set(REFERENCES)


def test_j120_sample_matches_its_headers_and_references():
    """The j120 files were transcribed from a public copy (instances/rcpsp/j120/README.md): each
    header's horizon is the sum of its durations and its MPM-Time the critical path, and each
    reference row has lower bound <= best known upper bound, both at or above that path."""
    from tests.rcpsp.conftest import REFERENCES

    paths = sorted((RCPSP / "j120").glob("*.sm"))
    assert len(paths) >= 20
    for path in paths:
        x = schedkit.load(path)
        path_length = critical_path(x)
        assert x.meta["horizon"] == int(x.durations.sum()), x.name
        assert x.meta["mpm_time"] == path_length, x.name
        row = REFERENCES[x.name]
        upper = int(row["upper_bound"])
        lower = int(row["lower_bound"] or path_length)
        assert path_length <= lower <= upper, x.name
        assert (row["status"] == "optimal") == (lower == upper), x.name


@pytest.mark.parametrize("suffix", [".sm", ".rcp", ".json"])
def test_round_trip_of_a_psplib_file(tmp_path, suffix):
    """j301_1 written as .sm, .rcp or JSON reads back equal (.rcp keeps no header meta)."""
    x = psplib("j301_1")
    target = tmp_path / f"j301_1{suffix}"
    schedkit.loading.write([x], target)
    back = schedkit.load(target)
    assert back == (x.replace(meta={}) if suffix == ".rcp" else x)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(projects())
def test_parse_dump_identity(tmp_path, project):
    """parse(dump(x)) == x for random projects in each format (names come from the file)."""
    for suffix, module in ((".sm", rcpsp_psplib), (".rcp", rcpsp_patterson)):
        path = tmp_path / f"random{suffix}"
        back = module.parse(path, module.dumps(project))
        assert back.replace(meta={}) == project.replace(meta={})
    schedkit.dump(project, tmp_path / "random.json")
    assert schedkit.load(tmp_path / "random.json") == project


def _cut(text: str, marker: str) -> str:
    return text[: text.index(marker)]


@pytest.mark.parametrize("marker", ["REQUESTS/DURATIONS", " 17      1     6", "RESOURCEAVAILABILITIES"])
def test_truncated_sm(tmp_path, marker):
    """A .sm file cut short anywhere is a ParseError that says the file ended early."""
    path = tmp_path / "cut.sm"
    path.write_text(_cut(J301_1.read_text(), marker))
    with pytest.raises(ParseError, match="end of the file"):
        schedkit.load(path)


def test_truncated_rcp(tmp_path):
    """A .rcp file missing its last activity: ParseError naming what was expected."""
    text = rcpsp_patterson.dumps(psplib("j301_1"))
    path = tmp_path / "cut.rcp"
    path.write_text("\n".join(text.splitlines()[:-1]) + "\n")
    with pytest.raises(ParseError, match="duration of activity 32.*end of the file"):
        schedkit.load(path)


def test_unknown_successor_in_sm(tmp_path):
    """Job 5 listing successor 40 of 32 jobs: ParseError with the file's line of job 5."""
    text = J301_1.read_text().replace("   5        1          1          20",
                                      "   5        1          1          40")
    path = tmp_path / "bad.sm"
    path.write_text(text)
    with pytest.raises(ParseError, match=r"bad.sm:23: expected successors of job 5 among jobs "
                                         r"1..32, found unknown job 40"):
        schedkit.load(path)


def test_unknown_successor_in_rcp(tmp_path):
    """A .rcp successor id beyond n is a ParseError naming the activity and the line."""
    path = tmp_path / "bad.rcp"
    path.write_text("3 1\n4\n0 0 1 2\n2 3 1 7\n0 0 0\n")
    with pytest.raises(ParseError, match=r"bad.rcp:4: expected successors of activity 2 among 1..3"):
        schedkit.load(path)


def test_cycle_in_file(tmp_path):
    """A cycle in a .rcp file is refused, naming the file and the activities on it."""
    path = tmp_path / "cycle.rcp"
    path.write_text("4 1\n4\n0 0 1 2\n2 1 1 3\n3 1 1 2\n0 0 0\n")
    with pytest.raises(InvalidInstance, match=r"cycle.rcp: .*cycle: activities 1 -> 2 -> 1"):
        schedkit.load(path)


def test_demand_above_capacity_in_file(tmp_path):
    """Job 3 of j301_1 needs 10 of R1; with R1 capacity 9 the file is refused naming both."""
    text = J301_1.read_text().replace("   12   13    4   12", "    9   13    4   12")
    path = tmp_path / "over.sm"
    path.write_text(text)
    with pytest.raises(InvalidInstance, match=r"activity 2 demands 10 of resource 0 but its "
                                              r"capacity is 9"):
        schedkit.load(path)


def test_multi_mode_and_nonrenewable_refused(tmp_path):
    """Multi-mode files (nonrenewable resources) are not single-mode RCPSP: ParseError."""
    text = J301_1.read_text().replace("nonrenewable              :  0", "nonrenewable              :  2")
    path = tmp_path / "mm.sm"
    path.write_text(text)
    with pytest.raises(ParseError, match="no nonrenewable resources"):
        schedkit.load(path)


def test_sniffs_psplib_without_extension(tmp_path):
    """A PSPLIB file named without .sm is recognised by its section titles."""
    path = tmp_path / "project.txt"
    path.write_text(J301_1.read_text())
    assert schedkit.load(path) == psplib("j301_1").replace(name="project")


def test_json_record_fields():
    """The JSON record carries 0-based successors and every field; a missing one is named."""
    from schedkit.rcpsp.formats.records import from_record

    record = psplib("j301_1").to_dict()
    assert record["successors"][0] == [1, 2, 3]
    del record["demands"]
    with pytest.raises(InvalidInstance, match="missing field 'demands'"):
        from_record(record, "x")


def test_bundled_data_is_local():
    """Tests and suites read instances/rcpsp, never ../shared."""
    assert Path(RCPSP).is_dir() and "shared" not in str(RCPSP)


def test_sm_rows_beyond_the_header_count_are_refused(tmp_path):
    """Regression: a .sm file whose header counts 3 jobs but whose sections list 4 (job 4
    referenced by none) was read as the first 3 jobs, the fourth skipped silently on the way to
    the next section; a line after the capacities was ignored too. Both are ParseErrors now."""
    text = rcpsp_psplib.dumps(RCPSPInstance([0, 3, 2, 0], [[1, 2], [], [], []], [4],
                                            [[0], [2], [3], [0]]))
    path = tmp_path / "extra.sm"
    path.write_text(text.replace("supersource/sink ):  4", "supersource/sink ):  3"))
    with pytest.raises(ParseError, match=r"extra.sm:22: expected the section 'REQUESTS/DURATIONS'"):
        schedkit.load(path)
    path.write_text(text.rstrip("\n*") + "\n      5\n")
    with pytest.raises(ParseError, match=r"extra.sm:\d+: expected the end of the file after the "
                                         r"resource capacities, found '5'"):
        schedkit.load(path)


@pytest.mark.parametrize(("meta", "message"), [
    ({"mpm_time": "x"}, r"meta mpm_time = 'x': a .sm file holds a whole number"),
    ({"due_date": 1.5}, r"meta due_date = 1.5: a .sm file holds a whole number"),
    ({"release_date": 2**70}, r"meta release_date = \d+: a .sm file holds a whole number"),
    ({"basedata": "a\nb"}, r"meta basedata = 'a\\nb' spans lines"),
    ({"horizon": "7\n   2        1          0"}, r"meta horizon = .* spans lines"),
], ids=["text", "fraction", "beyond-2^62", "newline", "a-job-row"])
def test_sm_writer_refuses_meta_it_cannot_hold(tmp_path, meta, message):
    """Regression: a project JSON's meta (or unknown top-level field, which goes to meta) went
    into the .sm text as it was: mpm_time "x" or due_date 1.5 raised ValueError ('Unknown format
    code d': `schedkit convert` exit 3, internal error), release_date 2^70 wrote a file the
    reader refuses, and a line break in basedata or horizon wrote extra header lines (read back
    as a changed meta). Now InvalidInstance naming the file and the field, and no file."""
    instance = RCPSPInstance([0, 3, 0], [[1], [2], []], [4], [[0], [2], [0]], meta=meta)
    path = tmp_path / "meta.sm"
    with pytest.raises(InvalidInstance, match=rf"meta.sm: {message}"):
        schedkit.loading.write(instance, path)
    assert not path.exists()
