"""The harness end to end: append-only resumable store (killed mid-run) and Dask == local."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schedkit.bench.command import store_path
from schedkit.bench.runner import run_suite
from schedkit.bench.store import ResultStore
from schedkit.bench.suite import load_suite
from schedkit.errors import SchedkitError

ROOT = Path(__file__).resolve().parents[2]

SUITE = """
name = "{name}"
root = "{root}"
instances = ["instances/smtt/smtt_n100.jsonl#1", "instances/smtt/smtt_n100.jsonl#77",
             "instances/smtt/smtt_n100.jsonl#150", "instances/smtt/wt40.txt#9"]
references = "instances/smtt/references.csv"
time_limit = 300  # never binding: a limit that binds under load would change the table
[[methods]]
name = "edd"
[[methods]]
name = "dynasearch"
options = {{ iterations = {iterations} }}
[[methods]]
name = "mddc-aug"
"""


def write_suite(tmp_path: Path, name: str, iterations: int = 50) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(SUITE.format(name=name, root=ROOT, iterations=iterations))
    return path


def table(path: Path) -> list[dict[str, str]]:
    """The report CSV without the time columns (times differ run to run)."""
    rows = list(csv.DictReader(path.open()))
    return [{k: v for k, v in row.items() if "time" not in k} for row in rows]


def test_store_is_append_only_and_tolerates_a_torn_line(tmp_path):
    """A torn last line is skipped on reading and closed off by the next append."""
    store = ResultStore(tmp_path / "s.jsonl")
    store.append({"key": "a", "x": 1})
    with store.path.open("a") as file:
        file.write('{"key": "b", "x"')  # a write cut off by a kill
    assert [r["key"] for r in store.records()] == ["a"]
    store.append({"key": "c", "x": 3})
    assert [r["key"] for r in store.records()] == ["a", "c"]
    assert store.path.read_text().startswith('{"key":"a"')


def test_killed_run_resumes_to_the_same_table(tmp_path):
    """Kill the harness mid-suite, resume: every run stored once and the same table as a
    clean run."""
    suite_file = write_suite(tmp_path, "resume", iterations=3000)
    errors = []
    for attempt in range(3):  # a starved poller (load 11) once killed a suite already done
        out = tmp_path / f"killed{attempt}"
        command = [sys.executable, "-m", "schedkit.cli", "bench", str(suite_file), "--out", str(out),
                   "--no-plots"]
        with open(tmp_path / f"stderr{attempt}", "w+") as stderr:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr,
                                       start_new_session=True)
            store = ResultStore(store_path(out, load_suite(suite_file)))
            deadline = time.monotonic() + 600  # a cold numba cache on a loaded machine compiles first
            while len(list(store.records())) < 2 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            stderr.seek(0)
            errors.append(f"attempt {attempt}: exit {process.returncode}: {stderr.read()[-2000:]}")
        stored = len(list(store.records()))
        if 2 <= stored < 12:
            break
    assert 2 <= stored < 12, f"the kill should land mid-suite; {stored} stored. " + " | ".join(errors)
    with pytest.raises(SchedkitError, match="--resume"):
        run_suite(load_suite(suite_file), store)
    subprocess.run(command + ["--resume"], check=True, capture_output=True)
    keys = [r["key"] for r in store.records()]
    assert len(keys) == len(set(keys)) == 12
    clean = tmp_path / "clean"
    subprocess.run([*command[:-3], "--out", str(clean), "--no-plots"], check=True,
                   capture_output=True)
    assert table(out / "resume.csv") == table(clean / "resume.csv")


def test_dask_local_cluster_matches_local_pool(tmp_path):
    """The same suite on a Dask LocalCluster and on the local pool: the same records."""
    pytest.importorskip("dask.distributed")
    suite = load_suite(write_suite(tmp_path, "dask"))
    local = run_suite(suite, ResultStore(tmp_path / "local.jsonl"), jobs=2)
    remote = run_suite(suite, ResultStore(tmp_path / "dask.jsonl"), dask_local=2)
    fields = ("key", "outcome", "status", "objective", "bound")
    assert sorted(tuple(r[f] for f in fields) for r in local) == sorted(
        tuple(r[f] for f in fields) for r in remote)
    assert len(local) == 12


WT40 = Path(__file__).resolve().parents[2] / "instances" / "smtt" / "wt40.txt"


@pytest.mark.parametrize("field", [
    "time_limit = nan", "time_limit = 1e308", "time_limit = true", "instances = 5", "seeds = 3",
    "seeds = [-1]", "seeds = [true]", "seeds = [1.5]", "workers = 0", "workers = true", "workers = 100000",
    "grace = -5", "grace = nan", "memory_limit_mb = 'x'", "memory_limit_mb = 0",
])
def test_a_bad_suite_field_is_refused_before_any_run(tmp_path, field):
    """Each field is checked when the suite is read: NaN, 1e308 and a non-list `instances` or
    `seeds` raised ValueError, OverflowError or TypeError (exit 3); booleans were read as 1;
    seeds and workers out of range failed every run; a negative grace timed out every run."""
    key = field.split(" = ")[0]
    fields = {"instances": f'["{WT40}#1"]', "time_limit": "1", key: field.split(" = ")[1]}
    suite = tmp_path / "s.toml"
    suite.write_text('name = "x"\n' + "".join(f"{k} = {v}\n" for k, v in fields.items())
                     + '[[methods]]\nname = "edd"\n')
    with pytest.raises(SchedkitError, match=key):
        load_suite(suite)


def test_a_ground_station_report_shows_hours_and_every_run(tmp_path):
    """A suite without references still reports what each method reached: the family's measures
    (tracked hours) per method and per run, and the objectives per instance."""
    suite_file = tmp_path / "gs.toml"
    suite_file.write_text(f'''
name = "gs"
root = "{ROOT}"
instances = ["tests/data/groundstation/problems.json#W10_2018", "tests/data/groundstation/W10_tiny"]
time_limit = 60
[[methods]]
name = "greedy"
[[methods]]
name = "greedy"
label = "greedy-longest"
options = {{ rule = "longest" }}
''')
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "schedkit.cli", "bench", str(suite_file), "--out", str(out),
                           "--no-plots"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = (out / "gs.md").read_text()
    assert "mean tracked h" in report and "mean U_max" in report
    assert "## Per instance" in report and "`tracked h`" in report
    assert report.count("| W10_2018 |") == 2 and report.count("| W10_tiny |") == 2
    rows = list(csv.DictReader((out / "gs.csv").open()))
    assert all(float(row["mean tracked h"]) > 0 for row in rows)
