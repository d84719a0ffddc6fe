"""Shared fixtures: the bundled SMTT sets and a brute-force optimum for tiny instances."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

import schedkit
from schedkit.common import compile as compile_module
from tests.verdicts import assert_agrees

# Methods run in the caller's thread, unguarded: with the hard deadline a loaded machine could
# turn a late answer into `unknown`, and verdicts must not depend on machine speed.
# tests/core/test_deadline.py tests the guard itself.
os.environ.setdefault("SCHEDKIT_HARD_DEADLINE", "0")

ROOT = Path(__file__).resolve().parent.parent
SMTT = ROOT / "instances" / "smtt"
DATA = Path(__file__).resolve().parent / "data"

WT40_OPT = [int(v) for v in (SMTT / "wtopt40.txt").read_text().split()]

# One instance of each of the 20 (TF, RDD) classes of smtt_n20.jsonl (40 per class, in order).
CLASS_IDS_N20 = list(range(1, 801, 40))


@pytest.fixture(scope="session")
def smtt_n20() -> dict[int, schedkit.SMTTInstance]:
    """All 800 instances of smtt_n20.jsonl by id."""
    return {int(x.meta["id"]): x for x in schedkit.load_all(SMTT / "smtt_n20.jsonl")}


@pytest.fixture(scope="session")
def smtt_n100() -> dict[int, schedkit.SMTTInstance]:
    """All 200 instances of smtt_n100.jsonl by id."""
    return {int(x.meta["id"]): x for x in schedkit.load_all(SMTT / "smtt_n100.jsonl")}


def brute_force_optimum(instance: schedkit.SMTTInstance) -> int:
    """Σ wT of the best permutation, by enumeration (n <= 8), sharing no code with solvers."""
    best = None
    p, d, w = instance.p.tolist(), instance.d.tolist(), instance.w.tolist()
    for order in itertools.permutations(range(instance.n)):
        time = total = 0
        for j in order:
            time += p[j]
            total += w[j] * max(0, time - d[j])
        best = total if best is None else min(best, total)
    assert best is not None
    return best


def wt40(k: int) -> schedkit.SMTTInstance:
    """Instance k (1-based) of OR-Library wt40."""
    return schedkit.load(f"{SMTT / 'wt40.txt'}#{k}")


@pytest.fixture(autouse=True)
def _no_compilation_outlives_its_test():
    """A numba compilation a test leaves running in the background (a cold cache, as in CI) ends
    with that test: while one runs, the CLI adds a note at exit, which broke a later test's
    one-line assertion in the same worker."""
    yield
    compile_module.wait_for_compiling()


agrees_with = assert_agrees  # the SMTT tests' name for the shared verdict
