"""solvers cpsat methods."""
