"""The VMR checker: every rule it must catch, order included, and the recomputed objective."""

from __future__ import annotations

import schedkit
from schedkit.vmr.model import Migration, VMRSolution
from tests.vmr.conftest import two_machines


def _plan(*moves: tuple[str, str, list[int]]) -> dict:
    return {"migrations": [{"vm": v, "to_machine": m, "to_numa": n} for v, m, n in moves]}


def test_valid_plan_recomputes_objective():
    """a and b onto pm1/0 beside c: feasible, Σ (free mod 16) = 12 (the hand-derived optimum)."""
    report = schedkit.check(two_machines(2), _plan(("a", "pm1", [0]), ("b", "pm1", [0])))
    assert report.feasible and report.objective == 12


def test_no_migration_keeps_initial_objective():
    """An empty plan is feasible and scores the initial Σ (free mod 16) = 44."""
    report = schedkit.check(two_machines(0), _plan())
    assert report.feasible and report.objective == 44


def test_limit_exceeded():
    """Two migrations with K = 1 are refused."""
    report = schedkit.check(two_machines(1), _plan(("a", "pm1", [0]), ("b", "pm1", [0])))
    assert not report.feasible
    assert any("exceed the limit K = 1" in v for v in report.violations)


def test_over_capacity_after_a_migration():
    """c (8 cores) onto pm1/1 where d leaves only 12 free is fine; a third 4-core VM on pm1/0
    after a and b is over its 16 cores."""
    x = two_machines(3)
    report = schedkit.check(x, _plan(("a", "pm1", [0]), ("b", "pm1", [0]), ("d", "pm1", [0])))
    assert not report.feasible
    assert any("migration 3" in v and "over its capacity 16" in v for v in report.violations)


def test_order_matters():
    """One set of four migrations (final state: a, b, d on pm1/0, c on pm0/0) is feasible when
    c leaves pm1/0 first, and over capacity on pm1/0 at the third step when it leaves last."""
    x = two_machines(4)
    first = _plan(("c", "pm0", [0]), ("a", "pm1", [0]), ("b", "pm1", [0]), ("d", "pm1", [0]))
    last = _plan(("a", "pm1", [0]), ("b", "pm1", [0]), ("d", "pm1", [0]), ("c", "pm0", [0]))
    assert schedkit.check(x, first).feasible
    report = schedkit.check(x, last)
    assert not report.feasible
    assert any("migration 3" in v and "uses 20 cpu" in v for v in report.violations)


def test_split_must_stay_half_and_half():
    """A single-node VM cannot be spread over two nodes, nor a split VM squeezed onto one."""
    x = two_machines(2)
    report = schedkit.check(x, _plan(("a", "pm1", [0, 1])))
    assert not report.feasible and "cannot be split half and half" in report.violations[0]
    record = x.to_dict()
    record["vms"][2]["numa"] = [0, 1]
    from schedkit.vmr.formats.records import from_record

    split = from_record(record, "s")
    report = schedkit.check(split, _plan(("c", "pm0", [0])))
    assert not report.feasible and "split half and half" in report.violations[0]
    report = schedkit.check(split, _plan(("c", "pm0", [1, 1])))
    assert not report.feasible and "not two halves" in report.violations[0]


def test_anti_affinity_break():
    """a and c in one group: a may not join c on pm1."""
    x = two_machines(2, groups={"g": ["a", "c"]})
    report = schedkit.check(x, _plan(("a", "pm1", [1])))
    assert not report.feasible
    assert any("anti-affinity group 'g'" in v for v in report.violations)
    assert schedkit.check(x, _plan(("c", "pm0", [1]), ("a", "pm1", [1]))).feasible is False
    assert schedkit.check(x, _plan(("b", "pm1", [0]))).feasible


def test_unknown_ids_and_noop_moves():
    """Unknown VM, unknown machine, NUMA out of range and a move to the current place are flagged."""
    x = two_machines(5)
    report = schedkit.check(x, _plan(("zz", "pm0", [0]), ("a", "pm9", [0]), ("a", "pm0", [5]),
                                     ("a", "pm0", [0])))
    text = " | ".join(report.violations)
    for part in ("unknown VM", "unknown machine 'pm9'", "NUMA nodes 0..1", "where it already runs"):
        assert part in text


def test_malformed_solution_and_solution_object():
    """A solution without `migrations` is a violation; a VMRSolution object is accepted."""
    x = two_machines(2)
    assert not schedkit.check(x, {"moves": []}).feasible
    assert not schedkit.check(x, {"migrations": [{"vm": "a"}]}).feasible
    solution = VMRSolution([Migration("a", "pm1", (0,))])
    assert VMRSolution.from_dict(solution.to_dict()) == solution
    assert schedkit.check(x, solution).objective == 28
