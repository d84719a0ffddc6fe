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

from bisect import bisect_left, bisect_right

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance

SCAN = 256  # neighbouring options looked at per option before `fit` is kept as it is


def fit(instance: GroundStationInstance, i: int, option: Option) -> int:
    """Most tracks request i can place in `option` (1 unless splittable)."""
    r = instance.requests[i]
    if not r.splittable:
        return 1
    gap = r.setup + r.teardown
    return max(1, min(r.max_tracks, (option.hi - option.lo + gap) // (r.min_track + gap)))


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

    def near(self, lo: int, hi: int) -> list[tuple[int, int, int, int]]:
        """Entries that may overlap [lo, hi), at most SCAN + 1 of them."""
        start = bisect_right(self.los, lo - self.longest)
        stop = bisect_left(self.los, hi)
        return self.entries[start:min(stop, start + SCAN + 1)]


def copy_counts(instance: GroundStationInstance, options: list[list[Option]]) -> list[list[int]]:
    """Per request and option, how many copies the exact models build (see the module docstring)."""
    groups: dict[object, _Group] = {}
    for j, mine in enumerate(options):
        r = instance.requests[j]
        owner = ("mission", r.mission) if instance.spacecraft_exclusive else ("request", j)
        for k, option in enumerate(mine):
            for key in [("antenna", a) for a in option.antennas] + [owner]:
                groups.setdefault(key, _Group()).entries.append((option.lo, option.hi, j, k))
    for group in groups.values():
        group.close()
    counts = []
    for i, mine in enumerate(options):
        r = instance.requests[i]
        owner = ("mission", r.mission) if instance.spacecraft_exclusive else ("request", i)
        counts.append([_copies(instance, groups, i, k, option, owner) for k, option in enumerate(mine)])
    return counts


def _copies(instance: GroundStationInstance, groups: dict[object, _Group], i: int, k: int,
            option: Option, owner: object) -> int:
    """1 + the tracks that can lie between i's tracks in `option`, at most `fit`."""
    most = fit(instance, i, option)
    if most <= 1:
        return most
    shortest = instance.requests[i].min_track
    lo, hi = option.lo + shortest, option.hi - shortest
    seen: set[tuple[int, int]] = {(i, k)}
    per_request: dict[int, int] = {}
    found = 0
    for key in [("antenna", a) for a in option.antennas] + [owner]:
        near = groups[key].near(lo, hi)
        if len(near) > SCAN:
            return most
        for o_lo, o_hi, j, o in near:
            if (j, o) in seen:
                continue
            seen.add((j, o))
            rj = instance.requests[j]
            fits = max(0, min(o_hi, hi) - max(o_lo, lo)) // rj.min_track
            if fits:
                cap = rj.max_tracks if rj.splittable else 1
                before = per_request.get(j, 0)
                per_request[j] = before + fits
                found += min(cap, before + fits) - min(cap, before)
                if found + 1 >= most:
                    return most
    return found + 1
