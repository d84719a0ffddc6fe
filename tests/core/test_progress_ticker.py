"""Progress of one long item: the Ticker's lines, and the incumbent a running solve reports."""

from __future__ import annotations

import io
import threading
import time

from schedkit import deadline
from schedkit.bench.progress import Ticker
from schedkit.cli_tables import solve_status
from schedkit.result import Result
from schedkit.smtt.model import SMTTSolution


def test_off_a_terminal_a_line_every_period_and_nothing_for_a_short_item():
    """Lines carry the text of their moment; an item shorter than the period prints nothing."""
    stream, ticks = io.StringIO(), threading.Event()

    def describe(elapsed: float) -> str:
        ticks.set()
        return f"working: {elapsed:.0f} s"

    with Ticker(describe, stream=stream, interactive=False, every=0.05):
        assert ticks.wait(30)
    assert stream.getvalue().startswith("working: ") and stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    with Ticker(describe, stream=quiet, interactive=False, every=3600):
        pass
    assert quiet.getvalue() == ""


def test_on_a_terminal_the_line_is_redrawn_and_cleared():
    stream, ticks = io.StringIO(), threading.Event()

    def describe(elapsed: float) -> str:
        ticks.set()
        return "status"

    with Ticker(describe, stream=stream, interactive=True):
        assert ticks.wait(30)
    text = stream.getvalue()
    assert text.startswith("\rstatus") and text.endswith("\r" + " " * len("status") + "\r")


def test_the_latest_offer_is_what_progress_shows():
    """An offer outside any guarded solve is still recorded for progress lines, from its time on."""
    before = time.perf_counter()
    offered = Result("feasible", 7, None, SMTTSolution([1, 0]), {"offered": "test"})
    deadline.offer(offered)
    assert deadline.latest_offer(before) is offered
    assert deadline.latest_offer(time.perf_counter() + 1) is None
    deadline.offer(Result("unknown"))  # no solution: ignored
    assert deadline.latest_offer(before) is offered


def test_the_status_line_names_the_incumbent_its_bound_phase_and_tracked_hours():
    """The ground station's objective is unserved seconds: its line adds the tracked hours."""
    since = time.perf_counter()
    text = solve_status("W10", "lns", 60, since)
    assert text(3) == "W10 lns: 3 s of 60, no incumbent reported yet"
    deadline.offer(Result("feasible", 9000, 3600, SMTTSolution([0]),
                          {"offered": "lns", "tracked_hours": 12.5}))
    assert text(4) == "W10 lns: 4 s of 60, incumbent 9000 = 12.5 h tracked, bound 3600 (lns)"
    deadline.offer(Result("feasible", 41, None, SMTTSolution([0]), {}))
    assert text(5) == "W10 lns: 5 s of 60, incumbent 41"
