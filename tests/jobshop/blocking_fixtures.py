"""Hand-made blocking job shops and a brute-force optimum written independently of the kernels."""

from __future__ import annotations

import itertools

from schedkit.jobshop.model import JobShopInstance

# Two jobs crossing two machines: at t = 1 each wants the machine the other holds; only a swap
# lets both move on, giving 2 (without swaps one job must run entirely first: 4).
SWAP_JOBS = [[(0, 1), (1, 1)], [(1, 1), (0, 1)]]
SWAP_OPTIMUM = 2

# A 3 x 3 shop on which the machine orders of the classic SPT schedule deadlock once machines
# are blocked (found by a seeded search); its optimum comes from `brute_force_makespan`.
DEADLOCK_JOBS = [[(1, 1), (0, 5), (2, 4)], [(1, 5), (2, 2), (0, 3)], [(2, 2), (1, 1), (0, 3)]]


def blocking(jobs: list[list[tuple[int, int]]], name: str) -> JobShopInstance:
    """The blocking instance of `jobs`."""
    return JobShopInstance.from_jobs(jobs, name=name, buffers="blocking")


def blocking_makespan(jobs: list[list[tuple[int, int]]], orders: tuple[tuple[tuple[int, int], ...], ...]
                      ) -> int | None:
    """Earliest blocking schedule for machine orders (per machine, (job, k) in order) by
    Bellman-Ford on the alternative graph; None when a positive cycle (deadlock) exists."""
    arcs = []
    for j, job in enumerate(jobs):
        for k in range(len(job) - 1):
            arcs.append(((j, k), (j, k + 1), job[k][1]))
    for order in orders:
        for (ja, ka), b in itertools.pairwise(order):
            if ka + 1 < len(jobs[ja]):
                arcs.append(((ja, ka + 1), b, 0))  # b starts once a's job has moved on
            else:
                arcs.append(((ja, ka), b, jobs[ja][ka][1]))  # a last: once a has ended
    start = {(j, k): 0 for j, job in enumerate(jobs) for k in range(len(job))}
    for _ in range(len(start) + 1):
        changed = False
        for a, b, length in arcs:
            if start[a] + length > start[b]:
                start[b] = start[a] + length
                changed = True
        if not changed:
            return max(start[j, len(job) - 1] + job[-1][1] for j, job in enumerate(jobs))
    return None


def brute_force_makespan(jobs: list[list[tuple[int, int]]], machines: int) -> int:
    """The blocking optimum over every processing order on every machine."""
    on = [[(j, k) for j, job in enumerate(jobs) for k, (m, _) in enumerate(job) if m == machine]
          for machine in range(machines)]
    values = [blocking_makespan(jobs, orders)
              for orders in itertools.product(*(itertools.permutations(ops) for ops in on))]
    return min(v for v in values if v is not None)
