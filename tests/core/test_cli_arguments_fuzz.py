"""Any text in solve's numeric flags and -o options: the run answers (0) or refuses in one line
(2); never a traceback or an internal error (3)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedkit.cli import EXIT_BAD_INPUT, main

NUMBERS = st.one_of(
    st.sampled_from(["0", "-1", "nan", "-nan", "inf", "-inf", "1e308", "1e-320", "True", "", " ",
                     "1_000", "0x10", "٣", "99999999999999999999999", "-0", "1e9", "2147483647"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=6),
)
OPTION_VALUES = st.one_of(NUMBERS, st.sampled_from(["true", "null", "[]", "{}", '"x"', "[1]", "1e400"]))


def _instance(folder: Path) -> str:
    path = folder / "x.json"
    if not path.exists():
        path.write_text('{"family": "smtt", "p": [2, 3, 1], "d": [2, 4, 3]}')
    return str(path)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flag=st.sampled_from(["--time-limit", "--seed", "--workers"]), value=NUMBERS)
def test_numeric_flags(tmp_path, flag, value):
    result = CliRunner().invoke(main, ["solve", _instance(tmp_path), "-m", "edd", flag, value])
    assert result.exit_code in (0, EXIT_BAD_INPUT), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["atc", "dynasearch", "mip", "dp", "bnb"]),
       key=st.sampled_from(["k", "iterations", "kick", "solver", "gap", "nope", "seed"]),
       value=OPTION_VALUES)
def test_method_options(tmp_path, method, key, value):
    result = CliRunner().invoke(main, ["solve", _instance(tmp_path), "-m", method, "-t", "5",
                                       "-o", f"{key}={value}"])
    assert result.exit_code in (0, EXIT_BAD_INPUT), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
