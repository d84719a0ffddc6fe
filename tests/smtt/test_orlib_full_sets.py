"""The full OR-Library wt50 and wt100 files: they parse into 125 instances each, agree with the
bundled samples, and `bdp` proves listed wt100 optima exactly (where the two best-known lists
disagree, the lower one is the optimum)."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from tests.conftest import SMTT, agrees_with


def _optima(n: int) -> list[int]:
    return [int(v) for v in (SMTT / f"wtopt{n}.txt").read_text().split()]


@pytest.mark.parametrize("n", [50, 100])
def test_full_file_parses_and_matches_the_samples(n):
    """125 instances of n jobs with 125 optima; the bundled sample instances are the same jobs."""
    instances = list(schedkit.load_all(SMTT / f"wt{n}.txt"))
    optima = _optima(n)
    assert len(instances) == len(optima) == 125
    assert all(x.n == n for x in instances)
    for sample in schedkit.load_all(SMTT / f"orlib_weighted{n}_sample.jsonl"):
        k = int(sample.name.split("#")[1])  # named wt<n>#k
        matches = [i for i, x in enumerate(instances) if np.array_equal(x.p, sample.p)
                   and np.array_equal(x.d, sample.d) and np.array_equal(x.w, sample.w)]
        assert len(matches) == 1, sample.name
        assert matches[0] == k - 1
        assert optima[matches[0]] == sample.meta["opt"]


@pytest.mark.parametrize("k", [111, 116])
def test_bdp_proves_wt100_optimum(k):
    """#111 and #116, where wtbest100a is higher than the optimum: bdp proves the lower value."""
    instance = schedkit.load(f"{SMTT / 'wt100.txt'}#{k}")
    result = schedkit.solve(instance, "bdp", workers=1)
    agrees_with(instance, result, _optima(100)[k - 1], proven=True)
