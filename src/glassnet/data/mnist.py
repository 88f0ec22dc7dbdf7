"""Read MNIST from the original IDX files in a folder the user downloaded.

Nothing is downloaded here. The four files (plain or gzipped) are::

    train-images-idx3-ubyte   train-labels-idx1-ubyte     60,000 training digits
    t10k-images-idx3-ubyte    t10k-labels-idx1-ubyte      10,000 test digits

An IDX file starts with a four-byte magic number: two zero bytes, a code for the element type
(``0x08`` for unsigned bytes) and the number of dimensions; then each dimension as a big-endian
32-bit integer; then the elements in row-major order, big-endian. Fashion-MNIST uses the same
format and the same file names, so ``load_mnist`` reads it too.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

__all__ = ["read_idx", "load_mnist"]

MNIST_URLS = ("https://ossci-datasets.s3.amazonaws.com/mnist/ (the mirror torchvision uses)",
              "https://yann.lecun.com/exdb/mnist/ (the original page)")

# Element type codes of the IDX format, with the big-endian NumPy dtype each one stands for.
IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

_PREFIX = {"train": "train", "test": "t10k"}


def _read_bytes(path: Path) -> bytes:
    """Return the file's bytes, decompressing them if they start with the gzip signature."""
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as err:
        raise ValueError(f"read_idx: {path} is a damaged or truncated gzip file ({err})") from err


def read_idx(path) -> np.ndarray:
    r"""Read one IDX file, plain or gzipped, into an array of its stored type and shape.

    $$\text{size} = 4 + 4d + \text{itemsize} \cdot \prod_{k=1}^{d} n_k$$

    Parameters
    ----------
    path : str or Path
        The file; gzip compression is detected from its content, not its name.

    Returns
    -------
    ndarray of shape ``(n_1, ..., n_d)`` in native byte order
        For MNIST, uint8 images ``(n, 28, 28)`` or uint8 labels ``(n,)``.
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4 or data[:2] != b"\x00\x00" or data[2] not in IDX_DTYPES:
        raise ValueError(f"read_idx: {path} is not an IDX file: expected a magic number "
                         f"00 00 <type code> <ndim>, got {data[:4].hex(' ') or 'an empty file'}")
    dtype, ndim = np.dtype(IDX_DTYPES[data[2]]), data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"read_idx: {path} is truncated: expected a header of {header} bytes "
                         f"for {ndim} dimensions, got {len(data)} bytes")
    shape = tuple(int(s) for s in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = header + dtype.itemsize * int(np.prod(shape, dtype=np.int64))
    if len(data) != expected:
        state = "truncated" if len(data) < expected else "longer than its header says"
        raise ValueError(f"read_idx: {path} is {state}: expected {expected} bytes for shape "
                         f"{shape}, got {len(data)}")
    arr = np.frombuffer(data, dtype, offset=header).reshape(shape)
    return arr.astype(dtype.newbyteorder("="))  # a writable copy in native byte order


def _find(folder: Path, kind: str, what: str, ndim: int) -> Path:
    """Locate ``<prefix>-<what>-idx<ndim>-ubyte`` in ``folder``, plain or gzipped."""
    stem = f"{_PREFIX[kind]}-{what}"
    # Some mirrors spell the name with a dot before "idx"; accept both spellings.
    names = [f"{stem}-idx{ndim}-ubyte", f"{stem}.idx{ndim}-ubyte"]
    for name in names:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(
        f"load_mnist: expected {names[0]} or {names[0]}.gz in {folder}, found neither. "
        f"Download the MNIST files from {MNIST_URLS[0]} or {MNIST_URLS[1]} into that folder "
        "(gzipped or not).")


def load_mnist(path, kind: str = "train", flatten: bool = True, dtype=np.float64):
    r"""Load the MNIST training or test digits from a folder, with pixels scaled to $[0, 1]$.

    $$X = \frac{\text{pixel}}{255}, \qquad \text{pixel} \in \{0, 1, \dots, 255\}$$

    Parameters
    ----------
    path : str or Path
        Folder that holds the IDX files (see the module's docstring for their names).
    kind : {"train", "test"}
        Which pair of files to read: ``train-*`` (60,000 digits) or ``t10k-*`` (10,000).
    flatten : bool
        Return each image as a row of pixels instead of a 2-D array.
    dtype : numpy dtype
        float64 (the library's default) or float32, which halves the memory (188 MB instead
        of 376 MB for the training set).

    Returns
    -------
    X : ndarray of shape (n, 784) or (n, 28, 28), in [0, 1]
    y : ndarray of shape (n,), int64 digits in [0, 9]
    """
    where = "load_mnist"
    if kind not in _PREFIX:
        raise ValueError(f"{where}: expected kind 'train' or 'test', got {kind!r}")
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{where}: expected a folder holding the MNIST IDX files, "
                                f"got {folder}, which is not a folder. Download them from "
                                f"{MNIST_URLS[0]} or {MNIST_URLS[1]}.")
    images = read_idx(_find(folder, kind, "images", 3))
    labels = read_idx(_find(folder, kind, "labels", 1))
    _check_pair(images, labels, where)
    X = images.astype(dtype) / 255
    if flatten:
        X = X.reshape(len(X), -1)  # (n, 28, 28) -> (n, 784)
    return X, labels.astype(np.int64)


def _check_pair(images: np.ndarray, labels: np.ndarray, where: str) -> None:
    """Check that images and labels are unsigned bytes, matching in count, digits 0 to 9."""
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(f"{where}: expected images as unsigned bytes of shape (n, rows, cols), "
                         f"got {images.dtype} of shape {images.shape}")
    if labels.dtype != np.uint8 or labels.ndim != 1:
        raise ValueError(f"{where}: expected labels as unsigned bytes of shape (n,), "
                         f"got {labels.dtype} of shape {labels.shape}")
    if len(images) != len(labels):
        raise ValueError(f"{where}: expected as many labels as images, got {len(labels)} "
                         f"labels for {len(images)} images")
    if labels.size and labels.max() > 9:
        raise ValueError(f"{where}: expected labels in [0, 9], got {labels.max()}")
