"""The one random-number convention for numba kernels: an explicit 64-bit state, no global RNG.

A method turns its `seed` into a state with `seed_state` (outside the kernel); kernels thread the
state through `next_random` / `random_below` / `random_unit` and return it, so the same seed gives
the same run on every thread and machine. Outside kernels, use `numpy.random.default_rng(seed)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.numbers import is_whole
from schedkit.errors import InvalidInstance

_MULTIPLIER = np.uint64(6364136223846793005)  # Knuth's MMIX LCG constants
_INCREMENT = np.uint64(1442695040888963407)


def generator_rng(seed: Any) -> np.random.Generator:
    """numpy's default_rng(seed) for an instance generator; InvalidInstance unless `seed` is a
    whole number from 0 to 2^62 (a boolean is none)."""
    if not is_whole(seed, 0, 2**62):
        raise InvalidInstance(f"seed must be a whole number from 0 to 2^62, got {seed!r}")
    return np.random.default_rng(seed)


def seed_state(seed: int) -> np.uint64:
    """A non-zero kernel state from any integer seed (mixed through numpy's SeedSequence)."""
    return np.uint64(np.random.default_rng(seed).integers(1, 2**63))


@njit(cache=True, nogil=True)
def next_random(state):  # pragma: no cover - compiled
    """One LCG step: (new state, 31 random bits as int64). The state is re-typed as uint64 first:
    a state that went through Python comes back as an int, which numba would type as int64."""
    state = np.uint64(state) * _MULTIPLIER + _INCREMENT
    return state, np.int64(state >> np.uint64(33))


@njit(cache=True, nogil=True)
def random_below(state, n):  # pragma: no cover - compiled
    """(new state, an integer uniform in 0..n-1); n must be positive."""
    state, bits = next_random(state)
    return state, bits % n


@njit(cache=True, nogil=True)
def random_unit(state):  # pragma: no cover - compiled
    """(new state, a float uniform in [0, 1))."""
    state, bits = next_random(state)
    return state, bits / 2147483648.0
