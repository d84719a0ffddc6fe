"""The `schedkit` command: solve, check, methods, generate, convert.

Exit codes (docs/cli-exit-codes.md): 0 success; 1 `check` found the solution infeasible or
wrong; 2 bad input (missing file, malformed line, invalid data, unknown method, selector out
of range), one line on stderr; 3 an internal error, a bug to report (SCHEDKIT_DEBUG=1 shows
the traceback); 130 interrupted. Never a traceback otherwise.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import schedkit
from schedkit import family as families
from schedkit.common.jsonparse import parse_json
from schedkit.common.textfile import read_text
from schedkit.errors import ParseError, SchedkitError
from schedkit.loading import write
from schedkit.warmup import warmup

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    line = " ".join(message.split())  # one line, whatever the message holds
    click.echo(f"schedkit: error: {line}", err=True)
    sys.exit(code)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn schedkit errors into one line on stderr and exit 2; anything else is a bug: exit 3."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # usage errors and --help: click prints them itself
        except SchedkitError as error:
            _fail(str(error))
        except FileNotFoundError as error:
            _fail(f"{error.filename}: no such file")
        except (IsADirectoryError, PermissionError) as error:
            _fail(f"{error.filename or ''}: {error.strerror or error}")
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
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

    def invoke(self, ctx: click.Context) -> Any:
        return friendly_errors(super().invoke)(ctx)


@click.group(cls=_FriendlyGroup)
@click.version_option(schedkit.__version__, prog_name="schedkit")
def main() -> None:
    """schedkit: exact and heuristic solvers for combinatorial scheduling."""


def _expand(files: tuple[str, ...], format: str | None) -> Iterator[Any]:
    for file in files:
        yield from schedkit.load_all(file, format=format)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--method", "-m", default="auto", show_default=True, help="see `schedkit methods`")
@click.option("--time-limit", "-t", type=float, default=None, help="seconds per instance")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workers", type=int, default=None, help="solver threads [default: all cores]")
@click.option("--format", "format", default=None, help="input format, e.g. orlib-wt:40")
@click.option("--option", "-o", "extra", multiple=True, metavar="KEY=VALUE",
              help="method option, e.g. -o solver=cbc (value parsed as JSON when it can be)")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None,
              help="write a JSON list of results here ('-' for stdout)")
@click.option("--gantt", type=click.Path(dir_okay=False), default=None,
              help="draw each schedule as a PNG Gantt chart (several instances: NAME-<instance>.png)")
@click.option("--server", "server", type=click.Path(dir_okay=False), default=None,
              help="serving: the server JSON the traces run on (default preset h100-8b)")
def solve(files: tuple[str, ...], method: str, time_limit: float | None, seed: int,
          workers: int | None, format: str | None, extra: tuple[str, ...],
          json_out: str | None, gantt: str | None, server: str | None) -> None:
    """Solve each instance of FILES (file#k picks one), check it, print a table row."""
    options = dict(_parse_option(item) for item in extra)
    instances = list(_expand(files, format))
    if server:
        instances = _on_server(instances, server)
    if gantt:
        _gantt_writer(instances)  # fail before solving when no chart can be drawn
    results = []
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=len(instances) < 2) as progress:
        task = progress.add_task("solving", total=len(instances))
        for instance in instances:
            progress.update(task, description=f"solving {instance.name}")
            result = schedkit.solve(instance, method, time_limit=time_limit, seed=seed,
                                    workers=workers, **options)
            report = schedkit.check(instance, result)
            if not report.feasible:
                _fail(f"internal error (please report): {instance.name}: {method} returned an "
                      f"invalid solution: {report.summary()}", EXIT_INTERNAL_ERROR)
            results.append(result)
            if gantt:
                path = _gantt_path(gantt, instance.name, len(instances))
                _gantt_writer([instance])(instance, result.solution, path)
            progress.advance(task)
    if json_out == "-":
        click.echo(json.dumps([r.to_dict() for r in results], indent=1))
        return
    if json_out:
        Path(json_out).write_text(json.dumps([r.to_dict() for r in results], indent=1) + "\n")
    _print_table(results)
    _print_metrics(results)


def _on_server(instances: list[Any], server_file: str) -> list[Any]:
    """`--server`: serving instances moved onto the server read from `server_file`."""
    others = sorted({x.family for x in instances if not hasattr(x, "with_server")})
    if others:
        raise SchedkitError(f"--server applies to serving traces only, not {', '.join(others)}")
    try:
        record = json.loads(Path(server_file).read_text())
        server = families.get("serving").from_record(record, Path(server_file).stem)
        return [x.with_server(server) for x in instances]
    except json.JSONDecodeError as error:
        raise SchedkitError(f"{server_file}:{error.lineno}: not valid JSON ({error.msg})") from None
    except SchedkitError as error:
        raise SchedkitError(f"{server_file}: {error}") from None


def _print_metrics(results: list[Any]) -> None:
    """The serving metrics row of each result that has them."""
    keys = ("jct_mean", "jct_p50", "jct_p95", "jct_p99", "throughput", "reprefilled_tokens",
            "kv_hit_rate", "gpu_busy_fraction")
    rows = [r for r in results if all(key in r.stats for key in keys)]
    if not rows:
        return
    table = Table(box=None, header_style="bold")
    for column in ("instance", "method", *keys):
        table.add_column(column, justify="left" if column in ("instance", "method") else "right")
    for r in rows:
        table.add_row(r.instance, r.method, *(_fmt(r.stats[key]) for key in keys))
    Console(width=200).print(table)


def _gantt_writer(instances: list[Any]) -> Callable[[Any, Any, Path], None]:
    """The Gantt drawer shared by `instances`' families; SchedkitError when there is none."""
    drawers = {x.family: families.get(x.family).gantt for x in instances}
    missing = sorted(name for name, drawer in drawers.items() if drawer is None)
    if missing:
        raise SchedkitError(f"--gantt: no Gantt chart for family {', '.join(missing)}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SchedkitError("--gantt needs matplotlib: pip install 'schedkit[plot]'") from None

    def draw(instance: Any, solution: Any, path: Path) -> None:
        drawer = drawers[instance.family]
        assert drawer is not None
        drawer(instance, solution, path)

    return draw


def _gantt_path(target: str, instance_name: str, count: int) -> Path:
    """`out.png` for one instance; `out-<instance>.png` when there are several."""
    path = Path(target)
    if count == 1:
        return path
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in instance_name)
    return path.with_name(f"{path.stem}-{safe}{path.suffix or '.png'}")


def _parse_option(item: str) -> tuple[str, Any]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise SchedkitError(f"option {item!r} is not KEY=VALUE")
    try:
        return key, parse_json(value, f"--option {key}")
    except ParseError:
        return key, value


def _print_table(results: list[Any]) -> None:
    table = Table(box=None, header_style="bold")
    for column in ("instance", "method", "status", "objective", "bound", "gap", "time (s)"):
        left = column in ("instance", "method", "status")
        table.add_column(column, justify="left" if left else "right")
    for r in results:
        chosen = r.stats.get("chosen")
        method = f"{r.method} ({chosen})" if chosen else r.method
        gap = "-" if r.gap is None else f"{100 * r.gap:.2f}%"
        table.add_row(r.instance, method, r.status, _fmt(r.objective), _fmt(r.bound), gap,
                      f"{r.wall_time:.3f}")
    Console(width=200).print(table)


@main.command()
@click.argument("file")
@click.argument("solution", type=click.Path(exists=False, dir_okay=False))
@click.option("--format", "format", default=None, help="input format, e.g. orlib-wt:40")
def check(file: str, solution: str, format: str | None) -> None:
    """Check SOLUTION (a solution JSON, or `solve --json` output) against FILE."""
    instance = schedkit.load(file, format=format)
    data = parse_json(read_text(solution), solution)
    if isinstance(data, list):
        matches = [d for d in data if isinstance(d, dict) and d.get("instance") == instance.name]
        if len(data) == 1:
            matches = data
        if len(matches) != 1:
            raise SchedkitError(f"{solution}: holds {len(data)} results; none or several for "
                                f"{instance.name!r}")
        data = matches[0]
    report = schedkit.check(instance, data)
    click.echo(f"{instance.name}: {report.summary()}")
    for violation in report.violations:
        click.echo(f"  - {violation}")
    sys.exit(0 if report.feasible else EXIT_CHECK_FAILED)


@main.command()
@click.argument("family", required=False)
def methods(family: str | None) -> None:
    """List the methods (of FAMILY): name, family, exact or heuristic, description."""
    if family:
        families.get(family)  # names the known families when this one is not
    rows = schedkit.methods(family)
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


@main.group(cls=_FamilyCommands)
def generate() -> None:
    """Generate reproducible random instances."""


@main.command("bench")
@click.argument("suite", type=click.Path(exists=True, dir_okay=False))
@click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="runs in parallel (local processes)")
@click.option("--out", type=click.Path(file_okay=False), default="benchmarks/reports",
              show_default=True, help="directory for the result store and the report")
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
@click.option("--dask-local", type=click.IntRange(1), default=None,
              help="start a local Dask cluster with N workers")
@click.option("--resume", is_flag=True, help="skip runs already in the store")
@click.option("--no-plots", is_flag=True, help="skip the PNG plots")
def bench_command(suite: str, jobs: int, out: str, scheduler: str | None, dask_local: int | None,
                  resume: bool, no_plots: bool) -> None:
    """Run a benchmark SUITE (TOML) and write its report, CSV and plots to --out."""
    from schedkit.bench.command import bench

    report = bench(suite, Path(out), jobs=jobs, resume=resume, scheduler=scheduler,
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
    rows = warmup(list(family_names) or None, limit)
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
def convert(source: str, target: str, format: str | None, to_format: str | None) -> None:
    """Convert instances between formats (.json one instance, .jsonl many, wtN.txt)."""
    instances = list(schedkit.load_all(source, format=format))
    write(instances, target, to_format)
    click.echo(f"wrote {len(instances)} instance(s) to {target}")


__all__ = ["main"]


if __name__ == "__main__":
    main()
