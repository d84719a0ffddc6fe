"""What a report states about where it ran: CPU, cores, memory, package versions, and the
machine's load while the runs ran (these machines are shared: a figure means little without it)."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import socket
from collections.abc import Iterable
from pathlib import Path
from statistics import median
from typing import Any

PACKAGES = ("schedkit", "ortools", "highspy", "pulp", "numpy", "numba")


def versions() -> dict[str, str]:
    """Installed versions of schedkit and the solver packages (part of every run's key)."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's guess."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float | None:
    """Total memory in GiB (Linux), None elsewhere."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def describe() -> str:
    """One line: CPU, cores, memory, host, Python and package versions."""
    memory = memory_gib()
    mem = f", {memory:.0f} GiB" if memory else ""
    packages = ", ".join(f"{k} {v}" for k, v in versions().items())
    return (f"{cpu_model()}, {os.cpu_count()} cores{mem}, host {socket.gethostname()}; "
            f"Python {platform.python_version()}; {packages}")


def load_average() -> float | None:
    """The 1-minute load average, None where the OS does not give one."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def describe_load(records: Iterable[dict[str, Any]]) -> str:
    """One line: the 1-minute load average at the runs' starts and ends (range, median), and
    when the runs finished; runs stored before loads were recorded are counted apart."""
    records = list(records)
    loads = [v for r in records for v in r.get("load") or () if isinstance(v, int | float)]
    finished = sorted(str(r["finished"]) for r in records if r.get("finished"))
    when = ""
    if finished:
        last = finished[-1][11:] if finished[-1][:10] == finished[0][:10] else finished[-1].replace("T", " ")
        when = f"; runs finished {finished[0].replace('T', ' ')} to {last}"
    if not loads:
        return f"Load: not recorded{when}"
    without = sum(1 for r in records if not r.get("load"))
    apart = f" ({without} older run(s) without a record of it)" if without else ""
    return (f"Load: 1-minute average {min(loads):.1f}-{max(loads):.1f} at the runs' starts and ends, "
            f"median {median(loads):.1f}{apart}{when}")
