"""Seeded SWE-bench-like and BFCL-like agent traces with Poisson arrivals at a given load.

Distributions (lognormal given by median and sigma of the log; clipped) are stated in
docs/families/serving.md with their sources. `load` is offered work over server capacity:
arrivals are Poisson at rate load / E[work], where a program's work is its GPU seconds on the
server with every cache kept (`program_work`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np

from schedkit.common.rng import generator_rng
from schedkit.errors import InvalidInstance
from schedkit.serving import presets
from schedkit.serving.formats import trace as trace_format
from schedkit.serving.model import Server, ServingInstance, Turn, build_instance

REFERENCE_BATCH = 16  # sequences sharing an iteration's fixed cost `a` in the work estimate
MAX_GENERATED = 1_000_000


@dataclass(frozen=True)
class Lognormal:
    """exp(N(log median, sigma²)), clipped to [low, high]."""

    median: float
    sigma: float
    low: float
    high: float

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """`size` samples."""
        values = rng.lognormal(np.log(self.median), self.sigma, size)
        return np.clip(values, self.low, self.high)


@dataclass(frozen=True)
class Workload:
    """Turn count, token and tool-time distributions of one kind of agent."""

    name: str
    turns: Lognormal
    first_prompt: Lognormal
    prompt: Lognormal
    output: Lognormal
    tools: tuple[tuple[str, float, Lognormal], ...]  # (name, probability, duration)


SWE = Workload(
    name="swe",
    turns=Lognormal(26, 0.5, 5, 100),
    first_prompt=Lognormal(3500, 0.35, 500, 16000),
    prompt=Lognormal(400, 1.0, 10, 8000),
    output=Lognormal(120, 0.7, 5, 2000),
    tools=(("bash", 0.35, Lognormal(1.0, 1.0, 0.01, 600)),
           ("edit", 0.30, Lognormal(0.2, 0.5, 0.01, 600)),
           ("search", 0.15, Lognormal(0.5, 0.7, 0.01, 600)),
           ("pytest", 0.20, Lognormal(6.0, 1.2, 0.01, 600))),
)
BFCL = Workload(
    name="bfcl",
    turns=Lognormal(2, 0.6, 1, 8),
    first_prompt=Lognormal(1200, 0.5, 200, 8000),
    prompt=Lognormal(80, 0.6, 5, 2000),
    output=Lognormal(40, 0.6, 3, 500),
    tools=(("api", 0.7, Lognormal(0.3, 0.8, 0.005, 60)),
           ("math", 0.3, Lognormal(0.02, 0.5, 0.001, 5))),
)
WORKLOADS = {w.name: w for w in (SWE, BFCL)}


def _programs(workload: Workload, count: int, rng: np.random.Generator) -> list[list[Turn]]:
    turn_counts = np.rint(workload.turns.draw(rng, count)).astype(np.int64)
    total = int(turn_counts.sum())
    prompts = np.rint(workload.prompt.draw(rng, total)).astype(np.int64)
    outputs = np.rint(workload.output.draw(rng, total)).astype(np.int64)
    firsts = np.rint(workload.first_prompt.draw(rng, count)).astype(np.int64)
    names = [name for name, _, _ in workload.tools]
    probabilities = np.array([p for _, p, _ in workload.tools])
    chosen = rng.choice(len(names), size=total, p=probabilities / probabilities.sum())
    seconds = np.zeros(total)
    for k, (_, _, duration) in enumerate(workload.tools):
        mask = chosen == k
        seconds[mask] = np.round(duration.draw(rng, int(mask.sum())), 4)
    programs, position = [], 0
    for i, turns in enumerate(turn_counts.tolist()):
        program = []
        for j in range(turns):
            t = position + j
            prompt = int(firsts[i]) if j == 0 else int(prompts[t])
            if j == turns - 1:
                program.append(Turn(prompt, int(outputs[t])))
            else:
                program.append(Turn(prompt, int(outputs[t]), names[chosen[t]], float(seconds[t])))
        programs.append(program)
        position += turns
    return programs


def program_work(turns: list[Turn], server: Server) -> float:
    """GPU seconds of a program with every cache kept: b per prompt token; per output token
    c, a / REFERENCE_BATCH and e per context token read."""
    work, context = 0.0, 0
    for turn in turns:
        work += server.b * turn.prompt_tokens
        context += turn.prompt_tokens
        o = turn.output_tokens
        work += o * (server.c + server.a / REFERENCE_BATCH) + server.e * (o * context + o * (o - 1) / 2)
        context += o
    return work


def serving(programs: int, workload: str = "swe", load: float = 0.8, seed: int = 0,
            server: Server | str | None = None) -> ServingInstance:
    """A trace of `programs` agent programs (`workload` "swe" or "bfcl") arriving as a Poisson
    process at `load` (offered work / capacity) on `server` (default preset h100-8b)."""
    if not isinstance(workload, str) or workload not in WORKLOADS:
        raise InvalidInstance(f"workload {workload!r}: one of {', '.join(WORKLOADS)}")
    if isinstance(programs, bool) or not isinstance(programs, int) or not 1 <= programs <= MAX_GENERATED:
        raise InvalidInstance(f"programs = {programs!r} must be an integer in 1..{MAX_GENERATED}")
    if isinstance(load, bool) or not isinstance(load, int | float) or not 0 < load < 100:
        raise InvalidInstance(f"load = {load!r} must be a number in (0, 100)")
    if server is None:
        server = presets.DEFAULT
    elif isinstance(server, str):
        if server not in presets.PRESETS:
            raise InvalidInstance(f"server preset {server!r}: one of {', '.join(presets.PRESETS)}")
        server = presets.PRESETS[server]
    elif not isinstance(server, Server):
        raise InvalidInstance(f"server must be a Server or a preset name, got {server!r}")
    rng = generator_rng(seed)
    turns = _programs(WORKLOADS[workload], programs, rng)
    mean_work = float(np.mean([program_work(p, server) for p in turns]))
    gaps = rng.exponential(mean_work / load, programs)
    arrivals = np.round(np.cumsum(gaps) - gaps[0], 6)
    entries = [(str(i + 1), float(arrivals[i]), turns[i]) for i in range(programs)]
    meta = {"workload": workload, "load": float(load), "seed": int(seed),
            "mean_work_seconds": mean_work, "arrival_rate": load / mean_work}
    return build_instance(entries, server, name=f"{workload}-n{programs}-load{load:g}-s{seed}",
                          meta=meta)


@click.command("serving")
@click.option("--programs", type=click.IntRange(1, MAX_GENERATED), required=True)
@click.option("--workload", type=click.Choice(sorted(WORKLOADS)), default="swe", show_default=True)
@click.option("--load", type=click.FloatRange(0, 100, min_open=True), default=0.8, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--server", "server", type=click.Choice(sorted(presets.PRESETS)), default="h100-8b",
              show_default=True, help="server preset the load is computed for")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), required=True,
              help="the JSON-lines trace")
def generate_command(programs: int, workload: str, load: float, seed: int, server: str,
                     out: str) -> None:
    """A SWE-bench-like or BFCL-like agent trace (JSON lines) with Poisson arrivals."""
    instance = serving(programs, workload=workload, load=load, seed=seed, server=server)
    trace_format.write([instance], Path(out), None)
    click.echo(f"wrote {out} ({instance.n} programs, {instance.turns} LLM calls)")
