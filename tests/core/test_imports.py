"""OR-Tools and highspy load together in one process, whichever is imported first."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Each snippet imports its library and solves a one-variable model with it.
CP_SAT = (
    "from ortools.sat.python import cp_model\n"
    "model = cp_model.CpModel(); x = model.NewIntVar(0, 5, 'x'); model.Maximize(x)\n"
    "solver = cp_model.CpSolver(); assert solver.Solve(model) == cp_model.OPTIMAL\n"
    "assert solver.Value(x) == 5"
)
HIGHSPY = (
    "import highspy\n"
    "h = highspy.Highs(); h.setOptionValue('output_flag', False)\n"
    "h.addCol(1.0, 2.0, 7.0, 0, [], []); h.run()\n"
    "assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal\n"
    "assert abs(h.getInfo().objective_function_value - 2.0) < 1e-9"
)


@pytest.mark.parametrize(
    "first, second", [(CP_SAT, HIGHSPY), (HIGHSPY, CP_SAT)], ids=["ortools-first", "highspy-first"]
)
def test_ortools_and_highspy_in_one_process(first, second):
    """ortools 9.15 and highspy 1.15 clash on bundled HiGHS symbols; the pinned pair must not."""
    code = f"{first}\n{second}\nprint('ok')"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
