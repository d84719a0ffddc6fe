"""Bounded dynamic programming over precedence ideals for 1||Σ wj·Tj (method `bdp`).

`relaxation` holds the time-indexed Lagrangian bound, `ideals` the layered DP over the
down-sets of the dominance order, `method` the registered solver that ties them together.
"""
