"""Dense: shapes, the affine map, gradient checks, accumulation and bad input."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, check_layer
from glassnet.layers import Dense


@pytest.mark.parametrize(("n_in", "n_out", "batch"), [(1, 1, 1), (3, 5, 4), (7, 2, 9)])
def test_dense_gradients_match_finite_differences(n_in, n_out, batch, rng):
    layer = Dense(n_in, n_out, rng=rng)
    layer.params["b"] = rng.standard_normal(n_out)  # Nonzero, so b enters the check.
    errors = check_layer(layer, rng.standard_normal((batch, n_in)), rng)
    assert max(errors.values()) < THRESHOLD


def test_dense_gradients_for_sequence_input(rng):
    errors = check_layer(Dense(3, 2, rng=rng), rng.standard_normal((2, 4, 3)), rng)
    assert max(errors.values()) < THRESHOLD


def test_dense_forward_is_x_at_w_plus_b(rng):
    layer = Dense(3, 2, rng=rng)
    layer.params["b"][:] = [1.0, -1.0]
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["W"] + [1.0, -1.0],
                               rtol=0, atol=1e-14)


def test_dense_shapes_and_parameter_count(rng):
    layer = Dense(784, 10, rng=rng)
    assert layer.params["W"].shape == (784, 10)
    assert layer.params["b"].shape == (10,)
    assert layer.num_params() == 7850
    assert layer.output_shape((784,)) == (10,)


def test_dense_backward_accumulates_gradients(rng):
    layer, x = Dense(3, 2, rng=rng), rng.standard_normal((4, 3))
    dout = rng.standard_normal((4, 2))
    layer.forward(x)
    layer.backward(dout)
    once = layer.grads["W"].copy()
    layer.backward(dout)
    np.testing.assert_allclose(layer.grads["W"], 2 * once, rtol=1e-14)
    layer.zero_grad()
    assert not layer.grads["W"].any()


def test_dense_same_rng_seed_same_weights():
    a = Dense(4, 3, rng=np.random.default_rng(7))
    b = Dense(4, 3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.params["W"], b.params["W"])


def test_dense_float32_stays_float32(rng):
    layer = Dense(3, 2, rng=rng).astype(np.float32)
    out = layer.forward(rng.standard_normal((4, 3)))
    assert out.dtype == np.float32
    assert layer.backward(np.ones((4, 2), np.float32)).dtype == np.float32
    assert layer.grads["W"].dtype == np.float32


@pytest.mark.parametrize(("x", "error", "match"), [
    (np.zeros((2, 4)), ValueError, r"Dense\(3, 2\).forward: expected 3 features"),
    (np.zeros(3), ValueError, "expected an array with 2 or 3 dimensions"),
    (np.array([[1.0, np.nan, 0.0]]), ValueError, "NaN"),
    (np.array([[1.0, np.inf, 0.0]]), ValueError, "infinity"),
    (np.array([["a", "b", "c"]]), TypeError, "numeric"),
])
def test_dense_rejects_bad_input(x, error, match, rng):
    with pytest.raises(error, match=match):
        Dense(3, 2, rng=rng).forward(x)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_dense_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="n_in"):
        Dense(bad, 2)


def test_dense_rejects_unknown_init():
    with pytest.raises(ValueError, match="he_normal"):
        Dense(2, 2, init="lecun")


def test_dense_backward_before_forward_is_an_error(rng):
    with pytest.raises(RuntimeError, match="call forward before backward"):
        Dense(2, 2, rng=rng).backward(np.ones((1, 2)))


def test_dense_backward_params_matches_backward(rng):
    a, x, dout = Dense(3, 2, rng=rng), rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    b = Dense(3, 2)
    b.params = {k: v.copy() for k, v in a.params.items()}
    a.forward(x)
    b.forward(x)
    a.backward(dout)
    assert b.backward_params(dout) is None
    for key in a.grads:
        np.testing.assert_array_equal(a.grads[key], b.grads[key])
