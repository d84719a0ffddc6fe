"""The standard and Taillard readers read a well-shaped body in one pass (numpy); on any other text
they hand over to the line-by-line reader. Both must give the same instance or the same error."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.errors import InvalidInstance, ParseError
from schedkit.jobshop import formats
from tests.jobshop.conftest import classic

SPACES = st.sampled_from([" ", "  ", "\t", " \t ", "\u00a0", "\u2003"])  # the last two: split's, not ours
ODD_TOKENS = st.sampled_from(["x", "1.5", "+3", "--2", "1_0", "9" * 19, "-", "٣", "True", "nan"])


@st.composite
def edited_texts(draw: st.DrawFn, fmt: str) -> str:
    """A small standard or Taillard text, then maybe one edit: an odd token, a token dropped or
    added, a machine out of range, a negative or huge duration, odd spaces, comments, a row less."""
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    machines = [draw(st.permutations(range(m))) for _ in range(n)]
    durations = [[draw(st.integers(0, 99)) for _ in range(m)] for _ in range(n)]
    if fmt == "jobshop":
        rows = [[str(v) for k in range(m) for v in (machines[j][k], durations[j][k])] for j in range(n)]
        header = [str(n), str(m)]
    else:
        rows = [[str(d) for d in row] for row in durations] + [[str(x + 1) for x in row] for row in machines]
        header = [str(n), str(m)] + [str(v) for v in draw(st.lists(st.integers(0, 10**9), max_size=2))]
    row = draw(st.integers(0, len(rows) - 1))
    col = draw(st.integers(0, len(rows[row]) - 1))
    edit = draw(st.sampled_from(["none", "token", "drop", "add", "value", "spaces", "comment", "row"]))
    if edit == "token":
        rows[row][col] = draw(ODD_TOKENS)
    elif edit == "drop":
        del rows[row][col]
    elif edit == "add":
        rows[row].append("1")
    elif edit == "value":
        rows[row][col] = str(draw(st.sampled_from([-1, -7, m, m + 1, 0, 10**9 + 1, 10**17])))
    elif edit == "row":
        del rows[row]
    joints = [draw(SPACES) if edit == "spaces" else " " for _ in range(len(rows))]
    lines = [" ".join(header)] + [joint.join(r) for joint, r in zip(joints, rows, strict=True)]
    if edit == "comment":
        lines.insert(draw(st.integers(0, len(lines))), "# a comment")
        lines[-1] += "  # trailing"
    if fmt == "taillard" and draw(st.booleans()):
        lines.insert(1, "Times")
        lines.insert(2 + n, "Machines")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n\n"]))


def outcome(read, *args) -> object:  # noqa: ANN001
    """The instance's dict, or the error's type and message."""
    try:
        entries = read(*args)
    except (ParseError, InvalidInstance) as error:
        return type(error).__name__, str(error)
    return [(key, instance.to_dict()) for key, instance in entries]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), fmt=st.sampled_from(["jobshop", "taillard"]))
def test_one_pass_reader_answers_as_the_line_by_line_reader(data, fmt):
    """Same instance (same arrays, name and meta) or the same error, line and message, as the
    line-by-line reader on the same text (whose header has been validated first)."""
    text = data.draw(edited_texts(fmt))
    path = Path("/nowhere/shop.txt")
    if fmt == "jobshop":
        fast = outcome(formats.read_standard, path, text, None)
        lines = formats._lines(text)
        n, m, _ = formats._header(path, lines)
        slow = outcome(formats._read_standard_by_line, path, text, n, m)
    else:
        fast = outcome(formats.read_taillard, path, text, None)
        lines = [line for line in formats._lines(text) if not formats._SECTION.match(line[1][0])]
        n, m, extra = formats._header(path, lines)
        meta = {"taillard_header": extra} if extra else {}
        slow = outcome(formats._read_taillard_by_line, path, text, n, m, meta)
    assert fast == slow


def test_well_shaped_files_take_the_one_pass_path(monkeypatch, tmp_path):
    """A plain standard and Taillard text (tabs, comments and section lines too) never reach the
    line-by-line readers, and read as the bundled ft06 reads."""
    def refuse(*args: object) -> None:
        raise AssertionError("read line by line")

    monkeypatch.setattr(formats, "_read_standard_by_line", refuse)
    monkeypatch.setattr(formats, "_read_taillard_by_line", refuse)
    x = classic("ft06").replace(meta={})
    standard = formats.dumps_standard(x).replace(" ", "\t", 3)
    taillard = formats.dumps_taillard(x).split("\n")
    taillard = "\n".join([taillard[0], "Times # durations"] + taillard[1:7] + ["Machines"] + taillard[7:])
    a = formats.read_standard(tmp_path / "ft06", standard, None)[0][1]
    b = formats.read_taillard(tmp_path / "ft06", taillard, None)[0][1]
    assert a == b == x
