"""Activation layers: thin wrappers that put the functions of ``glassnet.activations``
into a network, caching what their derivative needs."""

from __future__ import annotations

import numpy as np

from glassnet import activations as act
from glassnet._checks import as_float_array
from glassnet.layers.base import Layer


class Activation(Layer):
    r"""Apply an elementwise activation $a = f(z)$; backward is $\delta \odot f'(z)$.

    Subclasses set ``fn`` and ``grad`` (a pair from ``glassnet.activations``) and may
    override ``local_grad`` to reuse the cached output instead of recomputing from ``z``.

    Notes
    -----
    Shapes: input and output ``(batch, ...)``, any shape.
    """

    fn = staticmethod(act.relu)
    grad = staticmethod(act.relu_grad)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        z = as_float_array(x, f"{self.name}.forward")
        a = self.fn(z)
        self.cache["z"], self.cache["a"] = z, a
        return a

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self.local_grad()

    def local_grad(self) -> np.ndarray:
        """The elementwise derivative $f'(z)$ at the cached input."""
        return self.grad(self._cached("z"))


class ReLU(Activation):
    r"""ReLU layer, $a = \max(0, z)$."""

    def backward(self, dout: np.ndarray) -> np.ndarray:
        # np.where skips building a float mask and a second product.
        return np.where(self._cached("z") > 0, dout, 0.0)


class Sigmoid(Activation):
    r"""Sigmoid layer, $a = \sigma(z)$; backward uses the cached $a(1 - a)$."""

    fn = staticmethod(act.sigmoid)

    def local_grad(self) -> np.ndarray:
        a = self._cached("a")
        return a * (1.0 - a)


class Tanh(Activation):
    r"""Tanh layer, $a = \tanh z$; backward uses the cached $1 - a^2$."""

    fn = staticmethod(act.tanh)

    def local_grad(self) -> np.ndarray:
        a = self._cached("a")
        return 1.0 - a * a


class GELU(Activation):
    r"""GELU layer (tanh approximation, as PyTorch's ``approximate="tanh"``)."""

    fn = staticmethod(act.gelu)
    grad = staticmethod(act.gelu_grad)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        z = as_float_array(x, f"{self.name}.forward")
        t = act.gelu_tanh(z)   # kept, so that backward does not compute the tanh again
        a = 0.5 * z * (1.0 + t)
        self.cache.update(z=z, a=a, t=t)
        return a

    def local_grad(self) -> np.ndarray:
        return act.gelu_grad(self._cached("z"), self.cache["t"])


class Softplus(Activation):
    r"""Softplus layer, $a = \ln(1 + e^z)$."""

    fn = staticmethod(act.softplus)
    grad = staticmethod(act.softplus_grad)


class Step(Activation):
    r"""Heaviside step layer: its gradient is zero, so nothing below it can learn."""

    fn = staticmethod(act.step)
    grad = staticmethod(act.step_grad)


class LeakyReLU(Activation):
    r"""Leaky ReLU layer with negative slope ``alpha``, $a = z$ for $z > 0$, else $\alpha z$."""

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = float(alpha)

    @property
    def name(self) -> str:
        return f"LeakyReLU({self.alpha:g})"

    def config(self) -> dict:
        return {"alpha": self.alpha}

    def fn(self, z):
        return act.leaky_relu(z, self.alpha)

    def grad(self, z):
        return act.leaky_relu_grad(z, self.alpha)


class ELU(LeakyReLU):
    r"""ELU layer, $a = z$ for $z > 0$, else $\alpha (e^z - 1)$."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha)

    @property
    def name(self) -> str:
        return f"ELU({self.alpha:g})"

    def fn(self, z):
        return act.elu(z, self.alpha)

    def grad(self, z):
        return act.elu_grad(z, self.alpha)


class Softmax(Activation):
    r"""Softmax over the last axis, turning logits into probabilities.

    Backward is the Jacobian-vector product $s \odot (\delta - \sum_j \delta_j s_j)$.
    For classification prefer ``CrossEntropy(from_logits=True)`` on the raw logits: it is
    fused, cheaper and numerically safer than this layer followed by a log.
    """

    fn = staticmethod(act.softmax)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return act._softmax_backward(self._cached("a"), dout)
