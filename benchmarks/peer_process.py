"""One fresh process of a side-by-side benchmark (ours or a peer's, in its own venv): the
dict its last `RESULT {json}` line holds, with the wall time seen from outside."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any


def run_fresh(command: list[str], limit: float, cwd: Path, stdin: str | None = None) -> dict[str, Any]:
    """Run `command` (a solve told `limit` seconds): its RESULT dict plus `wall` and `load` (the
    1-minute load just before); an `error` row naming stderr's last line when it printed none."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=limit * 3 + 120)
    wall = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        return {"status": "error", "objective": None, "bound": None, "starts": None, "wall": wall,
                "load": load, "error": (done.stderr.strip().splitlines() or ["no output"])[-1][:160]}
    return {**json.loads(lines[-1][len("RESULT "):]), "wall": wall, "load": load}
