"""Run a picklable call in a fresh interpreter (`python -m schedkit.common.spawned`) until a
deadline: for pure-Python heuristics that use a second core with a second walk.

A fresh interpreter, not multiprocessing: spawn re-runs the caller's main script (a user's script
without a `__main__` guard would solve again inside the child), and a forked or daemonic parent
(the benchmark harness, a Dask worker) may not start multiprocessing children. The call and its
answer travel as pickles through files in a temporary directory (instances' read-only `meta`
pickles through `common.pickling`, which `import schedkit` registers); the deadline is wall-clock.
"""

from __future__ import annotations

import math
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_GRACE = 2.0  # seconds past its deadline a child may take to write its answer


class Spawned:
    """One call `function(*args, deadline)` running in a child interpreter; `deadline` there is a
    perf_counter value of the child's own clock for the same wall-clock instant."""

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...], deadline: float) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="schedkit-spawned-"))
        self.answer = self.folder / "answer.pickle"
        self.deadline = deadline
        wall_end = math.inf if math.isinf(deadline) else time.time() + (deadline - time.perf_counter())
        with open(self.folder / "call.pickle", "wb") as handle:
            pickle.dump((function, args, wall_end), handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.stderr = open(self.folder / "stderr.txt", "wb")  # noqa: SIM115 (closed in stop)
        self.process: subprocess.Popen[bytes] | None = None
        self.failed_to_start = ""
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "schedkit.common.spawned", str(self.folder)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr)
        except OSError as error:  # no interpreter to start (or no process left): no such walk
            self.failed_to_start = f"the walk could not start: {error}"
            self.stop()

    def result(self, latest: float = math.inf) -> tuple[Any, str | None]:
        """(the call's return value, None), or (None, why there is none): waits until the
        deadline plus EXIT_GRACE, and never past `latest` (the caller's own time limit, a
        perf_counter value), then stops the child."""
        if self.process is None:
            return None, self.failed_to_start
        until = min(self.deadline + EXIT_GRACE, latest)
        wait = None if math.isinf(until) else max(0.0, until - time.perf_counter())
        try:
            self.process.wait(wait)
        except subprocess.TimeoutExpired:
            self.stop()
            return None, "the walk did not answer by its deadline"
        try:
            if self.process.returncode != 0 or not self.answer.exists():
                return None, f"the walk failed: {self._last_error(self.process.returncode)}"
            with open(self.answer, "rb") as handle:
                return pickle.load(handle), None
        finally:
            self.stop()

    def stop(self) -> None:
        """Kill the child if it still runs and remove its files."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _last_error(self, status: int) -> str:
        lines = (self.folder / "stderr.txt").read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {status}"


def _run(folder: Path) -> None:
    """Inside the child: load the call, run it until its deadline, write its answer."""
    with open(folder / "call.pickle", "rb") as handle:
        function, args, wall_end = pickle.load(handle)
    deadline = math.inf if math.isinf(wall_end) else time.perf_counter() + (wall_end - time.time())
    value = function(*args, deadline)
    partial = folder / "answer.partial"
    with open(partial, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.rename(folder / "answer.pickle")


if __name__ == "__main__":
    _run(Path(sys.argv[1]))
