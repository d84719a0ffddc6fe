"""An independent brute-force optimum of tiny groundstation instances (tests only).

Every plan whose track ends lie on multiples of `unit` seconds is enumerated, the rules of the
model re-stated here from its docstring (no package code). With every time of the instance a
multiple of `unit` and no request of 8 h or more, the best such plan is the optimum: rounding
every time of a plan by one common monotone map x -> ceil(x - theta) keeps every rule (all are
differences of two times against a multiple of `unit`), and over theta it keeps the tracked
time on average. With split requests it is only a feasible plan (an upper bound on unserved).
"""

from __future__ import annotations

from schedkit.groundstation.model import GroundStationInstance

EIGHT_HOURS = 8 * 3600
FOUR_HOURS = 4 * 3600


def _placements(r, unit: int) -> list[tuple[tuple[str, ...], int, int]]:
    """(antennas, on, off) of every single track the request may get, on the unit grid."""
    splittable = r.duration >= EIGHT_HOURS
    shortest = min(FOUR_HOURS, r.duration_min) if splittable else r.duration_min
    found = []
    for alternative in r.alternatives:
        for period in alternative.view_periods:
            lo, hi = max(period.on, r.window_start), min(period.off, r.window_end)
            for on in range(lo, hi + 1, unit):
                for off in range(on + shortest, min(hi, on + r.duration) + 1, unit):
                    found.append((alternative.antennas, on, off))
    return sorted(set(found), key=lambda t: (t[1], t[2], t[0]))


def _meets(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def best_tracked(instance: GroundStationInstance, unit: int = 1, seen: set | None = None) -> int:
    """Most seconds a plan on the `unit` grid tracks (capped per request at its duration);
    with `seen`, every plan's tracked seconds per request (capped) go into it, unpruned."""
    requests = instance.requests
    places = [_placements(r, unit) for r in requests]
    down = [(m.antenna, (m.start, m.end)) for m in instance.maintenance if m.end > m.start]
    antenna_busy: list[tuple[str, tuple[int, int]]] = list(down)
    tracking: list[tuple[object, tuple[int, int]]] = []
    most = [min(r.duration, sum(off - on for _, on, off in p) if p else 0)
            for r, p in zip(requests, places, strict=True)]
    best = [0]

    def fits(i: int, antennas: tuple[str, ...], on: int, off: int) -> bool:
        r = requests[i]
        occupied = (on - r.setup, off + r.teardown)
        if any(a in antennas and _meets(span, occupied) for a, span in antenna_busy):
            return False
        owner_keys = {("request", i)}
        if instance.spacecraft_exclusive:
            owner_keys.add(("mission", r.mission))
        return not any(k in owner_keys and _meets(span, (on, off)) for k, span in tracking)

    def place(i: int, antennas: tuple[str, ...], on: int, off: int) -> int:
        r = requests[i]
        for a in antennas:
            antenna_busy.append((a, (on - r.setup, off + r.teardown)))
        tracking.append((("request", i), (on, off)))
        if instance.spacecraft_exclusive:
            tracking.append((("mission", r.mission), (on, off)))
        return len(antennas) + (2 if instance.spacecraft_exclusive else 1)

    def undo(pushed_antennas: int, pushed_tracking: int) -> None:
        del antenna_busy[len(antenna_busy) - pushed_antennas:]
        del tracking[len(tracking) - pushed_tracking:]

    def request_tracks(i: int, start: int, got: int, count: int, total: int) -> None:
        """Tracks of request i from places[i][start:] on, then the next request."""
        r = requests[i]
        splittable = r.duration >= EIGHT_HOURS
        got_so_far.append(min(r.duration, got))
        next_request(i + 1, total + min(r.duration, got))
        got_so_far.pop()
        limit = (r.duration // (min(FOUR_HOURS, r.duration_min))) if splittable else 1
        if count >= limit or got >= r.duration:
            return
        for k in range(start, len(places[i])):
            antennas, on, off = places[i][k]
            if got + off - on > r.duration or not fits(i, antennas, on, off):
                continue
            before_a, before_t = len(antenna_busy), len(tracking)
            place(i, antennas, on, off)
            request_tracks(i, k + 1, got + off - on, count + 1, total)
            undo(len(antenna_busy) - before_a, len(tracking) - before_t)

    got_so_far: list[int] = []

    def next_request(i: int, total: int) -> None:
        if seen is None and total + sum(most[i:]) <= best[0]:
            return
        if i == len(requests):
            best[0] = max(best[0], total)
            if seen is not None:
                seen.add(tuple(got_so_far))
            return
        request_tracks(i, 0, 0, 0, total)

    next_request(0, 0)
    return best[0]


def best_unserved(instance: GroundStationInstance, unit: int = 1) -> int:
    """Fewest unserved seconds over the plans on the `unit` grid (see the module docstring)."""
    return instance.requested - best_tracked(instance, unit)


def fairest(instance: GroundStationInstance, unit: int = 1) -> tuple[float, int]:
    """The least (U_max, unserved seconds) over the plans on the `unit` grid, U_max being the
    largest share of a mission's requested seconds left untracked."""
    seen: set[tuple[int, ...]] = set()
    best_tracked(instance, unit, seen)
    asked: dict[str, int] = {}
    for r in instance.requests:
        asked[r.mission] = asked.get(r.mission, 0) + r.duration
    best = None
    for tracked in seen:
        got = dict.fromkeys(asked, 0)
        for r, t in zip(instance.requests, tracked, strict=True):
            got[r.mission] += t
        key = (max(((asked[m] - got[m]) / asked[m] for m in asked), default=0.0),
               instance.requested - sum(tracked))
        best = key if best is None or key < best else best
    assert best is not None
    return best


def fewest_untracked_missions(instance: GroundStationInstance, unit: int = 1) -> int:
    """Fewest missions without a tracked second over the plans on the `unit` grid."""
    seen: set[tuple[int, ...]] = set()
    best_tracked(instance, unit, seen)
    missions = {r.mission for r in instance.requests}
    return min(len(missions - {r.mission for r, t in zip(instance.requests, tracked, strict=True) if t})
               for tracked in seen)
