"""Method options are checked by kind before a run: a boolean is not a number, NaN is no
number, text is no count; every registered default passes its own check."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

import schedkit
from schedkit.errors import InvalidOption
from schedkit.registry import _METHODS, OPTIONAL_TYPES, _load_methods

_load_methods()
METHODS = sorted(_METHODS.values(), key=lambda m: (m.family, m.name))
WRONG = {bool: [1, "yes", None], int: [True, 2.5, "3", math.nan, 2**62, -(2**70)],
         float: [False, math.nan, math.inf, "0.5"], str: [1, True, None]}
WT40 = Path(__file__).resolve().parents[2] / "instances" / "smtt" / "wt40.txt"


def _kind(method, name):
    default = method.options[name]
    return OPTIONAL_TYPES.get(name) if default is None else type(default)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: f"{m.family}-{m.name}")
def test_defaults_pass_and_wrong_kinds_are_refused(method):
    method.check_options(dict(method.options))
    for name in method.options:
        for value in WRONG.get(_kind(method, name), []):
            with pytest.raises(InvalidOption, match=name):
                method.check_options({name: value})


def test_an_integer_is_a_number():
    ga = _METHODS["groundstation", "ffeea"]
    ga.check_options({"threshold": 1, "population": 12})


@pytest.mark.parametrize("option, says", [("population=x", "population='x' is not a whole number"),
                                           ("population=1", "population must be at least 2"),
                                           ("threshold=1.5", "threshold must be in [0, 1]")])
def test_cli_exits_2_with_one_line(tmp_path, option, says):
    """A bad value is the user's input, not a bug: one line, exit 2 (was 'internal error', 3)."""
    instance = schedkit.generate.groundstation(satellites=2, seed=1)
    path = tmp_path / "gs.json"
    schedkit.dump(instance, path)
    run = subprocess.run([sys.executable, "-m", "schedkit", "solve", "-m", "ffeea", "-t", "1",
                          "-o", option, str(path)], capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().count("\n") == 0 and says in run.stderr


def test_method_range_checks_are_invalid_options():
    """bdp's bound kind: refused as an InvalidOption (a ValueError and a SchedkitError)."""
    instance = schedkit.load(f"{WT40}#1")
    with pytest.raises(InvalidOption, match="bound"):
        schedkit.solve(instance, "bdp", time_limit=1, bound="xx")


def test_negative_late_history_is_refused():
    """lns and cpsat's warm start: a negative history is no number of steps."""
    instance = schedkit.generate.groundstation(satellites=2, seed=1)
    with pytest.raises(InvalidOption, match="late_history"):
        schedkit.solve(instance, "lns", time_limit=1, late_history=-1)
