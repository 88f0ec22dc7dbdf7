r"""Weight initialisers: how to draw the starting weights of a layer.

Every initialiser has the signature ``init(shape, rng, fan_in=None, fan_out=None)`` and
returns a float64 array of ``shape``. For a dense weight matrix of shape ``(n_in, n_out)`` the
fans default to $n_{\text{in}}$ and $n_{\text{out}}$; for other shapes (convolution kernels)
the caller passes them, because the layout decides which axis is which.

The scale matters: Glorot (Xavier) keeps the variance of activations and gradients about
constant through layers whose activation has slope 1 at zero, such as tanh (sigmoid's slope
there is 1/4, so with Glorot weights its gradients still shrink about four times per layer);
He compensates for ReLU zeroing half of its inputs.
"""

from __future__ import annotations

import numpy as np


def zeros(shape, rng=None, fan_in=None, fan_out=None) -> np.ndarray:
    """All zeros: right for biases, wrong for weights (every unit would stay identical)."""
    return np.zeros(shape)


def normal(shape, rng, fan_in=None, fan_out=None, std: float = 0.01) -> np.ndarray:
    r"""Small Gaussian weights, $W_{ij} \sim \mathcal{N}(0, \sigma^2)$ with $\sigma$ = ``std``."""
    return rng.normal(0.0, std, size=shape)


# --8<-- [start:glorot_uniform]
def glorot_uniform(shape, rng, fan_in=None, fan_out=None) -> np.ndarray:
    r"""Glorot (Xavier) uniform initialisation (Glorot and Bengio, 2010).

    $$ W_{ij} \sim U(-a, a), \qquad a = \sqrt{\frac{6}{n_{\text{in}} + n_{\text{out}}}} $$
    """
    fan_in, fan_out = _fans(shape, fan_in, fan_out, "glorot_uniform")
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)
# --8<-- [end:glorot_uniform]


def glorot_normal(shape, rng, fan_in=None, fan_out=None) -> np.ndarray:
    r"""Glorot (Xavier) normal initialisation.

    $$ W_{ij} \sim \mathcal{N}\!\left(0, \frac{2}{n_{\text{in}} + n_{\text{out}}}\right) $$
    """
    fan_in, fan_out = _fans(shape, fan_in, fan_out, "glorot_normal")
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def he_uniform(shape, rng, fan_in=None, fan_out=None) -> np.ndarray:
    r"""He (Kaiming) uniform initialisation for ReLU layers (He et al., 2015).

    $$ W_{ij} \sim U(-a, a), \qquad a = \sqrt{\frac{6}{n_{\text{in}}}} $$
    """
    fan_in, _ = _fans(shape, fan_in, fan_out, "he_uniform")
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


# --8<-- [start:he_normal]
def he_normal(shape, rng, fan_in=None, fan_out=None) -> np.ndarray:
    r"""He (Kaiming) normal initialisation for ReLU layers.

    $$ W_{ij} \sim \mathcal{N}\!\left(0, \frac{2}{n_{\text{in}}}\right) $$
    """
    fan_in, _ = _fans(shape, fan_in, fan_out, "he_normal")
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
# --8<-- [end:he_normal]


INITIALIZERS = {
    "zeros": zeros,
    "normal": normal,
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "xavier_uniform": glorot_uniform,
    "xavier_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
}


def get(name: str):
    """Look up an initialiser by name, e.g. ``get("he_normal")``."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        names = ", ".join(sorted(INITIALIZERS))
        raise ValueError(f"init.get: expected one of {names}, got {name!r}") from None


def _fans(shape, fan_in, fan_out, where: str) -> tuple[int, int]:
    """Fans of a weight array: from ``shape`` for a matrix, else given by the caller."""
    if fan_in is None or fan_out is None:
        if len(shape) != 2:
            raise ValueError(f"{where}: pass fan_in and fan_out for a weight of shape {shape}; "
                             "they can only be inferred for a (n_in, n_out) matrix")
        fan_in = shape[0] if fan_in is None else fan_in
        fan_out = shape[1] if fan_out is None else fan_out
    return int(fan_in), int(fan_out)
