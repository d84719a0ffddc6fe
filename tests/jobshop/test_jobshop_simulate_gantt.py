"""The chart of a simulated run: the repairs it draws are the ones the run met, and the
held and paused time it shows adds up."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.cli import main
from schedkit.jobshop.shutdowns import Shutdowns
from schedkit.jobshop.simulate import simulate
from schedkit.jobshop.simulate_gantt import DOWN, HELD, RESOLUTION, down_periods, run_bars
from tests.jobshop.conftest import CLASSIC

FT06 = schedkit.load(CLASSIC / "ft06")


def _overlap(periods: list[tuple[int, int]], start: int, end: int) -> int:
    return sum(max(0, min(b, end) - max(a, start)) for a, b in periods)


@settings(max_examples=25, deadline=None)
@given(st.booleans(), st.sampled_from(["spt", "mwkr", "mor"]), st.sampled_from([0.02, 0.05, 0.2]),
       st.integers(0, 10**6))
def test_each_operation_lasts_its_duration_plus_the_repairs_drawn_over_it(
        blocking: bool, policy: str, p: float, seed: int) -> None:
    """An operation pauses exactly while its machine is down, so the drawn repairs explain every
    second of it beyond its duration; none starts while its machine is down."""
    instance = FT06.replace(buffers="blocking") if blocking else FT06
    shutdowns = Shutdowns(p, 2, 9)
    run = simulate(instance, policy, shutdowns, seed)
    for o in range(instance.operations):
        k = int(instance.alt_machine[o])
        periods = down_periods(shutdowns, seed, k, run.makespan)
        start, end = int(run.start[o]), int(run.end[o])
        assert end - start == int(instance.alt_duration[o]) + _overlap(periods, start, end)
        assert not any(a <= start < b for a, b in periods)


@pytest.mark.parametrize("blocking", [False, True])
def test_the_chart_holds_every_operation_its_held_time_and_the_repairs(blocking: bool) -> None:
    instance = FT06.replace(buffers="blocking") if blocking else FT06
    shutdowns = Shutdowns(0.05, 5, 15)
    run = simulate(instance, "mwkr", shutdowns, 3)
    bars = run_bars(instance, run, shutdowns)
    plain = [bar for bar in bars if not bar.hatch]
    assert len(plain) == instance.operations
    assert any(bar.hatch == DOWN for bar in bars) and all(bar.end <= run.makespan for bar in bars)
    assert any(bar.hatch == HELD for bar in bars) == blocking


def test_cli_simulate_draws_seed_zero(tmp_path) -> None:
    path = tmp_path / "run.png"
    out = CliRunner().invoke(main, ["simulate", str(CLASSIC / "ft06"), "--blocking", "--shutdown",
                                    "0.05", "--seeds", "2", "--gantt", str(path)])
    assert out.exit_code == 0, out.output
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_repairs_too_close_to_tell_apart_are_drawn_as_one() -> None:
    """Regression: p = 0.5 with repairs of 1 on a 3-job shop drew about 90,000 hatched bars (4
    minutes; near the event limit, an hour). Repairs less than makespan / RESOLUTION apart are
    one bar: at most RESOLUTION + 1 per machine, covering every repair and no up time between
    two bars."""
    instance = schedkit.JobShopInstance.from_jobs([[(0, 30_000)], [(1, 1)]])
    shutdowns = Shutdowns(0.5, 1, 1)
    run = simulate(instance, "mwkr", shutdowns, 0)
    bars = [bar for bar in run_bars(instance, run, shutdowns) if bar.hatch == DOWN]
    for k in range(instance.m):
        drawn = [(bar.start, bar.end) for bar in bars if bar.row == f"M{k}"]
        periods = down_periods(shutdowns, 0, k, run.makespan)
        assert len(drawn) <= RESOLUTION + 1 < len(periods)
        assert all(any(a <= s and min(e, run.makespan) <= b for a, b in drawn) for s, e in periods)
        assert all(any(s == a for s, _ in periods) for a, _ in drawn)


@settings(max_examples=15, deadline=None)
@given(st.booleans(), st.sampled_from([0.02, 0.3, 0.5]), st.integers(1, 3), st.integers(0, 10**6))
def test_the_shutdown_count_is_the_repairs_begun_before_the_makespan(
        blocking: bool, p: float, high: int, seed: int) -> None:
    """Regression: a failure at the very moment a repair ended (or at the start) was not
    counted: p = 0.5, repairs of 1, ft06, seed 0 reported 198 shutdowns where 416 began."""
    instance = FT06.replace(buffers="blocking") if blocking else FT06
    shutdowns = Shutdowns(p, 1, high)
    run = simulate(instance, "mwkr", shutdowns, seed)
    began = sum(len(down_periods(shutdowns, seed, k, run.makespan)) for k in range(instance.m))
    assert run.shutdowns == began
