"""solvers dp methods."""
