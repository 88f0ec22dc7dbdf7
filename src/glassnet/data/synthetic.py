"""Small, seeded two-dimensional datasets for the lessons and figures.

Every generator takes ``seed`` (an int, or a ``numpy.random.Generator`` that it draws from and
advances) and returns ``X`` of shape ``(n, 2)`` in float64 with integer labels ``y`` of shape
``(n,)`` in int64; ``make_regression_1d`` returns ``X`` of shape ``(n, 1)`` and float ``y``.
Classes are balanced: their sizes differ by at most one. Unless ``shuffle=False`` the rows come
in random order, so that the first rows are a fair sample of the whole set.

``noise`` is always the standard deviation of Gaussian noise added to each coordinate (to the
target, for the regression), so ``noise=0`` gives the exact geometry.
"""

from __future__ import annotations

import numpy as np

from glassnet._checks import check_positive_int
from glassnet.data._validate import as_generator, check_nonneg, check_pos

__all__ = ["make_xor", "make_blobs", "make_moons", "make_circles", "make_spirals",
           "make_regression_1d", "make_ring"]


def _balanced_labels(n: int, num_classes: int) -> np.ndarray:
    """Labels ``0, 1, ..., num_classes - 1, 0, 1, ...``: class sizes differ by at most one."""
    return np.arange(n, dtype=np.int64) % num_classes


def _finish(X, y, noise: float, rng: np.random.Generator, shuffle: bool):
    """Add Gaussian noise of standard deviation ``noise`` to ``X`` and shuffle the rows."""
    X = X + noise * rng.standard_normal(X.shape)
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return np.ascontiguousarray(X, dtype=np.float64), y


def make_xor(n: int = 200, noise: float = 0.1, seed=0, shuffle: bool = True):
    r"""Points around the four corners of the unit square, labelled by exclusive or.

    $$y = x_1 \oplus x_2, \qquad (x_1, x_2) \in \{0, 1\}^2$$

    Rows cycle through the corners $(0,0), (0,1), (1,0), (1,1)$, so
    ``make_xor(4, noise=0, shuffle=False)`` is exactly the XOR truth table.

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int or numpy.random.Generator
        Source of randomness.
    shuffle : bool
        Return the rows in random order.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64 in {0, 1}
    """
    where = "make_xor"
    n = check_positive_int(n, "n", where)
    noise = check_nonneg(noise, "noise", where)
    rng = as_generator(seed, where)
    corner = _balanced_labels(n, 4)
    bits = np.stack([corner // 2, corner % 2], axis=1)  # (n, 2), the corner's coordinates
    y = bits[:, 0] ^ bits[:, 1]
    return _finish(bits.astype(np.float64), y, noise, rng, shuffle)


def _gaussian_clusters(n, centers, std, rng, shuffle):
    """Draw ``n`` points around ``centers`` of shape ``(k, 2)``, a balanced share per centre."""
    y = _balanced_labels(n, len(centers))
    return _finish(centers[y], y, std, rng, shuffle)


def _ring_centers(k: int, radius: float) -> np.ndarray:
    """``k`` points evenly spaced on a circle of ``radius``, the first one on the x axis."""
    angle = 2 * np.pi * np.arange(k) / k
    return radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)  # (k, 2)


def make_blobs(n: int = 200, centers=3, std: float = 1.0, seed=0, shuffle: bool = True):
    r"""Isotropic Gaussian clusters, one class per centre.

    $$x \sim \mathcal{N}(\mu_y, \sigma^2 I)$$

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    centers : int or array_like of shape (k, 2)
        Either the number of clusters, placed evenly on a circle of radius 4 around the
        origin, or their centres.
    std : float
        Standard deviation $\sigma$ of each cluster, above 0.
    seed : int or numpy.random.Generator
        Source of randomness.
    shuffle : bool
        Return the rows in random order.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64 in {0, ..., k - 1}
    """
    where = "make_blobs"
    n = check_positive_int(n, "n", where)
    std = check_pos(std, "std", where)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        mu = _ring_centers(check_positive_int(centers, "centers", where), 4.0)
    else:
        mu = np.asarray(centers, dtype=np.float64)
        if mu.ndim != 2 or mu.shape[1] != 2 or len(mu) == 0 or not np.isfinite(mu).all():
            raise ValueError(f"{where}: expected centers to be an int >= 1 or a finite array "
                             f"of shape (k, 2), got shape {mu.shape}")
    return _gaussian_clusters(n, mu, std, as_generator(seed, where), shuffle)


def make_ring(n: int = 1000, n_modes: int = 8, radius: float = 2.0, std: float = 0.02,
              seed=0, shuffle: bool = True):
    r"""A ring of ``n_modes`` narrow Gaussians, the classic test of mode collapse in GANs.

    $$x \sim \mathcal{N}\big(r(\cos\tfrac{2\pi k}{K}, \sin\tfrac{2\pi k}{K}), \sigma^2 I\big),
    \qquad k = y \in \{0, \dots, K - 1\}$$

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    n_modes : int
        Number $K$ of Gaussians on the ring.
    radius : float
        Radius $r$ of the ring, above 0.
    std : float
        Standard deviation $\sigma$ of each Gaussian, above 0.
    seed : int or numpy.random.Generator
        Source of randomness.
    shuffle : bool
        Return the rows in random order.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64, the mode each point was drawn from
    """
    where = "make_ring"
    n = check_positive_int(n, "n", where)
    mu = _ring_centers(check_positive_int(n_modes, "n_modes", where),
                       check_pos(radius, "radius", where))
    std = check_pos(std, "std", where)
    return _gaussian_clusters(n, mu, std, as_generator(seed, where), shuffle)


def make_moons(n: int = 200, noise: float = 0.1, seed=0, shuffle: bool = True):
    r"""Two interleaving half circles of radius 1.

    $$y = 0: (\cos t, \sin t), \qquad y = 1: (1 - \cos t, \tfrac12 - \sin t),
    \qquad t \sim \mathcal{U}[0, \pi]$$

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int or numpy.random.Generator
        Source of randomness.
    shuffle : bool
        Return the rows in random order.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64 in {0, 1}
    """
    where = "make_moons"
    n = check_positive_int(n, "n", where)
    noise = check_nonneg(noise, "noise", where)
    rng = as_generator(seed, where)
    y = _balanced_labels(n, 2)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)  # (n, 2)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)  # (n, 2)
    X = np.where(y[:, None] == 0, upper, lower)
    return _finish(X, y, noise, rng, shuffle)


def make_circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, seed=0,
                 shuffle: bool = True):
    r"""Two concentric circles: radius 1 for class 0, radius ``factor`` for class 1.

    $$x = r_y(\cos t, \sin t), \qquad r_0 = 1,\ r_1 = \text{factor},
    \qquad t \sim \mathcal{U}[0, 2\pi)$$

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    factor : float
        Radius of the inner circle, strictly between 0 and 1.
    seed : int or numpy.random.Generator
        Source of randomness.
    shuffle : bool
        Return the rows in random order.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64 in {0, 1}
    """
    where = "make_circles"
    n = check_positive_int(n, "n", where)
    noise = check_nonneg(noise, "noise", where)
    if not check_pos(factor, "factor", where) < 1:
        raise ValueError(f"{where}: expected factor strictly between 0 and 1, got {factor!r}")
    rng = as_generator(seed, where)
    y = _balanced_labels(n, 2)
    t = rng.uniform(0.0, 2 * np.pi, size=n)
    r = np.where(y == 0, 1.0, factor)
    X = r[:, None] * np.stack([np.cos(t), np.sin(t)], axis=1)  # (n, 2)
    return _finish(X, y, noise, rng, shuffle)


def make_spirals(n: int = 300, n_classes: int = 2, noise: float = 0.05, turns: float = 1.0,
                 seed=0, shuffle: bool = True):
    r"""Interleaved spiral arms, one per class, growing from the origin to radius 1.

    $$x = t(\cos\theta, \sin\theta), \qquad
    \theta = \frac{2\pi y}{K} + 2\pi \cdot \text{turns} \cdot t, \qquad t \sim \mathcal{U}[0, 1]$$

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    n_classes : int
        Number $K$ of arms.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    turns : float
        How many full turns each arm makes, above 0.
    seed : int or numpy.random.Generator
        Source of randomness.
    shuffle : bool
        Return the rows in random order.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64 in {0, ..., K - 1}
    """
    where = "make_spirals"
    n = check_positive_int(n, "n", where)
    k = check_positive_int(n_classes, "n_classes", where)
    noise = check_nonneg(noise, "noise", where)
    turns = check_pos(turns, "turns", where)
    rng = as_generator(seed, where)
    y = _balanced_labels(n, k)
    t = rng.uniform(0.0, 1.0, size=n)
    theta = 2 * np.pi * y / k + 2 * np.pi * turns * t
    X = t[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)  # (n, 2)
    return _finish(X, y, noise, rng, shuffle)


def make_regression_1d(n: int = 100, noise: float = 0.1, seed=0):
    r"""Noisy samples of one period of a sine wave, for fitting a curve.

    $$y = \sin(\pi x) + \varepsilon, \qquad x \sim \mathcal{U}[-1, 1],
    \qquad \varepsilon \sim \mathcal{N}(0, \text{noise}^2)$$

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float
        Standard deviation of the noise added to the target.
    seed : int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    X : ndarray of shape (n, 1), float64, in random order
    y : ndarray of shape (n,), float64; use y[:, None] for a model with one output
    """
    where = "make_regression_1d"
    n = check_positive_int(n, "n", where)
    noise = check_nonneg(noise, "noise", where)
    rng = as_generator(seed, where)
    X = rng.uniform(-1.0, 1.0, size=(n, 1))
    y = np.sin(np.pi * X[:, 0]) + noise * rng.standard_normal(n)
    return X, y
