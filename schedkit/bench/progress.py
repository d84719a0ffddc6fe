"""Progress of long work: a rich bar on a terminal, one line per finished item otherwise.

On a terminal the bar shows items done of the total, the best result so far, the last finished
item and the elapsed and remaining time. Off a terminal (CI, `nohup`, a pipe) each finished item
prints one line on stderr as it finishes, so a log shows what ran and how it went.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


def printable(text: str) -> str:
    """`text` with each control character (a newline, an escape) spelled as its escape code,
    so a name from a file cannot break a table line or drive the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class RunProgress:
    """Report `total` items as they finish: `with RunProgress(...) as p: p.finished(...)`."""

    def __init__(self, title: str, total: int | None = None, stream: TextIO | None = None,
                 interactive: bool | None = None, enabled: bool = True,
                 best_label: str = "best") -> None:
        self.title = title
        self.best_label = best_label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.enabled = enabled
        self.count = 0
        self.best = ""
        self.started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> RunProgress:
        if self.enabled and self.interactive:
            self._bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                                 MofNCompleteColumn(),  # names are text, never rich markup
                                 TextColumn(f"{self.best_label} {{task.fields[best]}}", markup=False),
                                 TextColumn("{task.fields[last]}", markup=False), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=Console(file=self.stream),
                                 transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task(self.title, total=self.total, best="-", last="")
        return self

    def start(self, total: int, done: int = 0) -> None:
        """Set the total (and what was already done before this run, e.g. a resumed store)."""
        self.total, self.count = total, done
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, total=total, completed=done)

    def finished(self, item: str, outcome: str, best: str | None = None) -> None:
        """One item done: `outcome` describes it (one line), `best` the best result so far."""
        self.count += 1
        if best is not None:
            self.best = best
        if not self.enabled:
            return
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, best=printable(self.best) or "-",
                             last=printable(f"{item}: {outcome}"))
            return
        total = "?" if self.total is None else str(self.total)
        seconds = time.monotonic() - self.started
        extra = f", {self.best_label} {self.best}" if self.best else ""
        print(printable(f"[{self.count}/{total}] {item}: {outcome} ({seconds:.1f} s elapsed{extra})"),
              file=self.stream, flush=True)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)


class Ticker:
    """Progress of one long item (a solve, a generation): on a terminal a status line redrawn
    every second; off one, a line every `every` seconds. Nothing for an item that ends first.
    `describe(elapsed seconds)` gives the text."""

    def __init__(self, describe: Callable[[float], str], stream: TextIO | None = None,
                 interactive: bool | None = None, every: float = 10.0, enabled: bool = True) -> None:
        self.describe = describe
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.every = every
        self.enabled = enabled
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._width = 0

    def __enter__(self) -> Ticker:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="schedkit-ticker", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        started = time.monotonic()
        period = 1.0 if self.interactive else self.every
        while not self._stop.wait(period):
            text = self.describe(time.monotonic() - started)
            if self.interactive:
                self.stream.write("\r" + text.ljust(self._width))
                self._width = len(text)
            else:
                self.stream.write(text + "\n")
            self.stream.flush()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")  # the table prints on a clean line
            self.stream.flush()

