"""Antenna groups for the placer: each distinct antenna tuple of an alternative is a group, and a
track blocks every group sharing an antenna with its own. A request on an array of 2,000 antennas
then reads the timelines of the few groups that meet its array, not 2,000 antenna timelines that
all hold the same array tracks (greedy on 40 such requests: see
benchmarks/reports/serving_groundstation_loose_ends.md)."""

from __future__ import annotations

MAX_MEETING_WORK = 10_000_000  # sum over antennas of (groups on it)^2: building `meets` costs this


def antenna_groups(alt_antennas: list[list[tuple[int, ...]]], antennas: int
                   ) -> tuple[list[list[int]], list[list[int]] | None]:
    """(per request and alternative its group, per group the groups meeting it) or, when no
    alternative is an array or the groups overlap too much to list cheaply, None for the second."""
    index: dict[tuple[int, ...], int] = {}
    alt_group = [[index.setdefault(alt, len(index)) for alt in alts] for alts in alt_antennas]
    if all(len(group) < 2 for group in index):
        return alt_group, None
    on_antenna: list[list[int]] = [[] for _ in range(antennas)]
    for group, g in index.items():
        for a in group:
            on_antenna[a].append(g)
    if sum(len(groups) ** 2 for groups in on_antenna) > MAX_MEETING_WORK:
        return alt_group, None
    kinds: dict[tuple[int, ...], int] = {}  # antennas in the same groups are one kind
    kind = [kinds.setdefault(tuple(groups), len(kinds)) for groups in on_antenna]
    members = list(kinds)
    meets: list[list[int]] = []
    for group in index:
        found: set[int] = set()
        for k in {kind[a] for a in group}:
            found.update(members[k])
        meets.append(sorted(found))
    return alt_group, meets
