"""The CP-SAT model of `cpsat`: one optional track (a Slot) per request, view-period piece and
copy, the per-request, per-antenna and per-mission rules, the fair objective's cut, and the
conversions between slot values, hints and plans (also used by the window LNS and its tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schedkit.groundstation.heuristics.board import Board, Option
from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution, Track
from schedkit.groundstation.solvers import energy
from schedkit.groundstation.solvers.copies import copy_counts

FAIR_SCALE = 10_000  # U_max in the fair model is minimised in 1/10,000ths


@dataclass
class Slot:
    """One optional track of request i in option `option` (copy `copy`)."""

    i: int
    option: Option
    copy: int
    present: Any
    start: Any
    length: Any
    end: Any


def variables(model: Any, instance: GroundStationInstance, options: list[list[Option]],
              counts: list[list[int]] | None = None) -> list[Slot]:
    """A slot (presence, start, length, end) per request, option and copy (`counts`, by default
    copies.copy_counts)."""
    slots = []
    counts = copy_counts(instance, options) if counts is None else counts
    for i, (r, mine) in enumerate(zip(instance.requests, options, strict=True)):
        for o, option in enumerate(mine):
            longest = min(r.duration, option.hi - option.lo)
            for c in range(counts[i][o]):
                x = model.NewBoolVar(f"x{i}_{o}_{c}")
                s = model.NewIntVar(option.lo, option.hi - r.min_track, f"s{i}_{o}_{c}")
                length = model.NewIntVar(0, longest, f"l{i}_{o}_{c}")
                e = model.NewIntVar(option.lo, option.hi, f"e{i}_{o}_{c}")
                model.Add(e == s + length)
                model.Add(length >= r.min_track).OnlyEnforceIf(x)
                model.Add(length == 0).OnlyEnforceIf(x.Not())
                slots.append(Slot(i, option, c, x, s, length, e))
    return slots


def copies_ordered(model: Any, instance: GroundStationInstance, slots: list[Slot]) -> None:
    """Copy c+1 of an option is used only after copy c, later than it."""
    for before, after in zip(slots, slots[1:], strict=False):
        if after.copy > 0 and after.i == before.i and after.option is before.option:
            r = instance.requests[after.i]
            model.AddImplication(after.present, before.present)
            model.Add(after.start >= before.start + before.length + r.setup + r.teardown
                      ).OnlyEnforceIf(after.present)


def per_request(model: Any, instance: GroundStationInstance, slots: list[Slot]) -> list[Any]:
    """At most max_tracks tracks and L seconds per request; returns each request's tracked sum."""
    mine: list[list[Slot]] = [[] for _ in instance.requests]
    for slot in slots:
        mine[slot.i].append(slot)
    tracked = []
    for r, own in zip(instance.requests, mine, strict=True):
        if own:
            model.Add(sum(s.present for s in own) <= r.max_tracks)
            model.Add(sum(s.length for s in own) <= r.duration)
        tracked.append(sum(s.length for s in own) if own else 0)
    return tracked


def merged_maintenance(instance: GroundStationInstance) -> dict[int, list[tuple[int, int]]]:
    """Maintenance per antenna index, overlapping or touching windows merged, empty ones dropped."""
    index = {a: k for k, a in enumerate(instance.antennas)}
    down: dict[int, list[tuple[int, int]]] = {}
    for m in sorted(instance.maintenance, key=lambda m: (m.antenna, m.start)):
        if m.end <= m.start:
            continue
        pieces = down.setdefault(index[m.antenna], [])
        if pieces and m.start <= pieces[-1][1]:
            pieces[-1] = (pieces[-1][0], max(pieces[-1][1], m.end))
        else:
            pieces.append((m.start, m.end))
    return down


def no_overlaps(model: Any, instance: GroundStationInstance, slots: list[Slot]) -> None:
    """Per antenna (occupancy with set-up/tear-down, maintenance fixed), per mission or request."""
    on_antenna: dict[int, list[Any]] = {}
    tracking: dict[Any, list[Any]] = {}
    for k, slot in enumerate(slots):
        r = instance.requests[slot.i]
        occupied = model.NewOptionalIntervalVar(slot.start - r.setup, slot.length + r.setup + r.teardown,
                                                slot.end + r.teardown, slot.present,
                                                f"occ{k}")
        for a in slot.option.antennas:
            on_antenna.setdefault(a, []).append(occupied)
        owner = r.mission if instance.spacecraft_exclusive else slot.i
        if instance.spacecraft_exclusive or r.splittable:
            tracking.setdefault(owner, []).append(model.NewOptionalIntervalVar(
                slot.start, slot.length, slot.end, slot.present, f"trk{k}"))
    for a, pieces in merged_maintenance(instance).items():
        if a in on_antenna:
            on_antenna[a].extend(model.NewIntervalVar(s, e - s, e, f"down{a}_{s}") for s, e in pieces)
    for intervals in on_antenna.values():
        model.AddNoOverlap(intervals)
    for intervals in tracking.values():
        if len(intervals) > 1:
            model.AddNoOverlap(intervals)


def capacity_rows(model: Any, instance: GroundStationInstance, slots: list[Slot]) -> None:
    """The redundant time and antenna rows of solvers/energy.py: CP-SAT's relaxation, and so its
    bound, sees that overlapping views and one antenna's slots cannot all be used at once (for a
    full-model solve; the window LNS's rounds go without)."""
    for row in energy.rows(instance, [(s.i, s.option) for s in slots]):
        model.Add(sum(slots[k].length + g * slots[k].present
                      for k, g in zip(row.slots, row.extra, strict=True)) <= row.capacity)


def fair_cut(model: Any, instance: GroundStationInstance, tracked: list[Any]) -> Any:
    """z >= FAIR_SCALE * U_m for every mission m; returns z."""
    z = model.NewIntVar(0, FAIR_SCALE, "u_max")
    asked: dict[str, int] = {}
    got: dict[str, list[Any]] = {}
    for r, t in zip(instance.requests, tracked, strict=True):
        asked[r.mission] = asked.get(r.mission, 0) + r.duration
        got.setdefault(r.mission, []).append(t)
    for m, total in asked.items():
        model.Add(z * total >= FAIR_SCALE * total - FAIR_SCALE * sum(got[m]))
    return z


def hint_values(slots: list[Slot], board: Board) -> list[list[int]]:
    """(present, start, length, end) per slot: the board's tracks where they fit an option,
    absent elsewhere."""
    values = [[0, slot.option.lo, 0, slot.option.lo] for slot in slots]
    used: set[int] = set()
    for i, tracks in enumerate(board.tracks):
        for alt, on, off in sorted(tracks, key=lambda t: t[1]):  # copies are ordered in time
            for k, slot in enumerate(slots):
                o = slot.option
                if (k not in used and slot.i == i and o.alt == alt and o.lo <= on and off <= o.hi):
                    used.add(k)
                    values[k] = [1, on, off - on, off]
                    break
    return values


def hint(model: Any, slots: list[Slot], values: list[list[int]]) -> None:
    """Hint every slot variable with `values` (see hint_values)."""
    for slot, vals in zip(slots, values, strict=True):
        for var, val in zip(slot_vars(slot), vals, strict=True):
            model.AddHint(var, val)


def slot_vars(slot: Slot) -> tuple[Any, Any, Any, Any]:
    """The slot's variables in the order of slot values: presence, start, length, end."""
    return slot.present, slot.start, slot.length, slot.end


def plan_from(instance: GroundStationInstance, slots: list[Slot], values: list[list[int]]
               ) -> tuple[GroundStationSolution, list[int]]:
    """The plan of per-slot values (present, start, length, end)."""
    tracks, tracked = [], [0] * instance.n
    for slot, (present, on, length, _) in zip(slots, values, strict=True):
        if present:
            r = instance.requests[slot.i]
            tracks.append(Track(r.track_id, r.alternatives[slot.option.alt].antennas, on, on + length))
            tracked[slot.i] += length
    return GroundStationSolution(tracks), tracked


def plan(instance: GroundStationInstance, solver: Any, slots: list[Slot]) -> tuple[
        GroundStationSolution, list[int]]:
    """The plan of a solver's answer, and tracked seconds per request."""
    return plan_from(instance, slots, solver_values(solver, slots))


def solver_values(solver: Any, slots: list[Slot]) -> list[list[int]]:
    """Slot values of a solver's answer."""
    return [[int(solver.Value(var)) for var in slot_vars(slot)] for slot in slots]


def kept_missions(instance: GroundStationInstance, slots: list[Slot], values: list[list[int]]
                   ) -> set[str]:
    """The missions the incumbent `values` track."""
    return {instance.requests[slot.i].mission for slot, vals in zip(slots, values, strict=True) if vals[0]}


def keep_missions(model: Any, instance: GroundStationInstance, slots: list[Slot],
                   values: list[list[int]]) -> int:
    """Each mission the incumbent `values` track stays tracked: sum of its presences >= 1.
    Only for the window LNS (CP-SAT's own bound is read before). Returns how many missions."""
    present: dict[str, list[Any]] = {}
    served: set[str] = set()
    for slot, vals in zip(slots, values, strict=True):
        mission = instance.requests[slot.i].mission
        present.setdefault(mission, []).append(slot.present)
        if vals[0]:
            served.add(mission)
    for mission in served:
        model.Add(sum(present[mission]) >= 1)
    return len(served)


def hint_from(model: Any, slots: list[Slot], solver: Any) -> None:
    """Replace the model's hints by a solver's answer."""
    model.ClearHints()
    for slot in slots:
        for var in (slot.present, slot.start, slot.length, slot.end):
            model.AddHint(var, solver.Value(var))


def build(model: Any, instance: GroundStationInstance, options: list[list[Option]],
          counts: list[list[int]] | None = None) -> tuple[list[Slot], list[Any]]:
    """The slots and every rule on them; returns the slots and each request's tracked sum."""
    slots = variables(model, instance, options, counts)
    copies_ordered(model, instance, slots)
    tracked = per_request(model, instance, slots)
    no_overlaps(model, instance, slots)
    return slots, tracked
