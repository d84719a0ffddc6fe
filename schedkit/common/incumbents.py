"""A running heuristic's best plan, offered now and then (`deadline.offer`): what the progress
line of `schedkit solve` shows, and what the hard-deadline guard returns if the method overruns."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from schedkit.deadline import guard_box, offer, offers_muted
from schedkit.result import Result

OFFER_EVERY = 0.5  # seconds between two offers at most: building a Result costs a schedule evaluation


class Incumbents:
    """The best objective a method's loops (threads too) have reported. A better one is offered at
    once when the last offer is OFFER_EVERY old, else at the next `poll` that is due."""

    def __init__(self, best: Any = math.inf, every: float = OFFER_EVERY,
                 stats: dict[str, Any] | None = None) -> None:
        self.every = every
        self.stats = stats or {}  # added to every offer's stats (a phase of a method: its workers)
        self.best = best  # an objective already offered elsewhere: only better ones are
        self.last = -math.inf
        self.pending: Callable[[], Result] | None = None
        self.offers = 0
        self.lock = threading.Lock()
        self.box = guard_box()  # made on the method's thread: its loops may run on others
        self.muted = offers_muted()  # a warm-up's: its threads' offers are dropped too

    def improved(self, value: Any, result_of: Callable[[], Result]) -> None:
        """`value` (an objective, or a key such as (U_max, unserved) that orders plans) was
        reached; `result_of()` builds its Result, now or at a later poll, so it must read copies
        that the loop no longer changes. A value no better than the best is ignored (the pending
        one may still be offered: every call polls)."""
        with self.lock:
            if self.best is math.inf or value < self.best:
                self.best, self.pending = value, result_of
        self.poll()

    def poll(self) -> None:
        """Offer the pending best if the last offer is old enough."""
        with self.lock:
            now = time.perf_counter()
            if self.pending is None or self.muted or now - self.last < self.every:
                return
            build, self.pending, self.last = self.pending, None, now
            self.offers += 1
            found = build()
            if self.stats:
                found = found.with_context(stats={**found.stats, **self.stats})
            offer(found, self.box)  # under the lock: threads' offers stay in the order of their values
