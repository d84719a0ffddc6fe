"""The messages a newcomer met (issue 17): each names the file or option and says what to do."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from schedkit.cli import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, main
from tests.conftest import ROOT, SMTT

FT06 = str(ROOT / "instances" / "jobshop" / "classic" / "ft06")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture()
def smtt_json(tmp_path: Path) -> str:
    path = tmp_path / "smtt.json"
    assert run("generate", "smtt", "--n", "5", "--tf", "0.5", "--rdd", "0.5", "-o", str(path))[0] == 0
    return str(path)


def test_convert_to_another_familys_format_names_both_families(smtt_json, tmp_path):
    code, out = run("convert", smtt_json, str(tmp_path / "out.fjs"), "--to", "fjs")
    assert code == EXIT_BAD_INPUT
    assert "fjs format holds jobshop instances" in out and "smtt instances" in out
    assert "got 1" not in out and "orlib-wt" in out  # what the smtt instance can be written as


def test_convert_unknown_extension_hints_the_instances_own_formats(tmp_path):
    code, out = run("convert", FT06, str(tmp_path / "out.xyz"))
    assert code == EXIT_BAD_INPUT and "'.xyz'" in out
    assert "jobshop" in out and "taillard" in out and "wtN" not in out


def test_bad_to_is_reported_as_to(tmp_path):
    code, out = run("convert", FT06, str(tmp_path / "out.txt"), "--to", "nope")
    assert code == EXIT_BAD_INPUT and "--to:" in out and "--format" not in out and "'nope'" in out


def test_check_names_a_binary_solution_file(tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(bytes(range(128, 256)) * 3)
    code, out = run("check", FT06, str(garbage))
    assert code == EXIT_BAD_INPUT and "garbage.json" in out and "codec" not in out


def test_bench_names_a_binary_suite_file(tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(bytes(range(128, 256)) * 3)
    code, out = run("bench", str(garbage))
    assert code == EXIT_BAD_INPUT and "garbage.json" in out and "codec" not in out


def test_check_a_multi_instance_file_matches_results_by_name(tmp_path):
    results = tmp_path / "r.json"
    assert run("solve", f"{SMTT}/smtt_n20.jsonl#1", f"{SMTT}/smtt_n20.jsonl#2", "-m", "edd",
               "--json", str(results))[0] == 0
    code, out = run("check", f"{SMTT}/smtt_n20.jsonl", str(results))
    assert code == 0 and "smtt_n20#1: feasible" in out and "smtt_n20#2: feasible" in out
    assert "checked 2 of the 800 instances" in out and "load_all" not in out


def test_check_one_solution_against_a_multi_instance_file_gives_cli_advice(tmp_path):
    solution = tmp_path / "s.json"
    solution.write_text(json.dumps({"sequence": list(range(20))}))
    code, out = run("check", f"{SMTT}/smtt_n20.jsonl", str(solution))
    assert code == EXIT_BAD_INPUT and "smtt_n20.jsonl#k" in out and "load_all" not in out


def test_check_exit_status_is_documented_and_returned(tmp_path):
    assert f"{EXIT_CHECK_FAILED} when one violates" in run("check", "--help")[1]
    results = tmp_path / "r.json"
    run("solve", f"{SMTT}/wt40.txt#3", "-m", "edd", "--json", str(results))
    data = json.loads(results.read_text())
    data[0]["solution"]["sequence"] = data[0]["solution"]["sequence"][:-1]
    results.write_text(json.dumps(data))
    assert run("check", f"{SMTT}/wt40.txt#3", str(results))[0] == EXIT_CHECK_FAILED


@pytest.mark.parametrize("text", ["2 2\n0 3 1 -2\n1 2 0 4\n",            # standard
                                  "2 2\n3 -2\n2 4\n1 2\n2 1\n"])         # Taillard
def test_negative_duration_in_a_standard_file_is_reported_as_such(tmp_path, text):
    path = tmp_path / "neg.txt"
    path.write_text(text)
    code, out = run("solve", str(path), "-m", "spt")
    assert code == EXIT_BAD_INPUT and "negative" in out and "format" not in out


def test_check_a_result_of_another_family_is_bad_input(tmp_path):
    """A smtt result checked against a job shop is the wrong file (exit 2, naming both
    families), not an infeasible solution (exit 1, "needs start and machine fields")."""
    results = tmp_path / "r.json"
    assert CliRunner().invoke(main, ["solve", f"{SMTT}/wt40.txt#1", "-m", "edd", "--json",
                                     str(results)]).exit_code == 0
    ft06 = SMTT.parent / "jobshop" / "classic" / "ft06"
    run = CliRunner().invoke(main, ["check", str(ft06), str(results)])
    assert run.exit_code == 2 and "smtt" in run.stderr and "jobshop" in run.stderr, run.output


def test_an_option_given_twice_is_refused():
    """`-o k=1 -o k=2` is a mistake to report, not a silent last-wins."""
    code, out = run("solve", f"{SMTT}/wt40.txt#1", "-m", "atc", "-o", "k=1", "-o", "k=2")
    assert code == EXIT_BAD_INPUT and "given twice" in out
    code, _ = run("solve", f"{SMTT}/wt40.txt#1", "-m", "atc", "-o", "k=2")
    assert code == 0


def test_gantt_without_matplotlib_says_how_to_install_it_in_a_clone(tmp_path, monkeypatch):
    """`pip install 'schedkit[plot]'` would fetch a package of that name from the index over the
    clone's editable install: the hint names matplotlib and the clone's extra instead."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # an install without [plot]
    code, out = run("solve", FT06, "-m", "spt", "--gantt", str(tmp_path / "ft06.png"))
    assert code == EXIT_BAD_INPUT and len(out.strip().splitlines()) == 1
    assert "pip install matplotlib" in out and "pip install -e '.[plot]'" in out
    assert "'schedkit[plot]'" not in out
    assert not (tmp_path / "ft06.png").exists()
