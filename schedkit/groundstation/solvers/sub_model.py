"""A window round's CP-SAT model over its free slots only, the rest of the incumbent plan
entering as fixed intervals, instead of a clone of the whole model with every other slot
fixed (which CP-SAT must presolve away each round). It holds cpsat's constraints restricted
to what a free slot can meet, so its optimum is the full model's with the other slots fixed:
- per free slot: present, start, length, end over its option (length 0 or in [min, L]);
- copies of one option ordered in time, against a fixed neighbour copy when only one is free;
- per request: its free slots' tracks and seconds within what its fixed slots leave;
- per antenna a free slot may use: no overlap among the free slots' occupied intervals, the
  fixed tracks' (set-up and tear-down included) and maintenance, near the free slots;
- per mission (per split request when the rule is relaxed): the same for tracking intervals;
- every mission in `kept` with no fixed track keeps one among its free slots;
- objective: most tracked seconds over the free slots.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance

Values = Sequence[Sequence[int]]  # per slot: present, start, length, end


class SubModels:
    """Builds round models for the slots `keys` = (request, option, copy), in cpsat's order."""

    def __init__(self, instance: GroundStationInstance, keys: Sequence[tuple[int, Option, int]],
                 down: dict[int, list[tuple[int, int]]], kept: set[str]) -> None:
        self.instance, self.keys, self.down, self.kept = instance, list(keys), down, kept
        self.on_antenna: dict[int, list[int]] = {}
        self.of_owner: dict[object, list[int]] = {}
        self.of_request: dict[int, list[int]] = {}
        self.of_mission: dict[str, list[int]] = {}
        self.previous = [-1] * len(self.keys)
        self.next = [-1] * len(self.keys)
        for k, (i, option, copy) in enumerate(self.keys):
            r = instance.requests[i]
            for a in option.antennas:
                self.on_antenna.setdefault(a, []).append(k)
            owner = self.owner(k)
            if owner is not None:
                self.of_owner.setdefault(owner, []).append(k)
            self.of_request.setdefault(i, []).append(k)
            self.of_mission.setdefault(r.mission, []).append(k)
            if copy > 0 and k > 0 and self.keys[k - 1][0] == i and self.keys[k - 1][1] is option:
                self.previous[k], self.next[k - 1] = k - 1, k

    def owner(self, k: int) -> object:
        """The tracking no-overlap slot k sits in (its mission, or its split request), or None."""
        i = self.keys[k][0]
        if self.instance.spacecraft_exclusive:
            return ("mission", self.instance.requests[i].mission)
        return ("request", i) if self.instance.requests[i].splittable else None

    def build(self, free: set[int], values: Values) -> tuple[Any, dict[int, tuple[Any, Any, Any, Any]]]:
        """(the round's model, per free slot its (present, start, length, end) variables)."""
        from ortools.sat.python import cp_model

        model: Any = cp_model.CpModel()
        made = {k: self._slot(model, k) for k in sorted(free)}
        self._copies(model, made, values)
        self._requests(model, made, values)
        occupied, tracking = {}, {}
        for k, (x, s, length, e) in made.items():
            r = self.instance.requests[self.keys[k][0]]
            occupied[k] = model.NewOptionalIntervalVar(s - r.setup, length + r.setup + r.teardown,
                                                       e + r.teardown, x, f"occ{k}")
            if self.owner(k) is not None:
                tracking[k] = model.NewOptionalIntervalVar(s, length, e, x, f"trk{k}")
        self._antennas(model, made, occupied, values)
        self._owners(model, made, tracking, values)
        self._missions(model, made, values)
        model.Maximize(sum(v[2] for v in made.values()))
        return model, made

    def _slot(self, model: Any, k: int) -> tuple[Any, Any, Any, Any]:
        i, option, _ = self.keys[k]
        r = self.instance.requests[i]
        x = model.NewBoolVar(f"x{k}")
        s = model.NewIntVar(option.lo, option.hi - r.min_track, f"s{k}")
        length = model.NewIntVar(0, min(r.duration, option.hi - option.lo), f"l{k}")
        e = model.NewIntVar(option.lo, option.hi, f"e{k}")
        model.Add(e == s + length)
        model.Add(length >= r.min_track).OnlyEnforceIf(x)
        model.Add(length == 0).OnlyEnforceIf(x.Not())
        return x, s, length, e

    def _copies(self, model: Any, made: dict[int, tuple[Any, Any, Any, Any]], values: Values) -> None:
        """Copy c+1 of an option only after copy c, later than it (set-up and tear-down apart)."""
        for k, (x, s, _, e) in made.items():
            r = self.instance.requests[self.keys[k][0]]
            gap = r.setup + r.teardown
            before, after = self.previous[k], self.next[k]
            if before >= 0 and before in made:
                model.AddImplication(x, made[before][0])
                model.Add(s >= made[before][3] + gap).OnlyEnforceIf(x)
            elif before >= 0 and not values[before][0]:
                model.Add(x == 0)
            elif before >= 0:
                model.Add(s >= values[before][3] + gap).OnlyEnforceIf(x)
            if after >= 0 and after not in made and values[after][0]:
                model.Add(x == 1)
                model.Add(e + gap <= values[after][1])

    def _requests(self, model: Any, made: dict[int, tuple[Any, Any, Any, Any]], values: Values) -> None:
        """Per request: tracks and seconds of its free slots within what its fixed ones leave."""
        for i in sorted({self.keys[k][0] for k in made}):
            r = self.instance.requests[i]
            mine = self.of_request[i]
            fixed = [k for k in mine if k not in made]
            model.Add(sum(made[k][0] for k in mine if k in made)
                      <= r.max_tracks - sum(values[k][0] for k in fixed))
            model.Add(sum(made[k][2] for k in mine if k in made)
                      <= r.duration - sum(values[k][2] for k in fixed))

    def _antennas(self, model: Any, made: dict[int, tuple[Any, Any, Any, Any]],
                  occupied: dict[int, Any], values: Values) -> None:
        """No overlap per antenna a free slot may use, with the fixed tracks and maintenance."""
        reach: dict[int, tuple[int, int]] = {}
        for k in made:
            i, option, _ = self.keys[k]
            r = self.instance.requests[i]
            lo, hi = option.lo - r.setup, option.hi + r.teardown
            for a in option.antennas:
                was = reach.get(a, (lo, hi))
                reach[a] = (min(was[0], lo), max(was[1], hi))
        for a, (lo, hi) in sorted(reach.items()):
            intervals = []
            for k in self.on_antenna[a]:
                if k in made:
                    intervals.append(occupied[k])
                elif values[k][0]:
                    r = self.instance.requests[self.keys[k][0]]
                    start, end = values[k][1] - r.setup, values[k][3] + r.teardown
                    if start < hi and end > lo:
                        intervals.append(model.NewIntervalVar(start, end - start, end, f"fix{a}_{k}"))
            for start, end in self.down.get(a, ()):
                if start < hi and end > lo:
                    intervals.append(model.NewIntervalVar(start, end - start, end, f"down{a}_{start}"))
            if len(intervals) > 1:
                model.AddNoOverlap(intervals)

    def _owners(self, model: Any, made: dict[int, tuple[Any, Any, Any, Any]],
                tracking: dict[int, Any], values: Values) -> None:
        """No overlap of tracking per mission (or split request), with its fixed tracks."""
        reach: dict[object, tuple[int, int]] = {}
        for k in tracking:
            option = self.keys[k][1]
            owner = self.owner(k)
            was = reach.get(owner, (option.lo, option.hi))
            reach[owner] = (min(was[0], option.lo), max(was[1], option.hi))
        for owner, (lo, hi) in reach.items():
            intervals = []
            for k in self.of_owner[owner]:
                if k in made:
                    intervals.append(tracking[k])
                elif values[k][0] and values[k][1] < hi and values[k][3] > lo:
                    on, off = values[k][1], values[k][3]
                    intervals.append(model.NewIntervalVar(on, off - on, off, f"held{k}"))
            if len(intervals) > 1:
                model.AddNoOverlap(intervals)

    def _missions(self, model: Any, made: dict[int, tuple[Any, Any, Any, Any]], values: Values) -> None:
        """A kept mission whose tracks are all free keeps one of them."""
        for mission in sorted({self.instance.requests[self.keys[k][0]].mission for k in made}):
            if mission not in self.kept:
                continue
            mine = self.of_mission[mission]
            if not any(values[k][0] for k in mine if k not in made):
                model.AddBoolOr([made[k][0] for k in mine if k in made])
