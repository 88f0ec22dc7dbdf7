r"""Gradient checking: compare a backward pass against centred finite differences.

A backward pass is easy to get subtly wrong, and nothing raises an error when it is: the
optimizer follows whatever gradient it is given. The cure (CS231n, "gradient checks") is to
perturb every input entry by $\pm\varepsilon$, measure how the loss moves, and compare with
the analytic gradient:

$$ \frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}
   {2\varepsilon} $$

In float64, with the default $\varepsilon$, a correct gradient's relative error falls below
``THRESHOLD``, the one pass mark that glassnet's tests, figures, lessons and pages all use.
``relative_error`` measures a mistake against the largest entry, so a gradient whose largest
mistake is $d$, where the correct gradient's largest entry is $B$, scores between
$d / (2B + d)$ and $d / B$: a mistake of 1% of $B$ scores above $4.9 \times 10^{-3}$, but a
wrong entry that is tiny next to $B$ scores little, so check each parameter separately. Keep
inputs away from kinks (ReLU at 0), where the finite difference straddles two slopes.
"""

from __future__ import annotations

import numpy as np

THRESHOLD = 1e-6  # Relative error below which a float64 gradient counts as correct.


# --8<-- [start:numerical_gradient]
def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    r"""Centred-difference gradient of the scalar function ``f`` at ``x``.

    $$ g_i = \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon} $$

    ``x`` is perturbed **in place**, one entry at a time, and restored afterwards, so ``f`` may
    close over ``x`` (for example a layer's ``params["W"]``) instead of taking it as argument.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : ndarray of float64, any shape
        The point; must be writable.
    eps : float
        Step size.

    Returns
    -------
    ndarray of the same shape as ``x``.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)  # Views: writing them writes x and grad.
    if not np.shares_memory(flat_x, x):
        raise ValueError("numerical_gradient: x must be contiguous so it can be perturbed in place")
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + eps
        f_plus = float(f(x))
        flat_x[i] = old - eps
        f_minus = float(f(x))
        flat_x[i] = old
        flat_g[i] = (f_plus - f_minus) / (2 * eps)
    return grad
# --8<-- [end:numerical_gradient]


# --8<-- [start:relative_error]
def relative_error(a, b, tiny: float = 1e-12) -> float:
    r"""Largest discrepancy between two gradients, relative to their size.

    $$ \operatorname{err}(a, b) = \frac{\max_i |a_i - b_i|}{\max\bigl(\max_i (|a_i| + |b_i|),\,
       \text{tiny}\bigr)} $$

    Dividing by the largest entry rather than entry by entry keeps gradients that are exactly
    zero (dead ReLUs, dropped units) from turning rounding noise into a large error. The
    price: an error in entries much smaller than the largest is scaled down with them.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: shapes differ, {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a) + np.abs(b))), tiny)
    return float(np.max(np.abs(a - b)) / scale)
# --8<-- [end:relative_error]


def check_function(f, f_grad, z, rng: np.random.Generator | None = None) -> float:
    r"""Check an elementwise pair such as ``(sigmoid, sigmoid_grad)`` at ``z``; return the error.

    The scalar loss is a random projection $L = \sum_i r_i f(z)_i$, whose gradient is
    ``r * f_grad(z)``.
    """
    z = np.array(z, dtype=np.float64)
    r = _rng(rng).standard_normal(z.shape)
    numeric = numerical_gradient(lambda v: np.sum(r * f(v)), z)
    return relative_error(r * f_grad(z), numeric)


def check_layer(layer, x, rng: np.random.Generator | None = None,
                training: bool = False, eps: float = 1e-6) -> dict[str, float]:
    r"""Check a layer's backward pass for its input and every parameter.

    The scalar loss is a random projection of the output, $L = \sum_i r_i\, y_i$ with
    $r \sim \mathcal{N}(0, 1)$, so every output entry contributes to the check.

    Parameters
    ----------
    layer : Layer
        In float64. Its forward pass must be deterministic for the given ``training`` flag.
    x : array of shape (batch, ...)
    rng : numpy Generator, optional
        Draws the projection.

    Returns
    -------
    dict mapping ``"x"`` and each parameter name to its relative error.
    """
    x = np.array(x, dtype=np.float64)
    r = _rng(rng).standard_normal(layer.forward(x, training=training).shape)

    def loss(_):
        return np.sum(r * layer.forward(x, training=training))

    layer.zero_grad()
    layer.forward(x, training=training)
    errors = {"x": relative_error(layer.backward(r), numerical_gradient(loss, x, eps))}
    for key, p in layer.params.items():
        errors[key] = relative_error(layer.grads[key], numerical_gradient(loss, p, eps))
    return errors


def check_loss(loss, y_hat, y, eps: float = 1e-6) -> float:
    """Check ``loss.backward()`` against finite differences of ``loss.forward(y_hat, y)``."""
    y_hat = np.array(y_hat, dtype=np.float64)
    loss.forward(y_hat, y)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda v: loss.forward(v, y), y_hat, eps)
    return relative_error(analytic, numeric)


def check_model(model, X, y, training: bool = False, eps: float = 1e-6) -> dict[str, float]:
    """Check the gradient of a compiled model's loss for every parameter of every layer.

    Returns a dict mapping ``"<index>.<Layer>.<param>"`` (e.g. ``"0.Dense(2, 4).W"``) to the
    relative error.
    """
    if model.loss is None:
        raise ValueError("check_model: compile the model first so it has a loss")

    def loss(_):
        return model.loss.forward(model.forward(X, training=training), y)

    model.zero_grad()
    loss(None)
    model.backward(model.loss.backward())
    errors = {}
    for i, layer in enumerate(model.layers):
        for key, p in layer.params.items():
            numeric = numerical_gradient(loss, p, eps)
            errors[f"{i}.{layer.name}.{key}"] = relative_error(layer.grads[key], numeric)
    return errors


def _rng(rng):
    return rng if rng is not None else np.random.default_rng(0)
