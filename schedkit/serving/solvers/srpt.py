"""`srpt`: clairvoyant shortest remaining processing time (a reference, not deployable)."""

from __future__ import annotations

from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.serving.heuristics.simulate import Policy, serve
from schedkit.serving.model import ServingInstance


@register("serving", "srpt", exact=False,
          description="clairvoyant SRPT on the program's remaining tokens, LRU prefix cache "
                      "(optimal mean flow time in the degenerate single-server case)")
def solve_srpt(instance: ServingInstance, options: SolveOptions) -> Result:
    """Smallest remaining work (tokens of this and all later turns) first."""
    return serve(instance, Policy(order="srpt", cache="lru"), options)
