"""Output paths: every problem with one is one line naming it, exit 2; charts never overwrite
each other; devices and links are written through, never replaced."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from schedkit import loading
from schedkit.cli import EXIT_BAD_INPUT, main
from schedkit.cli_outputs import gantt_paths
from schedkit.common.outputs import OutputError, replace_text
from tests.conftest import ROOT

FT06 = ROOT / "instances" / "jobshop" / "classic" / "ft06"
SMTT = json.dumps({"family": "smtt", "p": [2, 3, 1], "d": [2, 4, 3]})


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _one_line_naming(out: str, path: str) -> None:
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("schedkit: error:") and path in lines[0], out
    assert "Traceback" not in out and "internal error" not in out


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, str]:
    """An instance, a solution of it, a folder and a plain file in `tmp_path`."""
    instance = tmp_path / "x.json"
    instance.write_text(SMTT)
    solution = tmp_path / "s.json"
    solution.write_text(json.dumps({"sequence": [0, 1, 2]}))
    folder = tmp_path / "folder.json"
    folder.mkdir()
    return {"instance": str(instance), "solution": str(solution), "folder": str(folder),
            "file": str(solution), "missing": str(tmp_path / "nope" / "out.json"),
            "under_file": str(solution / "out.json")}


@pytest.mark.parametrize("target", ["folder", "missing", "under_file"])
@pytest.mark.parametrize("command", ["solve --json", "solve --gantt", "check --json", "convert"])
def test_a_bad_output_path_is_one_line_naming_it(files, command, target):
    """A folder, a missing folder or a file in place of a folder: exit 2, one line, the path."""
    path = files[target] + (".png" if command.endswith("gantt") and target != "folder" else "")
    args = {"solve --json": ["solve", files["instance"], "-m", "edd", "--json", path],
            "solve --gantt": ["solve", str(FT06), "-m", "spt", "--gantt", path],
            "check --json": ["check", files["instance"], files["solution"], "--json", path],
            "convert": ["convert", files["instance"], path]}[command]
    code, out = run(*args)
    assert code == EXIT_BAD_INPUT
    _one_line_naming(out, path)


def test_bench_out_that_is_a_file_and_inputs_that_are_folders(files, tmp_path):
    """bench --out naming a file, a suite or solution that is a folder: one line each, exit 2."""
    suite = tmp_path / "suite.toml"
    suite.write_text(f'instances = ["{files["instance"]}"]\ntime_limit = 1\n[[methods]]\nname = "edd"\n')
    for args, path in ((["bench", str(suite), "--out", files["file"]], files["file"]),
                       (["bench", files["folder"]], files["folder"]),
                       (["check", files["instance"], files["folder"]], files["folder"])):
        code, out = run(*args)
        assert code == EXIT_BAD_INPUT
        _one_line_naming(out, path)


def test_a_full_disk_names_the_file(tmp_path, monkeypatch):
    """A write that fails without a file name (ENOSPC) is told with the output's path."""
    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OutputError, match="out.json: No space left"):
        loading.write([loading.load(FT06)], tmp_path / "out.json")
    with pytest.raises(OutputError, match="r.json: No space left"):
        replace_text(tmp_path / "r.json", "[]")
    assert not (tmp_path / "r.json.partial").exists()


def test_a_link_stays_a_link(tmp_path):
    """`--json link` writes the file the link points to; the link itself is not replaced."""
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    replace_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_pipe_is_written_in_place(tmp_path):
    """A path that is no regular file (a FIFO here, /dev/stdout alike) is written through,
    never replaced by a regular file (as root, a rename over /dev/null would replace it)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    replace_text(fifo, "through")
    reader.join(10)
    assert got == ["through"] and fifo.is_fifo()


def test_charts_of_instances_sharing_a_name_do_not_overwrite(tmp_path):
    """Two files of the same name in two folders: two charts, numbered in file order."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(FT06, tmp_path / folder / "ft06")
    target = tmp_path / "out" / "chart.png"
    target.parent.mkdir()
    code, out = run("solve", str(tmp_path / "a" / "ft06"), str(tmp_path / "b" / "ft06"), "-m", "spt",
                    "--gantt", str(target))
    assert code == 0, out
    assert sorted(p.name for p in target.parent.iterdir()) == ["chart-ft06-2.png", "chart-ft06.png"]


def test_chart_names_are_unique_and_stable():
    """Names that repeat, or clean up to the same text, or differ in case only, get numbers."""
    names = ["x", "x", "a b", "a_b", "X", "x-2"]
    paths = [p.name for p in gantt_paths("g.svg", names)]
    assert paths == ["g-x.svg", "g-x-2.svg", "g-a_b.svg", "g-a_b-2.svg", "g-X-3.svg", "g-x-2-2.svg"]
    assert len({p.lower() for p in paths}) == len(paths)
    assert paths == [p.name for p in gantt_paths("g.svg", names)]
    assert gantt_paths("g.png", ["only"]) == [Path("g.png")]
    assert gantt_paths("g", ["only"]) == [Path("g.png")]  # matplotlib adds .png: checked as such


@pytest.mark.parametrize("command", ["solve", "check", "convert"])
def test_an_output_that_is_an_input_is_refused(files, command):
    """`solve x.json --json x.json` replaced the instance file by the results (and check's
    --json the solution, convert its own source); now refused before anything is written."""
    before = Path(files["instance"]).read_bytes()
    args = {"solve": ["solve", f"{files['instance']}#1", "-m", "edd", "--json", files["instance"]],
            "check": ["check", files["instance"], files["solution"], "--json", files["solution"]],
            "convert": ["convert", files["instance"], files["instance"]]}[command]
    code, out = run(*args)
    assert code == EXIT_BAD_INPUT
    _one_line_naming(out, args[-1])
    assert Path(files["instance"]).read_bytes() == before
    assert json.loads(Path(files["solution"]).read_text()) == {"sequence": [0, 1, 2]}
