"""Batch normalisation: standardise each feature over the batch, then rescale and shift."""

from __future__ import annotations

import numpy as np

from glassnet._checks import as_float_array, check_positive_int, check_probability
from glassnet.layers.base import Layer


class BatchNorm(Layer):
    r"""Batch normalisation (Ioffe and Szegedy, 2015) over feature axis 1.

    Training mode, with batch mean $\mu$ and (biased) variance $\sigma^2$:

    $$ \hat{x} = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad y = \gamma \hat{x} + \beta $$

    and the running statistics move towards the batch ones,
    $\mu_{run} \leftarrow (1 - m)\,\mu_{run} + m\,\mu$ (the variance likewise, with the
    unbiased batch variance), as in PyTorch with ``momentum`` $m = 0.1$. Evaluation mode
    uses the running statistics instead. Backward in training mode, with $N$ values per
    feature and $g = \gamma\,\partial L / \partial y$ (``gamma * dout``):

    $$ \frac{\partial L}{\partial x} = \frac{1}{N\sqrt{\sigma^2 + \epsilon}}
       \Bigl(N g - \textstyle\sum g - \hat{x} \sum g\,\hat{x}\Bigr) $$

    Parameters
    ----------
    n : int
        Number of features (channels).
    momentum : float
        Weight of the newest batch in the running statistics.
    eps : float
        Added to the variance to avoid dividing by zero.

    Notes
    -----
    Shapes: input ``(batch, n)`` or ``(batch, n, H, W)`` (statistics per channel over batch
    and space); output the same. ``params["gamma"]``, ``params["beta"]`` and the running
    statistics in ``state`` are ``(n,)``.
    """

    def __init__(self, n: int, momentum: float = 0.1, eps: float = 1e-5) -> None:
        super().__init__()
        self.n = check_positive_int(n, "n", "BatchNorm")
        self.momentum = check_probability(momentum, "momentum", "BatchNorm", allow_one=True)
        self.eps = float(eps)
        self.reset(None)

    @property
    def name(self) -> str:
        return f"BatchNorm({self.n})"

    def config(self) -> dict:
        return {"n": self.n, "momentum": self.momentum, "eps": self.eps}

    def reset(self, rng) -> None:
        dtype = self.params["gamma"].dtype if self.params else np.float64
        self.params = {"gamma": np.ones(self.n, dtype), "beta": np.zeros(self.n, dtype)}
        self.grads = {key: np.zeros_like(val) for key, val in self.params.items()}
        self.state = {"running_mean": np.zeros(self.n, dtype),
                      "running_var": np.ones(self.n, dtype)}
        self.cache = {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = as_float_array(x, f"{self.name}.forward", ndim=(2, 4),
                           dtype=self.params["gamma"].dtype)
        if x.shape[1] != self.n:
            raise ValueError(f"{self.name}.forward: expected {self.n} features on axis 1, "
                             f"got shape {x.shape}")
        axes, shape = self._axes(x)
        if training:
            mean, var = x.mean(axis=axes), x.var(axis=axes)
            self._update_running(mean, var, x.size // self.n)
        else:
            mean, var = self.state["running_mean"], self.state["running_var"]
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean.reshape(shape)) * inv_std.reshape(shape)
        self.cache.update(x_hat=x_hat, inv_std=inv_std, training=training)
        return self.params["gamma"].reshape(shape) * x_hat + self.params["beta"].reshape(shape)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x_hat, inv_std = self._cached("x_hat"), self._cached("inv_std")
        axes, shape = self._axes(dout)
        self.grads["gamma"] += np.sum(dout * x_hat, axis=axes)
        self.grads["beta"] += np.sum(dout, axis=axes)
        g = dout * self.params["gamma"].reshape(shape)
        if not self.cache["training"]:
            return g * inv_std.reshape(shape)  # The statistics are constants in eval mode.
        N = dout.size // self.n
        g_sum = np.sum(g, axis=axes).reshape(shape)
        gx_sum = np.sum(g * x_hat, axis=axes).reshape(shape)
        return (N * g - g_sum - x_hat * gx_sum) * (inv_std.reshape(shape) / N)

    def _update_running(self, mean, var, N: int) -> None:
        m = self.momentum
        unbiased = var * (N / max(N - 1, 1))
        self.state["running_mean"] = (1 - m) * self.state["running_mean"] + m * mean
        self.state["running_var"] = (1 - m) * self.state["running_var"] + m * unbiased

    @staticmethod
    def _axes(x) -> tuple[tuple, tuple]:
        """Axes to reduce over (all but axis 1) and the shape that broadcasts ``(n,)`` on axis 1."""
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        return axes, shape
