"""Flatten: shapes there and back, and its (trivial) gradient."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, check_layer
from glassnet.layers import Flatten


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (3, 1, 4, 4)])
def test_flatten_gradient_matches_finite_differences(shape, rng):
    assert check_layer(Flatten(), rng.standard_normal(shape), rng)["x"] < THRESHOLD


def test_flatten_shapes(rng):
    layer = Flatten()
    x = rng.standard_normal((5, 2, 3, 4))
    assert layer.forward(x).shape == (5, 24)
    assert layer.backward(np.ones((5, 24))).shape == (5, 2, 3, 4)
    assert layer.output_shape((2, 3, 4)) == (24,)


def test_flatten_keeps_row_major_order():
    x = np.arange(12.0).reshape(2, 2, 3)
    np.testing.assert_array_equal(Flatten().forward(x)[1], np.arange(6.0, 12.0))


def test_flatten_rejects_one_dimensional_input():
    with pytest.raises(ValueError, match=r"Flatten\(\).forward"):
        Flatten().forward(np.ones(3))
