"""The family's size limits (MAX_PROGRAMS, MAX_TURNS, MAX_SECONDS) hold in every reader and in
Python, counted before anything is built for them: one line naming the file and field, exit 2.
The limits are lowered here (a real 10^8-turn trace is gigabytes); the code reads them at run time."""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.common.textfile import SNIFF_CHARS
from schedkit.errors import InvalidInstance
from schedkit.serving import model
from schedkit.serving.formats import trace
from schedkit.serving.model import ServingInstance, Turn, build_instance
from schedkit.serving.presets import DEFAULT

PROGRAM = {"arrival": 0, "turns": [
    {"prompt_tokens": 5, "output_tokens": 3, "tool": "bash", "tool_seconds": 1},
    {"prompt_tokens": 5, "output_tokens": 3}]}


@pytest.fixture
def five_turns(monkeypatch):
    """At most five turns in a trace, in the model and in the trace reader."""
    monkeypatch.setattr(model, "MAX_TURNS", 5)
    monkeypatch.setattr(trace, "MAX_TURNS", 5)


def _solve(path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["solve", str(path), "-m", "fcfs"])
    return result.exit_code, result.output


def test_a_trace_beyond_max_turns_is_one_line_naming_file_line_and_turns(tmp_path, five_turns):
    """Three programs of two turns: the third line passes the limit of five."""
    path = tmp_path / "long.jsonl"
    path.write_text("".join(json.dumps({**PROGRAM, "id": f"p{k}"}) + "\n" for k in range(3)))
    code, output = _solve(path)
    assert code == 2 and output.count("\n") == 1, output
    assert f"{path}:3 turns: 2 more turns" in output and "at most 5 in a trace" in output


def _one_long_line(path, turns: int) -> int:
    """A trace of one program of `turns` turns on one line; its size in bytes."""
    tool, last = PROGRAM["turns"]
    path.write_text(json.dumps({"id": "long", "arrival": 0, "turns": [tool] * (turns - 1) + [last]}) + "\n")
    return path.stat().st_size


def test_a_line_beyond_max_turns_is_refused_before_it_is_parsed(tmp_path, five_turns):
    """One line of 5 MB (65,000 turns, past the sniffed prefix): its objects are counted before
    json builds them, so reading it allocates about the file twice (bytes, text) and the sniffer's
    constant share; parsed, it took nine times the file (the generic JSON-lines reader, which
    then found no family)."""
    path = tmp_path / "one_line.jsonl"
    size = _one_long_line(path, 65_000)
    tracemalloc.start()
    try:
        code, output = _solve(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2 and output.count("\n") == 1, output
    assert f"{path}:1 turns: 65,000 more turns" in output and "at most 5 in a trace" in output
    assert peak < 5 * size, (peak, size)


def test_a_line_longer_than_the_sniffed_prefix_is_read_as_a_trace(tmp_path):
    """A valid program line longer than what sniffing sees starts like a program: it is read as a
    trace (it went to the generic JSON-lines reader, which refused it for lack of a family)."""
    path = tmp_path / "one_line.jsonl"
    assert _one_long_line(path, 20_000) > SNIFF_CHARS
    instance = schedkit.load(path)
    assert instance.n == 1 and instance.program_ids == ("long",) and len(instance.prompt) == 20_000


def test_braces_in_text_are_no_turns(tmp_path, five_turns):
    """The count before parsing skips braces inside strings: ids full of them stay within the limit."""
    path = tmp_path / "braces.jsonl"
    ident = "{" * 40 + '"}'
    path.write_text(json.dumps({**PROGRAM, "id": ident}) + "\n")
    assert schedkit.load(path).program_ids == (ident,)


def test_a_trace_within_max_turns_is_read(tmp_path, five_turns):
    """Two programs of two turns stay under the limit of five."""
    path = tmp_path / "short.jsonl"
    path.write_text("".join(json.dumps({**PROGRAM, "id": f"p{k}"}) + "\n" for k in range(2)))
    code, output = _solve(path)
    assert code == 0, output


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_project_json_beyond_max_turns_is_refused_before_its_programs_are_read(tmp_path, five_turns, suffix):
    """Project JSON (and JSON lines of project records) count every program's turns first."""
    path = tmp_path / f"long{suffix}"
    path.write_text(json.dumps({"family": "serving", "programs": [PROGRAM] * 3}) + "\n")
    code, output = _solve(path)
    assert code == 2 and output.count("\n") == 1, output
    assert str(path) in output and "turns: 6 turns (LLM calls) in the trace, at most 5" in output


def test_project_json_beyond_max_programs_is_refused(tmp_path, monkeypatch):
    """Programs are counted before any is read."""
    monkeypatch.setattr(model, "MAX_PROGRAMS", 2)
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"family": "serving", "programs": [PROGRAM] * 3}))
    code, output = _solve(path)
    assert code == 2 and output.count("\n") == 1, output
    assert f"{path}: programs: 3 programs, at most 2" in output


def test_python_instances_hold_the_limits(five_turns):
    """build_instance counts the turns before its arrays; the constructor checks the lengths given."""
    turns = [Turn(5, 3, "bash", 1.0), Turn(5, 3)]
    with pytest.raises(InvalidInstance, match="6 turns"):
        build_instance([(str(k), 0.0, turns) for k in range(3)], DEFAULT)
    with pytest.raises(InvalidInstance, match="6 turns"):
        ServingInstance(program_ids=("a",), arrival=[0.0], turn_ptr=[0, 6], prompt=[1] * 6, output=[1] * 6,
                        tool=[0] * 5 + [-1], tool_seconds=[0.0] * 6, tools=("t",), server=DEFAULT)


@pytest.mark.parametrize("field", ["arrival", "tool_seconds"])
def test_python_instances_hold_max_seconds(field):
    """Times past MAX_SECONDS were refused by the readers only; the constructor refuses them too."""
    fields = {"arrival": np.array([0.0]), "tool_seconds": np.array([1.0, 0.0])}
    fields[field] = fields[field] + 2 * model.MAX_SECONDS
    with pytest.raises(InvalidInstance, match=f"{field} .*from 0 to 1e\\+09"):
        ServingInstance(program_ids=("a",), turn_ptr=[0, 2], prompt=[1, 1], output=[1, 1],
                        tool=[0, -1], tools=("t",), server=DEFAULT, **fields)
