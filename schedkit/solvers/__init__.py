"""solvers methods."""
