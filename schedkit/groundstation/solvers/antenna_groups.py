"""Antennas that can stand in for each other: those that see the same requests at the same
times (on SatNet, the antennas of one DSN complex; on generated networks, one station's).

Per request and antenna, the union of the request's options on that antenna (an array's option
counts on each of its antennas). For two antennas a, b, their similarity is the time both
unions share, summed over the requests that list both, over the sum of the smaller union. An
antenna's group is itself and every antenna at least THRESHOLD similar to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.groundstation.heuristics.board import Option

THRESHOLD = 0.5


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _shared(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Seconds two sorted disjoint interval lists have in common."""
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def antenna_groups(antennas: int, options: Sequence[Sequence[Option]], threshold: float = THRESHOLD
                   ) -> list[tuple[int, ...]]:
    """Per antenna index, its group (itself first, then the others in index order)."""
    shared: dict[tuple[int, int], int] = {}
    smaller: dict[tuple[int, int], int] = {}
    for mine in options:
        spans: dict[int, list[tuple[int, int]]] = {}
        for option in mine:
            for a in option.antennas:
                spans.setdefault(a, []).append((option.lo, option.hi))
        unions = {a: _union(s) for a, s in spans.items()}
        lengths = {a: sum(hi - lo for lo, hi in u) for a, u in unions.items()}
        seen = sorted(unions)
        for n, a in enumerate(seen):
            for b in seen[n + 1:]:
                shared[(a, b)] = shared.get((a, b), 0) + _shared(unions[a], unions[b])
                smaller[(a, b)] = smaller.get((a, b), 0) + min(lengths[a], lengths[b])
    close: list[list[int]] = [[] for _ in range(antennas)]
    for (a, b), both in shared.items():
        if smaller[(a, b)] > 0 and both >= threshold * smaller[(a, b)]:
            close[a].append(b)
            close[b].append(a)
    return [(a, *sorted(close[a])) for a in range(antennas)]
