"""Ctrl-C and SIGTERM: one line, exit 130, what was finished kept (the bench store and a report
of it, solve --json), no child run left behind, no traceback or abort."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import schedkit
from schedkit.cli import EXIT_INTERRUPTED
from tests.conftest import ROOT

WT40 = ROOT / "instances" / "smtt" / "wt40.txt"


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, Path]:
    marker = tmp_path / "hanging.pid"
    process = subprocess.Popen([sys.executable, "-m", "tests.bench.interrupt_target", str(marker), *args],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    while not marker.exists() or not marker.read_text():  # the hanging run has started
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    return process, marker


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_an_interrupted_bench_keeps_its_runs_and_reports_them(tmp_path, how):
    """It died silently (SIGTERM; Ctrl-C after a CP-SAT warm-up) without a report, or waited for
    the running child; now the finished run is stored and reported, the hanging one killed."""
    suite = tmp_path / "s.toml"
    suite.write_text(f'name = "s"\ninstances = ["{WT40}#1", "{WT40}#2"]\ntime_limit = 600\n'
                     '[[methods]]\nname = "test-hang"\n')
    out = tmp_path / "out"
    process, marker = _start(tmp_path, "bench", str(suite), "--out", str(out), "--no-plots")
    if how == "sigterm":
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)  # the terminal's Ctrl-C: the whole group
    _, err = process.communicate(timeout=120)
    assert process.returncode == EXIT_INTERRUPTED, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("schedkit: error: interrupted: 1 of 2 runs stored") and "--resume" in last
    assert "Traceback" not in err and "terminate called" not in err
    assert (out / "s.md").exists() and len((out / "s.results.jsonl").read_text().splitlines()) == 1
    child = int(marker.read_text())
    deadline = time.monotonic() + 30
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(child)


def test_sigterm_on_solve_keeps_the_json_of_finished_instances(tmp_path):
    """`solve --json` under SIGTERM: one line, exit 130, the first instance's result kept."""
    results = tmp_path / "r.json"
    process, _ = _start(tmp_path, "solve", f"{WT40}#1", f"{WT40}#2", "-m", "test-hang",
                        "--json", str(results))
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == EXIT_INTERRUPTED
    assert err.strip().splitlines()[-1] == "schedkit: error: interrupted" and "Traceback" not in err
    assert '"wt40#1"' in results.read_text() and '"wt40#2"' not in results.read_text()


def test_ctrl_c_is_still_heard_after_a_cpsat_solve():
    """CP-SAT's own SIGINT handler left SIGINT at the system default after a solve: the next
    Ctrl-C killed the process with no message and no partial results. Python's handler is
    installed first: a process started in the background by a shell without job control (a CI
    runner, `cmd &` in a script) inherits SIGINT ignored, and then no Ctrl-C is heard at all."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        schedkit.solve(schedkit.load(f"{WT40}#1"), "cpsat", time_limit=5, workers=1)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        with pytest.raises(KeyboardInterrupt):
            # to the main thread itself, which alone runs Python's handler
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            for _ in range(200):  # short sleeps: the handler runs between two calls at the latest
                time.sleep(0.05)
    finally:
        signal.signal(signal.SIGINT, previous)
