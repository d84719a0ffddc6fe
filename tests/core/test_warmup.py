"""`schedkit warmup` and the compile-time helper every method can use."""

from __future__ import annotations

import importlib
import inspect
import time

from click.testing import CliRunner

import schedkit
from schedkit import family as families
from schedkit import warmup as warming
from schedkit.cli import main
from schedkit.common.compile import (
    add_compile_seconds,
    compile_later,
    compile_once,
    compiling,
    is_kernel,
    wait_for_compiling,
)
from schedkit.dag.heuristics.kernels import longest_path
from schedkit.warmup import generated_instances, kernels, warm_ups, warmup


def test_compile_once_runs_its_warm_call_once_per_key():
    """The first call runs the warm-up and reports its seconds; later calls report 0.0."""
    calls = []
    first = compile_once("test.key", lambda: calls.append(1))
    assert first >= 0.0 and calls == [1]
    assert compile_once("test.key", lambda: calls.append(2)) == 0.0 and calls == [1]
    assert add_compile_seconds({"compile_seconds": 1.0}, 0.5) == {"compile_seconds": 1.5}


def test_kernels_are_found_by_walking_a_family():
    """Numba dispatchers are found generically in a family's modules (no list to maintain)."""
    found = kernels("dag")
    assert is_kernel(longest_path)
    assert "schedkit.dag.heuristics.kernels.longest_path" in found


def test_warm_up_hooks_take_no_argument():
    """`warmup` calls every family's module-level `warm_up()` hooks bare (jobshop's ig and tabu,
    vmr's); SMTT bdp's `warm_up(p, d, w, before)` is its method's helper and is left out."""
    hooks = {name: [f"{hook.__module__}.{hook.__name__}" for hook in warm_ups(name)]
             for name in families.all_families()}
    assert "schedkit.jobshop.heuristics.ig.warm_up" in hooks["jobshop"]
    assert "schedkit.jobshop.heuristics.tabu.warm_up" in hooks["jobshop"]
    assert "schedkit.rcpsp.heuristics.compiled.warm_up" in hooks["rcpsp"]  # the GA's kernels
    assert not hooks["smtt"]
    for found in hooks.values():
        for hook in found:
            module, _, name = hook.rpartition(".")
            assert not [p for p in inspect.signature(getattr(importlib.import_module(module), name))
                        .parameters.values() if p.default is inspect.Parameter.empty]


def test_generators_give_tiny_instances():
    """Each family's generators are called with small numbers for their required arguments."""
    assert generated_instances("dag") and generated_instances("pods")


def test_warmup_command_warms_a_family():
    """`schedkit warmup dag` runs dag's methods and prints a row; an unknown family is exit 2."""
    result = CliRunner().invoke(main, ["warmup", "dag", "--limit", "0.5"])
    assert result.exit_code == 0, result.output
    assert "dag" in result.output
    assert CliRunner().invoke(main, ["warmup", "nope"]).exit_code == 2


def test_dag_and_pods_methods_report_compile_seconds():
    """Methods that compile kernels say how long that took in stats (0.0 once compiled)."""
    dag = schedkit.generate.dag(6, 2, 0)
    pods = schedkit.generate.pods(2, 2, 2, 0.5, seed=0)
    for instance, method in ((dag, "heft"), (dag, "cpsat"), (pods, "kube-default"), (pods, "cpsat")):
        result = schedkit.solve(instance, method, time_limit=5, workers=1)
        assert result.stats["compile_seconds"] >= 0.0


def test_a_limit_no_run_can_take_is_refused():
    """--limit 0, -1, nan or 1e308: every run was refused, each refusal swallowed as a skipped
    method, and warmup compiled nothing yet exited 0; now exit 2 naming --limit. (A compilation
    an earlier test left running is waited for first: on a cold cache in CI its stderr message
    once left CliRunner's capture.)"""
    wait_for_compiling()
    for limit in ("0", "-1", "nan", "1e308"):
        result = CliRunner().invoke(main, ["warmup", "pods", "--limit", limit])
        assert result.exit_code == 2 and "--limit" in result.stderr, result.output


def test_warmup_tells_which_family_it_starts():
    """`on_family(name, k, n)` hears each family before it is warmed (the CLI's progress line:
    a cold cache takes minutes), in order."""
    heard = []
    rows = warmup(["dag", "pods"], 0.5, on_family=lambda *seen: heard.append(seen))
    assert heard == [("dag", 1, 2), ("pods", 2, 2)] and [r.family for r in rows] == ["dag", "pods"]


def test_a_family_row_ends_after_the_compilations_its_runs_left_running(monkeypatch):
    """A 1 s run that answers without its kernels leaves them compiling on a helper thread; the
    family's row waited for none of them, so `make run` printed its table (rcpsp 19 s, 11 of 42
    kernels) and then waited 45 s more after it, silently. Now the row ends when they do."""
    done = []

    def slow_compile() -> None:
        time.sleep(0.3)
        done.append(True)

    wait_for_compiling()
    monkeypatch.setattr(warming, "methods", lambda name: [])
    monkeypatch.setattr(warming, "warm_ups", lambda name: [lambda: compile_later("test.slow", slow_compile)])
    row = warming.warm_family("dag")
    assert done == [True] and not compiling() and row.seconds >= 0.3
