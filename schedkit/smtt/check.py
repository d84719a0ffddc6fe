"""SMTT checker: the sequence is a permutation of the jobs; Σ w·T recomputed in Python ints."""

from __future__ import annotations

from typing import Any


def check(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """Return (recomputed objective or None, violations) for `{"sequence": [...]}`."""
    if not isinstance(data, dict) or "sequence" not in data:
        return None, ['the solution has no "sequence" field']
    sequence = data["sequence"]
    if not isinstance(sequence, list | tuple):
        return None, ['"sequence" must be a list of job indices']
    n = instance.n
    violations: list[str] = []
    seen: dict[int, int] = {}
    for position, job in enumerate(sequence):
        if isinstance(job, bool) or not isinstance(job, int):
            violations.append(f"position {position}: {job!r} is not a job index")
            continue
        if not 0 <= job < n:
            violations.append(f"position {position}: job {job} does not exist (jobs are 0..{n - 1})")
            continue
        if job in seen:
            violations.append(f"job {job} appears twice (positions {seen[job]} and {position})")
            continue
        seen[job] = position
    missing = [j for j in range(n) if j not in seen]
    if missing:
        listed = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        violations.append(f"{len(missing)} job(s) missing from the sequence: {listed}")
    if violations:
        return None, violations
    p = [int(x) for x in instance.p]
    d = [int(x) for x in instance.d]
    w = [int(x) for x in instance.w]
    time = 0
    total = 0
    for job in sequence:
        time += p[job]
        total += w[job] * max(0, time - d[job])
    return total, violations
