"""The fully connected (dense) layer: every input connected to every output."""

from __future__ import annotations

import numpy as np

from glassnet import init as initializers
from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.base import Layer


class Dense(Layer):
    r"""Affine map from ``n_in`` features to ``n_out`` features.

    $$ z = x W + b $$

    Backward, with $\delta = \partial L / \partial z$ (``dout``):

    $$ \frac{\partial L}{\partial W} = x^\top \delta, \qquad
       \frac{\partial L}{\partial b} = \textstyle\sum_{\text{batch}} \delta, \qquad
       \frac{\partial L}{\partial x} = \delta\, W^\top $$

    Parameters
    ----------
    n_in : int
        Number of input features.
    n_out : int
        Number of output features (neurons).
    init : str
        Weight initialiser from ``glassnet.init`` (``"glorot_uniform"``, ``"he_normal"``...).
        Biases start at zero.
    rng : numpy.random.Generator, optional
        Draws the initial weights; ``Sequential(seed=...)`` redraws them from its own.

    Notes
    -----
    Shapes: input ``(batch, n_in)`` (or ``(batch, time, n_in)``), output ``(batch, n_out)``;
    ``params["W"]`` is ``(n_in, n_out)`` and ``params["b"]`` is ``(n_out,)``.
    """

    def __init__(self, n_in: int, n_out: int, init: str = "glorot_uniform", rng=None) -> None:
        super().__init__()
        self.n_in = check_positive_int(n_in, "n_in", "Dense")
        self.n_out = check_positive_int(n_out, "n_out", "Dense")
        self.init = init
        self._init_fn = initializers.get(init)
        self.reset(rng if rng is not None else np.random.default_rng())

    @property
    def name(self) -> str:
        return f"Dense({self.n_in}, {self.n_out})"

    def config(self) -> dict:
        return {"n_in": self.n_in, "n_out": self.n_out, "init": self.init}

    def reset(self, rng: np.random.Generator) -> None:
        dtype = self.params["W"].dtype if self.params else np.float64
        W = self._init_fn((self.n_in, self.n_out), rng)
        self.params = {"W": W.astype(dtype), "b": np.zeros(self.n_out, dtype=dtype)}
        self.grads = {key: np.zeros_like(val) for key, val in self.params.items()}
        self.cache = {}

    def output_shape(self, input_shape: tuple) -> tuple:
        return (*input_shape[:-1], self.n_out)

    # --8<-- [start:forward]
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        W, b = self.params["W"], self.params["b"]
        x = as_float_array(x, f"{self.name}.forward", ndim=(2, 3), last_dim=self.n_in,
                           dtype=W.dtype)
        self.cache["x"] = x
        z = x @ W
        z += b  # In place: saves one temporary array of the output's size.
        return z
    # --8<-- [end:forward]

    # --8<-- [start:backward]
    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.backward_params(dout)
        return dout @ self.params["W"].T

    def backward_params(self, dout: np.ndarray) -> None:
        """Accumulate ``dW`` and ``db`` only; ``Sequential`` calls this for its first layer,
        whose input gradient nobody needs (PyTorch likewise skips inputs without grad)."""
        x2 = self._cached("x").reshape(-1, self.n_in)  # (batch * time, n_in); a view for 2-D
        d2 = dout.reshape(-1, self.n_out)              # (batch * time, n_out)
        self.grads["W"] += x2.T @ d2
        self.grads["b"] += d2.sum(axis=0)
    # --8<-- [end:backward]
