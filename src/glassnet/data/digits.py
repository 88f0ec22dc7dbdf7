"""The 1,797 handwritten 8x8 digits of the UCI dataset, shipped inside the package.

See ``DIGITS_LICENSE.md`` beside this file for the source, the licence (CC BY 4.0) and the
citation.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from glassnet.data.preprocessing import train_test_split

__all__ = ["digits_split", "load_digits"]

#: Largest pixel value: each pixel counts the inked pixels of a 4x4 block.
DIGITS_MAX = 16


def load_digits(flatten: bool = True, return_images: bool = False):
    r"""Load the UCI handwritten digits, with pixels scaled to $[0, 1]$.

    $$X = \frac{\text{count}}{16}, \qquad \text{count} \in \{0, 1, \dots, 16\}$$

    Like ``load_mnist``, this returns float64 pixels in $[0, 1]$, so the same network code
    works on both.

    Parameters
    ----------
    flatten : bool
        Return each image as a row of 64 pixels (row-major) instead of an 8x8 array.
    return_images : bool
        Also return the raw pixel counts as uint8 images, for plotting.

    Returns
    -------
    X : ndarray of shape (1797, 64) or (1797, 8, 8), float64 in [0, 1]
    y : ndarray of shape (1797,), int64 digits in [0, 9]
    images : ndarray of shape (1797, 8, 8), uint8 in [0, 16]
        Only when ``return_images`` is true.
    """
    source = resources.files("glassnet.data").joinpath("digits.npz")
    with source.open("rb") as f, np.load(f) as archive:
        images, labels = archive["images"], archive["labels"]
    X = images.astype(np.float64) / DIGITS_MAX
    if flatten:
        X = X.reshape(len(X), -1)  # (1797, 8, 8) -> (1797, 64)
    y = labels.astype(np.int64)
    return (X, y, images) if return_images else (X, y)


# --8<-- [start:digits_split]
def digits_split(images: bool = False):
    """The digits cut into training (60%), validation (20%) and test (20%) sets.

    Both cuts are stratified, so every digit keeps its share in every set, and seeded, so
    every page, lesson and test that calls this sees the same three sets.

    Parameters
    ----------
    images : bool
        Return images ``(n, 1, 8, 8)`` (one channel, NCHW, for ``Conv2D``) instead of
        rows of 64 pixels ``(n, 64)``.

    Returns
    -------
    X_train, X_val, X_test, y_train, y_val, y_test
        1,077, 360 and 360 examples.
    """
    X, y = load_digits(flatten=not images)
    if images:
        X = X[:, None]  # (1797, 8, 8) -> (1797, 1, 8, 8)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, seed=0,
                                                      stratify=True)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25,
                                                      seed=1, stratify=True)
    return X_train, X_val, X_test, y_train, y_val, y_test
# --8<-- [end:digits_split]
