r"""Loss functions: a number that says how wrong the predictions are, and its gradient.

Each loss has ``forward(y_hat, y) -> float``, the mean over the batch, and ``backward() ->
dy_hat``, the gradient of that mean with respect to the prediction, computed from what
``forward`` cached. Cross-entropy never returns inf or NaN, however confident and wrong the
prediction: probabilities are clipped, and logits go through a log-sum-exp.
"""

from __future__ import annotations

import numpy as np

from glassnet._checks import as_float_array
from glassnet.activations import sigmoid

# Probabilities are clipped to [EPS, 1 - EPS] before a log, as Keras does. At a clipped entry
# the gradient with respect to the probability is taken at the clip value, so it stays
# finite; but once it passes back through a saturated sigmoid or softmax it is practically
# zero, so a confident mistake is barely corrected. Pass logits (from_logits=True) instead.
EPS = 1e-7


def logsumexp(z, axis: int = -1):
    r"""Stable $\ln \sum_j e^{z_j}$ along ``axis``, keeping that axis with size 1.

    $$ \operatorname{LSE}(z) = m + \ln \sum_j e^{z_j - m}, \qquad m = \max_j z_j $$
    """
    m = np.max(z, axis=axis, keepdims=True)
    return m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


# --8<-- [start:softmax_cross_entropy]
def softmax_cross_entropy(logits, y):
    r"""Softmax followed by cross-entropy, fused: the loss of a classifier and its gradient.

    With $p = \operatorname{softmax}(z)$ and targets $y$ (one-hot rows, or integer
    labels $c_n$), over a batch of $N$:

    $$ L = -\frac{1}{N} \sum_n \sum_k y_{nk} \ln p_{nk}
         = \frac{1}{N} \sum_n \Bigl(\operatorname{LSE}(z_n) - z_{n c_n}\Bigr), \qquad
       \frac{\partial L}{\partial z} = \frac{p - y}{N} $$

    Working on logits avoids $\ln 0$: the loss stays finite for any logits.

    Parameters
    ----------
    logits : array of shape (batch, classes)
    y : int array of shape (batch,) with labels in [0, classes), or float array of
        shape ``(batch, classes)`` with rows that sum to 1.

    Returns
    -------
    (loss, dlogits) : float and array of shape ``(batch, classes)``
    """
    z = as_float_array(logits, "softmax_cross_entropy", ndim=2)
    y = class_targets(y, z.shape, "softmax_cross_entropy")
    N = z.shape[0]
    log_p = z - logsumexp(z)
    p = np.exp(log_p)
    if y.ndim == 1:
        rows = np.arange(N)
        loss = -np.sum(log_p[rows, y]) / N
        p[rows, y] -= 1.0
        return float(loss), p / N
    loss = -np.sum(y * log_p) / N
    return float(loss), (p * y.sum(axis=1, keepdims=True) - y) / N
# --8<-- [end:softmax_cross_entropy]


def class_targets(y, shape: tuple, where: str) -> np.ndarray:
    """Validate classification targets for predictions of ``shape`` ``(batch, classes)``.

    Returns integer labels ``(batch,)`` unchanged, or one-hot / probability targets
    ``(batch, classes)`` as floats; raises naming ``where`` for anything else.
    """
    y = np.asarray(y)
    N, C = shape
    if y.ndim == 1:
        if y.dtype.kind not in "iu":
            raise TypeError(f"{where}: expected integer class labels of shape ({N},), got dtype "
                            f"{y.dtype}; pass labels as ints, or one-hot targets of shape "
                            f"({N}, {C})")
        if y.shape[0] != N:
            raise ValueError(f"{where}: expected {N} labels, got {y.shape[0]}")
        if y.size and (y.min() < 0 or y.max() >= C):
            raise ValueError(f"{where}: labels must be in [0, {C}), "
                             f"got values from {y.min()} to {y.max()}")
        return y
    if y.shape != (N, C):
        raise ValueError(f"{where}: expected labels of shape ({N},) or one-hot targets of "
                         f"shape ({N}, {C}), got shape {y.shape}")
    return as_float_array(y, where)


def match_shape(y, y_hat: np.ndarray, where: str) -> np.ndarray:
    """Return targets with the shape of ``y_hat``, accepting ``(batch,)`` for ``(batch, 1)``.

    Without this check ``(batch, 1) - (batch,)`` would broadcast to ``(batch, batch)``.
    """
    y = as_float_array(y, where, dtype=y_hat.dtype)
    if y.shape != y_hat.shape and y.ndim == 1 and y_hat.shape == (y.shape[0], 1):
        y = y.reshape(-1, 1)  # (batch,) -> (batch, 1)
    if y.shape != y_hat.shape:
        raise ValueError(f"{where}: expected targets of shape {y_hat.shape}, got {y.shape}")
    return y


class Loss:
    """Base class: ``forward`` caches the gradient, ``backward`` returns it."""

    def __init__(self) -> None:
        self.cache: dict = {}

    @property
    def name(self) -> str:
        return type(self).__name__ + "()"

    def backward(self) -> np.ndarray:
        try:
            return self.cache["dy_hat"]
        except KeyError:
            raise RuntimeError(f"{self.name}.backward: call forward before backward") from None

    def __repr__(self) -> str:
        return self.name


# --8<-- [start:mse]
class MSE(Loss):
    r"""Mean squared error over every entry, as PyTorch's ``MSELoss`` and Keras' ``mse``.

    $$ L = \frac{1}{N n_{\text{out}}} \sum_{n, j} (\hat{y}_{nj} - y_{nj})^2, \qquad
       \frac{\partial L}{\partial \hat{y}} = \frac{2 (\hat{y} - y)}{N n_{\text{out}}} $$

    Notes
    -----
    Shapes: ``y_hat`` ``(batch, n_out)``; ``y`` the same (or ``(batch,)`` when
    ``n_out = 1``).
    """

    def forward(self, y_hat, y) -> float:
        y_hat = as_float_array(y_hat, f"{self.name}.forward", ndim=(1, 2))
        diff = y_hat - match_shape(y, y_hat, f"{self.name}.forward")
        self.cache["dy_hat"] = (2.0 / diff.size) * diff
        return float(np.mean(diff * diff))
# --8<-- [end:mse]


class BinaryCrossEntropy(Loss):
    r"""Binary cross-entropy for yes/no targets $y \in \{0, 1\}$ (or in $[0, 1]$).

    On probabilities $p = \hat{y}$ (clipped to $[10^{-7}, 1 - 10^{-7}]$):

    $$ L = -\frac{1}{N n_{\text{out}}} \sum_{n, j} \bigl(y_{nj} \ln p_{nj}
         + (1 - y_{nj}) \ln(1 - p_{nj})\bigr), \qquad
       \frac{\partial L}{\partial p} = \frac{1}{N n_{\text{out}}}\,\frac{p - y}{p (1 - p)} $$

    The mean is over every entry: $N$ examples with $n_{\text{out}}$ outputs each, and
    $n_{\text{out}} = 1$ for the usual shapes ``(batch, 1)`` and ``(batch,)``, where it is the
    mean over the batch. With ``from_logits=True`` the prediction is the logit $z$ and the
    loss is fused with the sigmoid, $\ln(1 + e^{z}) - y z$ per entry, with gradient
    $(\sigma(z) - y)/(N n_{\text{out}})$. At a clipped entry the gradient is taken at the
    clip value, a deliberate stand-in: the clipped loss itself is flat there. Shapes:
    ``(batch, n_out)`` or ``(batch,)``.
    """

    def __init__(self, from_logits: bool = False) -> None:
        super().__init__()
        self.from_logits = bool(from_logits)

    @property
    def name(self) -> str:
        return f"BinaryCrossEntropy(from_logits={self.from_logits})"

    def forward(self, y_hat, y) -> float:
        where = f"{self.name}.forward"
        y_hat = as_float_array(y_hat, where, ndim=(1, 2))
        y = match_shape(y, y_hat, where)
        if self.from_logits:
            z = y_hat  # softplus(z) - y z, written so that exp never overflows.
            losses = np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))
            self.cache["dy_hat"] = (sigmoid(z) - y) / z.size
        else:
            p = np.clip(y_hat, EPS, 1.0 - EPS)
            losses = -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
            self.cache["dy_hat"] = (p - y) / (p * (1.0 - p)) / p.size
        return float(np.mean(losses))


class CrossEntropy(Loss):
    r"""Categorical cross-entropy for one-of-$C$ classification.

    With ``from_logits=True`` (the default) ``y_hat`` holds raw scores and the loss is
    ``softmax_cross_entropy``, gradient $(p - y)/N$. With ``from_logits=False`` it
    holds probabilities (after a ``Softmax`` layer), clipped before the log:

    $$ L = -\frac{1}{N} \sum_n \sum_k y_{nk} \ln \hat{y}_{nk}, \qquad
       \frac{\partial L}{\partial \hat{y}} = -\frac{1}{N}\,\frac{y}{\hat{y}} $$

    Notes
    -----
    Shapes: ``y_hat`` ``(batch, classes)``; ``y`` integer labels ``(batch,)`` or one-hot
    ``(batch, classes)``.
    """

    def __init__(self, from_logits: bool = True) -> None:
        super().__init__()
        self.from_logits = bool(from_logits)

    @property
    def name(self) -> str:
        return f"CrossEntropy(from_logits={self.from_logits})"

    def forward(self, y_hat, y) -> float:
        where = f"{self.name}.forward"
        y_hat = as_float_array(y_hat, where, ndim=2)
        if self.from_logits:
            loss, self.cache["dy_hat"] = softmax_cross_entropy(y_hat, y)
            return loss
        y = class_targets(y, y_hat.shape, where)
        if y.ndim == 1:
            y = one_hot_like(y, y_hat)
        p = np.maximum(y_hat, EPS)  # Only the lower end matters for the log.
        N = y_hat.shape[0]
        self.cache["dy_hat"] = -y / p / N
        return float(-np.sum(y * np.log(p)) / N)


def one_hot_like(labels: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """One-hot rows ``(batch, classes)`` for integer ``labels``, in the dtype of ``y_hat``."""
    out = np.zeros_like(y_hat)
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


LOSSES = {
    "mse": MSE,
    "mean_squared_error": MSE,
    "binary_crossentropy": BinaryCrossEntropy,
    "bce": BinaryCrossEntropy,
    "crossentropy": CrossEntropy,
    "cross_entropy": CrossEntropy,
    "categorical_crossentropy": CrossEntropy,
    "sparse_categorical_crossentropy": CrossEntropy,
}


def get(loss) -> Loss:
    """Return ``loss`` if it is a ``Loss``, else build one by name (``"mse"``...).

    The multi-class names (``"crossentropy"``, ``"cross_entropy"``,
    ``"categorical_crossentropy"``, ``"sparse_categorical_crossentropy"``) build
    ``CrossEntropy()``, which expects logits (it applies the
    softmax itself) and takes integer labels or one-hot rows alike. Keras' losses of the same
    names expect probabilities: a model that ends in a ``Softmax`` layer must not use them
    here. ``"binary_crossentropy"`` builds ``BinaryCrossEntropy()``, which expects
    probabilities, as in Keras; pass ``BinaryCrossEntropy(from_logits=True)`` for logits.
    """
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str) and loss.lower() in LOSSES:
        return LOSSES[loss.lower()]()
    raise ValueError(f"losses.get: expected a Loss or one of {', '.join(LOSSES)}, got {loss!r}")


__all__ = ["BinaryCrossEntropy", "CrossEntropy", "Loss", "MSE", "get", "logsumexp",
           "softmax_cross_entropy"]
