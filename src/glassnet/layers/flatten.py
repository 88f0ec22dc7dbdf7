"""Flatten: reshape each example to a vector, the bridge from images to dense layers."""

from __future__ import annotations

import math

import numpy as np

from glassnet._checks import as_float_array
from glassnet.layers.base import Layer


class Flatten(Layer):
    r"""Reshape ``(batch, d1, d2, ...)`` to ``(batch, d1 * d2 * ...)``; backward reshapes back.

    $$ y_{n, k} = x_{n, i_1, i_2, \dots} \quad \text{with } k \text{ the row-major index} $$
    """

    def output_shape(self, input_shape: tuple) -> tuple:
        return (math.prod(input_shape),)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        x = as_float_array(x, f"{self.name}.forward", ndim=tuple(range(2, 8)))
        self.cache["shape"] = x.shape
        return x.reshape(x.shape[0], -1)  # (batch, features); a view when x is contiguous

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout.reshape(self._cached("shape"))
