"""heuristics methods."""
