"""Trace and server files: round trips, the one-line errors of bad input, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import schedkit
from schedkit.cli import main
from schedkit.serving import presets
from schedkit.serving.formats import trace
from schedkit.serving.model import Turn, build_instance, server_from_dict

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "instances" / "serving"
TRACE = BUNDLED / "swe-8.jsonl"
SERVER = BUNDLED / "h100-8b.json"


def _write(path: Path, programs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in programs))
    return path


def test_bundled_trace_loads_as_one_instance_on_the_default_preset():
    """A .jsonl trace is one instance (one program per line), served by h100-8b."""
    instance = schedkit.load(TRACE)
    assert instance.family == "serving" and instance.n == 8
    assert instance.server == presets.H100_8B


def test_bundled_presets_are_the_code_presets():
    """instances/serving/<name>.json equal the presets in schedkit/serving/presets.py."""
    for name, server in presets.PRESETS.items():
        assert server_from_dict(json.loads((BUNDLED / f"{name}.json").read_text())) == server


def test_trace_and_project_json_round_trip(tmp_path):
    """trace -> jsonl -> trace and instance -> project JSON -> instance keep every field."""
    instance = schedkit.generate.serving(5, "bfcl", load=0.5, seed=4, server="a100-8b-offload")
    trace.write([instance], tmp_path / "t.jsonl", None)
    again = schedkit.load(tmp_path / "t.jsonl").with_server(instance.server)
    dumped = schedkit.load(schedkit.dump(instance, tmp_path / "x.json"))
    for other in (again, dumped):
        assert other.to_dict()["programs"] == instance.to_dict()["programs"]
        assert other.server == instance.server


@pytest.mark.parametrize(("turn", "message"), [
    ({"prompt_tokens": -5, "output_tokens": 3}, "negative"),
    ({"prompt_tokens": 5, "output_tokens": 0}, "has no output"),
    ({"prompt_tokens": 5}, "missing output_tokens"),
    ({"prompt_tokens": True, "output_tokens": 3}, "not an integer"),
    ({"prompt_tokens": 5, "output_tokens": 3, "tool": "bash", "tool_seconds": 1}, "last turn"),
])
def test_bad_turns_get_one_line_naming_file_and_line(tmp_path, turn, message):
    """A bad token count names the file, the line and the rule, in one line."""
    path = _write(tmp_path / "bad.jsonl", [
        {"id": "a", "arrival": 0, "turns": [{"prompt_tokens": 5, "output_tokens": 2}]},
        {"id": "b", "arrival": 1, "turns": [turn]},
    ])
    with pytest.raises(schedkit.InvalidInstance, match=message) as error:
        schedkit.load(path)
    assert "bad.jsonl:2" in str(error.value) and "\n" not in str(error.value)


def test_nan_tool_seconds_and_missing_tool_are_refused(tmp_path):
    """NaN is not a number; a turn before the last must call a tool."""
    for turns, message in (
        ([{"prompt_tokens": 1, "output_tokens": 1, "tool": "x", "tool_seconds": float("nan")},
          {"prompt_tokens": 1, "output_tokens": 1}], "finite"),
        ([{"prompt_tokens": 1, "output_tokens": 1}, {"prompt_tokens": 1, "output_tokens": 1}],
         "needs tool"),
    ):
        path = _write(tmp_path / "t.jsonl", [{"arrival": 0, "turns": turns}])
        with pytest.raises(schedkit.SchedkitError, match=message):  # NaN: a ParseError (issue 16)
            schedkit.load(path)


def test_server_too_small_for_one_request_is_refused(tmp_path):
    """A server whose KV capacity cannot hold a program's context: one line naming both."""
    small = dict(presets.H100_8B.to_dict(), kv_capacity=1000, name="small")
    (tmp_path / "small.json").write_text(json.dumps(small))
    result = CliRunner().invoke(main, ["solve", str(TRACE), "--server", str(tmp_path / "small.json")])
    assert result.exit_code == 2
    assert "cannot hold one request" in result.output and result.output.count("\n") == 1


@pytest.mark.parametrize("coefficients", [
    {"a": 0.0, "b": 1e-5, "c": 0.0, "e": 0.0},  # a decode-only iteration took no time
    {"a": 0.0, "b": 0.0, "c": 1e-5, "e": 0.0},  # a prefill-only one likewise
    {"a": 1e-300, "b": 0.0, "c": 0.0, "e": 0.0},  # positive, but start + it == start
])
def test_a_server_whose_iterations_can_take_no_time_is_refused(tmp_path, coefficients):
    """a + b + c > 0 let these through, and every policy's plan failed the checker (exit 3,
    "internal error": turns ending where they start); now exit 2 naming the server file."""
    server = dict(presets.H100_8B.to_dict(), **coefficients, name="instant")
    (tmp_path / "instant.json").write_text(json.dumps(server))
    result = CliRunner().invoke(main, ["solve", str(TRACE), "--server", str(tmp_path / "instant.json"),
                                       "-m", "fcfs"])
    assert result.exit_code == 2
    assert "a + min(b, c)" in result.output and "instant.json" in result.output

@pytest.mark.parametrize(("method", "coefficients"), [
    ("fcfs", {"a": 1e15, "b": 1e15, "c": 1e15, "e": 1e15}),  # times beyond 2^62 s
    ("continuum", {"offload_capacity": 10**6, "offload_bandwidth": 1e-300,
                   "kv_capacity": 60_000}),  # a reload takes forever: NaN times
])
def test_a_server_out_of_scale_for_the_trace_is_bad_input(tmp_path, method, coefficients):
    """Finite, positive coefficients whose simulated times leave the numbers the log may hold:
    the plan failed the checker (exit 3, "internal error"); now exit 2 saying what is off."""
    server = dict(presets.H100_8B.to_dict(), **coefficients, name="glacial")
    (tmp_path / "glacial.json").write_text(json.dumps(server))
    result = CliRunner().invoke(main, ["solve", str(TRACE), "--server", str(tmp_path / "glacial.json"),
                                       "-m", method])
    assert result.exit_code == 2
    assert "out of scale" in result.output and result.output.count("\n") == 1

def test_cli_solve_with_server_prints_the_metrics_row_and_draws_the_chart(tmp_path):
    """`schedkit solve trace.jsonl --server h100-8b.json -m continuum --gantt` works end to end."""
    chart = tmp_path / "kv.png"
    result = CliRunner().invoke(main, ["solve", str(TRACE), "--server", str(SERVER), "-m",
                                       "continuum", "--gantt", str(chart)])
    assert result.exit_code == 0, result.output
    assert "jct_p95" in result.output and "kv_hit_rate" in result.output
    assert chart.stat().st_size > 10_000


def test_cli_server_option_needs_a_server_file(tmp_path):
    """--server with a trace, or broken JSON, instead of a server: one line naming the file."""
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    for wrong in (TRACE, broken):
        result = CliRunner().invoke(main, ["solve", str(TRACE), "--server", str(wrong)])
        assert result.exit_code == 2 and str(wrong) in result.output
        assert result.output.count("\n") == 1


def test_cli_refuses_server_for_other_families():
    """--server on an SMTT instance: one line, exit 2."""
    result = CliRunner().invoke(main, ["solve", str(ROOT / "instances/smtt/sample_wt40_1.json"),
                                       "--server", str(SERVER)])
    assert result.exit_code == 2 and "serving traces only" in result.output


def test_cli_generate_writes_a_trace(tmp_path):
    """`schedkit generate serving` writes a trace that loads back."""
    out = tmp_path / "g.jsonl"
    result = CliRunner().invoke(main, ["generate", "serving", "--programs", "4", "--workload",
                                       "bfcl", "--seed", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert schedkit.load(out).n == 4


def test_check_takes_the_server_a_plan_ran_on(tmp_path):
    """A plan solved with --server could not be checked: `check` had no --server and replayed
    it on the default preset (exit 1, every iteration "lasts ... the time model gives ...")."""
    server = TRACE.parent / "a100-8b-offload.json"
    plan = tmp_path / "plan.json"
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(TRACE), "--server", str(server), "-m", "fcfs",
                                  "--json", str(plan)])
    assert solved.exit_code == 0, solved.output
    checked = runner.invoke(main, ["check", str(TRACE), str(plan), "--server", str(server)])
    assert checked.exit_code == 0 and "feasible" in checked.output
    assert runner.invoke(main, ["check", str(TRACE), str(plan)]).exit_code == 1


@pytest.mark.parametrize("field", ["name", "source"])
def test_a_server_name_or_source_that_is_not_text_is_refused(tmp_path, field: str) -> None:
    data = json.loads((ROOT / "instances" / "serving" / "h100-8b.json").read_text())
    data[field] = 5
    with pytest.raises(schedkit.InvalidInstance, match=f"{field} must be text"):
        server_from_dict(data)


@pytest.mark.parametrize(("program", "message"), [
    ({"id": None}, "id = null is not"),
    ({"id": True}, "id = true is not"),
    ({"id": {"x": 1}}, "is not"),
    ({"id": [1]}, "is not"),
    ({"id": 1.5}, "is not"),
    ({"Id": "b"}, "unknown field.*Id"),
    ({"turn": []}, "unknown field.*turn"),
])
def test_a_program_id_of_another_type_or_an_unknown_field_is_refused(tmp_path, program, message):
    """An id is text or a whole number: null was read as the id "None", true as "True" and an
    object as its Python repr; an unknown field (a misspelt "Id") was ignored, unlike a turn's."""
    path = _write(tmp_path / "bad.jsonl", [
        {"id": "a", "arrival": 0, "turns": [{"prompt_tokens": 5, "output_tokens": 2}]},
        {"id": "b", "arrival": 1, "turns": [{"prompt_tokens": 5, "output_tokens": 2}], **program},
    ])
    with pytest.raises(schedkit.InvalidInstance, match=message) as error:
        schedkit.load(path)
    assert "bad.jsonl:2" in str(error.value)


def test_whole_number_and_missing_ids_are_read():
    """A numeric id reads as its digits; a missing one is the line's number among the programs."""
    turns = [{"prompt_tokens": 1, "output_tokens": 1}]
    parsed = trace.program_from({"id": 7, "arrival": 0, "turns": turns}, "x", "3")
    missing = trace.program_from({"arrival": 0, "turns": turns}, "x", "3")
    assert (parsed[0], missing[0]) == ("7", "3")


def _big_program_trace(tmp_path: Path) -> Path:
    """A trace whose first program needs 500,010 tokens of context: more than h100-8b holds."""
    return _write(tmp_path / "big.jsonl", [
        {"id": "small", "arrival": 0, "turns": [{"prompt_tokens": 100, "output_tokens": 10}]},
        {"id": "huge", "arrival": 1, "turns": [{"prompt_tokens": 500_000, "output_tokens": 10}]},
    ])


def _server_file(tmp_path: Path, name: str, kv_capacity: int) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(dict(presets.H100_8B.to_dict(), kv_capacity=kv_capacity, name=name)))
    return path


def test_server_option_validates_the_trace_against_the_chosen_server(tmp_path):
    """The trace was validated against the default preset before --server applied: a program
    needing 500,010 tokens was refused (exit 2) on a 10^6-token server the user named."""
    big, plan = _big_program_trace(tmp_path), tmp_path / "plan.json"
    server = _server_file(tmp_path, "big", 10**6)
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(big), "--server", str(server), "-m", "fcfs",
                                  "--json", str(plan)])
    assert solved.exit_code == 0, solved.output
    checked = runner.invoke(main, ["check", str(big), str(plan), "--server", str(server)])
    assert checked.exit_code == 0, checked.output
    with server_from_dict(json.loads(server.read_text())).reading():  # the same in Python
        assert schedkit.load(big).server.kv_capacity == 10**6
    with pytest.raises(schedkit.InvalidInstance, match="cannot hold"):
        schedkit.load(big)  # outside the context: the default preset again


@pytest.mark.parametrize("server", [None, "mid"])
def test_a_trace_the_chosen_server_cannot_hold_is_one_line_naming_file_line_and_program(tmp_path, server):
    """Without --server (the default preset) or with one too small: exit 2, one line naming
    the trace, the program's line and id, and the server."""
    big = _big_program_trace(tmp_path)
    extra = ["--server", str(_server_file(tmp_path, "mid", 450_000))] if server else []
    result = CliRunner().invoke(main, ["solve", str(big), "-m", "fcfs", *extra])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert f"{big}:2:" in result.output and "program huge" in result.output
    assert ("server mid" if server else "server h100-8b") in result.output


def test_server_option_replaces_a_project_json_server_before_validation(tmp_path):
    """A project JSON without a server (or with its own) is read onto --server too."""
    programs = [json.loads(line) for line in _big_program_trace(tmp_path).read_text().splitlines()]
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"family": "serving", "programs": programs}))
    server = _server_file(tmp_path, "big", 10**6)
    result = CliRunner().invoke(main, ["solve", str(path), "--server", str(server), "-m", "fcfs"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("first", "second"), [({"id": "p1"}, {"id": "p1"}), ({}, {"id": 1}),
                                               ({"id": 7}, {"id": "7"})])
def test_a_program_id_given_twice_is_refused_naming_both_lines(tmp_path, first, second):
    """Two programs with one id were served silently (messages and charts named either); a line
    without an id is its position, so an explicit id equal to it repeats it too."""
    path = _write(tmp_path / "dup.jsonl", [
        {"arrival": 0, "turns": [{"prompt_tokens": 5, "output_tokens": 2}], **first},
        {"id": "other", "arrival": 0, "turns": [{"prompt_tokens": 5, "output_tokens": 2}]},
        {"arrival": 1, "turns": [{"prompt_tokens": 5, "output_tokens": 2}], **second},
    ])
    result = CliRunner().invoke(main, ["solve", str(path), "-m", "fcfs"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert f"{path}:3:" in result.output and "line 1 has it" in result.output


def test_a_program_id_given_twice_is_refused_in_project_json_and_python(tmp_path):
    """The same rule for the project JSON and for instances built in Python."""
    turns = [Turn(5, 2)]
    with pytest.raises(schedkit.InvalidInstance, match="'a' is given twice .programs 1 and 3"):
        build_instance([("a", 0.0, turns), ("b", 0.0, turns), ("a", 1.0, turns)], presets.H100_8B)
    record = {"family": "serving", "programs": [
        {"id": "a", "arrival": 0, "turns": [{"prompt_tokens": 5, "output_tokens": 2}]},
        {"id": "a", "arrival": 1, "turns": [{"prompt_tokens": 5, "output_tokens": 2}]}]}
    (tmp_path / "x.json").write_text(json.dumps(record))
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "x.json"), "-m", "fcfs"])
    assert result.exit_code == 2 and "x.json" in result.output and "given twice" in result.output


def test_cached_tokens_read_beyond_2_62_are_named_not_blamed_on_the_server_times(tmp_path):
    """Eight 10^9-token decodes over 10^9-token prompts read 1.2·10^19 cached tokens in one run
    of iterations (times stay near 10^12 s): refused as 'the simulated times pass 2^62 s', which
    sent the user to the server's coefficients; now the tokens read are named."""
    path = _write(tmp_path / "wide.jsonl", [
        {"id": f"p{k}", "arrival": 0, "turns": [{"prompt_tokens": 10**9, "output_tokens": 10**9}]}
        for k in range(8)])
    server = _server_file(tmp_path, "wide", 2 * 10**10)
    result = CliRunner().invoke(main, ["solve", str(path), "--server", str(server), "-m", "fcfs"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "cached tokens" in result.output and "times pass" not in result.output


def test_convert_reads_a_trace_onto_the_chosen_server(tmp_path):
    """A trace needing more KV memory than h100-8b could not be converted at all (no --server);
    now `convert --server` writes the project JSON on that server, which solves without it."""
    big, target = _big_program_trace(tmp_path), tmp_path / "converted.json"
    server = _server_file(tmp_path, "big", 10**6)
    runner = CliRunner()
    refused = runner.invoke(main, ["convert", str(big), str(target)])
    assert refused.exit_code == 2 and "cannot hold" in refused.output and not target.exists()
    converted = runner.invoke(main, ["convert", str(big), str(target), "--server", str(server)])
    assert converted.exit_code == 0, converted.output
    assert json.loads(target.read_text())["server"]["kv_capacity"] == 10**6
    assert runner.invoke(main, ["solve", str(target), "-m", "fcfs"]).exit_code == 0


@pytest.mark.parametrize(("extra", "message"), [
    ({"sever": presets.A100_8B_OFFLOAD.to_dict()}, "unknown field.*sever"),
    ({"name": True}, "'name' must be a string"),
    ({"name": {"a": 1}}, "'name' must be a string"),
    ({"meta": 5}, "meta must be an object"),
])
def test_project_json_fields_are_read_or_refused_never_dropped(tmp_path, extra, message):
    """A misspelt "server" was dropped and the trace served by h100-8b instead; a name true was
    read as "True"; a meta that is no object was dropped: each now one line, exit 2."""
    programs = [json.loads(line) for line in TRACE.read_text().splitlines()]
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"family": "serving", "programs": programs, **extra}))
    result = CliRunner().invoke(main, ["solve", str(path), "-m", "fcfs"])
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert re.search(message, result.output) and "x.json" in result.output


def test_project_json_lines_keep_their_ids(tmp_path):
    """An id selects a line of a JSON-lines file of instances (`file#id`): still read."""
    instance = schedkit.load(TRACE)
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({**instance.to_dict(), "id": key}) + "\n" for key in ("a", "b")))
    assert schedkit.load(f"{path}#b").n == instance.n
