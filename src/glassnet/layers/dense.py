"""The fully connected (dense) layer: every input connected to every output."""

from __future__ import annotations

import numpy as np

from glassnet import init as initializers
from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.base import Layer


class Dense(Layer):
    r"""Affine map from ``n_in`` features to ``n_out`` features.

    $$ Z = X W + b $$

    Backward, with $\delta = \partial L / \partial Z$ (``dZ``, the ``dout`` this layer receives):

    $$ \frac{\partial L}{\partial W} = X^\top \delta, \qquad
       \frac{\partial L}{\partial b} = \textstyle\sum_{\text{batch}} \delta, \qquad
       \frac{\partial L}{\partial X} = \delta\, W^\top $$

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
    Shapes: input ``(batch, n_in)`` (or ``(batch, time, n_in)``), output ``(batch, n_out)``
    (or ``(batch, time, n_out)``);
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
    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Z = X W + b for a batch X of shape (batch, n_in); keeps X for the backward pass."""
        X = self._check_input(X)
        self.cache["X"] = X
        return X @ self.params["W"] + self.params["b"]  # Z, shape (batch, n_out)
    # --8<-- [end:forward]

    # --8<-- [start:backward]
    def backward(self, dZ: np.ndarray) -> np.ndarray:
        """Given dZ = dL/dZ, accumulate dW and db and return dX = dL/dX."""
        self.backward_params(dZ)
        return dZ @ self.params["W"].T  # dX, shape (batch, n_in)

    def backward_params(self, dZ: np.ndarray) -> None:
        """Accumulate dW = X^T dZ and db, the column sums of dZ (one term per example)."""
        # Rows are examples: a sequence batch (batch, time, n) counts every step as one.
        X = self._cached("X").reshape(-1, self.n_in)
        dZ = dZ.reshape(-1, self.n_out)
        self.grads["W"] += X.T @ dZ        # dW
        self.grads["b"] += dZ.sum(axis=0)  # db
    # --8<-- [end:backward]

    def backward_input(self, dZ: np.ndarray) -> np.ndarray:
        """dX = dZ W^T alone, for a frozen layer: no dW, no db."""
        return dZ @ self.params["W"].T

    def _check_input(self, X) -> np.ndarray:
        """X as an array of the layer's dtype, with a clear error for a wrong shape."""
        return as_float_array(X, f"{self.name}.forward", ndim=(2, 3), last_dim=self.n_in,
                              dtype=self.params["W"].dtype)
