"""`schedkit.check` on a result's JSON judges its claims too: a bound above the recomputed
objective, or `optimal` without bound == objective, is a violation (it passed, exit 0)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.cli import main
from tests.conftest import ROOT

SAMPLE = ROOT / "instances" / "smtt" / "sample_wt40_1.json"


def _claims() -> tuple[schedkit.SMTTInstance, dict]:
    instance = schedkit.load(SAMPLE)
    return instance, schedkit.solve(instance, "edd").to_dict()


@settings(max_examples=30, deadline=None)
@given(st.integers(-10**6, 10**6), st.sampled_from(["optimal", "feasible"]))
def test_a_claim_passes_exactly_when_it_could_be_true(shift, status):
    instance, data = _claims()
    objective = data["objective"]
    data.update(bound=objective + shift, status=status)
    report = schedkit.check(instance, data)
    assert report.objective == objective
    assert report.feasible == (shift <= 0 and (status == "feasible" or shift == 0))


def test_the_cli_rejects_a_bound_above_the_objective(tmp_path):
    instance, data = _claims()
    data["bound"] = data["objective"] + 1
    path = tmp_path / "r.json"
    path.write_text(json.dumps([data]))
    result = CliRunner().invoke(main, ["check", str(SAMPLE), str(path)])
    assert result.exit_code == 1 and "no lower bound can be" in result.output
