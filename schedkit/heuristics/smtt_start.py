"""Warm starts for the exact SMTT methods (best rule improved by iterated dynasearch)."""

from schedkit.heuristics.smtt_search import warm_start

__all__ = ["warm_start"]
