"""Two-dimensional convolution on NCHW images, vectorised with im2col and col2im.

Like every deep-learning framework, ``Conv2D`` computes a *cross-correlation*: the kernel is
slid over the image without being flipped. The trick that makes it fast in NumPy is
``im2col``: copy every receptive field into one column of a matrix, so the whole layer
becomes a single matrix product. ``col2im`` is its adjoint: it adds each column back onto
the pixels it came from, which is exactly what the backward pass needs. Both loop over the
``kh * kw`` kernel offsets only, never over pixels.
"""

from __future__ import annotations

import numpy as np

from glassnet import init as initializers
from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.base import Layer


# --8<-- [start:conv_output_size]
def conv_output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    r"""Output length along one axis: $\lfloor (n + 2p - k) / s \rfloor + 1$."""
    return (size + 2 * padding - kernel) // stride + 1
# --8<-- [end:conv_output_size]


def im2col(x_padded: np.ndarray, kh: int, kw: int, stride: int) -> np.ndarray:
    """Gather every ``kh x kw`` receptive field of a padded image batch.

    Parameters
    ----------
    x_padded : ndarray of shape (batch, channels, H_p, W_p)
    kh : int
        Kernel height.
    kw : int
        Kernel width.
    stride : int

    Returns
    -------
    cols : ndarray of shape (batch, channels, kh, kw, H_out, W_out)
        ``cols[n, c, i, j, r, q] = x_padded[n, c, r * stride + i, q * stride + j]``.
    """
    n, c, hp, wp = x_padded.shape
    h_out, w_out = (hp - kh) // stride + 1, (wp - kw) // stride + 1
    cols = np.empty((n, c, kh, kw, h_out, w_out), dtype=x_padded.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x_padded[:, :, i:i + stride * h_out:stride,
                                        j:j + stride * w_out:stride]
    return cols


def col2im(cols: np.ndarray, padded_shape: tuple, stride: int) -> np.ndarray:
    """Adjoint of ``im2col``: add every column back onto the pixels it was read from.

    Parameters
    ----------
    cols : ndarray of shape (batch, channels, kh, kw, H_out, W_out)
    padded_shape : tuple (batch, channels, H_p, W_p)
    stride : int

    Returns
    -------
    x_padded : ndarray of shape padded_shape
        Pixels covered by several windows receive the sum of their contributions.
    """
    _, _, kh, kw, h_out, w_out = cols.shape
    x_padded = np.zeros(padded_shape, dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            x_padded[:, :, i:i + stride * h_out:stride,
                     j:j + stride * w_out:stride] += cols[:, :, i, j]
    return x_padded


def check_image(x, where: str, channels: int, kh: int, kw: int, padding: int,
                dtype=None) -> np.ndarray:
    """Validate an NCHW batch: rank 4, ``channels`` channels, big enough for the kernel."""
    x = as_float_array(x, where, ndim=4, dtype=dtype)
    if x.shape[1] != channels:
        raise ValueError(f"{where}: expected {channels} input channels (axis 1 of NCHW), "
                         f"got shape {x.shape} with {x.shape[1]}")
    hp, wp = x.shape[2] + 2 * padding, x.shape[3] + 2 * padding
    if hp < kh or wp < kw:
        raise ValueError(f"{where}: kernel {kh}x{kw} is larger than the padded input "
                         f"{hp}x{wp} (input {x.shape[2]}x{x.shape[3]}, padding {padding})")
    return x


class Conv2D(Layer):
    r"""Convolution (cross-correlation) of ``out_channels`` learned kernels over an image batch.

    $$ z_{n,f,r,q} = b_f + \sum_{c,i,j} W_{f,c,i,j}\,
       \tilde{x}_{n,c,\,rs+i,\,qs+j} $$

    where $\tilde{x}$ is the input zero-padded by ``padding`` pixels and $s$ is
    the stride. With ``cols = im2col(x)`` this is one matrix product,
    ``z = W.reshape(out_channels, -1) @ cols``.

    Parameters
    ----------
    in_channels : int
        Channels of the input image.
    out_channels : int
        Number of filters, each producing one feature map.
    kernel_size : int or (int, int)
        Height and width of each filter.
    stride : int
        Step between two windows (default 1).
    padding : int
        Zeros added around each side of the image (default 0: no padding).
    init : str
        Name of a weight initialiser in ``glassnet.init``; He normal suits ReLU networks.
    rng : numpy.random.Generator, optional

    Notes
    -----
    Shapes: input ``(batch, in_channels, H, W)``, output ``(batch, out_channels, H_out,
    W_out)``; ``params["W"]`` is ``(out_channels, in_channels, kh, kw)``, ``params["b"]``
    is ``(out_channels,)``.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride: int = 1,
                 padding: int = 0, init: str = "he_normal", rng=None) -> None:
        super().__init__()
        where = "Conv2D"
        self.in_channels = check_positive_int(in_channels, "in_channels", where)
        self.out_channels = check_positive_int(out_channels, "out_channels", where)
        kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
        self.kernel_size = (check_positive_int(kh, "kernel_size", where),
                            check_positive_int(kw, "kernel_size", where))
        self.stride = check_positive_int(stride, "stride", where)
        if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)) \
                or padding < 0:
            raise ValueError(f"{where}: expected padding to be an integer >= 0, got {padding!r}")
        self.padding = int(padding)
        self.init = init
        self.reset(rng if rng is not None else np.random.default_rng())

    @property
    def name(self) -> str:
        kh, kw = self.kernel_size
        k = kh if kh == kw else (kh, kw)
        extra = f", stride={self.stride}" if self.stride != 1 else ""
        extra += f", padding={self.padding}" if self.padding else ""
        return f"Conv2D({self.in_channels}, {self.out_channels}, {k}{extra})"

    def config(self) -> dict:
        """Constructor arguments, enough to rebuild the layer (weights are stored apart)."""
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": list(self.kernel_size), "stride": self.stride,
                "padding": self.padding, "init": self.init}

    def reset(self, rng: np.random.Generator) -> None:
        kh, kw = self.kernel_size
        shape = (self.out_channels, self.in_channels, kh, kw)
        fan_in, fan_out = self.in_channels * kh * kw, self.out_channels * kh * kw
        dtype = self.params["W"].dtype if self.params else np.float64
        draw = initializers.get(self.init)
        self.params = {"W": draw(shape, rng, fan_in=fan_in, fan_out=fan_out).astype(dtype),
                       "b": np.zeros(self.out_channels, dtype=dtype)}
        self.grads = {key: np.zeros_like(val) for key, val in self.params.items()}
        self.cache = {}

    def output_shape(self, input_shape: tuple) -> tuple:
        _, h, w = input_shape
        kh, kw = self.kernel_size
        return (self.out_channels, conv_output_size(h, kh, self.stride, self.padding),
                conv_output_size(w, kw, self.stride, self.padding))

    # --8<-- [start:conv_forward]
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        kh, kw = self.kernel_size
        W, b, p = self.params["W"], self.params["b"], self.padding
        x = check_image(x, f"{self.name}.forward", self.in_channels, kh, kw, p,
                        dtype=W.dtype)
        x_padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
        cols = im2col(x_padded, kh, kw, self.stride)     # (n, c, kh, kw, h_out, w_out)
        n, h_out, w_out = x.shape[0], cols.shape[4], cols.shape[5]
        cols = cols.reshape(n, -1, h_out * w_out)        # (n, c*kh*kw, h_out*w_out)
        z = W.reshape(self.out_channels, -1) @ cols      # (n, f, h_out*w_out)
        z += b[:, None]
        self.cache = {"cols": cols, "padded_shape": x_padded.shape, "hw": (h_out, w_out)}
        return z.reshape(n, self.out_channels, h_out, w_out)

    # --8<-- [end:conv_forward]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.backward_params(dout)
        return self.backward_input(dout)

    def backward_params(self, dout: np.ndarray) -> None:
        """Accumulate dW and db only (the first layer of a network needs no dx)."""
        cols, W = self._cached("cols"), self.params["W"]
        n, f = dout.shape[:2]
        dout = dout.reshape(n, f, -1)                    # (n, f, h_out*w_out)
        self.grads["b"] += dout.sum(axis=(0, 2))
        # One small product per image, then a sum over the batch: faster than tensordot,
        # which would first copy cols into a transposed layout.
        dW = (dout @ cols.transpose(0, 2, 1)).sum(axis=0)  # (f, c*kh*kw)
        self.grads["W"] += dW.reshape(W.shape)

    def backward_input(self, dout: np.ndarray) -> np.ndarray:
        """dx alone, for a frozen layer: the input gradient through col2im, no dW or db."""
        padded_shape, W, p = self._cached("padded_shape"), self.params["W"], self.padding
        n, f = dout.shape[:2]
        dout = dout.reshape(n, f, -1)                    # (n, f, h_out*w_out)
        dcols = W.reshape(f, -1).T @ dout                # (n, c*kh*kw, h_out*w_out)
        dcols = dcols.reshape(n, self.in_channels, *self.kernel_size, *self.cache["hw"])
        dx_padded = col2im(dcols, padded_shape, self.stride)
        return dx_padded[:, :, p:padded_shape[2] - p, p:padded_shape[3] - p]

