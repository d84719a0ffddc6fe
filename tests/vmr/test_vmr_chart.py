"""The VMR chart: free CPU per NUMA node after the migrations gives the checker's objective."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.cli import main
from schedkit.vmr.gantt import free_cpu


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), limit=st.integers(1, 6), method=st.sampled_from(["greedy", "lns"]))
def test_after_the_migrations_the_fragments_sum_to_the_objective(seed, limit, method):
    """Before: the instance's own Σ (free mod F); after: the checker's objective of the plan.
    Migrations move CPU, never create it."""
    instance = schedkit.generate.vmr(machines=6, utilisation=0.8, seed=seed, migration_limit=limit)
    result = schedkit.solve(instance, method, time_limit=2)
    before, after = free_cpu(instance, result.solution)
    size = instance.fragment_size
    assert int(np.sum(before % size)) == instance.initial_objective
    assert int(np.sum(after % size)) == schedkit.check(instance, result).objective
    assert before.sum() == after.sum() and (after >= 0).all()


def test_solve_draws_a_vmr_chart(tmp_path):
    """`solve --gantt` on a VMR instance writes a PNG (it was refused: no chart for vmr)."""
    chart = tmp_path / "vmr.png"
    sample = Path(__file__).resolve().parents[2] / "instances" / "vmr" / "sample_m12.json"
    run = CliRunner().invoke(main, ["solve", str(sample), "-t", "2", "--gantt", str(chart)])
    assert run.exit_code == 0, run.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
