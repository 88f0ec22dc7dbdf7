"""Inverted dropout: randomly silence units while training, do nothing at test time."""

from __future__ import annotations

import numpy as np

from glassnet._checks import as_float_array, check_probability
from glassnet.layers.base import Layer


class Dropout(Layer):
    r"""Zero each input with probability ``p`` during training and rescale the survivors.

    $$ y = \frac{m \odot x}{1 - p}, \qquad m_i \sim \operatorname{Bernoulli}(1 - p) $$

    Dividing by $1 - p$ ("inverted" dropout) keeps the expected activation unchanged, so
    at test time (``training=False``) the layer is the identity. Backward applies the same
    scaled mask: $\partial L / \partial x = m \odot \delta / (1 - p)$.

    Parameters
    ----------
    p : float in [0, 1)
        Drop probability.
    rng : numpy.random.Generator, optional
        Draws the masks; ``Sequential(seed=...)`` hands it the model's generator.

    Notes
    -----
    Shapes: input and output ``(batch, ...)``.
    """

    def __init__(self, p: float = 0.5, rng=None) -> None:
        super().__init__()
        self.p = check_probability(p, "p", "Dropout")
        self.rng = rng if rng is not None else np.random.default_rng()

    @property
    def name(self) -> str:
        return f"Dropout({self.p:g})"

    def config(self) -> dict:
        return {"p": self.p}

    def reset(self, rng: np.random.Generator) -> None:
        self.rng = rng

    # --8<-- [start:dropout_forward]
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = as_float_array(x, f"{self.name}.forward")
        if not training or self.p == 0.0:
            self.cache["mask"] = None
            return x
        keep = self.rng.random(x.shape, dtype=x.dtype) >= self.p
        mask = keep.astype(x.dtype)
        mask *= 1.0 / (1.0 - self.p)
        self.cache["mask"] = mask
        return x * mask
    # --8<-- [end:dropout_forward]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        mask = self._cached("mask")
        return dout if mask is None else dout * mask
