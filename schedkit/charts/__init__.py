"""Charts drawn with matplotlib (the `plot` extra): Gantt charts and resource profiles."""
