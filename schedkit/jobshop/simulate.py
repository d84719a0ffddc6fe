"""Executing a job shop under random machine shutdowns (the "I" of ISBJSSP), classic or blocking.

Event-driven in integer time. A machine that is down lets nobody enter; an operation processing
on it pauses and resumes after the repair (a finished one may leave it). At each event time
moves are made until none applies, as in the blocking rules' simulation: a job whose operation
is finished (or that is released and has not started) wants its next machine; a free, up
machine takes the candidate the policy allows and prefers; without buffers a finished
operation holds its machine until its job moves on, and a cycle of such jobs each wanting the
machine the next holds moves at once (a swap); with buffers a finished operation frees its
machine at once. Policies:
- a rule name (`spt`, `mwkr`, `mor`, ...): dispatching online by that rule's key;
- `right-shift`: follow a plan's machine orders, no operation earlier than planned;
- `reschedule`: right-shift, and at a shutdown (at most `max_reschedules` times, spaced by
  the plan's makespan / max_reschedules) re-solve the operations left with `cpsat` for
  `reschedule_seconds`, warm-started (option `hint`) from the current plan's orders, which
  are kept when the new plan is not better; operations under way are pinned at the start.
A plan whose orders cannot be followed any more (a deadlock without buffers) hands over to
`mwkr` for the rest (counted in `fallbacks`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.api import solve
from schedkit.common.numbers import MAX_SECONDS, is_seconds, is_whole
from schedkit.errors import SchedkitError
from schedkit.jobshop.heuristics.blocking import evaluate_orders
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.jobshop.shutdowns import MachineTimeline, Shutdowns
from schedkit.jobshop.simulate_gantt import simulation_gantt
from schedkit.registry import lookup

RULES = ("spt", "lpt", "mwkr", "lwkr", "mor", "lor", "fifo", "edd", "random")  # the rule methods' names
PLAN_POLICIES = ("right-shift", "reschedule")
FALLBACK_RULE = "mwkr"
_INF = np.iinfo(np.int64).max
MAX_SEEDS = 100_000  # `schedkit simulate --seeds`: every seed's run is kept until the summary
MAX_EVENTS = 1_000_000  # a run needing more has machines down almost all the time (p near 1)


@dataclass(frozen=True)
class SimulationResult:
    """One run: realized makespan, shutdowns that began before it, replans and hand-overs."""

    makespan: int
    policy: str
    seed: int
    shutdowns: int
    reschedules: int
    fallbacks: int
    start: np.ndarray  # per operation id: when it entered its machine
    end: np.ndarray  # when its processing finished (pauses included)


def policies() -> list[str]:
    """Every policy name: the rules, then the plan-based ones."""
    return list(RULES) + list(PLAN_POLICIES)


class _Run:
    """The state of one simulation (see the module docstring)."""

    def __init__(self, instance: JobShopInstance, policy: str, shutdowns: Shutdowns, seed: int,
                 plan_start: np.ndarray | None, options: dict[str, Any]) -> None:
        self.instance = instance
        self.policy = policy
        self.rule = policy if policy in RULES else FALLBACK_RULE
        self.follow_plan = policy in PLAN_POLICIES
        self.options = options
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.n, self.m = instance.n, instance.m
        self.job_ptr = instance.job_ptr.tolist()
        self.machine = instance.alt_machine.tolist()
        self.duration = instance.alt_duration.tolist()
        self.release = instance.release_or_zero().tolist()
        work = np.zeros(instance.operations, np.int64)
        for j in range(self.n):
            total = 0
            for o in range(self.job_ptr[j + 1] - 1, self.job_ptr[j] - 1, -1):
                total += self.duration[o]
                work[o] = total
        self.work = work.tolist()
        due = instance.due
        if due is None:
            due = instance.release_or_zero() + work[instance.job_ptr[:-1]]
        self.due = due.tolist()
        self.timelines = [MachineTimeline(shutdowns, seed, k) for k in range(self.m)]
        self.probability = shutdowns.p
        self.current = [-1] * self.n
        self.remaining = [0] * self.n
        self.done = [False] * self.n
        self.ready_at = list(self.release)
        self.holder = [-1] * self.m
        self.start = np.full(instance.operations, -1, np.int64)
        self.end = np.full(instance.operations, -1, np.int64)
        self.reschedules = self.fallbacks = 0
        self.last_replan = -_INF
        self.plan_orders: list[list[int]] = [[] for _ in range(self.m)]
        self.plan_pos = [0] * self.m
        self.planned = [0] * instance.operations
        self.plan_makespan = 0
        if plan_start is not None:
            self._set_plan(plan_start.tolist(), list(range(instance.operations)), 0, [])

    # ---- plans --------------------------------------------------------------------
    def _set_plan(self, starts: list[int], ops: list[int], offset: int, first: list[int]) -> None:
        """Machine orders from planned `starts` of `ops` (shifted by `offset`); the operations
        in `first` (already on their machines) head their machines' orders."""
        orders: list[list[tuple[int, int]]] = [[] for _ in range(self.m)]
        for s, o in zip(starts, ops, strict=True):
            orders[self.machine[o]].append((s, o))
            self.planned[o] = offset + s
        head = {self.machine[o]: o for o in first}
        self.plan_orders = []
        for k in range(self.m):
            order = [o for _, o in sorted(orders[k])]
            if k in head and head[k] in order:
                order.remove(head[k])
                order.insert(0, head[k])
            self.plan_orders.append(order)
        self.plan_pos = [0] * self.m
        self.plan_makespan = max((offset + s + self.duration[o] for s, o in zip(starts, ops, strict=True)),
                                 default=0)

    def _allowed(self, j: int, o: int, t: int, ignore_time: bool = False) -> bool:
        """Whether the policy lets job j start operation o now."""
        if not self.follow_plan:
            return True
        k = self.machine[o]
        pos = self.plan_pos[k]
        order = self.plan_orders[k]
        return pos < len(order) and order[pos] == o and (ignore_time or self.planned[o] <= t)

    def _key(self, j: int, o: int) -> tuple[int, int]:
        rule = self.rule
        value: int
        if rule == "spt":
            value = self.duration[o]
        elif rule == "lpt":
            value = -self.duration[o]
        elif rule == "mwkr":
            value = -self.work[o]
        elif rule == "lwkr":
            value = self.work[o]
        elif rule == "mor":
            value = o - self.job_ptr[j + 1]
        elif rule == "lor":
            value = self.job_ptr[j + 1] - o
        elif rule == "fifo":
            value = self.ready_at[j]
        elif rule == "edd":
            value = self.due[j]
        else:
            value = int(self.rng.integers(0, 2**62))
        return value, j

    # ---- moves --------------------------------------------------------------------
    def _wanted(self, t: int) -> list[int]:
        wanted = [-1] * self.n
        for j in range(self.n):
            if self.done[j] or self.ready_at[j] > t or (self.current[j] >= 0 and self.remaining[j] > 0):
                continue
            wanted[j] = self.job_ptr[j] if self.current[j] < 0 else self.current[j] + 1
        return wanted

    def _enter(self, j: int, o: int, t: int) -> None:
        if self.current[j] >= 0 and self.holder[self.machine[self.current[j]]] == j:
            self.holder[self.machine[self.current[j]]] = -1
        self.current[j] = o
        self.holder[self.machine[o]] = j
        self.remaining[j] = self.duration[o]
        self.start[o] = t
        self.ready_at[j] = t  # refined when the operation finishes
        k = self.machine[o]
        if self.follow_plan and self.plan_pos[k] < len(self.plan_orders[k]) \
                and self.plan_orders[k][self.plan_pos[k]] == o:
            self.plan_pos[k] += 1
        if self.duration[o] == 0:
            self.end[o] = t

    def _finish_and_exit(self, t: int) -> bool:
        moved = False
        for j in range(self.n):
            o = self.current[j]
            if self.done[j] or o < 0 or self.remaining[j] > 0:
                continue
            if o == self.job_ptr[j + 1] - 1:
                self.done[j] = True
                if self.holder[self.machine[o]] == j:
                    self.holder[self.machine[o]] = -1
                moved = True
            elif not self.instance.blocking and self.holder[self.machine[o]] == j:
                self.holder[self.machine[o]] = -1  # into the buffer
                moved = True
        return moved

    def _free_moves(self, t: int, up: list[bool]) -> bool:
        wanted = self._wanted(t)
        moved = False
        for k in range(self.m):
            if self.holder[k] >= 0 or not up[k]:
                continue
            best, pick = None, -1
            for j in range(self.n):
                o = wanted[j]
                if o < 0 or self.machine[o] != k or not self._allowed(j, o, t):
                    continue
                key = self._key(j, o)
                if best is None or key < best:
                    best, pick = key, j
            if pick >= 0:
                self._enter(pick, wanted[pick], t)
                wanted[pick] = -1
                moved = True
        return moved

    def _swap(self, t: int, up: list[bool], ignore_time: bool = False, apply: bool = True) -> bool:
        if not self.instance.blocking:
            return False
        wanted = self._wanted(t) if not ignore_time else self._wanted(_INF - 1)
        for j0 in range(self.n):
            seen: dict[int, int] = {}
            j = j0
            while j >= 0 and j not in seen and wanted[j] >= 0 and self.current[j] >= 0:
                seen[j] = len(seen)
                o = wanted[j]
                if not up[self.machine[o]] or not self._allowed(j, o, t, ignore_time):
                    j = -1
                    break
                j = self.holder[self.machine[o]]
            if j < 0 or j not in seen:
                continue
            cycle = [x for x, _ in sorted(seen.items(), key=lambda item: item[1])][seen[j]:]
            if not apply:
                return True
            moves = [(x, wanted[x]) for x in cycle]
            for x, _ in moves:
                self.holder[self.machine[self.current[x]]] = -1
            for x, o in moves:
                self._enter(x, o, t)
            return True
        return False

    def _deadlocked(self) -> bool:
        """Plan policies: nothing processing and no allowed move even with every machine up and
        no planned time to wait for."""
        if any(self.current[j] >= 0 and self.remaining[j] > 0 and not self.done[j] for j in range(self.n)):
            return False
        wanted = self._wanted(_INF - 1)
        for j in range(self.n):
            o = wanted[j]
            if o >= 0 and self.holder[self.machine[o]] < 0 and self._allowed(j, o, 0, True):
                return False
        return not self._swap(0, [True] * self.m, ignore_time=True, apply=False)

    # ---- the loop -----------------------------------------------------------------
    def run(self) -> SimulationResult:
        t = min(self.release) if self.release else 0
        events = 0
        while not all(self.done):
            events += 1
            if events > MAX_EVENTS:
                raise SchedkitError(
                    f"simulate: more than {MAX_EVENTS:,} events before every job finished: with "
                    f"p = {self.probability:g} the machines are down almost all the time; "
                    "use a smaller probability or shorter repairs")
            up = [timeline.up(t) for timeline in self.timelines]
            moved = True
            while moved:
                moved = self._finish_and_exit(t)
                moved = self._free_moves(t, up) or moved
                if not moved:
                    moved = self._swap(t, up)
            if all(self.done):
                break
            if self.follow_plan and self._deadlocked():
                self.fallbacks += 1
                self.follow_plan = False
                continue
            t = self._advance(t, up)
        makespan = int(self.end[np.asarray(self.job_ptr[1:]) - 1].max()) if self.n else 0
        # every timeline has been asked about the makespan: all that began before are drawn
        shutdowns = sum(timeline.began_before(makespan) for timeline in self.timelines)
        return SimulationResult(makespan, self.policy, self.seed, shutdowns, self.reschedules,
                                self.fallbacks, self.start, self.end)

    def _advance(self, t: int, up: list[bool]) -> int:
        """Move time to the next event, processing what runs meanwhile; replan at a shutdown
        there under `reschedule`."""
        events = [timeline.next_change(t) for timeline in self.timelines]
        for j in range(self.n):
            if not self.done[j] and self.current[j] >= 0 and self.remaining[j] > 0 \
                    and up[self.machine[self.current[j]]]:
                events.append(t + self.remaining[j])
            if self.current[j] < 0 and self.release[j] > t:
                events.append(self.release[j])
        if self.follow_plan:
            for k in range(self.m):
                if self.plan_pos[k] < len(self.plan_orders[k]):
                    planned = self.planned[self.plan_orders[k][self.plan_pos[k]]]
                    if planned > t:
                        events.append(planned)
        nxt = min(events)
        if nxt >= _INF:
            raise SchedkitError("simulate: no event left before every job finished (a bug)")
        for j in range(self.n):
            o = self.current[j]
            if not self.done[j] and o >= 0 and self.remaining[j] > 0 and up[self.machine[o]]:
                self.remaining[j] -= nxt - t
                if self.remaining[j] == 0:
                    self.end[o] = nxt
                    self.ready_at[j] = nxt
        failed = [k for k, timeline in enumerate(self.timelines)
                  if timeline.down_start == nxt]
        if failed and self.policy == "reschedule" and self.follow_plan:
            self._maybe_replan(nxt)
        return nxt

    def _maybe_replan(self, t: int) -> None:
        limit = int(self.options.get("max_reschedules", 10))
        gap = max(1, self.plan_makespan // max(1, limit))
        if self.reschedules >= limit or t - self.last_replan < gap:
            return
        self.last_replan = t
        self.reschedules += 1
        sub, ops, first = self._remainder(t)
        if sub is None:
            return
        current = self._current_plan_starts(sub, ops, first, t)
        hint = None if current is None else _per_job(sub, current)
        index = {o: i for i, o in enumerate(ops)}
        result = solve(sub, "cpsat", time_limit=float(self.options.get("reschedule_seconds", 1.0)),
                       seed=self.seed, workers=int(self.options.get("workers", 1)), hint=hint,
                       pinned=[index[o] for o in first])
        if result.solution is None:
            return
        new_start = np.array([s for job in result.solution.start for s in job], dtype=np.int64)
        if current is not None and _makespan(sub, current) <= _makespan(sub, new_start):
            new_start = current
        self._set_plan(new_start.tolist(), ops, t, first)
        for k in range(self.m):  # an operation already on its machine is behind us in the order
            j = self.holder[k]
            if j >= 0 and self.plan_orders[k] and self.plan_orders[k][0] == self.current[j]:
                self.plan_pos[k] = 1

    def _remainder(self, t: int) -> tuple[JobShopInstance | None, list[int], list[int]]:
        """The operations left as an instance from time t: per job its current operation (its
        remaining work; blocking: 0 when it only holds the machine) then the rest."""
        jobs, ops, first, release = [], [], [], []
        for j in range(self.n):
            if self.done[j]:
                continue
            o = self.current[j]
            keep_current = o >= 0 and (self.remaining[j] > 0 or self.instance.blocking)
            begin = o if keep_current else (self.job_ptr[j] if o < 0 else o + 1)
            if begin >= self.job_ptr[j + 1]:
                continue
            job = []
            for x in range(begin, self.job_ptr[j + 1]):
                duration = self.remaining[j] if x == o else self.duration[x]
                job.append((self.machine[x], duration))
                ops.append(x)
            if keep_current:
                first.append(o)
            jobs.append(job)
            release.append(max(0, self.ready_at[j] - t) if o < 0 else 0)
        if not jobs:
            return None, [], []
        sub = JobShopInstance.from_jobs(jobs, machines=self.m, release=release,
                                        buffers=self.instance.buffers, name="remainder")
        return sub, ops, first

    def _current_plan_starts(self, sub: JobShopInstance, ops: list[int], first: list[int],
                             t: int) -> np.ndarray | None:
        """The current plan's orders as a schedule of `sub` (None when they deadlock)."""
        index = {o: i for i, o in enumerate(ops)}
        rank = {}
        for k in range(self.m):
            for r, o in enumerate(self.plan_orders[k]):
                rank[o] = r
        key = [(-1 if o in first else rank.get(o, len(ops)), self.planned[o], i) for i, o in enumerate(ops)]
        machine = sub.alt_machine
        seq = np.array(sorted(range(len(ops)), key=lambda i: (int(machine[i]), key[i])), dtype=np.int64)
        counts = np.bincount(machine, minlength=sub.m)
        mach_ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        if sub.blocking:
            return evaluate_orders(sub, seq, mach_ptr)
        start = np.zeros(len(ops), np.int64)
        ready = sub.release_or_zero()[sub.job_of()].copy()
        del index
        placed = np.zeros(len(ops), bool)
        pos = mach_ptr[:-1].copy()
        machine_free = np.zeros(sub.m, np.int64)
        progress = True
        while progress:
            progress = False
            for k in range(sub.m):
                while pos[k] < mach_ptr[k + 1]:
                    i = int(seq[pos[k]])
                    job = int(sub.job_of()[i])
                    if i > sub.job_ptr[job] and not placed[i - 1]:
                        break
                    s = max(int(ready[i]), int(machine_free[k]))
                    start[i] = s
                    placed[i] = True
                    machine_free[k] = s + int(sub.alt_duration[i])
                    if i + 1 < sub.job_ptr[job + 1]:
                        ready[i + 1] = max(int(ready[i + 1]), s + int(sub.alt_duration[i]))
                    pos[k] += 1
                    progress = True
        return start if placed.all() else None


def _per_job(instance: JobShopInstance, start: np.ndarray) -> list[list[int]]:
    ptr = instance.job_ptr.tolist()
    flat = start.tolist()
    return [flat[ptr[j]:ptr[j + 1]] for j in range(instance.n)]


def _makespan(instance: JobShopInstance, start: np.ndarray) -> int:
    return int((start + instance.alt_duration)[instance.job_ptr[1:] - 1].max())


def _seconds(name: str, value: Any) -> float:
    """`value` as a time limit in seconds, else a SchedkitError naming `name` (an argument or flag)."""
    if not is_seconds(value):
        raise SchedkitError(f"{name} must be a positive number of seconds up to {MAX_SECONDS:g}, "
                            f"got {value!r}")
    return float(value)


def simulate(instance: JobShopInstance, policy: str = "mwkr", shutdowns: Shutdowns | float | None = None,
             seed: int = 0, *, plan: Any = None, plan_method: str = "cpsat",
             plan_time_limit: float = 5.0, reschedule_seconds: float = 1.0, max_reschedules: int = 10,
             workers: int = 1) -> SimulationResult:
    """Execute `instance` under random shutdowns with `policy` (see `policies()`); `plan` (a
    Result or JobShopSolution) is what `right-shift` / `reschedule` follow, else it is solved
    with `plan_method` for `plan_time_limit` seconds. Deterministic for a seed (a replan's
    CP-SAT runs under a time limit, so `reschedule` only up to that)."""
    if not isinstance(instance, JobShopInstance):
        raise SchedkitError("simulate takes a job shop instance")
    if instance.flexible:
        raise SchedkitError("simulate: flexible job shops are not supported (one machine per operation)")
    if policy not in policies():
        raise SchedkitError(f"unknown policy {policy!r}; known: {', '.join(policies())}")
    plan_time_limit = _seconds("plan_time_limit", plan_time_limit)
    reschedule_seconds = _seconds("reschedule_seconds", reschedule_seconds)
    for name, value, low, high in (("seed", seed, 0, 2**62), ("max_reschedules", max_reschedules, 0, 10**6),
                                   ("workers", workers, 1, 10_000)):
        if not is_whole(value, low, high):  # seed=2.0 was numpy's TypeError, seed=True taken as 1
            raise SchedkitError(f"{name} must be a whole number from {low:,} to {high:,}, got {value!r}")
    seed, max_reschedules, workers = int(seed), int(max_reschedules), int(workers)
    if not isinstance(plan_method, str):
        raise SchedkitError(f"plan_method must be a method's name (text), got {plan_method!r}")
    plan_start = None
    if policy in PLAN_POLICIES:
        if plan is None:
            plan = solve(instance, plan_method, time_limit=plan_time_limit, seed=seed, workers=workers)
        solution = getattr(plan, "solution", plan)
        if solution is None:
            raise SchedkitError(f"simulate: the plan from {plan_method} has no schedule")
        if not isinstance(solution, JobShopSolution):
            raise SchedkitError(f"simulate: plan must be a job shop Result or JobShopSolution, got "
                                f"{type(solution).__name__}")
        plan_start = np.array([s for job in solution.start for s in job], dtype=np.int64)
        if [len(job) for job in solution.start] != np.diff(instance.job_ptr).tolist():
            raise SchedkitError("simulate: the plan is not a schedule of this instance (its jobs or "
                                "operations differ)")
    options = {"reschedule_seconds": reschedule_seconds, "max_reschedules": max_reschedules,
               "workers": workers}
    return _Run(instance, policy, Shutdowns.of(shutdowns), seed, plan_start, options).run()


def simulation_record(instance: JobShopInstance, policy: str, probability: float, repair: str,
                      seeds: int, plan_method: str = "cpsat", plan_time: float = 5.0,
                      reschedule_seconds: float = 1.0,
                      on_progress: Callable[[str], None] | None = None,
                      gantt: str | Path | None = None) -> dict[str, Any]:
    """`schedkit simulate`'s runs as a JSON-ready record: one plan (plan policies), then `seeds`
    runs, each seed's makespan, shutdowns, replans and hand-overs, and the makespans' mean,
    sample standard deviation, min and max. `on_progress` hears what is under way ("planning
    with cpsat", "3 of 20 seeds run"); `gantt`, a path, gets seed 0's run drawn (`simulation_gantt`)."""
    def tell(text: str) -> None:
        if on_progress is not None:
            on_progress(text)

    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= MAX_SEEDS:
        raise SchedkitError(f"--seeds must be a whole number from 1 to {MAX_SEEDS:,}, got {seeds!r}")
    low, sep, high = repair.partition("-") if isinstance(repair, str) else ("", "", "")
    if not sep or not all(x.strip().isascii() and x.strip().isdigit() for x in (low, high)):
        # isdigit alone took '²', which int() refuses: an internal error, exit 3
        raise SchedkitError(f"--repair {repair!r}: expected LOW-HIGH, two positive integers")
    shutdowns = Shutdowns(probability, int(low), int(high))
    plan_time = _seconds("--plan-time", plan_time)
    reschedule_seconds = _seconds("--reschedule-seconds", reschedule_seconds)
    lookup("jobshop", plan_method)  # an unknown --plan-method is named even when no plan is made
    plan = None
    if policy in PLAN_POLICIES:
        tell(f"planning with {plan_method}")
        plan = solve(instance, plan_method, time_limit=plan_time, seed=0, workers=1)
    runs = []
    tell(f"0 of {seeds} seeds run")
    for seed in range(seeds):
        runs.append(simulate(instance, policy, shutdowns, seed, plan=plan,
                             reschedule_seconds=reschedule_seconds))
        if gantt is not None and seed == 0:
            simulation_gantt(instance, runs[-1], shutdowns, gantt)
        tell(f"{seed + 1} of {seeds} seeds run")
    values = np.array([r.makespan for r in runs], dtype=float)
    return {
        "instance": instance.name, "policy": policy, "shutdown": probability,
        "repair": [shutdowns.repair_low, shutdowns.repair_high], "seeds": seeds,
        "mean": round(float(values.mean()), 3),
        "std": round(float(values.std(ddof=1)), 3) if seeds > 1 else 0.0,
        "min": int(values.min()), "max": int(values.max()),
        "makespans": [r.makespan for r in runs], "shutdowns": [r.shutdowns for r in runs],
        "reschedules": [r.reschedules for r in runs], "fallbacks": [r.fallbacks for r in runs],
        "plan": None if plan is None else {"method": plan_method, "objective": plan.objective,
                                           "status": plan.status, "measure": instance.objective},
    }


def summary_line(record: dict[str, Any]) -> str:
    """One line for people: the makespans' mean, spread and range over the seeds (and the plan)."""
    plan = record["plan"]
    measure = "" if plan is None or plan.get("measure", "makespan") == "makespan" else f"{plan['measure']} "
    planned = "" if plan is None else f", plan {measure}{plan['objective']} ({plan['method']})"
    low, high = record["repair"]
    return (f"{record['instance']}: {record['policy']}, p={record['shutdown']:g}, repair U{{{low}..{high}}}, "
            f"{record['seeds']} seeds: makespan mean {record['mean']:.1f}, std {record['std']:.1f}, "
            f"min {record['min']}, max {record['max']}{planned}")


def simulation_summary(instance: JobShopInstance, policy: str, probability: float, repair: str,
                       seeds: int, plan_method: str = "cpsat", plan_time: float = 5.0,
                       reschedule_seconds: float = 1.0,
                       on_progress: Callable[[str], None] | None = None) -> str:
    """`simulation_record`'s runs as `summary_line`'s one line."""
    return summary_line(simulation_record(instance, policy, probability, repair, seeds, plan_method,
                                          plan_time, reschedule_seconds, on_progress))
