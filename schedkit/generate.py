"""`schedkit.generate.<family>(..., seed=)`: reproducible random instances.

Each family lists its generators in its `schedkit.family` record; they are looked up
here by attribute, e.g. `schedkit.generate.smtt(100, tf=0.6, rdd=0.4, seed=1)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schedkit import family as families


def _generators() -> dict[str, Callable[..., Any]]:
    return {name: fn for f in families.all_families().values() for name, fn in f.generators.items()}


def __getattr__(name: str) -> Callable[..., Any]:
    generators = _generators()
    if name not in generators:
        raise AttributeError(f"schedkit.generate has no generator {name!r}; "
                             f"known: {', '.join(sorted(generators))}")
    return generators[name]


def __dir__() -> list[str]:
    return sorted(_generators())
