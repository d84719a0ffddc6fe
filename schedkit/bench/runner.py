"""Drive a suite: expand it into runs, skip stored ones, execute locally or on Dask, store.

Locally, `jobs` threads each wait on one forked run at a time. With Dask, the same
`execute` runs on the workers (each run still forks its own child there), so the records,
and the store they land in, are the same either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

import schedkit
from schedkit.bench.isolate import RunSpec, allow_runs, execute, stop_runs
from schedkit.bench.machine import versions
from schedkit.bench.store import ResultStore, run_key
from schedkit.bench.suite import Suite
from schedkit.errors import SchedkitError, SolverUnavailable

Progress = Callable[[dict[str, Any]], None]


def expand(suite: Suite) -> list[RunSpec]:
    """Every (instance, method, seed) run of the suite, instances in file order."""
    instances = [x for file in suite.instance_files for x in schedkit.load_all(file)]
    duplicates = {name for name, count in Counter(x.name for x in instances).items() if count > 1}
    if duplicates:
        raise SchedkitError(f"suite {suite.name}: instance names repeat: {sorted(duplicates)[:5]}")
    found = versions()
    for method in suite.methods:  # fail before any run on a misspelt method or option
        for family in {x.family for x in instances}:
            schedkit.registry.lookup(family, method.name).check_options(method.options)
    return [
        RunSpec(suite.name, instance, method.name, method.label, dict(method.options), seed,
                suite.time_limit, suite.workers, suite.grace, suite.memory_limit_mb, found)
        for instance in instances
        for method in suite.methods
        for seed in suite.seeds
    ]


def pending(specs: Iterable[RunSpec], store: ResultStore) -> list[RunSpec]:
    """The runs whose key is not in the store yet."""
    done = store.keys()
    return [spec for spec in specs if run_key(spec.identity()) not in done]


WARM_UP_SECONDS = 1.0


def warm_up(specs: list[RunSpec]) -> None:
    """Load each method's kernels in this process, so that forked runs start warm.

    Each method first solves the first instance briefly in an isolated child; only if that
    returns cleanly is it repeated here, so a crashing or hanging method cannot take the
    harness down with it.
    """
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        if (spec.method, spec.label) in seen:
            continue
        seen.add((spec.method, spec.label))
        brief = replace(spec, time_limit=min(WARM_UP_SECONDS, spec.time_limit), grace=5.0)
        if execute(brief).get("outcome") == "ok":
            schedkit.solve(brief.instance, brief.method, time_limit=brief.time_limit,
                           seed=brief.seed, workers=brief.workers, **brief.options)


def _local(specs: list[RunSpec], jobs: int) -> Generator[dict[str, Any], None, None]:
    warm_up(specs)
    allow_runs()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            yield from _in_pool(pool, specs, jobs)
        except BaseException:  # Ctrl-C, SIGTERM, or the caller stopped: no child outlives it
            stop_runs()
            raise


def _in_pool(pool: ThreadPoolExecutor, specs: list[RunSpec], jobs: int) -> Iterator[dict[str, Any]]:
    """Each run's record as it finishes, at most `jobs` running at a time."""
    queue = iter(specs)
    active: set[Future] = set()
    for spec in queue:
        active.add(pool.submit(execute, spec))
        if len(active) >= jobs:
            break
    while active:
        done, active = wait(active, return_when=FIRST_COMPLETED)
        for future in done:
            yield future.result()
            following = next(queue, None)
            if following is not None:
                active.add(pool.submit(execute, following))


def _dask(specs: list[RunSpec], scheduler: str | None, local_workers: int | None
          ) -> Generator[dict[str, Any], None, None]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SolverUnavailable("Dask scale-out needs dask[distributed]: "
                                "pip install 'schedkit[dask]'") from None
    with ExitStack() as stack:
        if scheduler is not None:
            try:
                client = stack.enter_context(Client(scheduler))
            except (ValueError, TypeError) as error:  # an address Dask cannot parse
                raise SchedkitError(f"--scheduler {scheduler!r}: {error} "
                                    "(expected an address such as tcp://host:8786)") from None
        else:
            cluster = stack.enter_context(LocalCluster(
                n_workers=local_workers, threads_per_worker=1, processes=True,
                dashboard_address=None))
            client = stack.enter_context(Client(cluster))
        firsts = list({(s.method, s.label): s for s in reversed(specs)}.values())
        client.run(warm_up, firsts)
        futures = client.map(execute, specs, pure=False)
        for future in as_completed(futures):
            yield future.result()


def run_suite(
    suite: Suite,
    store: ResultStore,
    jobs: int = 1,
    resume: bool = False,
    scheduler: str | None = None,
    dask_local: int | None = None,
    on_record: Progress | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Execute the suite's missing runs and append each record as it arrives.

    Without `resume`, a store that already holds runs of this suite is an error (nothing
    stored is rewritten or duplicated); with it, stored runs are skipped.
    """
    specs = expand(suite)
    todo = pending(specs, store)
    if not resume and len(todo) < len(specs):
        raise SchedkitError(
            f"{store.path} already holds {len(specs) - len(todo)} runs of suite {suite.name}: "
            "pass --resume to continue it, or --out another directory")
    if on_start is not None:
        on_start(len(specs), len(specs) - len(todo))
    if scheduler is not None or dask_local is not None:
        records = _dask(todo, scheduler, dask_local)
    else:
        records = _local(todo, max(1, jobs))
    finished = []
    try:
        for record in records:
            record["key"] = run_key(record)
            store.append(record)
            finished.append(record)
            if on_record is not None:
                on_record(record)
    finally:
        records.close()  # interrupted here too: the runs still going are stopped now
    return finished

