"""CLI exit codes: 0 ok, 1 a failed check, 2 bad input, 3 a bug (docs/cli-exit-codes.md)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from schedkit import registry
from schedkit.cli import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERNAL_ERROR, main
from schedkit.result import Result


@pytest.fixture()
def crashing_method():
    """A real registered smtt method whose body is a bug (a TypeError), removed afterwards."""

    def crash(instance, options) -> Result:
        raise TypeError("unsupported operand type(s) for +: 'int' and 'NoneType'")

    registry.register("smtt", "test-crash", exact=False, description="raises a TypeError")(crash)
    yield "test-crash"
    registry._METHODS.pop(("smtt", "test-crash"), None)


def _smtt(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"family": "smtt", "p": [2, 3], "d": [2, 4]}))
    return str(path)


def test_codes_are_distinct():
    """A failed check, bad input and a bug are told apart by scripts."""
    assert len({EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR}) == 3
    assert (EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR) == (1, 2, 3)


def test_an_unexpected_exception_is_an_internal_error(tmp_path, crashing_method, monkeypatch):
    """A bug inside a method: one line 'internal error (please report)', exit 3, no traceback."""
    monkeypatch.delenv("SCHEDKIT_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["solve", _smtt(tmp_path), "-m", crashing_method])
    assert result.exit_code == EXIT_INTERNAL_ERROR
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error (please report): TypeError" in lines[0]
    assert "SCHEDKIT_DEBUG=1" in lines[0] and "Traceback" not in result.output


def test_schedkit_debug_shows_the_traceback(tmp_path, crashing_method, monkeypatch):
    """SCHEDKIT_DEBUG=1 lets the exception through (click then shows its traceback)."""
    monkeypatch.setenv("SCHEDKIT_DEBUG", "1")
    result = CliRunner().invoke(main, ["solve", _smtt(tmp_path), "-m", crashing_method])
    assert isinstance(result.exception, TypeError)


@pytest.mark.parametrize("content", [
    b"\xff\xfe not utf-8", b"[" * 1100, b'{"family": "smtt", "p": [1, NaN], "d": [1, 2]}',
    b'{"family": {}, "p": [1], "d": [1]}', b'{"family": "smtt", "p": [1], "d": [1], "meta": "x"}',
])
def test_bad_json_files_exit_2(tmp_path, content):
    """Undecodable bytes, deep nesting, NaN and wrong types: exit 2 with one line naming the file."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]


def test_check_of_an_infeasible_solution_exits_1(tmp_path):
    """`check` finding a broken solution is a failed test (1), not a bug (3)."""
    solution = tmp_path / "s.json"
    solution.write_text(json.dumps({"sequence": [0, 0]}))
    result = CliRunner().invoke(main, ["check", _smtt(tmp_path), str(solution)])
    assert result.exit_code == EXIT_CHECK_FAILED and "infeasible" in result.output
