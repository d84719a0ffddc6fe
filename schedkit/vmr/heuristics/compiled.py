"""numba compilation of the VMR kernels, counted inside a method's budget (issue 16).

`warm_up()` runs every kernel entry point once on a two-machine cluster, which compiles them
(or loads them from numba's cache) with the argument types real runs use. `ensure_compiled`
does that on a helper thread and waits for it until a deadline: a method whose kernels are
not ready by then returns the plan without migrations (status feasible) instead of overrunning
its time limit, and every method reports the seconds it waited in `stats["compile_seconds"]`.
"""

from __future__ import annotations

import time

from schedkit.common.compile import compile_until
from schedkit.vmr.heuristics import kernels
from schedkit.vmr.heuristics.arrays import build_arrays
from schedkit.vmr.heuristics.search import greedy, lns, realise
from schedkit.vmr.model import VMRInstance

ENTRY_POINTS = (kernels.greedy_fill, kernels.lns_iterations, kernels.objective, kernels.order_final_state)


def _tiny() -> VMRInstance:
    """Two machines of two 16-core NUMA nodes, one VM split over both nodes of pm0."""
    return VMRInstance(
        machine_ids=["pm0", "pm1"], node_machine=[0, 0, 1, 1], node_cpu=[16, 16, 16, 16],
        node_mem=[64, 64, 64, 64], vm_ids=["a", "b", "c", "d"], vm_cpu=[4, 8, 8, 4],
        vm_mem=[8, 8, 8, 8], vm_node0=[0, 0, 2, 3], vm_node1=[-1, 1, -1, -1],
        migration_limit=3, name="warm-up",
    )


def is_compiled() -> bool:
    """True once every kernel entry point has a compiled signature in this process."""
    return all(kernel.signatures for kernel in ENTRY_POINTS)


def warm_up() -> float:
    """Compile (or load from the cache) every VMR kernel now; returns the seconds it took."""
    began = time.perf_counter()
    a = build_arrays(_tiny())
    start = greedy(a)
    lns(a, start, float("inf"), 0, iterations=20)
    realise(a, a.place0.copy())
    return time.perf_counter() - began


def ensure_compiled(deadline: float) -> tuple[bool, float]:
    """(ready, seconds waited): compile the kernels on a helper thread and wait for them until
    `deadline` (a perf_counter value; inf waits as long as it takes). A compilation still
    running at the deadline goes on in the background for the next call."""
    ready, waited = compile_until("vmr", warm_up, deadline, is_compiled)
    return ready, round(waited, 3)
