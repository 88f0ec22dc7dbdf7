"""Input validation shared by every public function and layer.

Each check raises an error whose message names the caller, what it expected and what it got,
so that a reader who passes the wrong array learns what to fix.
"""

from __future__ import annotations

import numpy as np


def as_float_array(x, where: str, *, ndim: int | tuple[int, ...] | None = None,
                   last_dim: int | None = None, dtype=None) -> np.ndarray:
    """Return ``x`` as a floating-point array after checking rank, feature size and finiteness.

    Parameters
    ----------
    x : array_like
        The input to check.
    where : str
        Name of the caller, used in the error message, e.g. ``"Dense(2, 4).forward"``.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    last_dim : int, optional
        Required size of the last axis (the feature axis).
    dtype : numpy dtype, optional
        Floating dtype to cast to; by default float64 unless ``x`` is already float32.
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{where}: expected a numeric array, got dtype {arr.dtype}")
    if dtype is None:
        dtype = arr.dtype if arr.dtype in (np.float32, np.float64) else np.float64
    arr = arr.astype(dtype, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(str(n) for n in allowed)
            raise ValueError(f"{where}: expected an array with {want} dimensions, "
                             f"got shape {arr.shape} ({arr.ndim} dimensions)")
    if last_dim is not None and (arr.ndim == 0 or arr.shape[-1] != last_dim):
        raise ValueError(f"{where}: expected {last_dim} features on the last axis, "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(f"{where}: input contains {bad}; clean or rescale the data first")
    return arr


def check_positive_int(value, name: str, where: str) -> int:
    """Return ``value`` as an int, raising if it is not an integer of at least 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{where}: expected {name} to be an integer >= 1, got {value!r}")
    return int(value)


def check_probability(value, name: str, where: str, *, allow_one: bool = False) -> float:
    """Return ``value`` as a float in [0, 1) (or [0, 1] with ``allow_one``)."""
    upper_ok = value <= 1 if allow_one else value < 1
    if not (isinstance(value, (int, float, np.floating)) and 0 <= value and upper_ok):
        bound = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(f"{where}: expected {name} in {bound}, got {value!r}")
    return float(value)
