"""Branch and bound solvers."""
