"""How many tracks (copies) of one request an option needs in the exact models (cpsat, mip).

An option [lo, hi) fits at most `fit` tracks of request i (its length over the shortest track,
set-up and tear-down between them, at most max_tracks). Fewer suffice: two tracks of i in one
option with no other track between them merge into one of their summed length at the first
one's start (same seconds, one track fewer, the occupied span only shrinks). So some optimal plan
(for every objective: each request keeps its seconds) has, between any two consecutive tracks of
i in an option, another track wholly in the gap: of a request sharing an antenna with it, of the
same mission (the same request when the rule is relaxed), or of i in another option. Those lie
in [lo + m_i, hi - m_i); a request j has at most max_tracks_j of them and, per option of j, its
overlap with that stretch over j's shortest track. Copies = 1 + that count, at most `fit`.
Before, one split request with tracks from 1 s and a 30,000 s view got 30,000 copies (154 s).
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left, bisect_right

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance

SCAN = 256  # neighbouring options looked at per option before `fit` is kept as it is


def fit(instance: GroundStationInstance, i: int, option: Option) -> int:
    """Most tracks request i can place in `option` (1 unless splittable)."""
    return _fits(instance, i, [option])[0]


def _fits(instance: GroundStationInstance, i: int, mine: list[Option]) -> list[int]:
    """`fit` of each of request i's options `mine`."""
    r = instance.requests[i]
    if not r.splittable:
        return [1] * len(mine)
    gap, shortest, most = r.setup + r.teardown, r.min_track, r.max_tracks
    return [max(1, min(most, (o.hi - o.lo + gap) // (shortest + gap))) for o in mine]


class _Group:
    """Options that may interrupt each other (one antenna, or one mission), sorted by lo."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, int, int, int]] = []  # (lo, hi, request, option index)
        self.los: list[int] = []
        self.longest = 0

    def close(self) -> None:
        self.entries.sort()
        self.los = [e[0] for e in self.entries]
        self.longest = max((hi - lo for lo, hi, _, _ in self.entries), default=0)

    def near(self, lo: int, hi: int) -> range | None:
        """Indices of the entries that may overlap [lo, hi), latest start first; None beyond SCAN."""
        start = bisect_right(self.los, lo - self.longest)
        stop = bisect_left(self.los, hi)
        return range(stop - 1, start - 1, -1) if stop - start <= SCAN else None


def copy_counts(instance: GroundStationInstance, options: list[list[Option]],
                deadline: float = math.inf) -> list[list[int]]:
    """Per request and option, how many copies the exact models build (see the module docstring);
    past `deadline` (perf_counter) the options left keep `fit`."""
    counts = [_fits(instance, i, mine) for i, mine in enumerate(options)]
    if all(f == 1 for mine in counts for f in mine) or time.perf_counter() >= deadline:
        return counts
    groups: dict[object, _Group] = {}
    owners: list[object] = []
    for j, mine in enumerate(options):
        if time.perf_counter() >= deadline:
            return counts
        r = instance.requests[j]
        owners.append(("mission", r.mission) if instance.spacecraft_exclusive else ("request", j))
        for k, option in enumerate(mine):
            for key in [("antenna", a) for a in option.antennas] + [owners[j]]:
                if key not in groups:
                    groups[key] = _Group()
                groups[key].entries.append((option.lo, option.hi, j, k))
    for group in groups.values():
        if time.perf_counter() >= deadline:
            return counts
        group.close()
    shortest = [r.min_track for r in instance.requests]
    most = [r.max_tracks if r.splittable else 1 for r in instance.requests]
    for i, mine in enumerate(options):
        for k, option in enumerate(mine):
            if counts[i][k] > 1:
                if time.perf_counter() >= deadline:
                    return counts
                counts[i][k] = _copies(groups, shortest, most, i, k, option, owners[i], counts[i][k])
    return counts


def _copies(groups: dict[object, _Group], shortest: list[int], most: list[int], i: int, k: int,
            option: Option, owner: object, fits: int) -> int:
    """1 + the tracks that can lie between i's tracks in `option`, at most `fits`."""
    lo, hi = option.lo + shortest[i], option.hi - shortest[i]
    seen: set[tuple[int, int]] = {(i, k)}
    per_request: dict[int, int] = {}
    found = 0
    for key in [("antenna", a) for a in option.antennas] + [owner]:
        group = groups[key]
        near = group.near(lo, hi)
        if near is None:
            return fits
        entries = group.entries
        for e in near:
            o_lo, o_hi, j, o = entries[e]
            between = (min(o_hi, hi) - max(o_lo, lo)) // shortest[j]
            if between <= 0 or (j, o) in seen:
                continue
            seen.add((j, o))
            before = per_request.get(j, 0)
            per_request[j] = before + between
            found += min(most[j], before + between) - min(most[j], before)
            if found + 1 >= fits:
                return fits
    return found + 1
