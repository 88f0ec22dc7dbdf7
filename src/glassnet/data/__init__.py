"""Datasets for the lessons: seeded toy problems and sequence tasks, the UCI digits, MNIST,
English prose for language models, and preprocessing.

The two-dimensional generators return ``X`` float64 ``(n, 2)`` and int64 labels ``y``
``(n,)`` (``make_regression_1d``: ``X`` ``(n, 1)`` and float ``y``); the image loaders return
float64 pixels scaled to ``[0, 1]``.
"""

from glassnet.data.digits import digits_split, load_digits
from glassnet.data.mnist import load_mnist, read_idx
from glassnet.data.preprocessing import one_hot, standardize, train_test_split
from glassnet.data.sequences import make_memory_task
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
    "digits_split", "load_digits", "load_mnist", "read_idx", "make_memory_task", "load_text",
]
