"""Hostile input files through the CLI: refused with one line naming the file (exit 2), never
read silently wrong (a key given twice, a file of no instance)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import EXIT_BAD_INPUT, main
from schedkit.errors import ParseError
from tests.conftest import ROOT


def _refused(*args: str, naming: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("schedkit: error:") and naming in lines[0]
    return lines[0]


@pytest.mark.parametrize(("name", "text"), [
    ("x.json", '{"family": "smtt", "p": [1], "d": [5], "p": [9]}'),  # was read as p = [9]
    ("x.jsonl", '{"family": "smtt", "p": [1], "d": [5]}\n{"family": "smtt", "p": [1], "d": [5], "d": [1]}\n'),
    ("x.json", '{"family": "smtt", "p": [1], "d": [5], "meta": {"a": 1, "a": 2}}'),
])
def test_a_key_given_twice_is_refused(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    line = _refused("solve", str(path), "-m", "edd", naming=str(path))
    assert "twice" in line


def test_a_solution_with_a_key_given_twice_is_refused(tmp_path):
    """check read the last "sequence" of two and judged that one."""
    instance = tmp_path / "x.json"
    instance.write_text('{"family": "smtt", "p": [1, 2], "d": [5, 5]}')
    solution = tmp_path / "s.json"
    solution.write_text('{"sequence": [0, 1], "sequence": [1, 0]}')
    assert "twice" in _refused("check", str(instance), str(solution), naming=str(solution))


def test_a_file_of_no_instance_is_refused(tmp_path):
    """SatNet's `{}` solved nothing, printed an empty table and exited 0."""
    path = tmp_path / "problems.json"
    path.write_text("{}")
    _refused("solve", str(path), "--format", "satnet", naming=str(path))
    with pytest.raises(ParseError, match="at least one instance"):
        list(schedkit.load_all(path, format="satnet"))


@pytest.mark.parametrize("key", ["seed", "time_limit", "workers", "method", "instance"])
def test_an_option_naming_a_solve_argument_is_refused(tmp_path, key):
    """`-o seed=3` reached solve() twice: TypeError, exit 3 ("internal error")."""
    path = tmp_path / "x.json"
    path.write_text('{"family": "smtt", "p": [1, 2], "d": [5, 5]}')
    _refused("solve", str(path), "-m", "atc", "-o", f"{key}=3", naming=f"-o {key}=3")


@pytest.mark.parametrize(("args", "naming"), [
    (["generate", "smtt", "--n", "3", "--tf", "0.5", "--rdd", "0.5", "-o", "{tmp}"], "{tmp}"),
    (["solve", "x.json", "-t", "abc"], "--time-limit"),
    (["solve"], "FILES"),
    (["nope"], "nope"),
    (["bench", "s.toml", "-j", "0"], "--jobs"),
])
def test_a_usage_error_is_one_line(tmp_path, args, naming):
    """Click printed usage errors on three lines (Usage:, Try ..., Error: ...), e.g. an output
    path that is a directory for `generate -o`."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    line = _refused(*args, naming=naming.replace("{tmp}", str(tmp_path)))
    assert "--help" in line


def test_two_lines_with_one_id_are_refused(tmp_path):
    """`file#1` picked the first of three lines with id 1, and all three were named file#1."""
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": 1, "family": "smtt", "p": [1], "d": [5]}\n'
                    '{"id": "1", "family": "smtt", "p": [7], "d": [1]}\n')
    line = _refused("solve", f"{path}#1", "-m", "edd", naming=f"{path}:2")
    assert "line 1" in line


def test_a_small_stg_file_cannot_ask_for_gigabytes(tmp_path):
    """stg:4096 spread a 1.5 MB file of 100,000 tasks over 4096 processors: 3 GiB of costs,
    allocated before any check (MemoryError, exit 3, or the machine's memory)."""
    n = 100_000
    lines = [str(n), "0 0 0", *(f"{i} 5 1 {i - 1}" for i in range(1, n + 1)), f"{n + 1} 0 1 {n}"]
    path = tmp_path / "big.stg"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ParseError, match="tasks x processors"):
        schedkit.load(path, format="stg:4096")


def test_a_utf16_file_is_named_as_such(tmp_path):
    """A UTF-16 file (Windows Notepad's 'Unicode') was refused as 'byte 0xff at offset 0'."""
    path = tmp_path / "x.json"
    path.write_bytes('{"family": "smtt", "p": [1], "d": [5]}'.encode("utf-16"))
    assert "UTF-16" in _refused("solve", str(path), "-m", "edd", naming=str(path))


def test_solve_json_is_standard_json_that_check_reads(tmp_path):
    """ttl-opt with warmup=1 never switches (switch_time = inf): solve --json wrote Infinity,
    which JSON has not, and check refused the file solve had just written."""
    results = tmp_path / "r.json"
    trace = str(ROOT / "instances" / "serving" / "swe-8.jsonl")
    runner = CliRunner()
    assert runner.invoke(main, ["solve", trace, "-m", "ttl-opt", "-o", "warmup=1",
                                "--json", str(results)]).exit_code == 0
    assert "Infinity" not in results.read_text() and "NaN" not in results.read_text()
    assert runner.invoke(main, ["check", trace, str(results)]).exit_code == 0
