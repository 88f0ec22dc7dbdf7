"""Rebuild ``digits.npz`` from scikit-learn's bundled copy of the UCI digits.

This script is how the shipped file was made; glassnet never runs it, so scikit-learn stays
out of the runtime dependencies. Run it from a checkout with scikit-learn installed::

    python -m glassnet.data.make_digits_npz

The file holds two uint8 arrays: ``images`` of shape ``(1797, 8, 8)`` with pixel counts in
``[0, 16]`` and ``labels`` of shape ``(1797,)`` with digits in ``[0, 9]``, in scikit-learn's
order (which is the order of the UCI file ``optdigits.tes``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("digits.npz")


def convert(out: Path = OUT) -> None:
    """Write ``out`` from ``sklearn.datasets.load_digits`` and check that nothing was lost."""
    from sklearn.datasets import load_digits  # only needed here, never at runtime

    digits = load_digits()
    images = digits.images.astype(np.uint8)  # (1797, 8, 8), pixel counts 0..16
    labels = digits.target.astype(np.uint8)  # (1797,)
    # The cast is lossless only because every pixel is a whole count between 0 and 16.
    assert np.array_equal(images, digits.images) and np.array_equal(labels, digits.target)
    np.savez_compressed(out, images=images, labels=labels)


if __name__ == "__main__":
    convert()
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
