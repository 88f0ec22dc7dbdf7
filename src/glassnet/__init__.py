"""Glassnet: a small, tested NumPy neural-network library behind a visual guide."""

from glassnet import (
    activations,
    callbacks,
    gradcheck,
    init,
    layers,
    losses,
    metrics,
    optimizers,
)
from glassnet.model import History, Sequential
from glassnet.networks import mlp

__version__ = "0.1.0"

__all__ = [
    "History", "Sequential", "activations", "callbacks", "gradcheck", "init", "layers",
    "losses", "metrics", "mlp", "optimizers",
]
