"""`greedy`: requests in the order of a rule, each given its longest earliest track(s) over its
alternatives (Board.place). rule="all" keeps the best plan of every rule."""

from __future__ import annotations

from collections.abc import Callable

from schedkit.errors import SchedkitError
from schedkit.groundstation.heuristics.board import Board, Option, plan_result, request_options
from schedkit.groundstation.heuristics.score import Scorer
from schedkit.groundstation.model import GroundStationInstance, plan_stats
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

Order = Callable[[GroundStationInstance, list[list[Option]]], list[int]]


def _room(options: list[Option]) -> int:
    return sum(o.hi - o.lo for o in options)


def fewest_hours(x: GroundStationInstance, options: list[list[Option]]) -> list[int]:
    """Least alternative time (sum of option lengths) per requested second first."""
    return sorted(range(x.n), key=lambda i: (_room(options[i]) / x.requests[i].duration, i))


def longest(x: GroundStationInstance, options: list[list[Option]]) -> list[int]:
    """Longest requested duration first."""
    return sorted(range(x.n), key=lambda i: (-x.requests[i].duration, i))


def window_end(x: GroundStationInstance, options: list[list[Option]]) -> list[int]:
    """Earliest time-window end first."""
    return sorted(range(x.n), key=lambda i: (x.requests[i].window_end, i))


def shortest(x: GroundStationInstance, options: list[list[Option]]) -> list[int]:
    """Shortest requested duration first (many small requests)."""
    return sorted(range(x.n), key=lambda i: (x.requests[i].duration, i))


def fewest_alternatives(x: GroundStationInstance, options: list[list[Option]]) -> list[int]:
    """Fewest options first, then least room."""
    return sorted(range(x.n), key=lambda i: (len(options[i]), _room(options[i]), i))


RULES: dict[str, Order] = {"fewest_hours": fewest_hours, "longest": longest,
                           "window_end": window_end, "shortest": shortest,
                           "fewest_alternatives": fewest_alternatives}


def build(instance: GroundStationInstance, options: list[list[Option]], order: list[int],
          alts: list[int] | None = None) -> Board:
    """The board after placing requests in `order` (alternative alts[i] preferred, -1 any)."""
    board = Board(instance, options)
    for i in order:
        board.place(i, -1 if alts is None else alts[i])
    return board


def best_rule(instance: GroundStationInstance, options: list[list[Option]], scorer: Scorer,
              rules: list[str]) -> tuple[Board, str]:
    """The best board over `rules` (first wins ties) and its rule."""
    best: Board | None = None
    chosen = rules[0]
    for name in rules:
        board = build(instance, options, RULES[name](instance, options))
        if best is None or scorer.key(board.tracked) < scorer.key(best.tracked):
            best, chosen = board, name
    assert best is not None
    return best, chosen


@register("groundstation", "greedy", exact=False,
          description="requests by a rule (fewest_hours, longest, window_end, shortest, "
          "fewest_alternatives; 'all' = best of them), each track longest-earliest",
          options={"rule": "all", "objective": "hours"})
def solve_greedy(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """One pass per rule; stats name the rule kept."""
    rule = options.get("rule", "all")
    if rule != "all" and rule not in RULES:
        raise SchedkitError(f"greedy: unknown rule {rule!r}; choose all or one of {', '.join(RULES)}")
    scorer = Scorer(instance, options.get("objective", "hours"))
    board, chosen = best_rule(instance, request_options(instance), scorer,
                              list(RULES) if rule == "all" else [rule])
    stats = {"rule": chosen, **plan_stats(instance, board.tracked)}
    return plan_result(board.unserved(), board.solution(), stats)
