"""Running a PuLP model on HiGHS (with a MIP start) or CBC, for every family's `mip` method.

`import_pulp(solver)` checks the backend is there; `new_variable` adds a variable the fast way
PuLP 3.3 offers; `run(pulp, problem, options, solver)` solves and returns the solver's dual
bound (a float, None when it has none) with stats. Set initial values on the variables before
`run` for a warm start (HiGHS takes them as a MIP start, CBC with warmStart).
"""

from __future__ import annotations

import atexit
import os
import re
import tempfile
import threading
import time
import warnings
from typing import Any

import numpy as np

from schedkit.deadline import wait_for_abandoned
from schedkit.errors import SchedkitError, SolverUnavailable
from schedkit.registry import SolveOptions

SOLVERS = ("highs", "cbc")
MAX_MIP_THREADS = 64  # CBC reads `threads` of 100 and more as another mode (100 gave a wrong "optimal"
# 57 on ft06, 1000 an error), and HiGHS with thousands of threads ran ft06 for 20 s instead of 1 s


def mip_threads(workers: int) -> int:
    """The MIP solvers' thread count for `workers`: at most MAX_MIP_THREADS."""
    return max(1, min(int(workers), MAX_MIP_THREADS))
# For integer objectives: a dual bound within this of an integer is that integer. HiGHS and
# CBC stop at a relative gap of 1e-4 by default; an integer objective needs an absolute gap < 1.
ABSOLUTE_GAP = 0.999


def import_pulp(solver: str) -> Any:
    """The pulp module after checking `solver` is known and loadable (SolverUnavailable if not)."""
    if solver not in SOLVERS:
        raise SchedkitError(f"mip: unknown solver {solver!r}; choose one of {', '.join(SOLVERS)}")
    try:
        import pulp
    except ImportError as error:  # pragma: no cover - pulp is a core dependency
        raise SolverUnavailable("mip needs PuLP: pip install pulp") from error
    if solver == "highs":
        try:
            import highspy  # noqa: F401 - checked here to fail with a clear message
        except ImportError as error:
            raise SolverUnavailable("mip with solver='highs' needs highspy") from error
    return pulp


def new_variable(pulp: Any, problem: Any, name: str, **bounds: Any) -> Any:
    """A new variable: `add_variable` where PuLP has it (3.3+), `LpVariable` on older 3.x."""
    add = getattr(problem, "add_variable", None)
    return add(name, **bounds) if add is not None else pulp.LpVariable(name, **bounds)


LEFTOVERS: list[threading.Thread] = []  # HiGHS runs cancelled at a deadline, still ending


def wait_for_leftovers(until: float = float("inf")) -> bool:
    """Let cancelled runs from earlier calls finish before HiGHS runs again (and before the
    interpreter exits: a HiGHS thread alive at exit aborts the process), waiting until `until`
    at most: True when none is left."""
    while LEFTOVERS:
        thread = LEFTOVERS[-1]
        thread.join(None if until == float("inf") else max(0.0, until - time.perf_counter()))
        if thread.is_alive():
            return False
        LEFTOVERS.pop()
    return True


def _at_exit() -> None:
    """Abandoned solves first (one may still cancel a HiGHS run and leave it ending: a later
    wait for leftovers only saw those before it), then every leftover, with no limit."""
    wait_for_abandoned()
    wait_for_leftovers()


atexit.register(_at_exit)  # registered after deadline's own handler, so it runs before it


class RunControl:
    """A HiGHS run seen from another thread: `dual_bound` is the latest MIP dual bound HiGHS
    reported (in its own objective, without PuLP's constant; -inf before the first), and
    `cancel()` makes the run return as at a time limit (its best solution and dual bound stay
    valid), within about 0.1 s."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._highs: Any = None
        self.requested = False
        self.dual_bound = -float("inf")

    def attach(self, highs: Any) -> None:
        """Called with the run's highspy.Highs before it starts."""
        with self._lock:
            highs.HandleUserInterrupt = True
            highs.cbMipInterrupt += self._watch
            self._highs = highs
            if self.requested:
                highs.cancelSolve()

    def _watch(self, event: Any) -> None:
        bound = event.data_out.mip_dual_bound
        if bound > self.dual_bound:
            self.dual_bound = float(bound)

    def cancel(self) -> None:
        """Stop the run (now, or as soon as it starts)."""
        with self._lock:
            self.requested = True
            if self._highs is not None:
                self._highs.cancelSolve()


def _highs_class(pulp: Any, control: RunControl | None = None) -> Any:
    """pulp.HiGHS that loads the variables' initial values as a MIP start before running
    (watched and stopped through `control`)."""

    class HiGHSWithStart(pulp.HiGHS):  # type: ignore[misc, name-defined]
        def buildSolverModel(self, lp: Any) -> None:  # noqa: N802 - PuLP's method name
            """The model in three batched calls (PuLP adds columns, integrality and rows one
            call at a time: about 0.5 s of Python on a 17,000-column model)."""
            _load_model(lp, mip=self.mip)

        def callSolver(self, lp: Any) -> None:  # noqa: N802 - PuLP's method name
            columns = lp.variables()
            values = np.array([v.varValue or 0.0 for v in columns], dtype=np.float64)
            index = np.array([v.index for v in columns], dtype=np.int32)
            lp.solverModel.setSolution(len(columns), index, values)
            # HiGHS keeps one global thread pool per process, sized by the first run; a
            # later run asking for another `threads` fails unless the pool is reset.
            lp.solverModel.resetGlobalScheduler(True)
            if control is not None:
                control.attach(lp.solverModel)
            lp.solverModel.run()

    return HiGHSWithStart


def _load_model(lp: Any, mip: bool) -> None:
    """Pass PuLP problem `lp` to its `solverModel` (a highspy.Highs) in batched calls,
    setting each variable's and constraint's `index` as PuLP's own loader does."""
    import highspy
    from pulp import constants

    inf = highspy.kHighsInf
    sign = -1.0 if lp.sense == constants.LpMaximize else 1.0
    columns = lp.variables()
    count = len(columns)
    cost = np.empty(count, dtype=np.float64)
    lower = np.empty(count, dtype=np.float64)
    upper = np.empty(count, dtype=np.float64)
    integer = []
    for i, var in enumerate(columns):
        var.index = i
        cost[i] = sign * lp.objective.get(var, 0.0)
        lower[i] = -inf if var.lowBound is None else var.lowBound
        upper[i] = inf if var.upBound is None else var.upBound
        if mip and var.cat == constants.LpInteger:
            integer.append(i)
    highs = lp.solverModel
    empty = np.zeros(0, dtype=np.int32)
    highs.addCols(count, cost, lower, upper, 0, empty, empty, np.zeros(0, dtype=np.float64))
    if integer:
        highs.changeColsIntegrality(len(integer), np.array(integer, dtype=np.int32),
                                    np.full(len(integer), highspy.HighsVarType.kInteger))
    rows = list(lp._constraints.values())
    row_lower = np.empty(len(rows), dtype=np.float64)
    row_upper = np.empty(len(rows), dtype=np.float64)
    starts = np.empty(len(rows), dtype=np.int32)
    index: list[int] = []
    value: list[float] = []
    for i, constraint in enumerate(rows):
        constraint.index = i
        starts[i] = len(index)
        for var, coefficient in constraint.items():
            if coefficient != 0:
                index.append(var.index)
                value.append(coefficient)
        low, high = constraint.getLb(), constraint.getUb()
        row_lower[i] = -inf if low is None else low
        row_upper[i] = inf if high is None else high
    if rows:
        highs.addRows(len(rows), row_lower, row_upper, len(index), starts,
                      np.array(index, dtype=np.int32), np.array(value, dtype=np.float64))


def _run_highs(pulp: Any, problem: Any, options: SolveOptions, gap_abs: float,
               control: RunControl | None = None) -> tuple[float | None, dict]:
    """Solve with HiGHS: (dual bound or None, stats)."""
    import highspy

    if not wait_for_leftovers(options.deadline):  # HiGHS has one thread pool: never two runs
        return None, {"solver": "highs", "solver_optimal": False, "solver_has_solution": False,
                      "solver_status": "not started: an earlier HiGHS run was still ending"}
    solver = _highs_class(pulp, control)(
        msg=False,
        timeLimit=options.remaining(),
        threads=mip_threads(options.workers),
        gapRel=0.0,
        gapAbs=gap_abs,
        random_seed=options.seed,
    )
    if not solver.available():
        raise SolverUnavailable("HiGHS cannot be loaded (is highspy installed?)")
    problem.solve(solver)
    highs = problem.solverModel
    info = highs.getInfo()
    status = highs.getModelStatus()
    stats = {
        "solver": "highs",
        "nodes": int(info.mip_node_count),
        "solver_status": highs.modelStatusToString(status),
        "solver_optimal": status == highspy.HighsModelStatus.kOptimal,
        "solver_has_solution": info.primal_solution_status == 2,  # kSolutionStatusFeasible
    }
    bound = float(info.mip_dual_bound)
    if problem.sense == pulp.LpMaximize:  # the loader hands HiGHS the negated objective
        bound = -bound
    return (bound if np.isfinite(bound) else None), stats


def cbc_log_facts(log: str) -> tuple[bool, float | None, int | None]:
    """From a CBC log: (reported optimal, dual bound, enumerated nodes).

    After "Result - Optimal solution found" the bound is the objective CBC prints; after a stop
    on a limit it is the "Lower bound:" line, else the last "best possible" of the progress lines.
    """
    optimal = "Result - Optimal solution found" in log
    bound = None
    if optimal:
        found = re.findall(r"^Objective value:\s+(\S+)", log, re.MULTILINE)
    else:
        found = re.findall(r"^Lower bound:\s+(\S+)", log, re.MULTILINE)
        found = found or re.findall(r"best possible\s+(-?[\d.eE+-]+)", log)
    if found:
        try:
            bound = float(found[-1])
        except ValueError:
            bound = None
    nodes = re.findall(r"Enumerated nodes:\s+(\d+)", log)
    return optimal, bound, int(nodes[-1]) if nodes else None


def _run_cbc(pulp: Any, problem: Any, options: SolveOptions, gap_abs: float) -> tuple[float | None, dict]:
    """Solve with PuLP's CBC, reading the dual bound from its log: (bound, stats)."""
    with tempfile.TemporaryDirectory(prefix="schedkit-cbc-") as folder:
        log_path = os.path.join(folder, "cbc.log")
        remaining = options.remaining()
        with warnings.catch_warnings():  # PuLP 3.3 flags the bundled CBC for removal in 4.0
            warnings.filterwarnings("ignore", "PULP_CBC_CMD is deprecated", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(
                msg=False,
                timeLimit=None if remaining is None else max(0.1, remaining),
                threads=mip_threads(options.workers),
                warmStart=True,
                logPath=log_path,
                gapRel=0.0,
                gapAbs=gap_abs,
                options=[f"randomCbcSeed {options.seed + 1}"],
            )
        if not solver.available():
            raise SolverUnavailable("the CBC binary that PuLP ships cannot be run on this machine")
        failure = None
        try:
            problem.solve(solver)
        except pulp.PulpSolverError as error:  # CBC wrote no solution (stopped before its first)
            failure = " ".join(str(error).split())[:200]
        log = ""
        if os.path.exists(log_path):
            with open(log_path, encoding="utf-8", errors="replace") as handle:
                log = handle.read()
    optimal, bound, nodes = cbc_log_facts(log)
    stats: dict[str, Any] = {"solver": "cbc", "solver_optimal": optimal and failure is None}
    if failure is not None:
        stats["solver_status"] = f"no solution read: {failure}"
        for variable in problem.variables():
            variable.varValue = None  # whatever a half-read solution left is not a solution
    if nodes is not None:
        stats["nodes"] = nodes
    return bound, stats


def run(pulp: Any, problem: Any, options: SolveOptions, solver: str = "highs",
        gap_abs: float = ABSOLUTE_GAP, control: RunControl | None = None) -> tuple[float | None, dict]:
    """Solve `problem` within the options' remaining time and threads: (dual bound, stats).

    `gap_abs` is the absolute optimality gap at which the solver may stop (default: just
    under 1, right for an integer objective); pass 0 for a fractional objective. The bound
    includes the objective's constant term (the solvers never see it), and for a problem
    without integer variables solved to optimality it is the optimal value itself (HiGHS
    reports no MIP dual bound for an LP). `control` (HiGHS only) lets
    another thread watch its dual bound and stop it.
    """
    if solver == "highs":
        bound, stats = _run_highs(pulp, problem, options, gap_abs, control)
    else:
        bound, stats = _run_cbc(pulp, problem, options, gap_abs)
    if not problem.isMIP() and problem.status == pulp.LpStatusOptimal:
        value = pulp.value(problem.objective)
        return (None if value is None else float(value)), stats
    if bound is not None:
        bound += float(problem.objective.constant or 0)
    return bound, stats
