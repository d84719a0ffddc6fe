"""Job shop kernels stop when the hard deadline abandons their run (the stop flag), and a flag never
raised changes nothing: the same schedules, draw for draw, as before the flag existed."""

from __future__ import annotations

import functools
import hashlib

import pytest

import schedkit
from schedkit import deadline
from schedkit.jobshop.generate import jobshop
from schedkit.jobshop.heuristics.blocking_kernels import simulate_blocking
from schedkit.jobshop.heuristics.dispatch import RULES, dispatch, kernel_state
from schedkit.jobshop.heuristics.rules import kernel_arrays, rule_names
from schedkit.jobshop.model import JobShopInstance
from tests.stopping import abandoned_threads_end, digest, raised, solve_threads

# sha256[:12] of the rules' solution digests (tests.stopping.digest, rule_names() order; the walks
# ig then tabu with 300 iterations) on main before the stop flag (commit 158cb99)
BEFORE = {
    ("classic", 0): "9d52fa23536d", ("flexible", 0): "ba68597883f0", ("blocking", 0): "8515c01bd6ac",
    ("walks", 0): "12ee26ca1ff1", ("classic", 1): "f8e33b74b92c", ("flexible", 1): "cbdfc4066007",
    ("blocking", 1): "175d602ec10e", ("walks", 1): "45f5b4ee8a71",
}


def _joined(digests: list[str]) -> str:
    return hashlib.sha256("".join(digests).encode()).hexdigest()[:12]


@pytest.mark.parametrize("seed", [0, 1])
def test_a_flag_never_raised_changes_no_schedule(seed: int) -> None:
    """Every rule on a classic, a flexible and a blocking shop, and the blocking walks, give the
    schedules they gave before."""
    shops = {"classic": jobshop(12, 5, seed), "flexible": jobshop(10, 4, seed, flexible=2),
             "blocking": jobshop(8, 4, seed, blocking=True)}
    for kind, shop in shops.items():
        found = [digest(schedkit.solve(shop, rule, seed=seed).solution) for rule in rule_names()]
        assert _joined(found) == BEFORE[kind, seed], kind
    walks = [digest(schedkit.solve(shops["blocking"], walk, seed=seed, iterations=300).solution)
             for walk in ("ig", "tabu")]
    assert _joined(walks) == BEFORE["walks", seed]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_raised_flags_schedule_nothing(rule: str) -> None:
    """With the flag raised the kernels return at once: nothing scheduled (dispatch: every
    operation at 0 on its first alternative; the blocking simulation: every start at -1)."""
    shop = jobshop(6, 4, seed=3, flexible=2)
    job_ptr, op_ptr, machine, duration, release, due, work = kernel_arrays(shop)
    for nondelay in (False, True):
        start, alt = dispatch(job_ptr, op_ptr, machine, duration, release, due, work, shop.m, RULES[rule],
                              nondelay, kernel_state(0), raised())
        assert not start.any()
        assert (alt == op_ptr[:-1]).all()
    blocking = jobshop(6, 4, seed=3, blocking=True)
    job_ptr, _, machine, duration, release, due, work = kernel_arrays(blocking)
    start, leave, _ = simulate_blocking(job_ptr, machine, duration, release, due, work, blocking.m,
                                        RULES[rule], kernel_state(0), raised())
    assert (start == -1).all() and (leave == -1).all()


@functools.cache
def _many_jobs(blocking: bool) -> JobShopInstance:
    """50,000 jobs on two machines (built once: a few seconds)."""
    return jobshop(50_000, 2, seed=1, blocking=blocking)


@pytest.mark.parametrize(("method", "blocking"), [("mwkr", False), ("auto", False), ("ig", True)])
def test_an_abandoned_run_ends(monkeypatch: pytest.MonkeyPatch, method: str, blocking: bool) -> None:
    """A short limit on a shop of many jobs, where one rule run takes about a minute unstopped
    (its steps scan every job): the abandoned thread ends soon after (polled for up to
    THREAD_END_SECONDS, so that no machine speed fails it)."""
    shop = _many_jobs(blocking)
    schedkit.solve(jobshop(3, 3, seed=1, blocking=blocking), method)  # kernels compiled
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    before = solve_threads()
    result = schedkit.solve(shop, method, time_limit=0.5)
    assert result.solution is None or schedkit.check(shop, result).feasible
    assert abandoned_threads_end(before)
