"""`auto` for VMR: the MIP on HiGHS, warm-started from greedy + LNS (default budget 30 s).

On the benchmark clusters (benchmarks/reports/vmr.md) it proves every instance, the slowest
300-machine one in about 9 s on one thread, where CP-SAT needs up to 24 s; it returns at once
when the warm start meets the migration bound.
"""

from __future__ import annotations

from dataclasses import replace

from schedkit.model.vmr import VMRInstance
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result

AUTO_DEFAULT_TIME_LIMIT = 30.0


@register("vmr", "auto", exact=True,
          description=f"mip on HiGHS (greedy + LNS warm start; stops at once when the migration bound "
                      f"proves it), default budget {AUTO_DEFAULT_TIME_LIMIT:g} s")
def solve_auto(instance: VMRInstance, options: SolveOptions) -> Result:
    """The MIP with its warm start; the choice is recorded in `stats["chosen"]`."""
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    method = lookup("vmr", "mip")
    result = method.function(instance, replace(options, time_limit=limit, extra=dict(method.options)))
    return result.with_context(stats={**result.stats, "chosen": "mip"})
