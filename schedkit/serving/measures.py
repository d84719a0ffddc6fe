"""A serving run's metrics as its users compare policies: job completion times, throughput, cache."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COLUMNS = ("jct_mean", "jct_p50", "jct_p95", "jct_p99", "throughput", "reprefilled_tokens",
           "kv_hit_rate", "gpu_busy_fraction")


def metrics(objective: Any, bound: Any, stats: Mapping[str, Any]) -> dict[str, Any] | None:
    """The simulator's metrics from `stats`; None when a run has none (no simulation ran)."""
    if not all(key in stats for key in COLUMNS):
        return None
    return {key: stats[key] for key in COLUMNS}
