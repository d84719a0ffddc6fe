"""`common.spawned`: a call in a child interpreter until a deadline (parallel walks)."""

from __future__ import annotations

import math
import time

from schedkit.common.spawned import EXIT_GRACE, Spawned
from tests.core import spawn_targets


def test_a_call_comes_back_with_its_value():
    assert Spawned(spawn_targets.add, (2, 3), math.inf).result() == ((5, False), None)


def test_the_deadline_is_the_same_instant_in_the_child():
    """It travels as wall-clock time: what the child has left is what the parent had left when
    the child read it (within the clocks' rounding)."""
    since = time.perf_counter()
    value, why = Spawned(spawn_targets.seconds_left, (), since + 30).result()
    elapsed = time.perf_counter() - since
    assert why is None and 30 - elapsed - 1.0 <= value <= 30 + 1.0  # 1 s: clock reads under load


def test_a_failing_call_says_why_in_one_line():
    value, why = Spawned(spawn_targets.fail, ("walk 1 broke",), math.inf).result()
    assert value is None and why is not None and why.endswith("ValueError: walk 1 broke")


def test_a_call_that_overruns_its_deadline_is_stopped():
    """The parent waits EXIT_GRACE past the deadline, then kills the child."""
    child = Spawned(spawn_targets.sleep_past, (600,), time.perf_counter() + 0.1)
    value, why = child.result()
    assert value is None and why == "the walk did not answer by its deadline"
    assert child.process.returncode is not None and child.process.returncode < 0  # killed, not done
    assert not child.folder.exists() and EXIT_GRACE > 0


def test_a_child_that_cannot_start_is_a_reason_not_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.executable", str(tmp_path / "no-python"))
    child = Spawned(spawn_targets.add, (1, 1), math.inf)
    value, why = child.result()
    assert value is None and why is not None and why.startswith("the walk could not start")
    assert not child.folder.exists()


def test_the_caller_waits_no_later_than_its_own_limit():
    """`latest` cuts EXIT_GRACE short: a child still running then is stopped."""
    child = Spawned(spawn_targets.sleep_past, (600,), time.perf_counter() + 0.1)
    latest = time.perf_counter() + 0.2
    value, why = child.result(latest)
    assert value is None and why == "the walk did not answer by its deadline"
    assert time.perf_counter() >= latest and child.process.returncode < 0
