"""Layer normalisation: standardise each example's features, then rescale them."""

from __future__ import annotations

import numpy as np

from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.base import Layer


class LayerNorm(Layer):
    r"""Normalise over the last axis of every position independently (Ba et al., 2016).

    $$ \hat{x} = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad
       y = \gamma \odot \hat{x} + \beta $$

    with $\mu, \sigma^2$ the mean and variance of the ``dim`` features of one position.
    Unlike batch normalisation nothing depends on the other examples, so training and
    inference behave the same and a batch of one is fine. The backward pass is

    $$ \frac{\partial L}{\partial x} = \frac{1}{\sqrt{\sigma^2+\epsilon}}
       \Bigl(g - \overline{g} - \hat{x}\,\overline{g \odot \hat{x}}\Bigr),
       \qquad g = \gamma \odot \delta $$

    where the bars are means over the feature axis.

    Parameters
    ----------
    dim : int
        Size of the last axis.
    eps : float
        Added to the variance so constant rows do not divide by zero.

    Notes
    -----
    Shapes: input ``(..., dim)``, output the same; ``params["gamma"]`` and
    ``params["beta"]`` are ``(dim,)``.
    """

    def __init__(self, dim: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.dim = check_positive_int(dim, "dim", "LayerNorm")
        self.eps = float(eps)
        self.reset(None)

    @property
    def name(self) -> str:
        return f"LayerNorm({self.dim})"

    def config(self) -> dict:
        return {"dim": self.dim, "eps": self.eps}

    def reset(self, rng) -> None:
        dtype = self.params["gamma"].dtype if self.params else np.float64
        self.params = {"gamma": np.ones(self.dim, dtype=dtype),
                       "beta": np.zeros(self.dim, dtype=dtype)}
        self.grads = {key: np.zeros_like(val) for key, val in self.params.items()}
        self.cache = {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = as_float_array(x, f"{self.name}.forward", last_dim=self.dim,
                           dtype=self.params["gamma"].dtype)
        mu = x.mean(axis=-1, keepdims=True)
        inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + self.eps)
        x_hat = (x - mu) * inv_std
        self.cache = {"x_hat": x_hat, "inv_std": inv_std}
        return self.params["gamma"] * x_hat + self.params["beta"]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x_hat, inv_std = self._cached("x_hat"), self.cache["inv_std"]
        axes = tuple(range(dout.ndim - 1))  # every axis but the features
        self.grads["gamma"] += np.sum(dout * x_hat, axis=axes)
        self.grads["beta"] += np.sum(dout, axis=axes)
        g = dout * self.params["gamma"]
        return inv_std * (g - g.mean(axis=-1, keepdims=True)
                          - x_hat * np.mean(g * x_hat, axis=-1, keepdims=True))
