"""`greedy`: requests in the order of a rule, each given its longest earliest track(s) over its
alternatives (Board.place). rule="all" keeps the best plan of every rule. Under a time limit the
rules stop at END_SHARE of it: the rules not started are skipped, the one running keeps the
requests placed so far (a partial plan is a plan; stats["rules_run"] says so)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from schedkit.errors import SchedkitError
from schedkit.groundstation.heuristics.board import (
    END_SHARE,
    Board,
    Layout,
    Option,
    plan_result,
    request_options,
)
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
          alts: list[int] | None = None, deadline: float = math.inf, layout: Layout | None = None) -> Board:
    """The board after placing requests in `order` (alternative alts[i] preferred, -1 any), the
    requests left unplaced once `deadline` (perf_counter) has passed."""
    board = Board(instance, options, layout)
    board.deadline = deadline
    for i in order:
        if time.perf_counter() >= deadline:  # 10^4 requests: one pass took longer than a 2 s limit
            break
        board.place(i, -1 if alts is None else alts[i])
    return board


def best_rule(instance: GroundStationInstance, options: list[list[Option]], scorer: Scorer,
              rules: list[str], deadline: float = math.inf) -> tuple[Board, str]:
    """The best board over `rules` (first wins ties) and its rule; the rules after `deadline`
    are skipped (the first always gives a board, partial past the deadline)."""
    best: Board | None = None
    chosen = rules[0]
    layout = Layout.of(instance)
    for name in rules:
        if best is not None and time.perf_counter() >= deadline:
            break
        board = build(instance, options, RULES[name](instance, options), deadline=deadline, layout=layout)
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
    limit = options.time_limit
    deadline = math.inf if limit is None else options.started + END_SHARE * limit
    rules = list(RULES) if rule == "all" else [rule]
    board, chosen = best_rule(instance, request_options(instance), scorer, rules, deadline)
    stats = {"rule": chosen, **plan_stats(instance, board.tracked)}
    if time.perf_counter() >= deadline:  # some rule may have been cut short or skipped
        stats["time_limit_reached"] = True
    return plan_result(board.unserved(), board.solution(), stats)
