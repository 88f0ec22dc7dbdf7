r"""The perceptron: one neuron with a step activation, and Rosenblatt's learning rule.

A perceptron answers yes (1) or no (0). It adds up its weighted inputs, adds a bias and
fires when the sum is positive:

$$ \hat{y} = \operatorname{step}(x \cdot w + b) $$

It learns from its mistakes only: after each example it moves the weights by
$\eta\,(y - \hat{y})\,x$, which is zero when the answer was right. When the two classes
can be separated by a straight line (a hyperplane), the rule finds such a line in a finite
number of mistakes (Novikoff, 1962); when they cannot, as for XOR, it never settles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from glassnet._checks import as_float_array, check_positive_int
from glassnet.activations import step


# --8<-- [start:predict]
def perceptron_predict(X, w, b):
    """The perceptron's answer for each row of X: 1 where x . w + b > 0, else 0.

    X has shape (batch, n_in), w has shape (n_in,) and b is a number.
    Returns an array of shape (batch,) holding 0.0 and 1.0.
    """
    X = as_float_array(X, "perceptron_predict", ndim=2, last_dim=np.shape(w)[0])
    z = X @ w + b  # (batch,): one weighted sum per example
    return step(z)
# --8<-- [end:predict]


# --8<-- [start:update]
def perceptron_update(w, b, x, y, lr=1.0):
    r"""One step of the perceptron rule on one example ``x`` with label ``y`` in {0, 1}.

    $$ w \leftarrow w + \eta\,(y - \hat{y})\,x, \qquad b \leftarrow b + \eta\,(y - \hat{y}) $$

    Returns the new ``(w, b)`` and whether the example was a mistake.
    """
    y_hat = float(x @ w + b > 0)
    error = y - y_hat  # +1: should have fired, -1: should not have, 0: right
    return w + lr * error * x, b + lr * error, error != 0
# --8<-- [end:update]


@dataclass
class PerceptronResult:
    """What ``train_perceptron`` returns.

    ``w`` ``(n_in,)`` and ``b`` are the final parameters; ``path`` lists ``(w, b)`` before
    training and after every mistake, so the boundary's journey can be drawn;
    ``mistakes`` counts mistakes per epoch; ``converged`` is True when the last epoch made none.
    """

    w: np.ndarray
    b: float
    path: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)
    converged: bool = False


# --8<-- [start:train]
def train_perceptron(X, y, lr=1.0, num_epochs=100, w=None, b=0.0, rng=None):
    """Run the perceptron rule over ``(X, y)`` until an epoch makes no mistake.

    ``X`` is ``(batch, n_in)``, ``y`` is ``(batch,)`` in {0, 1}; ``w`` defaults to zeros.
    Each epoch visits the examples in a fresh order drawn from ``rng`` (in order if None).
    """
    X, y, num_epochs = _check(X, y, num_epochs)
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=np.float64)
    result = PerceptronResult(w, float(b), path=[(w.copy(), float(b))])
    for _ in range(num_epochs):
        order = np.arange(len(y)) if rng is None else rng.permutation(len(y))
        mistakes = 0
        for i in order:
            w, b, wrong = perceptron_update(w, b, X[i], y[i], lr)
            if wrong:
                mistakes += 1
                result.path.append((w.copy(), float(b)))
        result.mistakes.append(mistakes)
        if mistakes == 0:
            break
    result.w, result.b, result.converged = w, float(b), result.mistakes[-1] == 0
    return result
# --8<-- [end:train]


def _check(X, y, num_epochs):
    where = "train_perceptron"
    X = as_float_array(X, where, ndim=2)
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"{where}: expected labels of shape ({X.shape[0]},), got {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{where}: expected labels in {{0, 1}}, got values {np.unique(y)}")
    return X, y.astype(np.float64), check_positive_int(num_epochs, "num_epochs", where)


__all__ = ["PerceptronResult", "perceptron_predict", "perceptron_update", "train_perceptron"]
