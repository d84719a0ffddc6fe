"""schedkit: exact and heuristic solvers for combinatorial scheduling.

    import schedkit
    instance = schedkit.load("instances/smtt/wt40.txt#7")
    result = schedkit.solve(instance, method="auto", time_limit=10)
    assert schedkit.check(instance, result).feasible
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from schedkit import deprecated, generate
from schedkit.api import solve
from schedkit.checking import CheckReport, check
from schedkit.common import pickling as _pickling  # noqa: F401  (instances pickle: parallel walks)
from schedkit.errors import (
    InvalidInstance,
    InvalidOption,
    ParseError,
    ProblemTooLarge,
    SchedkitError,
    SelectorError,
    SolverUnavailable,
    UnknownMethod,
    UnknownOption,
    UnsupportedInstance,
)
from schedkit.loading import dump, load, load_all
from schedkit.registry import MethodInfo, methods
from schedkit.result import Result

if TYPE_CHECKING:
    from schedkit.dag.model import DAGInstance, DAGSolution
    from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution
    from schedkit.jobshop.model import JobShopInstance, JobShopSolution
    from schedkit.jobshop.simulate import simulate
    from schedkit.pods.model import PodsInstance, PodsSolution
    from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
    from schedkit.serving.model import Server, ServingInstance, ServingSolution
    from schedkit.smtt.model import SMTTInstance, SMTTSolution
    from schedkit.vmr.model import Migration, VMRInstance, VMRSolution

# Each family's Instance and Solution types, imported on first use so that `import schedkit`
# does not load every family package.
_FAMILY_TYPES = {
    "DAGInstance": "dag", "DAGSolution": "dag",
    "GroundStationInstance": "groundstation", "GroundStationSolution": "groundstation",
    "JobShopInstance": "jobshop", "JobShopSolution": "jobshop",
    "PodsInstance": "pods", "PodsSolution": "pods",
    "RCPSPInstance": "rcpsp", "RCPSPSolution": "rcpsp",
    "Server": "serving", "ServingInstance": "serving", "ServingSolution": "serving",
    "SMTTInstance": "smtt", "SMTTSolution": "smtt",
    "Migration": "vmr", "VMRInstance": "vmr", "VMRSolution": "vmr",
}


def __getattr__(name: str) -> Any:
    """A family's Instance or Solution type (or `simulate`, the job-shop execution simulator),
    imported from its package on first access."""
    if name == "simulate":
        return importlib.import_module("schedkit.jobshop.simulate").simulate
    if name in _FAMILY_TYPES:
        return getattr(importlib.import_module(f"schedkit.{_FAMILY_TYPES[name]}.model"), name)
    raise AttributeError(f"module 'schedkit' has no attribute {name!r}")


__version__ = "0.1.0"

deprecated.install()  # `schedkit.model.<family>` for one more release

__all__ = [
    "CheckReport",
    "DAGInstance",
    "DAGSolution",
    "GroundStationInstance",
    "GroundStationSolution",
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
    "Server",
    "ServingInstance",
    "ServingSolution",
    "SolverUnavailable",
    "UnknownMethod",
    "InvalidOption",
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
