"""`schedkit bench`: run a suite into its store, then write its report, CSV and plots."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import Any

from schedkit import family as families
from schedkit.bench import plots
from schedkit.bench.machine import describe, describe_load
from schedkit.bench.progress import RunProgress
from schedkit.bench.references import load_references
from schedkit.bench.report import Measure, instance_table, markdown, set_tables, summarise, write_csv
from schedkit.bench.runner import expand, run_suite
from schedkit.bench.store import ResultStore, run_key
from schedkit.bench.suite import Suite, load_suite
from schedkit.errors import SchedkitError


def store_path(out: Path, suite: Suite) -> Path:
    """Where a suite's records live inside `out`."""
    return out / f"{suite.name}.results.jsonl"


RUNS = Path("bench-runs")  # default parent of --out: one new folder per run, never a report


def default_out(suite: Suite, resume: bool, runs: Path = RUNS) -> Path:
    """Where a run writes when no --out is given: a new `bench-runs/<suite>-<timestamp>` folder,
    or with `resume` the newest existing one of this suite (SchedkitError when there is none)."""
    if resume:
        earlier = sorted(runs.glob(f"{suite.name}-*/{suite.name}.results.jsonl"))
        if not earlier:
            raise SchedkitError(f"--resume: no earlier run of suite {suite.name} in {runs}/; "
                                "pass --out DIR to name the folder to continue")
        return earlier[-1].parent
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = runs / f"{suite.name}-{stamp}"
    suffix = 1
    while out.exists():
        suffix += 1
        out = runs / f"{suite.name}-{stamp}-{suffix}"
    return out


def max_parallel() -> int:
    """The most runs a machine takes at once: 4 per core (at least 8); -j 100000 forked a
    solver per run of the suite at once."""
    return max(8, 4 * (os.cpu_count() or 1))


def _outcome(record: dict[str, Any]) -> str:
    """One line about a finished run: status and objective, or what went wrong."""
    if record.get("outcome") == "ok":
        return (f"{record.get('status')} {record.get('objective')} "
                f"in {record.get('wall_time') or 0:.2f} s")
    detail = record.get("error") or "; ".join(record.get("violations", [])[:1])
    return f"{record.get('outcome')}: {detail}"


def bench(suite_file: str, out: Path | None = None, jobs: int = 1, resume: bool = False,
          scheduler: str | None = None, dask_local: int | None = None,
          plot: bool = True, quiet: bool = False) -> Path:
    """Run the suite (skipping stored runs with `resume`) and write the report; returns it.

    Without `out` the run goes to a new folder under `bench-runs/`, so no committed report is
    ever overwritten by default. Missing matplotlib is reported before the first run."""
    if scheduler is not None and dask_local is not None:
        raise SchedkitError("pass either --scheduler or --dask-local, not both")
    for flag, count in (("--jobs", jobs), ("--dask-local", dask_local)):
        if count is not None and count > max_parallel():  # each one a solver process
            raise SchedkitError(f"{flag} {count}: at most {max_parallel()} runs at once on this "
                                f"machine ({os.cpu_count() or 1} cores); use a Dask cluster for more")
    suite = load_suite(suite_file)
    if suite.references:
        load_references(suite.references)  # a bad reference file stops the suite before its runs
    if plot:
        plots.require_matplotlib()
    out = default_out(suite, resume) if out is None else out
    store = ResultStore(store_path(out, suite))
    errors = 0
    with store.writing(), RunProgress(f"bench {suite.name}", enabled=not quiet,
                                      best_label="errors") as progress:

        def on_start(total: int, stored: int) -> None:
            progress.start(total, stored)

        def on_record(record: dict[str, Any]) -> None:
            nonlocal errors
            errors += record.get("outcome") != "ok"
            name = f"{record.get('instance')} {record.get('label') or record.get('method')}"
            progress.finished(name, _outcome(record), best=str(errors))

        try:
            run_suite(suite, store, jobs=jobs, resume=resume, scheduler=scheduler,
                      dask_local=dask_local, on_record=on_record, on_start=on_start)
        except KeyboardInterrupt:
            interrupted = True
        else:
            interrupted = False
    report = write_report(suite, store, out, plot=plot)
    if interrupted:  # the runs stored so far are kept, and reported
        total = "?" if progress.total is None else progress.total
        raise KeyboardInterrupt(f"{progress.count} of {total} runs stored in {store.path}; "
                                f"report so far: {report}; --resume --out {out} continues")
    return report


def family_measure(specs: list[Any]) -> Measure:
    """A record's family measures (ground station hours...), looked up by its instance's family."""
    family_of = {spec.instance.name: spec.instance.family for spec in specs}

    def measure(record: dict[str, Any]) -> dict[str, Any] | None:
        name = family_of.get(record.get("instance", ""))
        measures = families.get(name).measures if name else None
        if measures is None or record.get("objective") is None:
            return None
        return measures(record["objective"], record.get("bound"), record.get("stats") or {})

    return measure


def write_report(suite: Suite, store: ResultStore, out: Path, plot: bool = True) -> Path:
    """Summarise the suite's current runs from the store into Markdown, CSV and PNG files."""
    specs = expand(suite)
    wanted = {run_key(spec.identity()) for spec in specs}
    records = [r for r in store.records() if r.get("key") in wanted
               and isinstance(r.get("instance"), str) and isinstance(r.get("method"), str)]
    references = load_references(suite.references) if suite.references else {}
    order = [method.label for method in suite.methods]
    measure = family_measure(specs)
    summaries, alarms = summarise(records, references, order, measure)
    tables = [("all instances", summaries), *set_tables(records, references, order, measure)]
    out.mkdir(parents=True, exist_ok=True)
    write_csv(tables, out / f"{suite.name}.csv")
    images = []
    if plot and any(s.gaps for s in summaries):
        images.append(plots.performance_profile(summaries, out / f"{suite.name}_profile.png",
                                                suite.name).name)
        images.append(plots.gap_versus_time(summaries, out / f"{suite.name}_gap_time.png",
                                            suite.name).name)
    header = [
        f"Date: {datetime.date.today().isoformat()}",
        f"Machine: {describe()}",
        describe_load(records),
        f"Command: `schedkit {' '.join(sys.argv[1:]) or 'bench ' + str(suite.path)}`",
        f"Suite: `{suite.path.name}`: {len(suite.instance_files)} file(s), "
        f"{len(suite.methods)} method(s), time limit {suite.time_limit:g} s, "
        f"{suite.workers} worker(s) per run, seeds {list(suite.seeds)}; "
        f"{len(records)} of {len(wanted)} runs stored in `{store.path.name}`",
        "Every solution was checked with `schedkit.check` inside its run.",
    ]
    failures = [f"{r.get('label') or r['method']} on {r['instance']}: {r.get('error')}"
                for r in records if r.get("outcome") == "error"]
    report = out / f"{suite.name}.md"
    per_instance = instance_table(records, order, measure)
    report.write_text(markdown(suite.name, tables, alarms, header, failures, images, per_instance))
    return report
