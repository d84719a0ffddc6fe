"""Batch sizes for a kernel called in a loop until a deadline, from the measured seconds per item.

A batch of a fixed count takes two or three times longer on a loaded machine than on a quiet one,
so the last batch before the deadline ends well past it (RCPSP `sampling` on 302 activities at
load 5: 66 parallel SGS passes took 0.3-0.38 s). Sized by the last batch's seconds per item, a
batch aims at AIM_SECONDS and never at more than the time left.
"""

from __future__ import annotations

AIM_SECONDS = 0.05  # a batch's aim: short next to any limit, long next to a kernel call's overhead
GROWTH = 4  # a batch is at most this many times the last one (the first ones are being timed)


class Pacer:
    """Sizes successive batches of items (at most `cap` each) from how long the last one took."""

    def __init__(self, cap: int, aim: float = AIM_SECONDS) -> None:
        self.cap = max(1, int(cap))
        self.aim = aim
        self.last = 0  # the last batch's size, 0 before the first
        self.per_item: float | None = None  # its seconds per item, None until one is timed

    def size(self, remaining: float) -> int:
        """The next batch's size with `remaining` seconds to the deadline: 0 when not even one
        item fits by the last batch's pace, else at least 1."""
        if self.per_item is None:
            return 1
        if self.per_item > remaining:
            return 0
        fits = min(self.aim, remaining) / max(self.per_item, 1e-9)
        return int(max(1, min(self.cap, GROWTH * self.last, fits)))

    def record(self, items: int, seconds: float) -> None:
        """The batch just run: `items` items in `seconds` seconds."""
        if items > 0:
            self.last = int(items)
            self.per_item = max(0.0, seconds) / items
