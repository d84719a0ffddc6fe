"""Job shop formats: standard, Taillard, FJSPLIB and JSON; sniffing, overrides, round trips
and the errors a malformed file raises (file, line, what was expected)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

import schedkit
from schedkit.errors import InvalidInstance, ParseError
from schedkit.jobshop import formats
from schedkit.jobshop.model import JobShopInstance
from tests.jobshop.conftest import CLASSIC, FJSP, classic, flexible
from tests.jobshop.strategies import jobshops


def test_ft06_reads_as_published():
    """ft06: 6 x 6, job 0 = (2,1) (0,3) (1,6) (3,7) (5,3) (4,6), machines from 0."""
    x = classic("ft06")
    assert (x.n, x.m, x.operations, x.flexible) == (6, 6, 36, False)
    assert [op[0] for op in x.jobs()[0]] == [(2, 1), (0, 3), (1, 6), (3, 7), (5, 3), (4, 6)]
    assert x.name == "ft06"


def test_mk01_reads_as_published():
    """mk01: 10 jobs, 6 machines; job 0's first operation has alternatives M1:5 and M3:4 (from 1)."""
    x = flexible("mk01")
    assert (x.n, x.m, x.flexible) == (10, 6, True)
    assert x.jobs()[0][0] == [(0, 5), (2, 4)]
    assert x.operations == 55


def test_every_bundled_file_loads():
    """All 162 classic and 81 flexible files parse (sniffed, and by extension)."""
    names = sorted(p.name for p in CLASSIC.iterdir())
    assert len(names) == 162
    for path in CLASSIC.iterdir():
        assert not schedkit.load(path).flexible
    assert len([schedkit.load(p) for p in FJSP.iterdir()]) == 81


def test_sniffing_tells_standard_from_taillard(tmp_path):
    """Standard and Taillard text of one instance sniff as such and load equal."""
    x = classic("ft06").replace(meta={})
    (tmp_path / "a").write_text(formats.dumps_standard(x))
    (tmp_path / "b").write_text(formats.dumps_taillard(x))
    assert formats.sniff(tmp_path / "a", (tmp_path / "a").read_text()) == "jobshop"
    assert formats.sniff(tmp_path / "b", (tmp_path / "b").read_text()) == "taillard"
    a = schedkit.load(tmp_path / "a").replace(name="ft06")
    b = schedkit.load(tmp_path / "b").replace(name="ft06")
    assert a == b == x


def test_taillard_sections_and_header_extras(tmp_path):
    """Taillard's own layout: 'Times'/'Machines' section lines are skipped, extra header
    numbers (seeds, bounds) go to meta and come back when written."""
    text = "Nb of jobs, Nb of Machines\n2 2 840612802 398197754 7 9\nTimes\n3 4\n5 6\nMachines\n1 2\n2 1\n"
    path = tmp_path / "tai"
    path.write_text(text)
    x = schedkit.load(path, format="taillard")
    assert x.jobs() == [[[(0, 3)], [(1, 4)]], [[(1, 5)], [(0, 6)]]]
    assert x.meta["taillard_header"] == [840612802, 398197754, 7, 9]
    assert formats.dumps_taillard(x).splitlines()[0] == "2 2 840612802 398197754 7 9"


def test_format_override_and_writers(tmp_path):
    """format= picks the reader; write(..., format=) the writer; .fjs by extension."""
    x = flexible("mk01")
    schedkit.loading.write([x], tmp_path / "mk01.fjs")
    assert schedkit.load(tmp_path / "mk01.fjs") == x
    schedkit.loading.write([x], tmp_path / "m.txt", "fjs")
    assert schedkit.load(tmp_path / "m.txt", format="fjs").jobs() == x.jobs()
    y = classic("la01")
    schedkit.loading.write([y], tmp_path / "la01", "taillard")
    assert schedkit.load(tmp_path / "la01", format="taillard").jobs() == y.jobs()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(x=jobshops(max_jobs=5, max_machines=4, max_ops=4))
def test_parse_dump_is_identity(x, tmp_path):
    """JSON always; fjs for any instance without extras; standard and Taillard for classic
    instances with one operation per machine: read(write(x)) == x."""
    assert schedkit.load(schedkit.dump(x, tmp_path / "x.json")) == x
    plain = x.replace(release=None, due=None, weight=None, objective="makespan", name="x")
    (tmp_path / "x.fjs").write_text(formats.dumps_fjs(plain))
    assert schedkit.load(tmp_path / "x.fjs") == plain
    square = not plain.flexible and all(
        sorted(op[0][0] for op in job) == list(range(plain.m)) for job in plain.jobs())
    if square:
        (tmp_path / "x").write_text(formats.dumps_standard(plain))
        assert schedkit.load(tmp_path / "x", format="jobshop").replace(meta={}) == plain
        (tmp_path / "x").write_text(formats.dumps_taillard(plain))
        assert schedkit.load(tmp_path / "x", format="taillard") == plain


@pytest.mark.parametrize(("fmt", "text", "message"), [
    ("jobshop", "2 2\n0 1 1 2\n", "expected 2 job lines after the header, found 1 line(s)"),
    ("jobshop", "1 2\n0 1 1\n", ":2: expected 4 integers for job 0"),
    ("jobshop", "1 2\n0 1 2 3\n", ":2: expected job 0, operation 1: a machine in 0..1, found 2"),
    ("jobshop", "1 1\n0 x\n", ":2: expected integers (job 0: machine duration pairs), found 'x'"),
    ("jobshop", "1 1\n0 -3\n", "duration -3 is negative"),
    ("jobshop", "one two\n", ":1: expected a header `jobs machines`"),
    ("jobshop", "0 2\n", "at least one job and one machine"),
    ("taillard", "1 2\n1 2\n1 3\n", ":3: expected job 0, operation 1: a machine in 1..2, found 3"),
    ("taillard", "1 2\n1 2\n", "expected 2 matrix lines"),
    ("fjs", "1 2 1\n1 1 3 4\n", ":2: expected job 0, operation 0: a machine in 1..2, found 3"),
    ("fjs", "1 2\n2 1 1 4\n", ":2: expected job 0: 2 operations, found 1"),
    ("fjs", "1 2\n1 2 1 4 2\n", "expected job 0, operation 0: 2 machine duration pairs"),
    ("fjs", "1 2\n1 1 1 4 9\n", "expected job 0: nothing after its 1 operations"),
    ("fjs", "1 2\n0\n", "expected job 0: at least one operation"),
    ("fjs", "2 2\n1 1 1 4\n", "expected 2 job lines after the header"),
    ("fjs", "1 2\n1 2 1 4 1 5\n", "a machine is listed twice"),
])
def test_malformed_files_raise_typed_errors(tmp_path, fmt, text, message):
    """Each malformed file: ParseError (or InvalidInstance) naming file, line and expectation."""
    path = tmp_path / "bad"
    path.write_text(text)
    with pytest.raises((ParseError, InvalidInstance)) as error:
        schedkit.load(path, format=fmt)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_writers_refuse_what_a_format_cannot_hold(tmp_path):
    """Flexible to standard, extras to any text format: InvalidInstance, never a lossy file."""
    with pytest.raises(InvalidInstance, match="flexible"):
        formats.dumps_standard(flexible("mk01"))
    with pytest.raises(InvalidInstance, match="write json"):
        formats.dumps_fjs(classic("ft06").replace(release=[0] * 6))
    with pytest.raises(InvalidInstance, match="operations per job"):
        formats.dumps_taillard(JobShopInstance.from_jobs([[(0, 1)], [(1, 1)]]))


@pytest.mark.parametrize("extra", [["7\n5 5", 3], "12", [1.5], [True], [10**30]])
def test_taillard_writer_refuses_header_extras_that_are_not_integers(extra):
    """Regression: meta taillard_header ["7\n5 5", 3] (from a JSON file) went into the header
    as text, and `convert --to taillard` wrote a file that did not read back; "12" spread
    into two columns."""
    x = JobShopInstance.from_jobs([[(0, 3), (1, 2)], [(1, 4), (0, 1)]], meta={"taillard_header": extra})
    with pytest.raises(InvalidInstance, match="taillard_header must list integers"):
        formats.dumps_taillard(x)


def test_standard_writer_keeps_a_name_on_its_comment_line(tmp_path):
    """Regression: a name holding a line break ("x\n1 1") was written half as a data line."""
    x = JobShopInstance.from_jobs([[(0, 3), (1, 2)], [(1, 4), (0, 1)]], name="x\n1 1")
    path = tmp_path / "x.txt"
    path.write_text(formats.dumps_standard(x))
    assert schedkit.load(path, format="jobshop").jobs() == x.jobs()


@pytest.mark.parametrize("dumps", [formats.dumps_standard, formats.dumps_taillard, formats.dumps_fjs])
def test_writers_refuse_a_blocking_shop(dumps):
    """Every text format reads back with unlimited buffers: `convert` wrote ft06 read with
    --blocking as a plain ft06 (another problem) without a word; now it says to write json."""
    with pytest.raises(InvalidInstance, match="blocking job shop .* write json"):
        dumps(classic("ft06").replace(buffers="blocking"))

def test_sniff_leaves_other_shapes_alone(tmp_path):
    """Number files of another shape (e.g. OR-Library wt40) are not claimed by the job shop."""
    assert formats.sniff(tmp_path / "x", "1 2 3\n4 5 6\n") is None
    assert formats.sniff(tmp_path / "x", "") is None
    assert formats.sniff(tmp_path / "x", "2 2\n0 1 1 2\n0 1\n") is None
    assert formats.sniff(tmp_path / "x", "1 2\n3 4\n5 6\n") is None  # machines out of 1..2
    assert formats.sniff(tmp_path / "x", "1 2\n3 4 5 6\n") is None  # machines out of 0..1
