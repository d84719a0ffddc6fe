"""A newcomer's harness: never overwrites, says early what is missing, resolves paths from the
suite file, and reports progress as it goes."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schedkit.bench.command import bench, default_out
from schedkit.bench.progress import RunProgress
from schedkit.bench.suite import load_suite
from schedkit.errors import SchedkitError, SolverUnavailable

ROOT = Path(__file__).resolve().parents[2]
SUITE = """name = "tiny"
{root}instances = ["{instances}#1", "{instances}#2"]
references = "{references}"
time_limit = 5
[[methods]]
name = "edd"
"""


def tiny_suite(folder: Path, root: str | None, instances: str, references: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tiny.toml"
    line = "" if root is None else f'root = "{root}"\n'
    path.write_text(SUITE.format(root=line, instances=instances, references=references))
    return path


def test_paths_resolve_against_the_suite_file_and_root(tmp_path):
    (tmp_path / "data").mkdir()
    for name in ("smtt_n20.jsonl", "references.csv"):
        (tmp_path / "data" / name).write_bytes((ROOT / "instances" / "smtt" / name).read_bytes())
    beside = load_suite(tiny_suite(tmp_path, None, "data/smtt_n20.jsonl", "data/references.csv"))
    assert beside.instance_files[0] == f"{tmp_path / 'data' / 'smtt_n20.jsonl'}#1"
    rooted = load_suite(tiny_suite(tmp_path / "suites", "..", "data/smtt_n20.jsonl",
                                   "data/references.csv"))
    assert rooted.instance_files == beside.instance_files
    assert rooted.references == tmp_path / "data" / "references.csv"



@pytest.mark.parametrize(("lines", "match"), [
    ('references = 5\n[[methods]]\nname = "edd"', "'references' must hold text"),
    ('[[methods]]\nname = "edd"\noptions = 5', "options must be a table"),
    ('[[methods]]\nname = "edd"\noptions = "ab"', "options must be a table"),
    ('[[methods]]\nname = "edd"\noptions = [[1, 2]]', "options must be a table"),
    ('[[methods]]\nname = "edd"\nlabel = 5', "name and label must be text"),
    ('[[methods]]\nname = {a = 1}', "name and label must be text"),
    ('methods = []', "methods is empty"),
    ('seeds = []\n[[methods]]\nname = "edd"', "seeds is empty"),
])
def test_a_field_of_the_wrong_kind_is_a_suite_error(tmp_path, lines, match):
    """These reached the runner as TypeError or ValueError (exit 3, "internal error") or were
    read as text (label 5); now one SchedkitError naming the suite file and the field."""
    (tmp_path / "a.txt").write_text("1 2\n")
    path = tmp_path / "s.toml"
    path.write_text(f'name = "s"\ninstances = ["a.txt"]\ntime_limit = 1\n{lines}\n')
    with pytest.raises(SchedkitError, match=match) as caught:
        load_suite(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(("name", "content", "match"), [
    ("r.csv", "instance,lower_bound,upper_bound,status\nft06,nan,nan,optimal\n", "finite number"),
    ("r.csv", "instance,lower_bound,upper_bound,status\nft06,1e400,1,open\n", "finite number"),
    ("r.csv", "instance,lower_bound,upper_bound,status\nft06,60,50,open\n", "60 > 50"),
    ("r.jsonl", "5\n", "a JSON object, found int"),
    ("r.csv", b"\xff\xfe\n", "UTF-8"),
])
def test_a_bad_reference_file_stops_the_suite_before_its_runs(tmp_path, monkeypatch, name,
                                                                content, match):
    """NaN, infinite or crossed bounds were taken as references; a JSON line that is no object
    and bytes that are no UTF-8 ended as internal errors, and only after every run."""
    (tmp_path / "a.txt").write_text("1 2\n")
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    suite = tmp_path / "s.toml"
    suite.write_text(f'name = "s"\ninstances = ["a.txt"]\ntime_limit = 1\nreferences = "{name}"\n'
                     '[[methods]]\nname = "edd"\n')
    monkeypatch.setattr("schedkit.bench.command.run_suite", lambda *a, **k: pytest.fail("ran"))
    with pytest.raises(SchedkitError, match=match) as caught:
        bench(str(suite), out=tmp_path / "out", plot=False, quiet=True)
    assert str(path) in str(caught.value)

def test_default_out_is_a_new_folder_per_run(tmp_path):
    suite = load_suite(ROOT / "benchmarks" / "suites" / "wt40.toml")
    first = default_out(suite, resume=False, runs=tmp_path)
    first.mkdir(parents=True)
    second = default_out(suite, resume=False, runs=tmp_path)
    assert first.parent == second.parent == tmp_path and first != second
    assert first.name.startswith("wt40-")
    with pytest.raises(SchedkitError, match="--resume: no earlier run"):
        default_out(suite, resume=True, runs=tmp_path)
    (first / "wt40.results.jsonl").write_text("")
    assert default_out(suite, resume=True, runs=tmp_path) == first


def test_bench_without_out_leaves_committed_reports_alone(tmp_path, monkeypatch):
    reports = ROOT / "benchmarks" / "reports"
    before = {p.name: p.stat().st_mtime_ns for p in reports.iterdir()}
    suite = tiny_suite(tmp_path, str(ROOT), "instances/smtt/smtt_n20.jsonl",
                       "instances/smtt/references.csv")
    monkeypatch.chdir(tmp_path)
    report = bench(str(suite), plot=False, quiet=True)
    assert report.resolve().parent.parent == tmp_path.resolve() / "bench-runs"
    assert report.name == "tiny.md"
    assert {p.name: p.stat().st_mtime_ns for p in reports.iterdir()} == before


def test_missing_matplotlib_stops_before_the_first_run(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what an install without [plot] has
    suite = tiny_suite(tmp_path, str(ROOT), "instances/smtt/smtt_n20.jsonl",
                       "instances/smtt/references.csv")
    with pytest.raises(SolverUnavailable, match="--no-plots"):
        bench(str(suite), tmp_path / "out", quiet=True)
    assert not (tmp_path / "out").exists()  # nothing ran


def test_progress_off_a_terminal_is_one_line_per_item():
    stream = io.StringIO()
    with RunProgress("solving", total=2, stream=stream) as progress:
        progress.finished("a", "optimal 3", best="a gap 0.00%")
        progress.finished("b", "feasible 5")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("[1/2] a: optimal 3")
    assert "best a gap 0.00%" in lines[1]


def test_progress_on_a_terminal_draws_a_bar():
    stream = io.StringIO()
    with RunProgress("solving", total=2, stream=stream, interactive=True) as progress:
        progress.finished("a", "optimal 3", best="a gap 0.00%")
    assert "solving" in stream.getvalue() and "1/2" in stream.getvalue()


def test_interrupted_solve_keeps_what_it_solved(tmp_path):
    """Kill `solve` over 800 instances after a few progress lines: its JSON holds them."""
    out = tmp_path / "r.json"
    command = [sys.executable, "-m", "schedkit", "solve", str(ROOT / "instances/smtt/smtt_n20.jsonl"),
               "-m", "dp", "--json", str(out)]
    child = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                             cwd=ROOT)
    assert child.stderr is not None
    seen = [child.stderr.readline() for _ in range(3)]
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert all(line.startswith(f"[{k + 1}/800] smtt_n20#{k + 1}:") for k, line in enumerate(seen))
    time.sleep(0.1)
    kept = json.loads(out.read_text())
    assert kept and [r["instance"] for r in kept] == [f"smtt_n20#{k + 1}" for k in range(len(kept))]


def test_every_committed_suite_names_its_root(capsys):
    """The README says the committed suites say root = "../.."; five RCPSP suites did not and
    loaded with the old-default warning on every run."""
    for path in sorted((ROOT / "benchmarks" / "suites").glob("*.toml")):
        load_suite(path)
    assert "warning" not in capsys.readouterr().err
