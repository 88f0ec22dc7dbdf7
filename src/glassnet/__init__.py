"""Glassnet: a small, tested NumPy neural-network library behind a visual guide."""

__version__ = "0.1.0"
