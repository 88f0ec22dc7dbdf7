"""Pooling layers: shrink feature maps by taking the maximum or the mean of each window.

Pooling has no parameters. It reuses ``im2col``/``col2im`` from ``glassnet.layers.conv``,
so windows may overlap (``stride < kernel_size``) and the backward pass stays a loop over
kernel offsets only.
"""

from __future__ import annotations

import numpy as np

from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.base import Layer
from glassnet.layers.conv import col2im, conv_output_size, im2col


class _Pool2D(Layer):
    """Shared constructor, shape logic and input checks of the window pooling layers."""

    def __init__(self, kernel_size: int, stride: int | None = None) -> None:
        super().__init__()
        where = type(self).__name__
        self.kernel_size = check_positive_int(kernel_size, "kernel_size", where)
        self.stride = self.kernel_size if stride is None else \
            check_positive_int(stride, "stride", where)

    @property
    def name(self) -> str:
        extra = f", stride={self.stride}" if self.stride != self.kernel_size else ""
        return f"{type(self).__name__}({self.kernel_size}{extra})"

    def config(self) -> dict:
        """Constructor arguments, enough to rebuild the layer."""
        return {"kernel_size": self.kernel_size, "stride": self.stride}

    def output_shape(self, input_shape: tuple) -> tuple:
        c, h, w = input_shape
        k, s = self.kernel_size, self.stride
        return (c, conv_output_size(h, k, s, 0), conv_output_size(w, k, s, 0))

    def _windows(self, x) -> np.ndarray:
        """Check ``x`` and return its windows, shape ``(batch, C, k*k, H_out, W_out)``."""
        where, k = f"{self.name}.forward", self.kernel_size
        x = as_float_array(x, where, ndim=4)
        if x.shape[2] < k or x.shape[3] < k:
            raise ValueError(f"{where}: kernel {k}x{k} is larger than the input "
                             f"{x.shape[2]}x{x.shape[3]} (shape {x.shape})")
        cols = im2col(x, k, k, self.stride)              # (n, c, k, k, h_out, w_out)
        self.cache["x_shape"] = x.shape
        n, c, _, _, h_out, w_out = cols.shape
        return cols.reshape(n, c, k * k, h_out, w_out)

    def _scatter(self, dwindows: np.ndarray) -> np.ndarray:
        """Send window gradients ``(batch, C, k*k, H_out, W_out)`` back to the input."""
        n, c, _, h_out, w_out = dwindows.shape
        k = self.kernel_size
        dcols = dwindows.reshape(n, c, k, k, h_out, w_out)
        return col2im(dcols, self._cached("x_shape"), self.stride)


class MaxPool2D(_Pool2D):
    r"""Keep the largest value of each ``k x k`` window.

    $$ y_{n,c,r,q} = \max_{i,j} x_{n,c,\,rs+i,\,qs+j} $$

    The gradient flows only to the winning input of each window (the first one on ties).
    Notes
    -----
    Shapes: ``(batch, C, H, W)`` to ``(batch, C, H_out, W_out)``.
    """

    # --8<-- [start:maxpool]
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        windows = self._windows(x)                       # (n, c, k*k, h_out, w_out)
        argmax = windows.argmax(axis=2)[:, :, None]      # (n, c, 1, h_out, w_out)
        self.cache["argmax"] = argmax
        self.cache["window_shape"] = windows.shape
        return np.take_along_axis(windows, argmax, axis=2)[:, :, 0]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        argmax = self._cached("argmax")
        dwindows = np.zeros(self.cache["window_shape"], dtype=dout.dtype)
        np.put_along_axis(dwindows, argmax, dout[:, :, None], axis=2)
        return self._scatter(dwindows)
    # --8<-- [end:maxpool]


class AvgPool2D(_Pool2D):
    r"""Average each ``k x k`` window.

    $$ y_{n,c,r,q} = \frac{1}{k^2}\sum_{i,j} x_{n,c,\,rs+i,\,qs+j} $$

    Every input of a window receives $1/k^2$ of its gradient.
    Notes
    -----
    Shapes: ``(batch, C, H, W)`` to ``(batch, C, H_out, W_out)``.
    """

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        windows = self._windows(x)
        self.cache["window_shape"] = windows.shape
        return windows.mean(axis=2)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        shape = self._cached("window_shape")
        dwindows = np.broadcast_to(dout[:, :, None] / shape[2], shape)
        return self._scatter(np.ascontiguousarray(dwindows))


class GlobalAvgPool2D(Layer):
    r"""Average each feature map to a single number: ``(batch, C, H, W)`` to ``(batch, C)``.

    $$ y_{n,c} = \frac{1}{HW}\sum_{h,w} x_{n,c,h,w} $$
    """

    @property
    def name(self) -> str:
        return "GlobalAvgPool2D()"

    def config(self) -> dict:
        """No arguments: the layer has no settings."""
        return {}

    def output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0],)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = as_float_array(x, f"{self.name}.forward", ndim=4)
        self.cache["x_shape"] = x.shape
        return x.mean(axis=(2, 3))

    def backward(self, dout: np.ndarray) -> np.ndarray:
        n, c, h, w = self._cached("x_shape")
        return np.broadcast_to(dout[:, :, None, None] / (h * w), (n, c, h, w)).copy()
