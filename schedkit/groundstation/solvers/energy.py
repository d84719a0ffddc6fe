"""Redundant capacity rows shared by `cpsat` and `mip`, which give their relaxations a bound.

Without them both relaxations let every optional track take its whole view at once (the
no-overlaps are big-M pairs in `mip`, propagation only in CP-SAT), so their bound on one
request with overlapping views was 0, and CP-SAT, scanning unserved seconds one at a time with
one worker, did not prove a one-request optimum in 300 s. Each row holds in every plan:
- time: per mission (per request when the rule is relaxed; a request's pieces never overlap),
  and per connected piece of the union of its slots' views, tracked seconds <= that piece's length;
- antenna: per antenna and connected piece of the union of its slots' occupied spans
  [lo - set-up, hi + tear-down), the occupied seconds (track, set-up and tear-down) <= that
  piece's length (options are cut around maintenance, so none lies inside a piece).
A piece of one slot is left out: its own bounds already hold it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance


@dataclass(frozen=True)
class Row:
    """sum over `slots` of length + extra * present <= capacity; `extra` is each slot's set-up +
    tear-down on an antenna row (`occupied`), 0 on a time row."""

    slots: tuple[int, ...]
    occupied: bool
    capacity: int
    extra: tuple[int, ...]


def _pieces(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, list[int]]]:
    """Connected pieces (lo, hi, slots) of the union of spans (lo, hi, slot); touching spans join."""
    found: list[tuple[int, int, list[int]]] = []
    for lo, hi, k in sorted(spans):
        if found and lo <= found[-1][1]:
            found[-1][2].append(k)  # in place: a new list per slot was quadratic (30,000 copies: 2.3 s)
            found[-1] = (found[-1][0], max(found[-1][1], hi), found[-1][2])
        else:
            found.append((lo, hi, [k]))
    return found


def rows(instance: GroundStationInstance, keys: Sequence[tuple[int, Option]]) -> list[Row]:
    """The rows for slots `keys` = (request, option), in the slots' order."""
    owners: dict[object, list[tuple[int, int, int]]] = {}
    antennas: dict[int, list[tuple[int, int, int]]] = {}
    for k, (i, option) in enumerate(keys):
        r = instance.requests[i]
        owner = r.mission if instance.spacecraft_exclusive else i
        owners.setdefault(owner, []).append((option.lo, option.hi, k))
        for a in option.antennas:
            antennas.setdefault(a, []).append((option.lo - r.setup, option.hi + r.teardown, k))
    around = [instance.requests[i].setup + instance.requests[i].teardown for i, _ in keys]
    found = [Row(tuple(ks), False, hi - lo, (0,) * len(ks)) for spans in owners.values()
             for lo, hi, ks in _pieces(spans) if len(ks) > 1]
    found += [Row(tuple(ks), True, hi - lo, tuple(around[k] for k in ks)) for spans in antennas.values()
              for lo, hi, ks in _pieces(spans) if len(ks) > 1]
    return found
