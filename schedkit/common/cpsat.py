"""What every family's CP-SAT method sets the same way: threads, seed and time budget."""

from __future__ import annotations

from typing import Any

MIN_SECONDS = 0.01  # CP-SAT reads a limit of 0 as "no time": never hand it one


def new_solver(cp_model: Any, workers: int, seed: int, seconds: float | None) -> Any:
    """A CpSolver with `workers` search threads (never CP-SAT's own default of 8 or more),
    `seed`, and a wall-clock limit of `seconds` (None: no limit)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    # CP-SAT's own Ctrl-C handler swallows the first Ctrl-C (the search just stops) and leaves
    # SIGINT at the system default afterwards: the next Ctrl-C killed the process silently
    # (no "interrupted", no partial --json). Without it, Ctrl-C is a KeyboardInterrupt.
    solver.parameters.catch_sigint_signal = False
    if seconds is not None:
        solver.parameters.max_time_in_seconds = max(MIN_SECONDS, seconds)
    return solver
