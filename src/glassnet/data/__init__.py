"""Datasets for the lessons: seeded toy problems, the UCI digits, MNIST, English prose for
language models, and preprocessing.

Generators return ``X`` float64 ``(n, 2)`` and int64 labels ``y`` ``(n,)``; the image loaders
return float64 pixels scaled to ``[0, 1]``.
"""

from glassnet.data.digits import load_digits
from glassnet.data.mnist import load_mnist, read_idx
from glassnet.data.preprocessing import one_hot, standardize, train_test_split
from glassnet.data.synthetic import (
    make_blobs,
    make_circles,
    make_moons,
    make_regression_1d,
    make_ring,
    make_spirals,
    make_xor,
)
from glassnet.data.text import load_text

__all__ = [
    "make_xor", "make_blobs", "make_moons", "make_circles", "make_spirals",
    "make_regression_1d", "make_ring",
    "train_test_split", "one_hot", "standardize",
    "load_digits", "load_mnist", "read_idx", "load_text",
]
