"""The shutdown simulator: determinism, zero shutdowns, every policy's run is a valid schedule."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.errors import InvalidInstance, SchedkitError
from schedkit.jobshop import simulate as jobshop_simulate
from schedkit.jobshop.heuristics.blocking import run_blocking_rule
from schedkit.jobshop.heuristics.rules import run_rule
from schedkit.jobshop.shutdowns import Shutdowns
from schedkit.jobshop.simulate import policies
from schedkit.jobshop.simulate_gantt import down_periods
from tests.jobshop.conftest import CLASSIC


@pytest.fixture(scope="module")
def ft06() -> schedkit.JobShopInstance:
    return schedkit.load(CLASSIC / "ft06")


@pytest.mark.parametrize("blocking", [False, True])
def test_zero_shutdowns_reproduce_the_plan(ft06, blocking: bool) -> None:
    """Right-shift of a plan without failures is the plan; a rule online is the rule offline
    (non-delay for buffers, the blocking simulation without)."""
    instance = ft06.replace(buffers="blocking") if blocking else ft06
    plan = schedkit.solve(instance, "mwkr")
    run = schedkit.simulate(instance, "right-shift", 0.0, 0, plan=plan)
    assert run.makespan == plan.objective and run.shutdowns == 0
    for rule in ("spt", "mwkr", "mor"):
        offline = run_blocking_rule(instance, rule) if blocking else run_rule(instance, f"{rule}-nd")
        assert schedkit.simulate(instance, rule, None, 0).makespan == offline.objective


@pytest.mark.parametrize("blocking", [False, True])
@pytest.mark.parametrize("policy", ["spt", "random", "right-shift"])
def test_deterministic_for_a_seed(ft06, blocking: bool, policy: str) -> None:
    """Same seed, same run; shutdowns only delay (never beat the failure-free run of a plan)."""
    instance = ft06.replace(buffers="blocking") if blocking else ft06
    plan = schedkit.solve(instance, "spt")
    first = schedkit.simulate(instance, policy, 0.05, 3, plan=plan)
    second = schedkit.simulate(instance, policy, 0.05, 3, plan=plan)
    assert first.makespan == second.makespan and (first.start == second.start).all()
    assert first.shutdowns > 0
    if policy == "right-shift":
        assert first.makespan >= plan.objective


def test_reschedule_runs_and_keeps_job_order(ft06) -> None:
    """reschedule re-solves at shutdowns; its operations start in job order after processing."""
    instance = ft06.replace(buffers="blocking")
    plan = schedkit.solve(instance, "mwkr")
    run = schedkit.simulate(instance, "reschedule", 0.05, 1, plan=plan, reschedule_seconds=0.3,
                            max_reschedules=2)
    assert 1 <= run.reschedules <= 2
    for j in range(instance.n):
        ops = range(int(instance.job_ptr[j]), int(instance.job_ptr[j + 1]))
        for o in list(ops)[:-1]:
            assert run.start[o + 1] >= run.end[o] >= run.start[o]


def test_policy_rules_are_the_rule_methods() -> None:
    """The simulator's rule names are the dispatching kernel's (kept apart so `import schedkit`
    loads no numba)."""
    import sys

    from schedkit.jobshop.heuristics.dispatch import RULES

    assert policies()[:len(RULES)] == list(RULES)
    assert "schedkit.jobshop.simulate" in sys.modules


def test_bad_arguments_are_schedkit_errors(ft06) -> None:
    """Unknown policy, a probability outside [0, 1), an empty repair range."""
    assert "reschedule" in policies()
    with pytest.raises(SchedkitError, match="unknown policy"):
        schedkit.simulate(ft06, "nope")
    with pytest.raises(InvalidInstance):
        Shutdowns(1.5)
    with pytest.raises(InvalidInstance):
        Shutdowns(0.1, 9, 3)


def test_cli_simulate(tmp_path) -> None:
    """`schedkit simulate` prints mean and spread over seeds."""
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--blocking", "--policy", "mor",
                                    "--shutdown", "0.02", "--seeds", "3"])
    assert run.exit_code == 0, run.output
    assert "mean" in run.output and "std" in run.output


def test_a_repair_time_beyond_the_durations_limit_is_refused() -> None:
    """Repair times are durations (at most 10^9): --repair 5-10^20 was an internal error
    (numpy's int64 bound), now bad input, exit 2."""
    with pytest.raises(InvalidInstance, match="repair_high"):
        Shutdowns(0.1, 5, 10**20)
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--shutdown", "0.1",
                                    "--repair", "5-99999999999999999999", "--seeds", "2"])
    assert run.exit_code == 2 and "repair_high" in run.stderr, run.output


def test_machines_down_almost_always_end_in_an_error_not_a_hang(ft06, monkeypatch) -> None:
    """p = 0.999999: an operation almost never progresses; the run stops at the event cap
    with a message naming the probability (the cap lowered so the test is quick)."""
    monkeypatch.setattr(jobshop_simulate, "MAX_EVENTS", 2_000)
    with pytest.raises(SchedkitError, match="p = 0.999999"):
        schedkit.simulate(ft06, "mwkr", Shutdowns(0.999999), seed=1)
    assert schedkit.simulate(ft06, "mwkr", Shutdowns(0.1), seed=1).makespan >= 55


@pytest.mark.parametrize("repair", ["\u00b2-5", "1-\u2075", "5", "a-b", "-3-5"])
def test_a_repair_range_that_is_not_two_whole_numbers_is_named(repair: str) -> None:
    """Regression: '²-5' passed str.isdigit, then int() raised: 'internal error', exit 3."""
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--shutdown", "0.05",
                                    "--seeds", "1", "--repair", repair])
    assert run.exit_code == 2 and "--repair" in run.output + run.stderr


@pytest.mark.parametrize("flag", ["--plan-time", "--reschedule-seconds"])
@pytest.mark.parametrize("value", ["0", "-1", "nan", "1e308"])
def test_simulate_time_flags_are_named_when_wrong(flag: str, value: str) -> None:
    """A bad plan or replan time names its flag (it used to say time_limit), exit 2."""
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--policy", "reschedule",
                                    "--shutdown", "0.05", "--seeds", "1", flag, value])
    assert run.exit_code == 2 and flag in run.output + run.stderr


def test_summary_reports_each_seed_and_refuses_absurd_seed_counts(ft06) -> None:
    """`on_progress` hears the plan, then 0..N seeds run, in order (the CLI's progress line); a
    seed count that is not a whole number in 1..MAX_SEEDS is refused before any run (every run
    is kept for the summary)."""
    heard: list[str] = []
    line = jobshop_simulate.simulation_summary(ft06, "right-shift", 0.05, "5-15", 2, plan_time=1,
                                               on_progress=heard.append)
    assert heard == ["planning with cpsat", "0 of 2 seeds run", "1 of 2 seeds run", "2 of 2 seeds run"]
    assert "2 seeds" in line
    for seeds in (0, True, 2.5, jobshop_simulate.MAX_SEEDS + 1):
        with pytest.raises(SchedkitError, match="--seeds"):
            jobshop_simulate.simulation_summary(ft06, "spt", 0.05, "5-15", seeds)
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--seeds", "100000000"])
    assert run.exit_code == 2 and "--seeds" in run.output + run.stderr


def test_simulate_json_holds_every_seed_and_agrees_with_the_line(ft06, tmp_path) -> None:
    """`--json -` prints the record alone; `--json FILE` writes it and prints the line. Each seed's
    makespan is the one `schedkit.simulate` gives for that seed, and the summary is theirs."""
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--blocking", "--policy", "spt",
                                    "--shutdown", "0.05", "--seeds", "4", "--json", "-"])
    assert run.exit_code == 0, run.output
    record = json.loads(run.stdout)
    blocking = ft06.replace(buffers="blocking")
    assert record["makespans"] == [schedkit.simulate(blocking, "spt", Shutdowns(0.05), seed=s).makespan
                                   for s in range(4)]
    assert record["min"] == min(record["makespans"]) and record["max"] == max(record["makespans"])
    assert abs(record["mean"] - sum(record["makespans"]) / 4) < 1e-3 and record["plan"] is None
    path = tmp_path / "runs.json"
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--blocking", "--policy", "spt",
                                    "--shutdown", "0.05", "--seeds", "4", "--json", str(path)])
    assert run.exit_code == 0 and json.loads(path.read_text()) == record
    assert run.stdout.strip() == jobshop_simulate.summary_line(record)
    missing = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--json",
                                        str(tmp_path / "no" / "x.json")])
    assert missing.exit_code == 2 and "--json" in missing.stderr


def test_a_plan_for_another_objective_is_named_in_the_summary():
    """The summary compares realized makespans with the plan's objective: on a weighted
    tardiness shop it printed "makespan mean 11.0 ... plan 17" as if the plan's makespan were
    17. The plan's measure is named when it is not the makespan."""
    shop = schedkit.JobShopInstance.from_jobs(
        [[(0, 3), (1, 2)], [(1, 4), (0, 1)]], 2, release=[1, 2], due=[5, 6], weight=[2, 3],
        objective="weighted_tardiness", name="x")
    record = jobshop_simulate.simulation_record(shop, "right-shift", 0.0, "5-15", 1, "spt", 1.0)
    assert record["plan"]["measure"] == "weighted_tardiness"
    assert f"plan weighted_tardiness {record['plan']['objective']} (spt)" in \
        jobshop_simulate.summary_line(record)
    plain = jobshop_simulate.simulation_record(shop.replace(objective="makespan", due=None,
                                                            weight=None),
                                               "right-shift", 0.0, "5-15", 1, "spt", 1.0)
    assert f"plan {plain['plan']['objective']} (spt)" in jobshop_simulate.summary_line(plain)


def test_an_unknown_plan_method_is_named_whatever_the_policy() -> None:
    """`--plan-method nope` with a rule policy (no plan made) was silently ignored."""
    run = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--policy", "spt",
                                    "--plan-method", "nope", "--seeds", "2"])
    assert run.exit_code == 2 and "nope" in run.output


def test_seeds_beyond_2_32_draw_their_own_shutdowns(ft06) -> None:
    """Regression: the timelines took the seed's low 32 bits only, so seeds 7, 2^32 + 7 and
    2^40 + 7 met the same shutdowns (mwkr: 78 each time, 21 shutdowns). Seeds below 2^32 keep
    their timelines (common random numbers across policies and earlier runs)."""
    shutdowns = Shutdowns(0.05, 2, 9)
    periods = [down_periods(shutdowns, seed, 0, 10_000) for seed in (7, 2**32 + 7, 2**40 + 7, 2**62)]
    assert len({tuple(p) for p in periods}) == len(periods)
    assert periods[0][:3] == [(13, 20), (31, 40), (57, 59)]
