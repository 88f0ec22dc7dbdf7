"""Dropout: identity at test time, inverted scaling and a matching mask in training."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, numerical_gradient, relative_error
from glassnet.layers import Dropout


def test_dropout_is_identity_when_not_training(rng):
    x = rng.standard_normal((4, 5))
    layer = Dropout(0.5, rng=rng)
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_keeps_the_mean_and_drops_a_fraction_p(p, rng):
    x = np.ones((200, 500))
    out = Dropout(p, rng=rng).forward(x, training=True)
    assert abs(np.mean(out == 0) - p) < 0.01
    assert abs(out.mean() - 1.0) < 0.03
    np.testing.assert_allclose(np.unique(out[out > 0]), 1 / (1 - p), rtol=1e-12)


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 5)])
def test_dropout_gradient_matches_finite_differences_with_fixed_mask(shape, rng):
    x, r = rng.standard_normal(shape), rng.standard_normal(shape)
    layer = Dropout(0.4)

    def loss(v):
        layer.rng = np.random.default_rng(3)  # The same mask on every call.
        return np.sum(r * layer.forward(v, training=True))

    loss(x)
    analytic = layer.backward(r)
    assert relative_error(analytic, numerical_gradient(loss, x)) < THRESHOLD


def test_dropout_same_rng_same_mask():
    x = np.ones((3, 8))
    a = Dropout(0.5, rng=np.random.default_rng(1)).forward(x, training=True)
    b = Dropout(0.5, rng=np.random.default_rng(1)).forward(x, training=True)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_dropout_rejects_bad_probability(p):
    with pytest.raises(ValueError, match=r"Dropout: expected p in \[0, 1\)"):
        Dropout(p)
