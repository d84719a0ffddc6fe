"""`ga` and `ffeea` (Jiang et al. 2024): a genetic algorithm over request order plus a preferred
alternative per request, decoded by the greedy placer.

- Population of `population` genomes, seeded with every greedy rule's order; binary tournament;
  order crossover (OX) on the order and uniform crossover on the alternatives with an adaptive
  rate (high for below-average parents, lowered towards `crossover_min` for the fittest);
  swap and alternative-reset mutations; the best `elite` genomes survive.
- `ffeea` adds the fuzzy fitness evaluation: an offspring whose similarity to an evaluated
  genome (share of requests with the same alternative and nearly the same rank) reaches the
  threshold inherits that genome's fitness, worsened by its dissimilarity, instead of a decode.
  An estimated genome is decoded before it may become the best; the estimate's error moves the
  threshold up (error above 2 %) or down, as does a random fifth of the estimates, decoded to
  audit them. `stats["decodes_saved"]` counts the decodes skipped.
- One population, one thread, whatever `workers` says: a second population in a child
  interpreter (as `lns` runs its walks) was measured and lost more than it gained, because the
  first population runs about 10 % slower beside it (benchmarks/reports/walks_per_worker.md).
  With `generations` and no time limit, the same plan on any machine for a seed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.errors import InvalidOption
from schedkit.groundstation.heuristics.board import (
    Board,
    Layout,
    Option,
    board_result,
    plan_result,
    request_options,
)
from schedkit.groundstation.heuristics.floor import floor_result, proven_floor
from schedkit.groundstation.heuristics.greedy import RULES, build
from schedkit.groundstation.heuristics.lns import END_SHARE, Walk
from schedkit.groundstation.heuristics.score import Scorer, check_objective
from schedkit.groundstation.model import GroundStationInstance, plan_stats
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

RANK_SLACK = 0.05  # two ranks "agree" within 5 % of the request count
ERROR_LIMIT = 0.02
AUDIT_SHARE = 0.2  # share of estimated offspring decoded anyway to measure the estimates' error
MAX_GENERATIONS = 10**9


@dataclass
class Genome:
    """Order (request indices), preferred alternatives (-1 any), fitness and whether estimated."""

    order: np.ndarray
    alts: np.ndarray
    key: tuple[int, int]
    estimated: bool = False

    def rank(self) -> np.ndarray:
        ranks = np.empty_like(self.order)
        ranks[self.order] = np.arange(self.order.size)
        return ranks


def _crossover(a: Genome, b: Genome, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """OX on the order, uniform on the alternatives."""
    n = a.order.size
    i, j = sorted(int(v) for v in rng.integers(0, n + 1, 2))
    middle = a.order[i:j]
    taken = np.zeros(n, bool)
    taken[middle] = True
    rest = b.order[~taken[b.order]]
    order = np.concatenate([rest[:i], middle, rest[i:]])
    alts = np.where(rng.random(n) < 0.5, a.alts, b.alts)
    return order, alts


def _mutate(order: np.ndarray, alts: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> None:
    n = order.size
    if n == 0:  # no request: nothing to mutate (integers(0) would raise)
        return
    for _ in range(1 + int(rng.integers(3))):
        p, q = int(rng.integers(n)), int(rng.integers(n))
        order[p], order[q] = order[q], order[p]
    k = int(rng.integers(n))
    alts[k] = -1 if counts[k] == 0 or rng.random() < 0.3 else int(rng.integers(counts[k]))


class Evolution:
    """One run of ga (fuzzy=False) or ffeea (fuzzy=True)."""

    def __init__(self, instance: GroundStationInstance, options: list[list[Option]], scorer: Scorer,
                 rng: np.random.Generator, fuzzy: bool, size: int, elite: int,
                 crossover: tuple[float, float], threshold: float,
                 incumbents: Incumbents | None = None) -> None:
        self.instance, self.options, self.scorer, self.rng = instance, options, scorer, rng
        self.fuzzy, self.size, self.elite = fuzzy, size, elite
        self.crossover_min, self.crossover_max = crossover
        self.threshold = threshold
        self.counts = np.array([len(r.alternatives) for r in instance.requests], np.int64)
        self.decodes = self.saved = 0
        self.best: Board | None = None
        self.best_key = (2**62, 2**62)
        self.incumbents = incumbents or Incumbents()  # each new best board, for progress
        self.deadline = math.inf  # a decode stops placing requests after it (perf_counter)
        self.layout = Layout.of(instance)

    def decode(self, order: np.ndarray, alts: np.ndarray) -> tuple[int, int]:
        board = build(self.instance, self.options, order.tolist(), alts.tolist(), self.deadline, self.layout)
        self.decodes += 1
        key = self.scorer.key(board.tracked)
        if key < self.best_key:
            self.best, self.best_key = board, key  # a decoded board is never changed afterwards
            self.incumbents.improved(key, partial(board_result, board, "fuzzy GA" if self.fuzzy else "GA"))
        else:
            self.incumbents.poll()
        return key

    def estimate(self, order: np.ndarray, alts: np.ndarray, population: list[Genome]
                 ) -> tuple[int, int] | None:
        """Fuzzy fitness: the most similar evaluated genome's key, worsened by dissimilarity."""
        n = order.size
        ranks = np.empty_like(order)
        ranks[order] = np.arange(n)
        slack = max(1, int(RANK_SLACK * n))
        best_sim, nearest = -1.0, None
        for g in population:
            if g.estimated:
                continue
            sim = (np.count_nonzero(np.abs(g.rank() - ranks) <= slack)
                   + np.count_nonzero(g.alts == alts)) / max(1, 2 * n)  # n = 0: no request
            if sim > best_sim:
                best_sim, nearest = sim, g
        if nearest is None or best_sim < self.threshold:
            return None
        self.saved += 1
        worse = 1.0 + (1.0 - best_sim)
        return nearest.key[0], int(nearest.key[1] * worse) + 1

    def verify(self, genome: Genome) -> None:
        """Decode an estimated genome and adapt the threshold to the estimate's error."""
        guess = genome.key
        genome.key = self.decode(genome.order, genome.alts)
        genome.estimated = False
        error = abs(guess[1] - genome.key[1]) / max(1, genome.key[1])
        step = 0.005 if error > ERROR_LIMIT else -0.002
        self.threshold = min(0.999, max(0.5, self.threshold + step))

    def initial(self, deadline: float) -> list[Genome]:
        """Every rule's order, then mutants of them up to the population size (or the deadline)."""
        population: list[Genome] = []
        for name in RULES:
            if population and time.perf_counter() >= deadline:
                break
            order = np.array(RULES[name](self.instance, self.options), np.int64)
            alts = np.full(order.size, -1, np.int64)
            population.append(Genome(order, alts, self.decode(order, alts)))
        while len(population) < self.size and time.perf_counter() < deadline:
            base = population[len(population) % len(RULES)]
            order, alts = base.order.copy(), base.alts.copy()
            _mutate(order, alts, self.counts, self.rng)
            population.append(Genome(order, alts, self.decode(order, alts)))
        return population

    def rate(self, a: Genome, b: Genome, mean: float, top: float) -> float:
        """Adaptive crossover rate: max for below-average parents, down to min for the best."""
        better = min(a.key[1], b.key[1])
        if better >= mean or mean <= top:
            return self.crossover_max
        return self.crossover_max - (self.crossover_max - self.crossover_min) * (mean - better) / (mean - top)

    def generation(self, population: list[Genome], deadline: float) -> list[Genome]:
        keys = [g.key[1] for g in population]
        mean, top = float(np.mean(keys)), float(min(keys))
        children: list[Genome] = []
        while len(children) < self.size - self.elite and time.perf_counter() < deadline:
            a, b = (min(population[int(self.rng.integers(len(population)))],
                        population[int(self.rng.integers(len(population)))], key=lambda g: g.key)
                    for _ in range(2))
            if self.rng.random() < self.rate(a, b, mean, top):
                order, alts = _crossover(a, b, self.rng)
            else:
                order, alts = a.order.copy(), a.alts.copy()
            _mutate(order, alts, self.counts, self.rng)
            guess = self.estimate(order, alts, population) if self.fuzzy else None
            if guess is None:
                children.append(Genome(order, alts, self.decode(order, alts)))
            else:
                child = Genome(order, alts, guess, estimated=True)
                if self.rng.random() < AUDIT_SHARE:  # sample the estimates' error
                    self.saved -= 1
                    self.verify(child)
                children.append(child)
        merged = sorted(population + children, key=lambda g: g.key)
        for g in merged[: self.elite]:
            if g.estimated and time.perf_counter() < deadline:
                self.verify(g)
        return sorted(merged, key=lambda g: g.key)[: self.size]


def _check_ranges(options: SolveOptions) -> None:
    """Refuse a population under 2, rates outside [0, 1] and a negative generation count (their
    kinds are checked already)."""
    if options.get("population", 30) < 2:
        raise InvalidOption(f"population must be at least 2, got {options.get('population')}")
    for name in ("crossover_min", "crossover_max", "threshold"):
        if name in options.extra and not 0.0 <= options.get(name) <= 1.0:
            raise InvalidOption(f"{name} must be in [0, 1], got {options.get(name)}")
    if options.get("crossover_min", 0.5) > options.get("crossover_max", 0.95):
        raise InvalidOption("crossover_min must not exceed crossover_max")
    generations = options.get("generations")
    if generations is not None and not 0 <= generations <= MAX_GENERATIONS:
        raise InvalidOption(f"generations must be None or a whole number from 0 to {MAX_GENERATIONS:,}, "
                            f"got {generations!r}")


@dataclass(frozen=True)
class EvolutionSetting:
    """What every population of one run shares."""

    objective: str
    fuzzy: bool
    size: int
    elite: int
    crossover: tuple[float, float]
    threshold: float
    generations: int | None = None
    floor: int = 0  # proven unserved seconds: the population stops once its best reaches them


def _at_floor(board: Board | None, floor: int) -> bool:
    """Whether a plan leaves no more unserved than the proven floor (0: nothing unserved): no
    generation can do better."""
    return board is not None and board.unserved() <= floor


def evolution_walk(instance: GroundStationInstance, setting: EvolutionSetting, seed: int, deadline: float,
                   incumbents: Incumbents | None = None) -> Walk:
    """One population evolved until `deadline` (or `generations`): its best plan as a `Walk`."""
    scorer = Scorer(instance, setting.objective)
    run = Evolution(instance, request_options(instance), scorer, np.random.default_rng(seed), setting.fuzzy,
                    setting.size, setting.elite, setting.crossover, setting.threshold, incumbents)
    run.deadline = deadline
    population = run.initial(deadline)
    generations = 0
    last = math.inf if setting.generations is None else setting.generations
    while time.perf_counter() < deadline and generations < last and not _at_floor(run.best, setting.floor):
        population = run.generation(population, deadline)
        generations += 1
    board = run.best
    assert board is not None
    stats: dict[str, Any] = {"iterations": generations, "decodes": run.decodes}
    if setting.fuzzy:
        stats.update(decodes_saved=run.saved, threshold=round(run.threshold, 4))
    return Walk(seed, scorer.key(board.tracked), list(board.tracked), board.solution(), stats)


def _run(instance: GroundStationInstance, options: SolveOptions, fuzzy: bool) -> Result:
    objective = options.get("objective", "hours")
    check_objective(objective)
    _check_ranges(options)
    limit = 10.0 if options.time_limit is None else options.time_limit
    deadline = options.started + END_SHARE * limit
    generations = options.get("generations")
    if generations is not None and options.time_limit is None:
        deadline = math.inf
    rates = (float(options.get("crossover_min", 0.5)), float(options.get("crossover_max", 0.95)))
    floor = proven_floor(instance, request_options(instance), objective, limit)[1]
    setting = EvolutionSetting(objective, fuzzy, int(options.get("population", 30)),
                               int(options.get("elite", 4)), rates, float(options.get("threshold", 0.95)),
                               generations, floor)
    best = evolution_walk(instance, setting, options.seed, deadline, Incumbents())
    stats = {**plan_stats(instance, best.tracked), **best.stats, "workers": 1}
    return floor_result(plan_result(instance.requested - sum(best.tracked), best.solution, stats), floor)


OPTIONS = {"objective": "hours", "population": 30, "elite": 4, "crossover_min": 0.5,
           "crossover_max": 0.95, "generations": None}


@register("groundstation", "ga", exact=False, options=OPTIONS,
          description="genetic algorithm over request order and alternatives, greedy decoder, "
          "adaptive crossover (until the time limit, default 10 s, or `generations`); one thread")
def solve_ga(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """The GA without fuzzy evaluation: every offspring decoded."""
    return _run(instance, options, fuzzy=False)


@register("groundstation", "ffeea", exact=False, options={**OPTIONS, "threshold": 0.95},
          description="FFEEA (Jiang et al. 2024): the GA with fuzzy fitness evaluation and an "
          "adaptive similarity threshold; stats report decodes_saved; one thread")
def solve_ffeea(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """The GA with fuzzy fitness evaluation."""
    return _run(instance, options, fuzzy=True)
