"""The Gantt chart `solve --gantt` draws: one row per antenna, tracks coloured by mission with
set-up and tear-down darker, maintenance hatched, and a legend of missions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import COLOURS, EDGED_BARS, MAX_ROWS, colour, pyplot

LEGEND_MISSIONS = 40  # legend entries before "… n more"


def gantt(instance: Any, solution: Any, path: Path) -> None:
    """Draw the plan to `path` (PNG); hours since the earliest event on the x axis."""
    plt = pyplot()
    rows = {a: k for k, a in enumerate(instance.antennas[:MAX_ROWS])}  # the others left out, said
    requests = {r.track_id: r for r in instance.requests}
    missions = instance.missions()
    tint = {m: colour(k) for k, m in enumerate(missions)}
    times = [t.tracking_on - requests[t.request].setup for t in solution.tracks]
    times += [m.start for m in instance.maintenance]
    origin = min(times, default=0)
    figure, chart = plt.subplots(figsize=(13, max(2.5, 0.45 * len(rows)) + 1.2))

    # Per row: maintenance, set-up/tear-down and tracks as (start, end, colour), each kind
    # drawn in one call per row (one call per bar took minutes for a large week).
    maintenance: dict[int, list[tuple[int, int, Any]]] = {}
    margins: dict[int, list[tuple[int, int, Any]]] = {}
    tracks: dict[int, list[tuple[int, int, Any]]] = {}
    for m in instance.maintenance:
        if m.antenna in rows:
            maintenance.setdefault(rows[m.antenna], []).append((m.start, m.end, "none"))
    used = set()
    for t in solution.tracks:
        r = requests[t.request]
        base = tint[r.mission]
        dark = tuple(0.55 * c for c in base[:3])
        for antenna in t.antennas:
            if antenna not in rows:
                continue
            y = rows[antenna]
            margins.setdefault(y, []).extend([(t.tracking_on - r.setup, t.tracking_on, dark),
                                              (t.tracking_off, t.tracking_off + r.teardown, dark)])
            tracks.setdefault(y, []).append((t.tracking_on, t.tracking_off, base))
        used.add(r.mission)
    outline = 0.3 if sum(map(len, tracks.values())) <= EDGED_BARS else 0.0

    def draw(spans: dict[int, list[tuple[int, int, Any]]], **style: Any) -> None:
        for y, row in spans.items():
            chart.broken_barh([((a - origin) / 3600, (b - a) / 3600) for a, b, _ in row], (y - 0.35, 0.7),
                              facecolors=[c for _, _, c in row], **style)

    draw(maintenance, hatch="////", edgecolor="grey", linewidth=0.4)
    draw(margins, linewidth=0)
    draw(tracks, edgecolor="black", linewidth=outline)
    from matplotlib.patches import Patch

    drawn = [m for m in missions if m in used]
    handles = [Patch(color=tint[m], label=m) for m in drawn[:LEGEND_MISSIONS]]
    if len(drawn) > LEGEND_MISSIONS:
        repeat = " (colours repeat)" if len(missions) > COLOURS else ""
        handles.append(Patch(facecolor="white", edgecolor="white",
                             label=f"… {len(drawn) - LEGEND_MISSIONS} more{repeat}"))
    handles.append(Patch(facecolor="none", hatch="////", edgecolor="grey", label="maintenance"))
    chart.legend(handles=handles, fontsize=6, ncol=max(1, len(handles) // 12 + 1),
                 loc="upper left", bbox_to_anchor=(1.0, 1.0), title="mission", title_fontsize=7)
    chart.set_yticks(range(len(rows)), list(rows), fontsize=8)
    chart.invert_yaxis()
    hours = sum(t.length for t in solution.tracks) / 3600
    left_out = "" if len(rows) == len(instance.antennas) else \
        f"; the first {len(rows)} of {len(instance.antennas)} antennas"
    chart.set_title(f"{instance.name}: {hours:.1f} h tracked (set-up/tear-down darker{left_out})")
    chart.set_xlabel("hours from the first event")
    chart.grid(axis="x", linewidth=0.3)
    figure.tight_layout()
    target = Path(path)
    figure.savefig(target, dpi=110)
    plt.close(figure)
