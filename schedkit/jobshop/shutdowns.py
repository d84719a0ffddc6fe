"""Random machine shutdowns for the simulator: each machine, while up, fails at each integer
time with probability p and is then down for a repair time drawn uniformly from the integers
`repair_low..repair_high`. Each machine's timeline comes from its own generator seeded by
(seed, machine), so it does not depend on the policy (common random numbers across policies).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from schedkit.common.numbers import real
from schedkit.errors import InvalidInstance

DEFAULT_REPAIR = (5, 15)
MAX_REPAIR = 10**9  # a repair time is a duration (docs/input-limits.md)


@dataclass(frozen=True)
class Shutdowns:
    """p: failure probability per machine per time unit; repair ~ U{repair_low..repair_high}."""

    p: float = 0.0
    repair_low: int = DEFAULT_REPAIR[0]
    repair_high: int = DEFAULT_REPAIR[1]

    def __post_init__(self) -> None:
        if isinstance(self.p, bool) or not isinstance(self.p, int | float) or not 0 <= self.p < 1:
            raise InvalidInstance(f"shutdown probability p = {self.p!r} must be a number in [0, 1)")
        for name in ("repair_low", "repair_high"):
            value = getattr(self, name)
            if (isinstance(value, bool) or not isinstance(value, int | np.integer)
                    or not 1 <= value <= MAX_REPAIR):
                raise InvalidInstance(f"{name} = {value!r} must be a positive integer up to {MAX_REPAIR:,}")
        if self.repair_high < self.repair_low:
            raise InvalidInstance(f"repair range {self.repair_low}..{self.repair_high} is empty")

    @classmethod
    def of(cls, value: Shutdowns | float | None) -> Shutdowns:
        """A Shutdowns from itself, a bare probability (default repair) or None (no failures)."""
        if value is None:
            return cls(0.0)
        if isinstance(value, Shutdowns):
            return value
        number = real(value)  # 'x' raised float()'s ValueError
        return cls(value) if number is None else cls(number)  # cls refuses what is no number


class MachineTimeline:
    """One machine's down periods [start, end), drawn lazily as time advances."""

    def __init__(self, shutdowns: Shutdowns, seed: int, machine: int) -> None:
        high = int(seed) >> 32  # seeds from 2^32 on apart from the ones below (their low bits were
        # all that counted: seeds 7 and 2^32 + 7 drew the same shutdowns); below, as before
        words = [int(seed) & 0xFFFFFFFF, machine] + ([high] if high else [])
        self._rng = np.random.default_rng(words)
        self._shutdowns = shutdowns
        self.starts: list[int] = []  # every down period's start drawn so far, in time order
        self.down_start = -1
        self.down_end = -1
        self._draw(0)

    def _draw(self, up_from: int) -> None:
        if self._shutdowns.p <= 0:
            self.down_start = self.down_end = np.iinfo(np.int64).max
            return
        wait = int(self._rng.geometric(self._shutdowns.p)) - 1  # failure at up_from + wait
        repair = int(self._rng.integers(self._shutdowns.repair_low, self._shutdowns.repair_high + 1))
        self.down_start = up_from + wait
        self.down_end = self.down_start + repair
        self.starts.append(self.down_start)

    def up(self, t: int) -> bool:
        """Whether the machine is up at time t (advances past finished repairs)."""
        while t >= self.down_end:
            self._draw(self.down_end)
        return not (self.down_start <= t < self.down_end)

    def began_before(self, until: int) -> int:
        """How many down periods drawn so far begin before `until`."""
        return bisect.bisect_left(self.starts, until)

    def next_change(self, t: int) -> int:
        """The next time > t when the machine goes down or comes back up."""
        self.up(t)
        return self.down_start if t < self.down_start else self.down_end
