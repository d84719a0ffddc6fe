"""`python -m tests.bench.interrupt_target MARKER ARGS...`: the schedkit command ARGS with an smtt
method `test-hang` registered, which returns at once on an instance named `*#1` (and in the
harness's warm-up, limit <= 1 s) and otherwise writes its pid to MARKER and sleeps 10 minutes:
a run that is surely still going when the test interrupts it, at any machine speed."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from schedkit.cli import main
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.model import SMTTSolution

MARKER = Path(sys.argv[1])


@register("smtt", "test-hang", exact=False, description="returns on #1, hangs on the others")
def hang(instance, options: SolveOptions) -> Result:
    if not instance.name.endswith("#1") and (options.time_limit or 600) > 1:
        MARKER.write_text(str(os.getpid()))
        time.sleep(600)
    finish = instance.p.cumsum()
    late = (instance.w * (finish - instance.d).clip(min=0)).sum()
    return Result("feasible", objective=int(late), solution=SMTTSolution(range(instance.n)))


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a runner may start us ignoring it
    main(sys.argv[2:])
