"""The 1,797 handwritten 8x8 digits of the UCI dataset, shipped inside the package.

See ``DIGITS_LICENSE.md`` beside this file for the source, the licence (CC BY 4.0) and the
citation.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = ["load_digits"]

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
    X : ndarray of shape ``(1797, 64)`` or ``(1797, 8, 8)``, float64 in ``[0, 1]``
    y : ndarray of shape ``(1797,)``, int64 digits in ``[0, 9]``
    images : ndarray of shape ``(1797, 8, 8)``, uint8 in ``[0, 16]``
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
