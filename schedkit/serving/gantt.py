"""`solve --gantt` for serving: KV-cache occupancy over time, one row per program.

Each program's row shows when its KV cache is in GPU memory: serving a turn (dark), pinned
during a tool call (hatched), kept as an evictable cache (light); a cross marks an eviction,
a triangle an offload to CPU memory. The panel below is the total occupancy against capacity.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from schedkit.common.gantt import pyplot
from schedkit.serving.model import EVENT_KINDS

MAX_ROWS = 60
STYLE = {"admit": ("#1f77b4", None), "pin": ("#ff7f0e", "////"), "keep": ("#c6dbef", None)}


def gantt(instance: Any, solution: Any, path: Path) -> None:
    """Draw the occupancy chart of the first MAX_ROWS programs plus the total under it."""
    data = solution.to_dict() if hasattr(solution, "to_dict") else solution
    plt = pyplot()
    times = np.asarray(data["event_time"], dtype=float)
    programs = np.asarray(data["event_program"], dtype=int)
    tokens = np.asarray(data["event_gpu"], dtype=int)
    kinds = list(data["event_kind"])
    kinds = [EVENT_KINDS[k] if isinstance(k, int) else k for k in kinds]
    shown = min(instance.n, MAX_ROWS)
    figure, (chart, panel) = plt.subplots(2, 1, figsize=(11, 2 + 0.3 * shown), sharex=True,
                                          height_ratios=[max(2.0, 0.3 * shown), 1.6])
    opened: dict[int, tuple[float, str]] = {}
    total, levels, stamps = 0, [0], [0.0]
    held = np.zeros(instance.n, dtype=int)
    for time, i, gpu, kind in zip(times.tolist(), programs.tolist(), tokens.tolist(), kinds,
                                  strict=True):
        total += gpu - held[i]
        held[i] = gpu
        stamps.append(time)
        levels.append(total)
        if i >= shown:
            continue
        if i in opened:
            begin, state = opened.pop(i)
            colour, hatch = STYLE[state]
            chart.barh(i, time - begin, left=begin, height=0.7, color=colour, hatch=hatch,
                       edgecolor="black", linewidth=0.3)
        if kind in STYLE:
            opened[i] = (time, kind)
        elif kind == "evict":
            chart.plot(time, i, marker="x", color="red", markersize=6, linestyle="none")
        elif kind == "offload":
            chart.plot(time, i, marker="v", color="purple", markersize=6, linestyle="none")
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=STYLE[k][0], hatch=STYLE[k][1],
                             edgecolor="black", lw=0.3)
               for k in ("admit", "pin", "keep")]
    handles += [plt.Line2D([], [], marker="x", color="red", linestyle="none"),
                plt.Line2D([], [], marker="v", color="purple", linestyle="none")]
    chart.legend(handles, ["serving a turn", "pinned (TTL)", "cached, evictable", "evicted",
                           "offloaded to CPU"], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    chart.set_yticks(range(shown), [instance.program_ids[i] for i in range(shown)], fontsize=7)
    chart.invert_yaxis()
    chart.set_ylabel("program")
    chart.set_title(f"{instance.name}: KV cache per program ({shown} of {instance.n} shown)")
    panel.step(stamps, levels, where="post", linewidth=1, label="KV tokens in GPU memory")
    panel.axhline(instance.server.kv_capacity, color="red", linestyle="--", linewidth=0.8,
                  label="capacity")
    panel.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    panel.set_xlabel("time (s)")
    panel.set_ylabel("tokens")
    figure.tight_layout()
    figure.savefig(Path(path), dpi=110, bbox_inches="tight")  # the legends sit outside the axes
    plt.close(figure)
