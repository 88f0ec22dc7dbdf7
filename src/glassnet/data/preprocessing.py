"""Turning a dataset into what a network trains on: splits, one-hot targets, standard scores."""

from __future__ import annotations

import math

import numpy as np

from glassnet._checks import as_float_array
from glassnet.data._validate import as_generator, check_labels

__all__ = ["train_test_split", "one_hot", "standardize"]


def _test_count(test_size, n: int, where: str) -> int:
    """How many of ``n`` samples go to the test set: a fraction rounded up, or a count."""
    if isinstance(test_size, (float, np.floating)) and 0 < test_size < 1:
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    else:
        raise ValueError(f"{where}: expected test_size to be a fraction in (0, 1) or a "
                         f"count, got {test_size!r}")
    if not 1 <= n_test <= n - 1:
        raise ValueError(f"{where}: expected test_size to leave at least one sample on each "
                         f"side of the split, got {test_size!r} for {n} samples")
    return n_test


def _stratified_test_rows(y: np.ndarray, n_test: int, rng) -> np.ndarray:
    """Pick ``n_test`` rows so that each class keeps its share, up to rounding."""
    classes, counts = np.unique(y, return_counts=True)
    ideal = n_test * counts / len(y)
    take = np.floor(ideal).astype(np.int64)
    # Largest remainders get the rows that rounding down left over, so the total is exact.
    leftover = np.argsort(-(ideal - take), kind="stable")[: n_test - take.sum()]
    take[leftover] += 1
    rows = [rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(classes, take, strict=True)]
    return np.concatenate(rows)


def train_test_split(X, y, test_size=0.2, seed=0, stratify: bool = False):
    r"""Split a dataset at random into a training part and a held-out test part.

    $$n_\text{test} = \lceil \text{test\_size} \cdot n \rceil, \qquad
    n_\text{train} = n - n_\text{test}$$

    Parameters
    ----------
    X : array_like of shape (n, ...)
        Inputs; only the first axis is split.
    y : array_like of shape (n,) or (n, k)
        Targets, kept aligned with ``X``.
    test_size : float or int
        Fraction of the samples in the test set (rounded up), or their number.
    seed : int or numpy.random.Generator
        Source of randomness.
    stratify : bool
        Keep each class's share the same in both parts (``y`` must be integer labels).

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarrays
        Both parts in random order.
    """
    where = "train_test_split"
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"{where}: expected X and y with the same number of samples, "
                         f"got shapes {X.shape} and {y.shape}")
    n_test = _test_count(test_size, len(X), where)
    rng = as_generator(seed, where)
    if stratify:
        test = _stratified_test_rows(check_labels(y, where), n_test, rng)
    else:
        test = rng.permutation(len(X))[:n_test]
    train = np.setdiff1d(np.arange(len(X)), test)
    train, test = rng.permutation(train), rng.permutation(test)
    return X[train], X[test], y[train], y[test]


def one_hot(y, num_classes: int | None = None) -> np.ndarray:
    r"""Encode integer labels as one-hot rows.

    $$Y_{ik} = [\,y_i = k\,]$$

    Parameters
    ----------
    y : array_like of shape (n,), integers in [0, num_classes)
    num_classes : int, optional
        Number of classes $C$; by default ``y.max() + 1``.

    Returns
    -------
    Y : ndarray of shape (n, C), float64
    """
    where = "one_hot"
    y = check_labels(y, where)
    if num_classes is None:
        if y.size == 0:
            raise ValueError(f"{where}: expected at least one label to infer num_classes, "
                             "got an empty array; pass num_classes")
        num_classes = int(y.max()) + 1
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 1:
        raise ValueError(f"{where}: expected num_classes to be an int >= 1, "
                         f"got {num_classes!r}")
    y = check_labels(y, where, num_classes)
    Y = np.zeros((len(y), int(num_classes)))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _check_stat(value, d: int, name: str, where: str) -> np.ndarray:
    """Return a given ``mean`` or ``std`` as a finite array of shape ``(d,)``."""
    arr = as_float_array(value, where, ndim=1, dtype=np.float64)
    if arr.shape != (d,):
        raise ValueError(f"{where}: expected {name} of shape ({d},), got shape {arr.shape}")
    return arr


def standardize(X, mean=None, std=None):
    r"""Shift and scale each feature to mean 0 and standard deviation 1.

    $$\tilde{x}_{ij} = \frac{x_{ij} - \mu_j}{\sigma_j}$$

    A constant feature has $\sigma_j = 0$; it is divided by 1 instead, so it becomes exactly 0
    rather than NaN. Fit on the training set, then pass its ``mean`` and ``std`` for the test set.

    Parameters
    ----------
    X : array_like of shape (n, d)
    mean : array_like of shape (d,), optional
        $\mu$; by default the mean of each column of ``X``.
    std : array_like of shape (d,), optional
        $\sigma$, all above 0; by default the standard deviation of each column of ``X``.

    Returns
    -------
    Xs : ndarray of shape (n, d), float64
    mean : ndarray of shape (d,)
    std : ndarray of shape (d,), with zeros replaced by 1
    """
    where = "standardize"
    X = as_float_array(X, where, ndim=2, dtype=np.float64)
    d = X.shape[1]
    if (mean is None or std is None) and len(X) == 0:
        raise ValueError(f"{where}: expected at least one sample, got shape {X.shape}")
    # A constant column is detected exactly rather than by a tiny std, which rounding in the
    # mean can produce; it is centred on its own value and left unscaled.
    constant = np.all(X == X[:1], axis=0)
    if mean is None:
        mean = np.where(constant, X[0], X.mean(axis=0))
    else:
        mean = _check_stat(mean, d, "mean", where)
    if std is None:
        std = np.where(constant, 1.0, X.std(axis=0))
    else:
        std = _check_stat(std, d, "std", where)
        if not np.all(std > 0):
            raise ValueError(f"{where}: expected std > 0 everywhere, got {std}")
    return (X - mean) / std, mean, std
