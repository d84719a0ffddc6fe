"""schedkit: exact and heuristic solvers for combinatorial scheduling.

    import schedkit
    instance = schedkit.load("instances/smtt/wt40.txt#7")
    result = schedkit.solve(instance, method="auto", time_limit=10)
    assert schedkit.check(instance, result).feasible
"""

from schedkit import deprecated, generate
from schedkit.api import solve
from schedkit.checking import CheckReport, check
from schedkit.dag.model import DAGInstance, DAGSolution
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
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.jobshop.simulate import simulate
from schedkit.loading import dump, load, load_all
from schedkit.pods.model import PodsInstance, PodsSolution
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.registry import MethodInfo, methods
from schedkit.result import Result
from schedkit.smtt.model import SMTTInstance, SMTTSolution
from schedkit.vmr.model import Migration, VMRInstance, VMRSolution

__version__ = "0.1.0"

deprecated.install()  # `schedkit.model.<family>` for one more release

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
    "simulate",
    "solve",
]
