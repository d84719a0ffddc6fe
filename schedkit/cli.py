"""The `schedkit` command: solve, check, methods, generate, convert.

Exit codes (docs/cli-exit-codes.md): 0 success; 1 `check` found the solution infeasible or
wrong; 2 bad input (missing file, malformed line, invalid data, unknown method, selector out
of range), one line on stderr; 3 an internal error, a bug to report (SCHEDKIT_DEBUG=1 shows
the traceback); 130 interrupted. Never a traceback otherwise.

The commands are here (the one module that knows click, with each family's generate.py); their
helpers without click are in cli_inputs, cli_outputs and cli_tables.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

import schedkit
from schedkit import family as families
from schedkit import registry
from schedkit.bench.progress import RunProgress, Ticker
from schedkit.cli_inputs import match_results, on_server, parse_options, read_server, read_solution_json
from schedkit.cli_outputs import (
    JSON_EVERY_SECONDS,
    check_output_flag,
    check_target_format,
    gantt_paths,
    gantt_writer,
    write_json_atomically,
)
from schedkit.cli_tables import best_so_far, describe_result, print_metrics, print_table, solve_status
from schedkit.common.compile import compiling, wait_for_compiling
from schedkit.common.outputs import check_folder, check_output, describe_os_error, replace_text
from schedkit.deadline import abandoned_running
from schedkit.errors import SchedkitError
from schedkit.loading import split_selector, write
from schedkit.warmup import warmup

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130
COMPILING_NOTE = ("schedkit: waiting for the numba kernels this run was still compiling (or loading from "
                  "the cache, slow on a busy machine); a compilation lands in the cache for the next "
                  "run (`schedkit warmup` does it ahead)")


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    line = " ".join(message.split())  # one line, whatever the message holds
    click.echo(f"schedkit: error: {line}", err=True)
    sys.exit(code)


class _NeverRaised(Exception):
    """Stands for click's NoArgsIsHelpError where click has none (before 8.2)."""


NO_ARGS_IS_HELP: type[Exception] = getattr(click.exceptions, "NoArgsIsHelpError", _NeverRaised)


def _usage_line(error: click.UsageError) -> str:
    """Click's usage error as one line: the command, what is wrong, where the help is."""
    where = error.ctx.command_path if error.ctx is not None else "schedkit"
    return f"{where}: {error.format_message()} (see {where} --help)"


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn schedkit errors into one line on stderr and exit 2; anything else is a bug: exit 3."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except NO_ARGS_IS_HELP:
            raise  # `schedkit` alone: click shows the help
        except click.UsageError as error:  # a flag's value, a missing argument: one line too
            _fail(_usage_line(error))
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # --help and --version: click prints them itself
        except SchedkitError as error:
            _fail(str(error))
        except OSError as error:  # a path that cannot be read or written, a full disk
            _fail(describe_os_error(error))
        except KeyboardInterrupt as error:  # Ctrl-C or SIGTERM; the message says what was kept
            _fail(f"interrupted{': ' if str(error) else ''}{error}", EXIT_INTERRUPTED)
        except Exception as error:  # a bug, not bad input: one line unless asked for the traceback
            if os.environ.get("SCHEDKIT_DEBUG"):
                raise
            first = str(error).splitlines()[0] if str(error) else ""
            _fail(f"internal error (please report): {type(error).__name__}: {first} "
                  "(set SCHEDKIT_DEBUG=1 for the traceback)", EXIT_INTERNAL_ERROR)

    return wrapper


class _FriendlyGroup(click.Group):
    """The top-level group: every command under it (families' `generate` ones too) gets
    `friendly_errors`, so no command needs to wrap itself."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        """The group's own usage errors (an unknown command or flag) as one line too."""
        return friendly_errors(super().make_context)(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        return friendly_errors(super().invoke)(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Exit at once when a hard deadline abandoned a run (waiting for it at interpreter exit
        would keep the process alive past the time limit it has already answered) or the run
        was interrupted. A numba compilation still running (a cold cache) is waited for, said
        on stderr: it fills the cache, so the next command starts compiled."""
        try:
            with _terminate_as_interrupt():
                return super().main(*args, **kwargs)
        except SystemExit as stop:
            if compiling():
                sys.stdout.flush()
                click.echo(COMPILING_NOTE, err=True)
                wait_for_compiling()
            if not abandoned_running() and stop.code != EXIT_INTERRUPTED:
                raise  # interrupted: a solver's native threads may still run (CP-SAT aborts
                # the process when the interpreter is torn down under them), so _exit below
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)


def _interrupt(number: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (`kill`, a batch system's stop) handled as Ctrl-C: one line, exit 130, what was
    done kept (solve --json, a bench store and report); the previous handler back after."""
    try:
        previous = signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.group(cls=_FriendlyGroup)
@click.version_option(schedkit.__version__, prog_name="schedkit")
def main() -> None:
    """schedkit: exact and heuristic solvers for combinatorial scheduling."""


def _expand(files: tuple[str, ...], format: str | None, blocking: bool = False) -> Iterator[Any]:
    for file in files:
        yield from schedkit.load_all(file, format=format, blocking=blocking)


def _read_on_server(server_file: str | None, read: Callable[[], list[Any]]) -> list[Any]:
    """The instances `read` gives; with `--server`, read onto that server (serving traces are
    validated against it, not against the default preset)."""
    if not server_file:
        return read()
    server = read_server(server_file)
    with server.reading():
        return on_server(read(), server)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--method", "-m", default="auto", show_default=True, help="see `schedkit methods`")
@click.option("--time-limit", "-t", type=float, default=None, help="seconds per instance")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workers", type=int, default=None, help="solver threads [default: all cores]")
@click.option("--format", "format", default=None, help="input format, e.g. orlib-wt:40")
@click.option("--option", "-o", "extra", multiple=True, metavar="KEY=VALUE",
              help="method option, e.g. -o solver=cbc (value parsed as JSON when it can be)")
@click.option("--json", "json_out", default=None,
              help="write a JSON list of results here ('-' for stdout)")
@click.option("--gantt", default=None,
              help="draw each schedule as a PNG Gantt chart (several instances: NAME-<instance>.png)")
@click.option("--server", "server", default=None,
              help="serving: the server JSON the traces run on (default preset h100-8b)")
@click.option("--blocking", is_flag=True, help="read job shops as blocking (no buffers, swaps allowed)")
def solve(files: tuple[str, ...], method: str, time_limit: float | None, seed: int,
          workers: int | None, format: str | None, extra: tuple[str, ...],
          json_out: str | None, gantt: str | None, server: str | None, blocking: bool) -> None:
    """Solve each instance of FILES (file#k picks one), check it, print a table row."""
    options = parse_options(extra)
    instances = _read_on_server(server, lambda: list(_expand(files, format, blocking)))
    inputs = [split_selector(f)[0] for f in files] + ([Path(server)] if server else [])
    charts = gantt_paths(gantt, [x.name for x in instances]) if gantt else []
    for flag, target in (("--json", None if json_out == "-" else json_out), ("--gantt", gantt),
                         *(("--gantt", str(chart)) for chart in charts)):
        check_output_flag(flag, target, inputs)
    if gantt:
        gantt_writer(instances)  # fail before solving when no chart can be drawn
    results: list[Any] = []
    keep = Path(json_out) if json_out and json_out != "-" else None
    written = 0.0
    try:
        with RunProgress("solving", total=len(instances), enabled=len(instances) > 1) as progress:
            for number, instance in enumerate(instances):
                with Ticker(solve_status(instance.name, method, time_limit, time.perf_counter())):
                    result = schedkit.solve(instance, method, time_limit=time_limit, seed=seed,
                                            workers=workers, **options)
                report = schedkit.check(instance, result) if result.solution is not None else None
                if report is not None and not report.feasible:  # infeasible/unknown: nothing to check
                    _fail(f"internal error (please report): {instance.name}: {method} returned an "
                          f"invalid solution: {report.summary()}", EXIT_INTERNAL_ERROR)
                results.append(result)
                if keep is not None and time.monotonic() - written >= JSON_EVERY_SECONDS:
                    write_json_atomically(keep, results)  # a killed run keeps these
                    written = time.monotonic()
                if gantt and result.solution is not None:
                    gantt_writer([instance])(instance, result.solution, charts[number])
                progress.finished(instance.name, describe_result(result), best=best_so_far(results))
    finally:
        if keep is not None and results:
            write_json_atomically(keep, results)  # everything solved, also on Ctrl-C or error
    if json_out == "-":
        click.echo(json.dumps([r.to_dict() for r in results], indent=1))
        return
    print_table(results)
    print_metrics(results)
    _print_notes(results)


def _print_notes(results: list[Any]) -> None:
    """On stderr, why a run fell short of its method: cut by the hard deadline, or answered
    without its numba kernels (still compiling on a cold cache)."""
    for r in results:
        if r.stats.get("hard_deadline") or r.stats.get("compiling"):
            click.echo(f"schedkit: {r.instance}: {r.stats.get('note', 'kernels still compiling')}", err=True)


CHECK_HELP = f"""Check SOLUTION (a solution JSON, or `solve --json` output) against FILE.

FILE may hold many instances (e.g. `check instances/smtt/wt40.txt results.json` after
`solve instances/smtt/wt40.txt --json results.json`): each result is checked against the
instance of its name.

Exit status: 0 when every checked solution is feasible; {EXIT_CHECK_FAILED} when one violates its
instance (each violation is listed); {EXIT_BAD_INPUT} for bad input.
"""


@main.command(help=CHECK_HELP)
@click.argument("file")
@click.argument("solution")
@click.option("--format", "format", default=None, help="input format, e.g. orlib-wt:40")
@click.option("--blocking", is_flag=True, help="read a job shop as blocking (no buffers)")
@click.option("--server", "server", default=None,
              help="serving: the server JSON the solution ran on (as given to solve --server)")
@click.option("--json", "json_out", default=None,
              help="write each verdict as JSON here: instance, feasible, objective, violations "
                   "('-' for stdout, alone)")
def check(file: str, solution: str, format: str | None, blocking: bool, server: str | None,
          json_out: str | None) -> None:
    """Check SOLUTION against FILE (help: CHECK_HELP)."""
    inputs = [split_selector(file)[0], Path(solution)] + ([Path(server)] if server else [])
    check_output_flag("--json", None if json_out == "-" else json_out, inputs)
    data = read_solution_json(solution)
    instances = _read_on_server(server, lambda: list(_expand((file,), format, blocking)))
    pairs = match_results(file, solution, instances, data)
    for instance, result in pairs:
        if isinstance(result, dict) and result.get("family", instance.family) != instance.family:
            raise SchedkitError(f"{solution}: a {result['family']} result, but {instance.name} of {file} "
                                f"is a {instance.family} instance")
    reports = [(instance.name, schedkit.check(instance, result)) for instance, result in pairs]
    verdicts = [{"instance": name, "feasible": report.feasible, "objective": report.objective,
                 "violations": list(report.violations)} for name, report in reports]
    if json_out:
        _emit_json(json_out, verdicts)
    if json_out != "-":
        for name, report in reports:
            click.echo(f"{name}: {report.summary()}")
            for violation in report.violations:
                click.echo(f"  - {violation}")
        if len(pairs) > 1:
            click.echo(f"checked {len(pairs)} of the {len(instances)} instances of {file}")
    sys.exit(0 if all(report.feasible for _, report in reports) else EXIT_CHECK_FAILED)


def _emit_json(target: str, payload: Any) -> None:
    """A `--json` output of check and simulate: on stdout for '-' (alone), else into the file."""
    text = json.dumps(payload, indent=1)
    if target == "-":
        click.echo(text)
    else:
        replace_text(target, text + "\n")


@main.command()
@click.argument("family", required=False)
@click.option("--json", "as_json", is_flag=True,
              help="print a JSON list instead: each method's name, family, kind, description and options "
                   "with their defaults")
def methods(family: str | None, as_json: bool) -> None:
    """List the methods (of FAMILY): name, family, exact or heuristic, description."""
    if family:
        families.get(family)  # names the known families when this one is not
    rows = schedkit.methods(family)
    if as_json:
        listed = [{**row._asdict(), "options": dict(registry.lookup(row.family, row.name).options)}
                  for row in rows]
        click.echo(json.dumps(listed, indent=1, default=str))
        return
    table = Table(box=None, header_style="bold")
    for column in ("method", "family", "kind", "description"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console(width=200).print(table)


class _FamilyCommands(click.Group):
    """`schedkit generate <family>`: each family's own command, looked up only when used, so
    `schedkit --help` imports no family."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, f in families.all_families().items() if f.generate_command)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        family = families.all_families().get(name)
        return None if family is None else family.generate_command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta["schedkit.generating"] = name  # for the progress line below
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        """Run the family's command with a progress line when it takes a while."""
        def text(elapsed: float) -> str:
            return f"generating {ctx.meta.get('schedkit.generating', 'an instance')}: {elapsed:.0f} s"
        with Ticker(text):
            return super().invoke(ctx)


@main.group(cls=_FamilyCommands)
def generate() -> None:
    """Generate reproducible random instances."""


@main.command("bench")
@click.argument("suite")
@click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="runs in parallel (local processes)")
@click.option("--out", default=None,
              help="directory for the result store and the report [default: a new "
                   "bench-runs/<suite>-<timestamp>; with --resume the newest one]; "
                   "commit a report with --out benchmarks/reports")
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
@click.option("--dask-local", type=click.IntRange(1), default=None,
              help="start a local Dask cluster with N workers")
@click.option("--resume", is_flag=True, help="skip runs already in the store")
@click.option("--no-plots", is_flag=True, help="skip the PNG plots")
def bench_command(suite: str, jobs: int, out: str | None, scheduler: str | None, dask_local: int | None,
                  resume: bool, no_plots: bool) -> None:
    """Run a benchmark SUITE (TOML) and write its report, CSV and plots to --out."""
    from schedkit.bench.command import bench  # the harness (plots, Dask) loads only for bench

    if out is not None:
        check_folder(out, "--out")
    report = bench(suite, None if out is None else Path(out), jobs=jobs, resume=resume,
                   scheduler=scheduler,
                   dask_local=dask_local, plot=not no_plots)
    click.echo(f"report: {report}")


@main.command("warmup")
@click.argument("family_names", nargs=-1)
@click.option("--limit", type=float, default=1.0, show_default=True, help="seconds per method run")
def warmup_command(family_names: tuple[str, ...], limit: float) -> None:
    """Compile every numba kernel (of each FAMILY, default all) into the on-disk cache."""
    table = Table(box=None, header_style="bold")
    for column in ("family", "instances", "runs", "kernels entered", "seconds"):
        table.add_column(column, justify="left" if column == "family" else "right")
    now = ["", 0, 0]

    def text(elapsed: float) -> str:
        return f"warming up {now[0]} (family {now[1]} of {now[2]}): {elapsed:.0f} s"

    def starting(name: str, k: int, n: int) -> None:
        now[:] = [name, k, n]

    with Ticker(text):
        rows = warmup(list(family_names) or None, limit, on_family=starting)
    for row in rows:
        table.add_row(row.family, str(row.instances), str(row.runs), f"{row.compiled} / {row.kernels}",
                      f"{row.seconds:.1f}")
    Console(width=200).print(table)
    for row in rows:
        if row.instances == 0:
            click.echo(f"{row.family}: no bundled instance found; its kernels compile on first use")


@main.command()
@click.argument("source")
@click.argument("target")
@click.option("--format", "format", default=None, help="input format, e.g. orlib-wt:40")
@click.option("--to", "to_format", default=None, help="output format (default: by extension)")
@click.option("--server", "server", default=None,
              help="serving: the server JSON the traces are read onto (kept in a .json target)")
def convert(source: str, target: str, format: str | None, to_format: str | None,
            server: str | None) -> None:
    """Convert instances between formats (.json one instance, .jsonl many, or a family's own
    format by extension or --to, e.g. .fjs, .sm, .rcp, .stg, wtN.txt)."""
    instances = _read_on_server(server, lambda: list(schedkit.load_all(source, format=format)))
    check_output(target, inputs=[split_selector(source)[0]] + ([Path(server)] if server else []))
    check_target_format(source, target, to_format, sorted({x.family for x in instances}))
    write(instances, target, to_format)
    click.echo(f"wrote {len(instances)} instance(s) to {target}")


@main.command()
@click.argument("file")
@click.option("--policy", "-p", "policy", default="mwkr", show_default=True,
              help="a rule (spt, mwkr, mor, ...), right-shift or reschedule")
@click.option("--shutdown", "probability", type=float, default=0.0, show_default=True,
              help="failure probability per machine per time unit")
@click.option("--repair", default="5-15", show_default=True, help="repair time range LOW-HIGH (uniform)")
@click.option("--seeds", type=click.IntRange(1, 100_000), default=20, show_default=True,
              help="seeds 0..N-1")
@click.option("--blocking", is_flag=True, help="read the job shop as blocking (no buffers)")
@click.option("--plan-method", default="cpsat", show_default=True, help="method making the plan")
@click.option("--plan-time", type=float, default=5.0, show_default=True, help="seconds for the plan")
@click.option("--reschedule-seconds", type=float, default=1.0, show_default=True)
@click.option("--format", "format", default=None, help="input format")
@click.option("--json", "json_out", default=None,
              help="write the runs as JSON here, each seed's makespan included ('-' for stdout)")
@click.option("--gantt", default=None,
              help="draw seed 0's run here: operations, held machines and repairs")
def simulate(file: str, policy: str, probability: float, repair: str, seeds: int, blocking: bool,
             plan_method: str, plan_time: float, reschedule_seconds: float, format: str | None,
             json_out: str | None, gantt: str | None) -> None:
    """Execute a job shop under random machine shutdowns; print the realized makespan's mean
    and spread over seeds."""
    from schedkit.jobshop.simulate import simulation_record, summary_line  # loads a family: not for --help

    inputs = [split_selector(file)[0]]
    check_output_flag("--json", None if json_out == "-" else json_out, inputs)
    check_output_flag("--gantt", gantt, inputs)
    instance = schedkit.load(file, format=format, blocking=blocking)
    step = ["starting"]

    def text(elapsed: float) -> str:
        return f"simulating {instance.name} ({policy}): {step[0]}, {elapsed:.0f} s"

    def heard(now: str) -> None:
        step[0] = now

    with Ticker(text):
        record = simulation_record(instance, policy, probability, repair, seeds, plan_method, plan_time,
                                   reschedule_seconds, on_progress=heard,
                                   gantt=gantt_paths(gantt, [instance.name])[0] if gantt else None)
    if json_out:
        _emit_json(json_out, record)
    if json_out != "-":
        click.echo(summary_line(record))


__all__ = ["main"]


if __name__ == "__main__":
    main()

