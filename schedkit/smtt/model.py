"""Single-machine total (weighted) tardiness, 1||Σ wj·Tj: instance and solution.

Jobs j = 0..n-1 have an integer processing time p[j] >= 1, an integer due date d[j] (any
sign) and an integer weight w[j] >= 0 (1 when a format gives none). A solution is a
permutation of the jobs processed from time 0 without idle time; the objective is
Σ w[j]·max(0, C[j] - d[j]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common import arguments
from schedkit.common.arrays import integer_array, worst_weighted_sum
from schedkit.common.numbers import MAX_VALUE
from schedkit.errors import InvalidInstance

FAMILY = "smtt"
MAX_JOBS = 1_000_000
# Bounds that keep every completion time far below 2**63; the objective is capped as a whole.
MAX_PROCESSING_TIME = 10**9
MAX_WEIGHT = 10**6
MAX_ABS_DUE_DATE = 10**15
MAX_OBJECTIVE = MAX_VALUE  # Σ w·max(0, Σp − d), the worst any sequence can reach, stays below it


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


@dataclass(frozen=True, eq=False)
class SMTTInstance:
    """n jobs with processing times `p`, due dates `d` and weights `w` (all int64, read-only).

    `name` identifies the instance in tables; `meta` carries what a file says about it
    (e.g. the reference optimum `opt`, generator class `tf`/`rdd`), preserved by `dump`.
    """

    p: np.ndarray
    d: np.ndarray
    w: Any = None  # None means all ones; always an int64 array once built
    name: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    family = FAMILY

    def __post_init__(self) -> None:
        p = integer_array("p", self.p)
        d = integer_array("d", self.d)
        n = p.size
        w = np.ones(n, dtype=np.int64) if self.w is None else integer_array("w", self.w)
        w.setflags(write=False)
        if n == 0:
            raise InvalidInstance("an instance needs at least one job (p is empty)")
        if n > MAX_JOBS:
            raise InvalidInstance(f"{n} jobs is beyond the supported maximum of {MAX_JOBS}")
        if d.size != n:
            raise InvalidInstance(f"d has {d.size} entries but p has {n}: one due date per job")
        if w.size != n:
            raise InvalidInstance(f"w has {w.size} entries but p has {n}: one weight per job")
        if np.any(p < 1):
            j = _first(p < 1)
            raise InvalidInstance(f"p[{j}] = {p[j]}: processing times must be at least 1")
        if np.any(p > MAX_PROCESSING_TIME):
            j = _first(p > MAX_PROCESSING_TIME)
            raise InvalidInstance(f"p[{j}] = {p[j]} exceeds the limit {MAX_PROCESSING_TIME}")
        if np.any(w < 0):
            j = _first(w < 0)
            raise InvalidInstance(f"w[{j}] = {w[j]}: weights must be non-negative")
        if np.any(w > MAX_WEIGHT):
            j = _first(w > MAX_WEIGHT)
            raise InvalidInstance(f"w[{j}] = {w[j]} exceeds the limit {MAX_WEIGHT}")
        if np.any(np.abs(d) > MAX_ABS_DUE_DATE):
            j = _first(np.abs(d) > MAX_ABS_DUE_DATE)
            raise InvalidInstance(f"d[{j}] = {d[j]} exceeds the limit ±{MAX_ABS_DUE_DATE}")
        worst = worst_weighted_sum(w, int(p.sum()), d)
        if worst >= MAX_OBJECTIVE:
            raise InvalidInstance(f"the objective could reach {worst:.3g} (Σ w·max(0, Σp − d)), beyond "
                                  f"the limit 2^62: the solvers' 64-bit arithmetic would overflow")
        object.__setattr__(self, "p", p)
        object.__setattr__(self, "d", d)
        object.__setattr__(self, "w", w)
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "meta", arguments.meta(self.meta))

    @property
    def n(self) -> int:
        """Number of jobs."""
        return int(self.p.size)

    @property
    def weighted(self) -> bool:
        """True when some weight differs from 1 (the instance is 1||Σ wj·Tj, not 1||Σ Tj)."""
        return bool(np.any(self.w != 1))

    def replace(self, **changes: Any) -> SMTTInstance:
        """A new, re-validated instance with some fields changed."""
        fields: dict[str, Any] = {
            "p": self.p, "d": self.d, "w": self.w, "name": self.name, "meta": self.meta,
        }
        fields = arguments.changed(fields, changes, "SMTTInstance")
        return SMTTInstance(**fields)

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON shape (`family`, `name`, `p`, `d`, `w`, `meta`)."""
        return {
            "family": FAMILY,
            "name": self.name,
            "p": self.p.tolist(),
            "d": self.d.tolist(),
            "w": self.w.tolist(),
            "meta": dict(self.meta),
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SMTTInstance):
            return NotImplemented
        return (
            np.array_equal(self.p, other.p)
            and np.array_equal(self.d, other.d)
            and np.array_equal(self.w, other.w)
            and self.name == other.name
            and dict(self.meta) == dict(other.meta)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        kind = "weighted" if self.weighted else "unweighted"
        return f"SMTTInstance(name={self.name!r}, n={self.n}, {kind})"


@dataclass(frozen=True)
class SMTTSolution:
    """A processing order: `sequence[k]` is the 0-based index of the k-th job on the machine."""

    sequence: tuple[int, ...]

    def __init__(self, sequence: Sequence[int] | np.ndarray) -> None:
        object.__setattr__(self, "sequence", arguments.whole_numbers("sequence", sequence))

    def to_dict(self) -> dict[str, Any]:
        """`{"sequence": [job indices, 0-based]}`."""
        return {"sequence": list(self.sequence)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SMTTSolution:
        """Read `{"sequence": [...]}`; raises InvalidInstance when the field is missing or not ints."""
        sequence = data.get("sequence") if isinstance(data, Mapping) else None
        if not isinstance(sequence, list) or not all(
            isinstance(j, int) and not isinstance(j, bool) for j in sequence
        ):
            raise InvalidInstance('an SMTT solution is {"sequence": [job indices, 0-based]}')
        return cls(sequence)
