"""Argument checks shared by the dataset functions; each error names the caller."""

from __future__ import annotations

import numpy as np


def as_generator(seed, where: str) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``seed``: an int, a Generator, or None."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"{where}: expected seed to be a non-negative int or a "
                         f"numpy.random.Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def check_nonneg(value, name: str, where: str) -> float:
    """Return ``value`` as a float after checking that it is finite and at least 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"{where}: expected {name} to be a finite number >= 0, got {value!r}")
    return float(value)


def check_pos(value, name: str, where: str) -> float:
    """Return ``value`` as a float after checking that it is finite and above 0."""
    if check_nonneg(value, name, where) == 0:
        raise ValueError(f"{where}: expected {name} to be a finite number > 0, got {value!r}")
    return float(value)


def check_labels(y, where: str, num_classes: int | None = None) -> np.ndarray:
    """Return ``y`` as a 1-D int64 array of class indices in ``[0, num_classes)``."""
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{where}: expected integer class labels, got dtype {y.dtype}")
    if y.ndim != 1:
        raise ValueError(f"{where}: expected labels of shape (n,), got shape {y.shape}")
    if y.size and y.min() < 0:
        raise ValueError(f"{where}: expected labels >= 0, got {y.min()}")
    if num_classes is not None and y.size and y.max() >= num_classes:
        raise ValueError(f"{where}: expected labels in [0, {num_classes}), got {y.max()}")
    return y.astype(np.int64, copy=False)
