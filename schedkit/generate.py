"""`schedkit.generate.<family>(..., seed=)`: reproducible random instances."""

from schedkit.instances.generators import smtt

__all__ = ["smtt"]
