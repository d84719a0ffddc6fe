"""Give every mission some tracking: a repair of a board in which a mission gets nothing
(U_m = 1) although one of its requests has an option.

For each such mission, each of its requests and each option, a track of the longest length
that fits the option is tried at the option's start and at its end: the requests whose tracks
occupy the same antennas (set-up and tear-down included) or track the same mission at that
time are cleared, the track is added and the cleared requests are placed again. The trial
that leaves the fewest unserved seconds is kept; a mission none of whose trials fits (a trial
may not clear a track an earlier mission got from this repair, nor leave a served mission
without tracks) stays unserved. The repair stops at a deadline (the missions left stay unserved).
"""

from __future__ import annotations

import math
import time

from schedkit.groundstation.heuristics.board import Board, Option


def unserved_missions(board: Board) -> list[int]:
    """Missions (by board index) with no tracked second although some request of theirs has
    an option, in index order."""
    got = [0] * len(board.missions)
    can = [False] * len(board.missions)
    for i, options in enumerate(board.options):
        got[board.mission_of[i]] += board.tracked[i]
        can[board.mission_of[i]] |= bool(options)
    return [m for m in range(len(got)) if can[m] and got[m] == 0]


def in_the_way(board: Board, i: int, option: Option, on: int, off: int) -> set[int]:
    """Requests whose tracks stand in the way of request i tracked over [on, off) in `option`."""
    r = board.requests[i]
    lo, hi = on - r.setup, off + r.teardown
    found: set[int] = set()
    for a in option.antennas:
        timeline = board.antennas[a]
        found.update(o for s, e, o in zip(timeline.starts, timeline.ends, timeline.owners, strict=True)
                     if s < hi and e > lo)
    if board.exclusive:
        timeline = board.missions[board.mission_of[i]]
        found.update(o for s, e, o in zip(timeline.starts, timeline.ends, timeline.owners, strict=True)
                     if s < off and e > on)
    found.discard(i)
    return found


def _trial(board: Board, trial: Board, i: int, option: Option, on: int, off: int,
           protected: set[int]) -> bool:
    """`trial` := `board` with request i tracked over [on, off) and its victims placed again;
    False (trial untouched) when a victim is `protected`."""
    victims = in_the_way(board, i, option, on, off)
    if victims & protected:
        return False
    trial.copy_from(board)
    for v in victims:
        trial.clear(v)
    trial.clear(i)
    trial.add(i, option.alt, on, off)
    for v in sorted(victims, key=lambda v: (-trial.requests[v].duration, v)):
        trial.place(v)
    return True


def serve_missions(board: Board, deadline: float = math.inf) -> int:
    """Repair `board` in place so that every mission that can be tracked gets a track (see the
    module docstring), trying no more after `deadline` (perf_counter); returns how many missions
    were newly served."""
    served = 0
    protected: set[int] = set()  # the tracks given by this repair stay
    missing = unserved_missions(board)
    if not missing or time.perf_counter() >= deadline:
        return 0
    trial, best = board.blank(), board.blank()
    for m in missing:
        if time.perf_counter() >= deadline:
            break
        best_unserved, chosen = None, -1
        allowed = set(unserved_missions(board)) - {m}  # no mission served now may lose its tracks
        for i, r in enumerate(board.requests):
            if board.mission_of[i] != m:
                continue
            for option in board.options[i]:
                if time.perf_counter() >= deadline:
                    break
                length = min(r.duration, option.hi - option.lo)
                for on in sorted({option.lo, option.hi - length}):
                    if (not _trial(board, trial, i, option, on, on + length, protected)
                            or not set(unserved_missions(trial)) <= allowed):
                        continue
                    if best_unserved is None or trial.unserved() < best_unserved:
                        best.copy_from(trial)
                        best_unserved, chosen = trial.unserved(), i
        if best_unserved is not None:
            board.copy_from(best)
            protected.add(chosen)
            served += 1
    return served
