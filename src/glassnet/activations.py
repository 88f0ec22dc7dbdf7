r"""Activation functions, each paired with its derivative as a pure function.

Every ``f(z)`` acts elementwise on an array of any shape and ``f_grad(z)`` returns
$f'(z)$ with the same shape, so the chain rule in a layer reads ``dz = dout * f_grad(z)``.
Softmax couples the entries of a row, so instead of an elementwise derivative it comes with
``softmax_grad``, the Jacobian-vector product, and ``softmax_jacobian`` for teaching.

All functions are numerically stable: no overflow and no warning for inputs of $\pm 1000$.
"""

from __future__ import annotations

import numpy as np

GELU_C = float(np.sqrt(2.0 / np.pi))  # The constant sqrt(2/pi) of the tanh approximation of GELU.
GELU_K = 0.044715  # The cubic coefficient of the same approximation.


def step(z):
    r"""Heaviside step, the activation of the original perceptron.

    $$ \operatorname{step}(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases} $$

    Parameters: ``z`` array of any shape. Returns: array of the same shape and dtype.
    """
    z = np.asarray(z)
    return (z > 0).astype(_float_dtype(z))


def step_grad(z):
    r"""Derivative of the step function: zero everywhere it exists, which is why it cannot learn.

    $$ \operatorname{step}'(z) = 0 \quad (z \ne 0) $$
    """
    z = np.asarray(z)
    return np.zeros(z.shape, dtype=_float_dtype(z))


# --8<-- [start:sigmoid]
def sigmoid(z):
    r"""Logistic sigmoid, squashing any real number into $(0, 1)$.

    $$ \sigma(z) = \frac{1}{1 + e^{-z}} $$

    Computed from $e^{-|z|}$, which never overflows, so $\sigma(\pm 1000)$ comes out as
    the nearest float64 (1, and 0 for the negative side) without a warning.
    Parameters: ``z`` array of any shape. Returns: array of the same shape.
    """
    z = _as_float(z)
    e = np.exp(-np.abs(z))  # In (0, 1]: safe for any z.
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    r"""Derivative of the sigmoid.

    $$ \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) $$
    """
    s = sigmoid(z)
    return s * (1.0 - s)
# --8<-- [end:sigmoid]


def tanh(z):
    r"""Hyperbolic tangent, a zero-centred sigmoid with range $(-1, 1)$.

    $$ \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\sigma(2z) - 1 $$
    """
    return np.tanh(_as_float(z))


def tanh_grad(z):
    r"""Derivative of tanh.

    $$ \tanh'(z) = 1 - \tanh^2(z) $$
    """
    t = np.tanh(_as_float(z))
    return 1.0 - t * t


# --8<-- [start:relu]
def relu(z):
    r"""Rectified linear unit.

    $$ \operatorname{ReLU}(z) = \max(0, z) $$
    """
    return np.maximum(_as_float(z), 0.0)


def relu_grad(z):
    r"""Derivative of ReLU; at the kink $z = 0$ we use 0, as PyTorch does.

    $$ \operatorname{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases} $$
    """
    z = _as_float(z)
    return (z > 0).astype(z.dtype)
# --8<-- [end:relu]


def leaky_relu(z, alpha: float = 0.01):
    r"""Leaky ReLU: a small slope $\alpha$ for negative inputs keeps units from dying.

    $$ \operatorname{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases} $$
    """
    z = _as_float(z)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha: float = 0.01):
    r"""Derivative of leaky ReLU.

    $$ \operatorname{LeakyReLU}'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases} $$
    """
    z = _as_float(z)
    return np.where(z > 0, 1.0, alpha).astype(z.dtype)


def elu(z, alpha: float = 1.0):
    r"""Exponential linear unit: smooth, and saturating at $-\alpha$ for negative inputs.

    $$ \operatorname{ELU}(z) = \begin{cases} z & z > 0 \\
       \alpha\,(e^{z} - 1) & z \le 0 \end{cases} $$
    """
    z = _as_float(z)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_grad(z, alpha: float = 1.0):
    r"""Derivative of ELU.

    $$ \operatorname{ELU}'(z) = \begin{cases} 1 & z > 0 \\ \alpha\, e^{z} & z \le 0 \end{cases} $$
    """
    z = _as_float(z)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0))).astype(z.dtype)


def gelu(z):
    r"""Gaussian error linear unit, in its tanh approximation.

    The exact GELU is $z\,\Phi(z)$ with $\Phi$ the standard normal CDF; NumPy has no
    vectorised ``erf``, so glassnet uses the approximation of Hendrycks and Gimpel (2016), the
    same as PyTorch's ``GELU(approximate="tanh")``. It differs from the exact form by less
    than $5 \times 10^{-4}$.

    $$ \operatorname{GELU}(z) \approx \tfrac{1}{2} z \left(1 + \tanh u\right), \qquad
       u = \sqrt{2/\pi}\,\left(z + 0.044715\, z^{3}\right) $$
    """
    z = _as_float(z)
    return 0.5 * z * (1.0 + gelu_tanh(z))


def gelu_tanh(z):
    r"""The $\tanh u$ shared by ``gelu`` and ``gelu_grad``, $u = \sqrt{2/\pi}\,(z +
    0.044715\, z^3)$; ``z * z * z`` is some twenty times faster than ``z ** 3`` in float32."""
    return np.tanh(GELU_C * (z + GELU_K * z * z * z))


def gelu_grad(z, t=None):
    r"""Derivative of the tanh-approximated GELU.

    $$ \operatorname{GELU}'(z) = \tfrac{1}{2}(1 + \tanh u)
       + \tfrac{1}{2} z \,(1 - \tanh^2 u)\,\sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\, z^{2}) $$

    ``t`` is $\tanh u$ if the forward pass kept it (the ``GELU`` layer does); by default it
    is computed from ``z``.
    """
    z = _as_float(z)
    if t is None:
        t = gelu_tanh(z)
    du_dz = GELU_C * (1.0 + 3.0 * GELU_K * z * z)
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * du_dz


def softplus(z):
    r"""Softplus, a smooth ReLU.

    $$ \operatorname{softplus}(z) = \ln(1 + e^{z}) = \max(z, 0) + \ln(1 + e^{-|z|}) $$

    The right-hand form never overflows.
    """
    z = _as_float(z)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_grad(z):
    r"""Derivative of softplus, which is the sigmoid.

    $$ \operatorname{softplus}'(z) = \sigma(z) $$
    """
    return sigmoid(z)


# --8<-- [start:softmax]
def softmax(z, axis: int = -1):
    r"""Softmax along ``axis``: turns a row of scores (logits) into probabilities.

    $$ \operatorname{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}},
       \qquad m = \max_j z_j $$

    Subtracting the maximum changes nothing mathematically and keeps every exponent
    $\le 0$, so nothing overflows. Parameters: ``z`` of shape ``(batch, classes)`` (or any
    shape). Returns: same shape, entries in $[0, 1]$ summing to 1 along ``axis``.
    """
    z = _as_float(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
# --8<-- [end:softmax]


def softmax_grad(z, dout, axis: int = -1):
    r"""Backpropagate ``dout`` through softmax: the Jacobian-vector product.

    With $s = \operatorname{softmax}(z)$ and upstream gradient $\delta$ (``dout``):

    $$ \frac{\partial L}{\partial z_i} = s_i \Bigl(\delta_i - \sum_j \delta_j s_j\Bigr) $$

    Parameters: ``z`` and ``dout`` of the same shape, e.g. ``(batch, classes)``.
    Returns: ``dz`` of that shape. Never forms the ``(classes, classes)`` Jacobian.
    """
    s = softmax(z, axis=axis)
    return _softmax_backward(s, np.asarray(dout), axis)


def softmax_jacobian(z):
    r"""The full Jacobian of softmax for one vector, for teaching and testing.

    $$ J = \operatorname{diag}(s) - s\, s^\top, \qquad
       J_{ii} = \frac{\partial s_i}{\partial z_i} = s_i (1 - s_i), \qquad
       J_{ij} = \frac{\partial s_i}{\partial z_j} = -s_i s_j \ (i \ne j) $$

    Parameters: ``z`` of shape ``(classes,)``. Returns: ``J`` of shape ``(classes, classes)``.
    """
    s = softmax(np.asarray(z).reshape(-1))
    return np.diag(s) - np.outer(s, s)


def _softmax_backward(s, dout, axis: int = -1):
    """The Jacobian-vector product written in terms of the softmax output ``s``."""
    return s * (dout - np.sum(dout * s, axis=axis, keepdims=True))


def _as_float(z) -> np.ndarray:
    """Return ``z`` as a float array, keeping float32 as float32 (no copy when possible)."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def _float_dtype(z: np.ndarray):
    return z.dtype if z.dtype.kind == "f" else np.float64
