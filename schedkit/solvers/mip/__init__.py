"""solvers mip methods."""
