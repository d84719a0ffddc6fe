"""Run one benchmark row in a fresh process and append it to a JSON-lines store."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path


def run_row(command: list[str], out: Path) -> str:
    """Run `command` (it prints its JSON row last), append that line to `out`, print and return it."""
    line = subprocess.run(command, capture_output=True, text=True, check=True
                          ).stdout.strip().splitlines()[-1]
    with out.open("a") as handle:
        handle.write(line + "\n")
    print(line, flush=True)
    return line


def checkout_commit(root: Path) -> str:
    """The short commit of the checkout at `root`, with + when its schedkit/ has changes."""
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "schedkit"],
                           capture_output=True, text=True).stdout.strip()
    return head + ("+" if dirty else "")


def add_run_arguments(parser: argparse.ArgumentParser, time_limit: float) -> None:
    """The options every fresh-process row script shares: limit, workers, store, and the hidden
    --one that a child process runs with."""
    parser.add_argument("--time-limit", type=float, default=time_limit)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True, help="JSON lines, appended")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
