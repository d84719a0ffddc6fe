"""schedkit: exact and heuristic solvers for combinatorial scheduling.

    import schedkit
    instance = schedkit.load("instances/smtt/wt40.txt#7")
    result = schedkit.solve(instance, method="auto", time_limit=10)
    assert schedkit.check(instance, result).feasible
"""

from schedkit import generate
from schedkit.api import solve
from schedkit.checker import CheckReport, check
from schedkit.errors import (
    InvalidInstance,
    ParseError,
    ProblemTooLarge,
    SchedkitError,
    SelectorError,
    SolverUnavailable,
    UnknownMethod,
    UnknownOption,
    UnsupportedInstance,
)
from schedkit.instances import dump, load, load_all
from schedkit.model.dag import DAGInstance, DAGSolution
from schedkit.model.jobshop import JobShopInstance, JobShopSolution
from schedkit.model.pods import PodsInstance, PodsSolution
from schedkit.model.rcpsp import RCPSPInstance, RCPSPSolution
from schedkit.model.smtt import SMTTInstance, SMTTSolution
from schedkit.model.vmr import Migration, VMRInstance, VMRSolution
from schedkit.registry import MethodInfo, methods
from schedkit.result import Result

__version__ = "0.1.0"

__all__ = [
    "CheckReport",
    "DAGInstance",
    "DAGSolution",
    "InvalidInstance",
    "JobShopInstance",
    "JobShopSolution",
    "MethodInfo",
    "Migration",
    "ParseError",
    "PodsInstance",
    "PodsSolution",
    "ProblemTooLarge",
    "RCPSPInstance",
    "RCPSPSolution",
    "Result",
    "SMTTInstance",
    "SMTTSolution",
    "SchedkitError",
    "SelectorError",
    "SolverUnavailable",
    "UnknownMethod",
    "UnknownOption",
    "UnsupportedInstance",
    "VMRInstance",
    "VMRSolution",
    "__version__",
    "check",
    "dump",
    "generate",
    "load",
    "load_all",
    "methods",
    "solve",
]
