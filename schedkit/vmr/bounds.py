"""Lower bounds on Σ_n (free CPU_n mod F) that need no search.

- Residue: Σ_n r_n = Σ_n free_n − F·Σ_n q_n, so every reachable objective is congruent to the
  total free CPU T modulo F (which migrations never change): at least T mod F, and any bound b
  rounds up to the next value of that residue class.
- Migrations: moving a VM with h cores per node changes, for each (source node, destination
  node) pair it touches, Σ r by a multiple of F, and lowers it by at most F (by nothing when
  h is a multiple of F). So K migrations lower the objective by at most the sum of the K
  largest per-VM gains F·(nodes of v)·[h_v mod F ≠ 0].
"""

from __future__ import annotations

import numpy as np

from schedkit.vmr.model import VMRInstance


def round_to_residue(value: int, total_free: int, fragment: int) -> int:
    """The smallest integer >= value congruent to total_free modulo F."""
    return value + (total_free - value) % fragment


def migration_bound(instance: VMRInstance) -> int:
    """max(T mod F, initial − the K largest per-migration gains) (see the module docstring)."""
    fragment = instance.fragment_size
    total = instance.total_free_cpu
    double = instance.vm_node1 >= 0
    half = np.where(double, instance.vm_cpu // 2, instance.vm_cpu)
    gains = np.where(half % fragment != 0, fragment * np.where(double, 2, 1), 0)
    best = np.sort(gains)[::-1][: instance.migration_limit]
    return max(total % fragment, instance.initial_objective - int(best.sum()))
