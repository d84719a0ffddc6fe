"""The public API: names, errors, options and what every Result carries."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import schedkit
from schedkit import SMTTInstance, UnknownMethod, UnknownOption
from tests.conftest import wt40

INSTANCE = SMTTInstance(p=[4, 2, 3], d=[4, 3, 8], name="tiny")
NAMES = ["edd", "spt", "wspt", "mdd", "atc", "psk", "eddc", "mddc", "mdd-aug", "mddc-aug",
         "dynasearch", "dp", "mip", "cpsat", "bnb", "bdp", "auto"]


def test_public_names():
    """The names scripts depend on exist at the top level."""
    for name in ["load", "load_all", "dump", "solve", "check", "methods", "generate",
                 "InvalidInstance", "ParseError", "UnknownMethod", "SolverUnavailable"]:
        assert hasattr(schedkit, name)
    assert callable(schedkit.generate.smtt)


def test_every_family_gives_its_instance_and_solution_types_at_the_top_level():
    """Each family's types come from `schedkit.<Name>` (ground station and serving were missing)."""
    for family in schedkit.family.all_families():
        model = importlib.import_module(f"schedkit.{family}.model")
        kinds = [name for name in dir(model) if name.endswith(("Instance", "Solution"))
                 and getattr(getattr(model, name), "__module__", "") == model.__name__]
        assert len(kinds) >= 2, family
        for name in kinds:
            assert getattr(schedkit, name) is getattr(model, name) and name in schedkit.__all__


def test_methods_lists_every_issue_name_with_kind():
    """methods() rows are (name, family, kind, description) and cover the issue's list."""
    rows = schedkit.methods("smtt")
    names = {row.name for row in rows}
    assert set(NAMES) <= names
    kinds = {row.name: row.kind for row in rows}
    assert kinds["dp"] == kinds["mip"] == kinds["cpsat"] == "exact"
    assert kinds["edd"] == "heuristic"
    name, family, kind, description = rows[0]
    assert family == "smtt" and kind in {"exact", "heuristic"} and description
    assert schedkit.methods("nope") == []


def test_unknown_method_lists_the_known_ones():
    """A misspelt method raises UnknownMethod naming what exists."""
    with pytest.raises(UnknownMethod, match="known methods: .*dynasearch"):
        schedkit.solve(INSTANCE, "dynasaerch")


def test_unknown_option_is_refused():
    """An option the method does not take is an error, not silently ignored."""
    with pytest.raises(UnknownOption, match="does not take option"):
        schedkit.solve(INSTANCE, "edd", k=3)


def test_result_fields_and_dict():
    """A Result carries family, method, instance, workers and seed, and serialises the sequence."""
    result = schedkit.solve(INSTANCE, "edd", seed=4, workers=1)
    data = result.to_dict()
    assert data["family"] == "smtt" and data["method"] == "edd" and data["instance"] == "tiny"
    assert data["solution"] == {"sequence": [1, 0, 2]}
    assert data["objective"] == 3 and data["stats"]["seed"] == 4  # C = 2, 6, 9: T = 0, 2, 1
    assert "workers" in data["stats"]
    assert "edd" in result.summary() and "objective 3" in result.summary()


def test_bad_time_limit_and_workers():
    """Non-positive budgets and worker counts are refused."""
    with pytest.raises(schedkit.SchedkitError):
        schedkit.solve(INSTANCE, "edd", time_limit=0)
    with pytest.raises(schedkit.SchedkitError):
        schedkit.solve(INSTANCE, "edd", workers=0)


def test_auto_uses_bnb_on_unweighted_instances():
    """auto on an unweighted instance of any size is the exact bnb and proves its optimum."""
    # budgets far beyond the default 60 s: on a cold cache at load 8-10 the kernels' compilation
    # outlasted the 20 % of it a method waits, and the plain fallback answered `feasible`
    result = schedkit.solve(INSTANCE, "auto", time_limit=1800)
    assert result.stats["chosen"] == "bnb"
    assert result.status == "optimal" and result.objective == result.bound == 3  # EDD is optimal here
    assert schedkit.check(INSTANCE, result).feasible
    large = schedkit.generate.smtt(400, tf=0.8, rdd=0.6, seed=2)
    result = schedkit.solve(large, "auto", time_limit=1800)
    assert result.stats["chosen"] == "bnb" and result.status == "optimal"
    assert schedkit.check(large, result).feasible


def test_auto_uses_bdp_on_small_weighted_instances():
    """auto on a small weighted instance is the successive sublimation DP (issue 22)."""
    instance = SMTTInstance(p=[4, 2, 3], d=[4, 3, 8], w=[1, 2, 3])
    result = schedkit.solve(instance, "auto")
    assert result.stats["chosen"] == "bdp" and result.status == "optimal"


def test_auto_uses_bdp_on_weighted_instances():
    """auto on a weighted 40-job instance is bdp, which proves the optimum."""
    instance = wt40(19)
    result = schedkit.solve(instance, "auto")
    assert result.stats["chosen"] == "bdp" and result.status == "optimal"
    assert schedkit.check(instance, result).objective == result.objective


def test_auto_on_a_large_weighted_instance_stays_in_budget():
    """auto on 400 weighted jobs answers with a checked heuristic sequence under a limit (its
    wall time is measured by benchmarks/time_limits.py, never asserted: CI machines are loaded)."""
    instance = schedkit.generate.smtt(400, tf=0.6, rdd=0.6, seed=2, weighted=True)
    result = schedkit.solve(instance, "auto", time_limit=3)
    assert result.stats["chosen"] == "bdp"  # its tables fit: it stops on time with a bound
    assert schedkit.check(instance, result).feasible


@pytest.mark.parametrize("arguments", [
    {"time_limit": 1e308}, {"time_limit": float("nan")}, {"time_limit": "1"},
    {"workers": True}, {"workers": 1.5}, {"workers": "2"}, {"workers": float("nan")}, {"workers": 10**9},
    {"seed": -1}, {"seed": True}, {"seed": 1.5}, {"seed": "x"}, {"seed": float("nan")}, {"seed": 2**63},
])
def test_bad_time_limits_workers_and_seeds_are_schedkit_errors(arguments):
    """Booleans, fractions, NaN, text and values no backend takes (a time limit that overflows a
    thread's timeout, more threads than CP-SAT runs, a seed outside 32 bits or negative) are
    refused naming the argument, for every method alike."""
    name = next(iter(arguments))
    for method in ("edd", "dynasearch", "cpsat"):
        with pytest.raises(schedkit.SchedkitError, match=name):
            schedkit.solve(INSTANCE, method, **arguments)


def test_the_largest_accepted_workers_and_seed_run():
    """The top of each range is a valid call, numpy integers included (no time limit: the proof
    does not depend on the machine's speed)."""
    result = schedkit.solve(INSTANCE, "cpsat", time_limit=None, workers=np.int64(4),
                            seed=schedkit.api.MAX_SEED)
    assert result.status == "optimal" and result.stats["seed"] == schedkit.api.MAX_SEED


@pytest.mark.parametrize(("instance", "method", "match"), [
    ("instances/smtt/wt40.txt#1", "edd", "str is not a schedkit instance"),
    (None, "edd", "NoneType is not a schedkit instance"),
    (SMTTInstance(p=[1], d=[0]), None, "method must be a method's name"),
    (SMTTInstance(p=[1], d=[0]), 5, "method must be a method's name"),
])
def test_a_path_or_a_non_text_method_is_a_schedkit_error(instance, method, match):
    """solve("file", ...) and solve(x, None) raised AttributeError ('str' object has no attribute
    'family'); like check, solve names what it got."""
    with pytest.raises(schedkit.SchedkitError, match=match):
        schedkit.solve(instance, method)
