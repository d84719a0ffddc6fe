"""The CLI: tables, JSON, check, generate, convert, and one-line errors for bad input."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from schedkit import cli
from schedkit.bench.progress import RunProgress
from schedkit.cli import main
from tests.conftest import SMTT


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_solve_prints_a_row_per_instance_and_writes_json(runner, tmp_path):
    """solve on two selected instances: two table rows, JSON with sequence solutions."""
    out = tmp_path / "r.json"
    result = runner.invoke(main, ["solve", f"{SMTT}/smtt_n20.jsonl#1", f"{SMTT}/wt40.txt#2",
                                  "--method", "mddc-aug", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "smtt_n20#1" in result.output and "wt40#2" in result.output
    data = json.loads(out.read_text())
    assert [d["instance"] for d in data] == ["smtt_n20#1", "wt40#2"]
    assert sorted(data[0]["solution"]["sequence"]) == list(range(20))
    assert data[0]["method"] == "mddc-aug" and data[0]["status"] in {"feasible", "optimal"}


def test_solve_then_check_round_trip(runner, tmp_path):
    """A solution written by solve --json passes check; a tampered one fails with exit 1."""
    out = tmp_path / "r.json"
    runner.invoke(main, ["solve", f"{SMTT}/wt40.txt#3", "-m", "edd", "--json", str(out)])
    ok = runner.invoke(main, ["check", f"{SMTT}/wt40.txt#3", str(out)])
    assert ok.exit_code == 0 and "feasible" in ok.output
    data = json.loads(out.read_text())
    data[0]["objective"] += 1
    out.write_text(json.dumps(data))
    bad = runner.invoke(main, ["check", f"{SMTT}/wt40.txt#3", str(out)])
    assert bad.exit_code == 1 and "claimed objective" in bad.output
    bare = tmp_path / "s.json"
    bare.write_text(json.dumps({"sequence": [0, 0]}))
    assert runner.invoke(main, ["check", f"{SMTT}/wt40.txt#3", str(bare)]).exit_code == 1


def test_check_json_gives_each_verdict_and_keeps_the_exit_status(runner, tmp_path):
    """check --json -: one record per result (instance, feasible, objective, violations) and
    nothing else on stdout; --json FILE writes the same; a violation still exits 1."""
    out = tmp_path / "r.json"
    runner.invoke(main, ["solve", f"{SMTT}/wt40.txt#3", "-m", "edd", "--json", str(out)])
    ok = runner.invoke(main, ["check", f"{SMTT}/wt40.txt#3", str(out), "--json", "-"])
    verdict = json.loads(ok.stdout)
    assert ok.exit_code == 0 and verdict == [{"instance": "wt40#3", "feasible": True,
                                              "objective": json.loads(out.read_text())[0]["objective"],
                                              "violations": []}]
    data = json.loads(out.read_text())
    data[0]["objective"] += 1
    out.write_text(json.dumps(data))
    written = tmp_path / "verdict.json"
    bad = runner.invoke(main, ["check", f"{SMTT}/wt40.txt#3", str(out), "--json", str(written)])
    verdict = json.loads(written.read_text())
    assert bad.exit_code == 1 and verdict[0]["feasible"] is False
    assert any("claimed objective" in v for v in verdict[0]["violations"])


def test_methods_json_lists_options_with_defaults(runner):
    """methods --json: every method of the family, with its options and their defaults."""
    listed = json.loads(runner.invoke(main, ["methods", "groundstation", "--json"]).stdout)
    lns = next(m for m in listed if m["name"] == "lns")
    assert lns["family"] == "groundstation" and lns["kind"] == "heuristic"
    assert lns["options"]["late_history"] == 100 and lns["options"]["every_mission"] is True
    assert {m["name"] for m in listed} >= {"greedy", "ga", "ffeea", "lns", "cpsat", "mip", "auto"}


def test_methods_lists_families(runner):
    """methods smtt shows the exact and heuristic methods."""
    result = runner.invoke(main, ["methods", "smtt"])
    assert result.exit_code == 0
    for name in ("dynasearch", "cpsat", "mip", "dp", "eddc"):
        assert name in result.output


def test_generate_and_convert(runner, tmp_path):
    """generate writes a loadable instance; convert turns a wt file into JSON lines."""
    target = tmp_path / "g.json"
    result = runner.invoke(main, ["generate", "smtt", "--n", "30", "--tf", "0.6", "--rdd", "0.4",
                                  "--seed", "1", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["family"] == "smtt"
    converted = tmp_path / "wt.jsonl"
    result = runner.invoke(main, ["convert", f"{SMTT}/wt40.txt", str(converted)])
    assert result.exit_code == 0 and len(converted.read_text().splitlines()) == 125


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["solve", "missing.json"], None, "missing.json: no such file"),
        (["solve", "{f}"], "1 2 x", "expected an integer"),
        (["solve", "{f}"], "-5 1 2 3 4 5", "p[0] = -5"),
        (["solve", "{f}", "-m", "nope"], "1 2 1 1 5 5", "unknown method 'nope'"),
        (["solve", f"{SMTT}/wt40.txt#999"], None, "no such instance"),
        (["solve", "{f}", "-o", "k=2"], "1 2 1 1 5 5", "does not take option"),
        (["check", "{f}", "missing.json"], "1 2 1 1 5 5", "missing.json: no such file"),
    ],
)
def test_bad_input_is_one_line_on_stderr(tmp_path, args, content, message):
    """Bad input: exit code 2, one line on stderr, no traceback."""
    path = tmp_path / "wt2.txt"
    if content is not None:
        path.write_text(content)
    args = [a.replace("{f}", str(path)) for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("option", "target"), [("--json", "missing/r.json"), ("--gantt", "missing/g.png"),
                                                ("--gantt", "g.txt")])
def test_output_paths_are_checked_before_solving(tmp_path, option, target):
    """An output in a folder that does not exist, or a chart in a format matplotlib cannot
    write, is bad input named by its option before anything is solved (the JSON error named
    r.json.partial after the run; g.txt was an internal error)."""
    ft06 = SMTT.parent / "jobshop" / "classic" / "ft06"
    result = CliRunner().invoke(main, ["solve", str(ft06), "-m", "mwkr", option, str(tmp_path / target)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and option in lines[0] and "mwkr" not in result.stdout, result.output


@pytest.mark.parametrize("option", ["--json", "--gantt"])
def test_an_unwritable_output_folder_is_refused_before_solving(tmp_path, option, monkeypatch):
    """A folder the user cannot write to is named before solving (root bypasses permission
    bits, so the access check is what is replaced here)."""
    monkeypatch.setattr(cli.os, "access", lambda path, mode: False)
    ft06 = SMTT.parent / "jobshop" / "classic" / "ft06"
    target = str(tmp_path / ("r.json" if option == "--json" else "g.png"))
    result = CliRunner().invoke(main, ["solve", str(ft06), "-m", "mwkr", option, target])
    assert result.exit_code == 2 and "not writable" in result.stderr, result.output


NAMES = ["x[/]", "[red]y[/red] [link=http://evil]z", "bad\nname\x1b[31mRED", "a$\\frac{$b"]


@pytest.mark.filterwarnings("ignore:Glyph 27")  # the chart has no glyph for ESC: drawn as a box
@pytest.mark.parametrize("name", NAMES)
def test_an_instance_name_is_shown_as_written_and_harmless(runner, tmp_path, name):
    """A name from a file is no rich markup (`x[/]` raised MarkupError, exit 3; `[red]y[/red]`
    showed as `y`), no TeX in a chart title (`$\\frac{$` raised ValueError, exit 3), and its
    control characters cannot break the table or drive the terminal."""
    path = tmp_path / "named.json"
    path.write_text(json.dumps({"family": "smtt", "name": name, "p": [1, 2], "d": [0, 1]}))
    result = runner.invoke(main, ["solve", str(path), "-m", "edd", "--gantt", str(tmp_path / "g.png")])
    assert result.exit_code == 0, result.output
    shown = name.replace("\n", "\\n").replace("\x1b", "\\x1b")
    rows = [line for line in result.stdout.splitlines() if " edd " in line]
    assert len(rows) == 1 and rows[0].split("  ")[0].strip() == shown
    assert (tmp_path / "g.png").stat().st_size > 0


@pytest.mark.parametrize("name", NAMES)
def test_the_progress_bar_shows_names_as_text(name):
    """On a terminal the bar's columns rendered names as markup: `x[/]` raised MarkupError."""
    stream = io.StringIO()
    with RunProgress("bench", total=1, stream=stream, interactive=True) as progress:
        progress.finished(name, "ok", best=name)
    assert "\x1b[31mRED" not in stream.getvalue()
