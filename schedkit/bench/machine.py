"""What a report states about where it ran: CPU, cores, memory, package versions."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import socket
from pathlib import Path

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
