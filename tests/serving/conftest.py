"""Shared builders: the degenerate server of the theory tests and single-turn traces."""

from __future__ import annotations

from schedkit.serving.model import Server, ServingInstance, Turn, build_instance

# Batch of one, unlimited memory, one token per iteration (preemption at token granularity),
# every token one time unit: a single preemptive machine whose jobs are prompt + output units.
DEGENERATE = Server(name="degenerate", kv_capacity=10**9, token_budget=1, max_batch=1,
                    a=0.0, b=1.0, c=1.0, e=0.0, preemptive=True)


def single_turn(jobs: list[tuple[float, int, int]], server: Server = DEGENERATE) -> ServingInstance:
    """One single-turn program per (arrival, prompt_tokens, output_tokens)."""
    programs = [(str(k + 1), float(r), [Turn(p, o)]) for k, (r, p, o) in enumerate(jobs)]
    return build_instance(programs, server, name="single-turn")
