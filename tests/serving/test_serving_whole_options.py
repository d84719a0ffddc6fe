"""A whole-number option given in float notation (`-o rounds=1e12`, `5.0`: JSON reads floats) is
the whole number it spells; fractions, booleans, NaN, the infinities and values from 2^62 stay
refused. ttl-opt's rounds that large is a count the deadline ends, nothing is allocated by it."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.errors import InvalidOption
from schedkit.registry import lookup


@pytest.mark.parametrize(("value", "read"), [(1e12, 10**12), (5.0, 5), (-0.0, 0), (2.0**61, 2**61)])
def test_a_whole_float_is_read_as_the_integer_it_spells(value, read):
    """The method receives an int, not the float."""
    checked = lookup("serving", "ttl-opt").check_options({"rounds": value})
    assert checked["rounds"] == read and type(checked["rounds"]) is int


@pytest.mark.parametrize("value", [2.5, 1e-3, True, math.nan, math.inf, -math.inf, 2.0**62, "5"])
def test_what_is_no_whole_number_stays_refused(value):
    """2.0**62 is beyond the limit of every whole number (±2^62), as 2**62 is."""
    with pytest.raises(InvalidOption, match="rounds"):
        lookup("serving", "ttl-opt").check_options({"rounds": value})


def test_a_float_option_keeps_its_float():
    """Only options whose kind is whole are read as integers: warmup=1.0 stays 1.0."""
    assert type(lookup("serving", "ttl-opt").check_options({"warmup": 1.0})["warmup"]) is float


def test_cli_rounds_1e12_runs_within_the_limit_as_a_count(tmp_path):
    """-o rounds=1e12 was refused as 'not a whole number'; now ttl-opt tunes until its deadline
    (a count of rounds: nothing allocated by it) and answers with a checked plan."""
    programs = schedkit.generate.serving(6, "bfcl", seed=3).to_dict()["programs"]
    trace = tmp_path / "t.jsonl"
    trace.write_text("".join(json.dumps(p) + "\n" for p in programs))
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(main, ["solve", str(trace), "-m", "ttl-opt", "-t", "1", "-o", "rounds=1e12",
                                       "--json", str(out)])
    assert result.exit_code == 0, result.output
    (answer,) = json.loads(out.read_text())
    assert answer["status"] == "feasible", answer
