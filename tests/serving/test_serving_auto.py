"""`auto` for serving: the best deployable policy it had time for, never srpt, checked."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.cli import main
from schedkit.serving.auto import SINGLE_PASS


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), workload=st.sampled_from(["swe", "bfcl"]),
       load=st.sampled_from([0.5, 0.9]))
def test_auto_is_no_worse_than_continuum_and_names_what_it_chose(seed, workload, load):
    """With the default budget every single-pass policy runs (tiny traces), so auto's mean JCT is
    at most each of theirs (the simulator is deterministic); its log passes the checker."""
    instance = schedkit.generate.serving(15, workload, load=load, seed=seed)
    result = schedkit.solve(instance, "auto")
    assert schedkit.check(instance, result).feasible
    tried = dict(part.rsplit(" ", 1) for part in result.stats["tried"].split(", "))
    assert set(SINGLE_PASS) <= set(tried) and "srpt" not in tried
    assert result.stats["chosen"] in tried
    for name in SINGLE_PASS:
        assert result.objective <= schedkit.solve(instance, name).objective + 1e-9


def test_solve_without_a_method_serves_a_trace(tmp_path):
    """`schedkit solve trace.jsonl` (the default method is auto) works for serving too."""
    path = tmp_path / "trace.jsonl"
    schedkit.dump(schedkit.generate.serving(6, "bfcl", seed=1), tmp_path / "x.json")
    run = CliRunner().invoke(main, ["convert", str(tmp_path / "x.json"), str(path), "--to", "serving-trace"])
    assert run.exit_code == 0, run.output
    run = CliRunner().invoke(main, ["solve", str(path)])
    assert run.exit_code == 0, run.output
    assert "auto (" in run.output
