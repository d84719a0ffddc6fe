"""RCPSP/max: time lags in the model, the .sch format, the checker and the methods that take them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
import schedkit.loading
from schedkit.errors import ParseError, UnsupportedInstance
from schedkit.rcpsp.heuristics.methods import LAG_METHODS
from schedkit.rcpsp.model import RCPSPInstance

DATA = Path(__file__).resolve().parents[1] / "data" / "rcpsp"
ALL_METHODS = [info.name for info in schedkit.methods("rcpsp")]
PLAIN_ONLY = [name for name in ALL_METHODS if name not in LAG_METHODS]


def brute_force(instance: RCPSPInstance, horizon: int = 10) -> int | None:
    """The optimum over every start vector in 0..horizon-1, source fixed at 0 (None: no
    schedule): starts assigned in id order, a lag checked once both ends have one."""
    d, q, c = instance.durations.tolist(), instance.demands.tolist(), instance.capacities.tolist()
    n = instance.n
    arcs = [(i, j, int(lag)) for i, row in enumerate(instance.successors)
            for j, lag in zip(row.tolist(), instance.lag_idx[instance.succ_ptr[i]:].tolist(),
                              strict=False)]
    due = [[(i, j, lag) for i, j, lag in arcs if max(i, j) == k] for k in range(n)]
    best: list[int] = []

    def fits(start: list[int]) -> bool:
        return all(sum(q[j][k] for j in range(n) if start[j] <= t < start[j] + d[j]) <= c[k]
                   for t in range(horizon + max(d)) for k in range(len(c)))

    def extend(start: list[int]) -> None:
        k = len(start)
        if k == n:
            if fits(start):
                span = max(s + p for s, p in zip(start, d, strict=True))
                best.append(span)
            return
        for value in ([0] if k == 0 else range(horizon)):
            trial = [*start, value]
            if all(trial[j] >= trial[i] + lag for i, j, lag in due[k]):
                extend(trial)

    extend([])
    return min(best) if best else None


def max_lag_project(with_max_lag: bool = True) -> RCPSPInstance:
    """Activities 1 (d 4, q 2), 2 (d 4, q 1), 3 (d 1, q 1) on one resource of capacity 3, plus
    source 0 and sink 4; 2 and 3 start at least 1 after 1; the maximum lag S3 <= S2 + 2 (arc
    3 -> 2 with lag -2). Without it 3 runs after 1 ends, at 4, and the optimum is 5; with it 3
    must run beside 1 alone, at 1, before 2 starts at 2: optimum 6 (brute force agrees)."""
    successors = [[1], [2, 3, 4], [4], [4], []]
    lags = [[0], [1, 1, 4], [4], [1], []]
    if with_max_lag:
        successors[3] = [2, 4]
        lags[3] = [-2, 1]
    return RCPSPInstance(durations=[0, 4, 4, 1, 0], successors=successors, capacities=[3],
                         demands=[[0], [2], [1], [1], [0]], lags=lags, name="max_lag")


def clash_project() -> RCPSPInstance:
    """1 (d 3, q 2) and 2 (d 2, q 2) cannot overlap on capacity 3, but the lags keep their
    starts within 1 of each other (S2 <= S1 + 1 and S1 <= S2 + 1): no schedule, though the
    lag graph has no positive cycle."""
    return RCPSPInstance(durations=[0, 3, 2, 0], successors=[[1, 2], [2, 3], [1, 3], []],
                         capacities=[3], demands=[[0], [2], [2], [0]],
                         lags=[[0, 0], [-1, 3], [-1, 2], []], name="clash")


def cycle_project() -> RCPSPInstance:
    """S2 >= S1 + 3 and S1 >= S2 - 2: the cycle 1 -> 2 -> 1 has length 1 > 0."""
    return RCPSPInstance(durations=[0, 3, 2, 0], successors=[[1], [2], [1, 3], []],
                         capacities=[1], demands=[[0], [1], [1], [0]],
                         lags=[[0], [3], [-2, 2], []], name="cycle")


def test_brute_force_optima():
    """The hand-derived optima of the docstrings: 6 with the maximum lag, 5 without; none for
    the clash."""
    assert brute_force(max_lag_project()) == 6
    assert brute_force(max_lag_project(with_max_lag=False)) == 5
    assert brute_force(clash_project()) is None


@pytest.mark.parametrize("method", LAG_METHODS)
def test_max_lag_optimum(method):
    """Every lag method gives a checked schedule; exact ones (no time limit, so at any speed)
    prove 6; the heuristic's schedule is checked and never below it."""
    x = max_lag_project()
    limit = 2 if method == "sgs-lags" else None
    result = schedkit.solve(x, method, time_limit=limit, workers=1)
    report = schedkit.check(x, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective >= 6
    assert result.bound is not None and result.bound <= 6
    if method != "sgs-lags":
        assert (result.status, result.objective) == ("optimal", 6)


@pytest.mark.parametrize("method", ["cpsat", "auto"])
def test_resource_infeasibility_is_proven(method):
    """CP-SAT proves the clash project infeasible (status, not an error)."""
    result = schedkit.solve(clash_project(), method, workers=1)
    assert result.status == "infeasible"
    assert result.solution is None


def test_heuristic_says_unknown_without_a_schedule():
    """sgs-lags finds nothing on the clash project and proves nothing: unknown."""
    result = schedkit.solve(clash_project(), "sgs-lags", schedules=20)
    assert result.status == "unknown" and result.solution is None


@pytest.mark.parametrize("method", LAG_METHODS)
def test_positive_cycle_is_infeasible_with_the_cycle(method):
    """A positive lag cycle is status infeasible, the closed cycle and its length in stats."""
    result = schedkit.solve(cycle_project(), method, time_limit=2, workers=1)
    assert result.status == "infeasible"
    cycle = result.stats["cycle"]
    assert cycle[0] == cycle[-1] and sorted(set(cycle)) == [1, 2]
    assert result.stats["cycle_length"] == 1


@pytest.mark.parametrize("method", PLAIN_ONLY)
def test_methods_without_lags_refuse(method):
    """Methods that cannot take lags raise UnsupportedInstance naming those that can."""
    with pytest.raises(UnsupportedInstance, match="cpsat, sgs-lags, auto"):
        schedkit.solve(max_lag_project(), method, time_limit=1, workers=1)


def test_checker_reports_a_broken_lag():
    """A schedule that meets capacities but breaks the maximum lag S3 <= S2 + 2 is refused."""
    x = max_lag_project()
    report = schedkit.check(x, {"start": [0, 0, 1, 4, 5]})
    assert not report.feasible
    assert any("arc 3 -> 2 with time lag -2" in v for v in report.violations)
    assert schedkit.check(x, {"start": [0, 0, 2, 1, 6]}).feasible


@pytest.mark.parametrize("suffix", [".sch", ".SCH", ".json"])
def test_parse_dump_identity(tmp_path, suffix):
    """Writing a lag project (.sch in any case, or JSON) and loading it gives it back."""
    for x in (max_lag_project(), cycle_project(), schedkit.load(DATA / "PSP1.SCH")):
        path = tmp_path / f"{x.name}{suffix}"
        schedkit.loading.write([x], path)
        assert schedkit.load(path) == x


def test_bundled_sch_known_values():
    """sm_j10 PSP1 has optimum 26 (optimum.csv) and PSP2 is unsat: cpsat reproduces both."""
    first = schedkit.load(DATA / "PSP1.SCH")
    assert (first.n, first.resources) == (12, 5)
    result = schedkit.solve(first, "cpsat", workers=1)
    assert (result.status, result.objective) == ("optimal", 26)
    assert schedkit.check(first, result).feasible
    second = schedkit.solve(schedkit.load(DATA / "PSP2.SCH"), "cpsat", workers=1)
    assert second.status == "infeasible"


@pytest.mark.parametrize(("line", "text", "number"), [
    (2, "0\t1\t1\t1\t[x]", 2),
    (2, "0\t1\t2\t1\t[0]", 2),
    (1, "1\t1\t1\t0", 1),
    (2, "0\t2\t1\t1\t[0]", 2),
    (5, "0\t1\t0\t0\t٣", 5),
])
def test_malformed_sch_names_the_line(tmp_path, line, text, number):
    """A broken line (bad lag token, missing lag, non-renewable resources, multi-mode, a
    non-ASCII digit) is a ParseError naming the file and its line."""
    good = (DATA / "PSP1.SCH").read_text().splitlines()
    good[line - 1] = text
    path = tmp_path / "broken.sch"
    path.write_text("\n".join(good) + "\n")
    with pytest.raises(ParseError, match=rf"broken.sch:{number}: expected"):
        schedkit.load(path)


def test_truncated_sch(tmp_path):
    """A file cut short says so."""
    path = tmp_path / "short.sch"
    path.write_text("\n".join((DATA / "PSP1.SCH").read_text().splitlines()[:10]) + "\n")
    with pytest.raises(ParseError, match="truncated"):
        schedkit.load(path)


def test_plain_writers_refuse_lags(tmp_path):
    """A .sm or .rcp file cannot hold lags: writing one is refused rather than lossy."""
    for suffix in (".sm", ".rcp"):
        with pytest.raises(schedkit.InvalidInstance, match="time lags"):
            schedkit.loading.write([max_lag_project()], tmp_path / f"x{suffix}")


@st.composite
def lag_projects(draw):
    """Three activities between a source and a sink, random durations, demands and lags."""
    d = [0] + [draw(st.integers(1, 3)) for _ in range(3)] + [0]
    q = [[0]] + [[draw(st.integers(1, 2))] for _ in range(3)] + [[0]]
    successors: list[list[int]] = [[1, 2, 3], [4], [4], [4], []]
    lags: list[list[int]] = [[0, 0, 0], [d[1]], [d[2]], [d[3]], []]
    for i, j in draw(st.lists(st.sampled_from([(1, 2), (2, 1), (1, 3), (3, 1), (2, 3), (3, 2)]),
                              max_size=3, unique=True)):
        successors[i].append(j)
        lags[i].append(draw(st.integers(-3, 3)))
    return RCPSPInstance(durations=d, successors=successors, capacities=[2], demands=q,
                         lags=lags)


@settings(max_examples=15, deadline=None)
@given(lag_projects())
def test_cpsat_agrees_with_brute_force(project):
    """On random three-activity lag projects cpsat's verdict is the brute-force optimum (or
    infeasible when there is none within 12, which the lag bound Σ max(d, lag) + max d <=
    3 * 3 + 3 = 12 covers)."""
    best = brute_force(project, horizon=12)
    result = schedkit.solve(project, "cpsat", workers=1)
    if best is None:
        assert result.status == "infeasible"
    else:
        assert (result.status, result.objective) == ("optimal", best)
        assert schedkit.check(project, result).feasible


@pytest.mark.parametrize("method", LAG_METHODS)
def test_overload_with_lags_is_infeasible(method):
    """With lags a demand above a capacity loads (ProGen/max sets hold such unsat projects) and
    every lag method reports `infeasible` naming the activity; without lags it stays an error."""
    x = max_lag_project().replace(demands=[[0], [4], [1], [1], [0]])
    result = schedkit.solve(x, method, time_limit=1, workers=1)
    assert result.status == "infeasible"
    assert "activity 1 demands 4" in result.stats["overload"]
    with pytest.raises(schedkit.InvalidInstance, match="no schedule exists"):
        x.replace(lags=None)
