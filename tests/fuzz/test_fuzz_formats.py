"""Fuzzing every input format of every family: each damaged file loads (and its heuristic
solution passes the checker) or is refused with a one-line SchedkitError; nothing else.

The formats are found generically (tests/fuzz/samples.py), so a new family's readers are fuzzed
as soon as it lands. `make fuzz` runs the same cases at length (benchmarks/fuzz.py).
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedkit import family as families
from tests.fuzz.cases import run_case
from tests.fuzz.mutations import MUTATIONS
from tests.fuzz.samples import Sample, samples

CASES_PER_FORMAT = int(os.environ.get("SCHEDKIT_FUZZ_CASES", "25"))  # per format; make fuzz runs more
_FOLDER = Path(tempfile.mkdtemp(prefix="schedkit-fuzz-"))
SAMPLES = samples(_FOLDER / "samples")


def test_every_family_format_has_a_sample():
    """Each family's readers (and the project's JSON / JSON lines) are covered."""
    keys = {s.key for s in SAMPLES}
    for name, fam in families.all_families().items():
        for fmt in ["json", "jsonl", *fam.readers]:
            assert f"{name}/{fmt}" in keys


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.key for s in SAMPLES])
@settings(max_examples=CASES_PER_FORMAT, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_damaged_files_load_or_are_refused(sample: Sample, rng: random.Random):
    """Truncations, byte flips, swapped lines, odd numbers, absurd headers, deep nesting, wrong
    JSON types, non-UTF-8 bytes; a BOM or CRLF alone must still load."""
    outcome = run_case(sample, rng, _FOLDER / "case")
    assert outcome.verdict != "crashed", f"{sample.key} {outcome.mutations}: {outcome.detail}"


@pytest.mark.parametrize("name", ["bom", "crlf"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.key for s in SAMPLES])
def test_harmless_changes_still_load(sample: Sample, name: str):
    """A UTF-8 byte-order mark or Windows line ends: every format still loads the file."""
    rng = random.Random(0)
    outcome = run_case_with(sample, name, rng)
    assert outcome.verdict == "loaded", outcome.detail


def run_case_with(sample: Sample, name: str, rng: random.Random):
    """run_case with exactly one mutation, `name` (on every file of a directory sample too)."""
    only = MUTATIONS[name]
    return run_case(sample, rng, _FOLDER / "case", lambda data, _: (only(data, rng), [name]))
