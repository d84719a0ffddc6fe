"""CS-GSNSP-like random networks: satellites on periodic passes over ground stations.

- `stations` stations with `antennas` antennas each (named GS1-A1 ...); one array alternative
  (two antennas of a station together) per station and request with probability `array_share`.
- Satellite s circles with period P_s ~ U{90 .. 120} min; over station g it has a random phase
  and is seen on a random half of its orbits, each pass lasting U{5 .. 15} min: the view periods
  (the same on every antenna of the station).
- Each satellite asks for `requests` contacts, its horizon cut into equal windows, one request
  per window: duration U{4 .. 10} min, minimum U[50 %, 100 %] of it (whole minutes), set-up
  U{1 .. 5} min, tear-down U{1 .. 2} min; alternatives: the antennas whose station it passes.
- Maintenance: each antenna is down once, for U{30 .. 120} min, with probability
  `maintenance_share`.
Draws come from numpy's default_rng(seed) in that order; the same arguments give the same network.
"""

from __future__ import annotations

from pathlib import Path

import click

from schedkit.common.arguments import flag, number
from schedkit.common.rng import generator_rng
from schedkit.errors import InvalidInstance
from schedkit.groundstation.model import (
    MAX_REQUESTS,
    Alternative,
    GroundStationInstance,
    Maintenance,
    Request,
    ViewPeriod,
)
from schedkit.loading import write

# Sizes checked before anything is drawn (the model's own limit on requests aside): 10,000
# satellites over 6 stations for 24 h (1 M passes, 540 k alternatives) take about 11 s and 0.6 GB.
MIN_PERIOD_MINUTES = 90
MAX_ORBITS = 5_000_000
MAX_ALTERNATIVES = 2_000_000


def _check(satellites: int, stations: int, antennas: int, requests: int, hours: int) -> None:
    for name, value, low in (("satellites", satellites, 1), ("stations", stations, 1),
                             ("antennas", antennas, 1), ("requests", requests, 1), ("hours", hours, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidInstance(f"{name} must be an integer >= {low}, got {value!r}")
    if satellites * requests > MAX_REQUESTS:
        raise InvalidInstance(f"satellites x requests = {satellites * requests:,} requests: at "
                              f"most {MAX_REQUESTS:,}")
    orbits = satellites * stations * (hours * 60 // MIN_PERIOD_MINUTES + 1)
    if orbits > MAX_ORBITS:
        raise InvalidInstance(f"satellites x stations x orbits in {hours} h = {orbits:,} passes to "
                              f"draw: at most {MAX_ORBITS:,}")
    alternatives = satellites * requests * stations * (antennas + 1)
    if alternatives > MAX_ALTERNATIVES:
        raise InvalidInstance(f"satellites x requests x stations x (antennas + 1) = "
                              f"{alternatives:,} alternatives at most: the limit is "
                              f"{MAX_ALTERNATIVES:,}")


def groundstation(satellites: int, seed: int, *, stations: int = 6, antennas: int = 2,
                  requests: int = 3, hours: int = 24, array_share: float = 0.2,
                  maintenance_share: float = 0.3, spacecraft_exclusive: bool = True
                  ) -> GroundStationInstance:
    """A random network (see the module docstring)."""
    _check(satellites, stations, antennas, requests, hours)
    array_share = number("array_share", array_share, 0, 1)
    maintenance_share = number("maintenance_share", maintenance_share, 0, 1)
    flag("spacecraft_exclusive", spacecraft_exclusive)
    rng = generator_rng(seed)
    horizon = hours * 3600
    names = [[f"GS{g + 1}-A{k + 1}" for k in range(antennas)] for g in range(stations)]
    passes: list[list[list[tuple[int, int]]]] = []
    for _ in range(satellites):
        period = int(rng.integers(MIN_PERIOD_MINUTES, 121)) * 60
        mine = []
        for _ in range(stations):
            phase = int(rng.integers(0, period))
            seen = []
            for start in range(phase, horizon, period):
                length = int(rng.integers(5, 16)) * 60
                if rng.random() < 0.5:
                    seen.append((start, min(horizon, start + length)))
            mine.append(seen)
        passes.append(mine)
    made = []
    for s in range(satellites):
        width = horizon // requests
        for q in range(requests):
            lo, hi = q * width, (q + 1) * width
            duration = int(rng.integers(4, 11)) * 60
            minimum = max(60, int(round(duration * rng.uniform(0.5, 1.0) / 60)) * 60)
            setup, teardown = int(rng.integers(1, 6)) * 60, int(rng.integers(1, 3)) * 60
            alternatives: list[Alternative] = []
            for g in range(stations):
                periods = tuple(ViewPeriod(a, b) for a, b in passes[s][g] if b > lo and a < hi)
                if not periods:
                    continue
                alternatives.extend(Alternative((x,), periods) for x in names[g])
                if antennas >= 2 and rng.random() < array_share:
                    alternatives.append(Alternative((names[g][0], names[g][1]), periods))
            made.append(Request(f"S{s + 1}-{q + 1}", f"S{s + 1}", duration, min(minimum, duration),
                                setup, teardown, lo, hi, tuple(alternatives)))
    maintenance = []
    for station in names:
        for antenna in station:
            if rng.random() < maintenance_share:
                start = int(rng.integers(0, horizon))
                maintenance.append(Maintenance(antenna, start, start + int(rng.integers(30, 121)) * 60))
    name = f"gs_sat{satellites}_st{stations}x{antennas}_r{requests}_s{seed}"
    meta = {"generator": "cs-gsnsp", "satellites": satellites, "stations": stations,
            "antennas": antennas, "requests": requests, "hours": hours, "seed": seed}
    return GroundStationInstance(tuple(made), tuple(a for station in names for a in station),
                                 tuple(maintenance), spacecraft_exclusive, name, meta)


@click.command("groundstation")
@click.option("--satellites", type=click.IntRange(1, 10_000), required=True)
@click.option("--stations", type=click.IntRange(1, 1000), default=6, show_default=True)
@click.option("--antennas", type=click.IntRange(1, 100), default=2, show_default=True,
              help="antennas per station")
@click.option("--requests", type=click.IntRange(1, 1000), default=3, show_default=True,
              help="requests per satellite")
@click.option("--hours", type=click.IntRange(1, 24 * 366), default=24, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(), required=True,
              help="output: .json (project JSON) or a directory (SatNet problem.json + maintenance.csv)")
def generate_command(satellites: int, stations: int, antennas: int, requests: int, hours: int,
                     seed: int, out: str) -> None:
    """A CS-GSNSP-like satellite network with periodic passes."""
    instance = groundstation(satellites, seed, stations=stations, antennas=antennas,
                             requests=requests, hours=hours)
    target = Path(out)
    write([instance], target, None if target.suffix else "satnet-dir")
    click.echo(f"wrote {out} ({instance.name}: {instance.n} requests)")
