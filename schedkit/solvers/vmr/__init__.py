"""Shared pieces of the exact VMR models: the aggregated index sets and the warm start."""
