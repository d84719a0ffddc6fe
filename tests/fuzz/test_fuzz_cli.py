"""The same damaged files through the command line: `solve --json`, then `check` of what it
wrote and `convert` to the project's JSON. Every command ends 0 (check: 0 or 1) or 2 with one
line on stderr; never a traceback, an internal error (3) or a check that refuses a solve."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedkit.cli import EXIT_BAD_INPUT, main
from tests.fuzz.cases import heuristics
from tests.fuzz.mutations import mutate
from tests.fuzz.samples import Sample, samples

_FOLDER = Path(tempfile.mkdtemp(prefix="schedkit-fuzz-cli-"))
SAMPLES = [s for s in samples(_FOLDER / "samples") if s.format == "json" and not s.variant]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _one_line_or_none(code: int, out: str, what: str) -> None:
    assert "Traceback" not in out and "internal error" not in out, f"{what}: {out}"
    if code == EXIT_BAD_INPUT:
        errors = [line for line in out.splitlines() if line.startswith("schedkit: error:")]
        assert len(errors) == 1, f"{what}: {out}"


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.family for s in SAMPLES])
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_damaged_files_through_the_cli(sample: Sample, rng: random.Random):
    case = _FOLDER / "case" / sample.family
    shutil.rmtree(case, ignore_errors=True)
    case.mkdir(parents=True)
    path = case / sample.path.name
    data, names = mutate(sample.path.read_bytes(), rng)
    path.write_bytes(data)
    results = case / "results.json"
    code, out = _run("solve", str(path), "-m", heuristics(sample)[0], "-t", "5", "--json", str(results))
    assert code in (0, EXIT_BAD_INPUT), f"solve {names}: {out}"
    _one_line_or_none(code, out, f"solve {names}")
    if code == 0:
        code, out = _run("check", str(path), str(results))
        assert code == 0, f"check {names}: {out}"
    code, out = _run("convert", str(path), str(case / "copy.json"))
    assert code in (0, EXIT_BAD_INPUT), f"convert {names}: {out}"
    _one_line_or_none(code, out, f"convert {names}")
