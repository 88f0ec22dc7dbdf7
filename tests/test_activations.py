"""Activations: values, derivatives checked by finite differences, stability, properties."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassnet import activations as A
from glassnet.gradcheck import THRESHOLD, check_function, numerical_gradient, relative_error

PAIRS = {
    "sigmoid": (A.sigmoid, A.sigmoid_grad),
    "tanh": (A.tanh, A.tanh_grad),
    "relu": (A.relu, A.relu_grad),
    "leaky_relu": (A.leaky_relu, A.leaky_relu_grad),
    "leaky_relu_0.2": (lambda z: A.leaky_relu(z, 0.2), lambda z: A.leaky_relu_grad(z, 0.2)),
    "elu": (A.elu, A.elu_grad),
    "elu_0.5": (lambda z: A.elu(z, 0.5), lambda z: A.elu_grad(z, 0.5)),
    "gelu": (A.gelu, A.gelu_grad),
    "softplus": (A.softplus, A.softplus_grad),
    "step": (A.step, A.step_grad),
}
ELEMENTWISE = [A.step, A.sigmoid, A.tanh, A.relu, A.leaky_relu, A.elu, A.gelu, A.softplus]
GRADS = [A.step_grad, A.sigmoid_grad, A.tanh_grad, A.relu_grad, A.leaky_relu_grad, A.elu_grad,
         A.gelu_grad, A.softplus_grad]


def away_from_kinks(rng, shape):
    """Random inputs at least 0.1 away from 0, where ReLU, leaky ReLU, ELU and step bend."""
    z = rng.uniform(0.1, 3.0, size=shape)
    return z * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("name", PAIRS)
@pytest.mark.parametrize("shape", [(1,), (4, 3), (2, 3, 5)])
def test_activation_grad_matches_finite_differences(name, shape, rng):
    f, f_grad = PAIRS[name]
    assert check_function(f, f_grad, away_from_kinks(rng, shape), rng) < THRESHOLD


@pytest.mark.parametrize("shape", [(1, 2), (4, 3), (3, 7)])
def test_softmax_grad_matches_finite_differences(shape, rng):
    z = rng.standard_normal(shape)
    r = rng.standard_normal(shape)
    numeric = numerical_gradient(lambda v: np.sum(r * A.softmax(v)), z)
    assert relative_error(A.softmax_grad(z, r), numeric) < THRESHOLD


def test_softmax_jacobian_matches_jacobian_vector_product(rng):
    z, g = rng.standard_normal(5), rng.standard_normal(5)
    np.testing.assert_allclose(A.softmax_jacobian(z).T @ g, A.softmax_grad(z, g), atol=1e-12)


@pytest.mark.parametrize("f", ELEMENTWISE + GRADS + [A.softmax], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_is_finite_and_silent_at_plus_minus_1000(f, dtype):
    z = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]], dtype=dtype)
    # Underflow to zero (exp(-1000)) is harmless and NumPy ignores it by default.
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = f(z)
    assert np.all(np.isfinite(out))
    assert out.dtype == dtype


@pytest.mark.parametrize(("f", "z", "expected"), [
    (A.sigmoid, [-1000.0, 0.0, 1000.0], [0.0, 0.5, 1.0]),
    (A.softplus, [-1000.0, 0.0, 1000.0], [0.0, np.log(2.0), 1000.0]),
    (A.relu, [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
    (A.leaky_relu, [-2.0, 3.0], [-0.02, 3.0]),
    (A.elu, [-1000.0, 2.0], [-1.0, 2.0]),
    (A.step, [-1.0, 0.0, 2.0], [0.0, 0.0, 1.0]),
    (A.gelu, [-1000.0, 0.0, 1000.0], [0.0, 0.0, 1000.0]),
    (A.tanh, [-1000.0, 0.0, 1000.0], [-1.0, 0.0, 1.0]),
])
def test_activation_known_values(f, z, expected):
    np.testing.assert_allclose(f(np.array(z)), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("z", [-3.0, -1.0, -0.5, 0.5, 1.0, 2.5])
def test_gelu_is_within_5e4_of_exact_erf_form(z):
    exact = 0.5 * z * (1.0 + math.erf(z / math.sqrt(2.0)))
    assert abs(A.gelu(np.array(z)) - exact) < 5e-4


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=6),
                  elements=st.floats(-500, 500)))
def test_softmax_rows_sum_to_one(z):
    s = A.softmax(z)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    assert np.all(s >= 0)


@given(hnp.arrays(np.float64, (3, 4), elements=st.floats(-100, 100)),
       st.floats(-100, 100))
def test_softmax_is_shift_invariant(z, c):
    np.testing.assert_allclose(A.softmax(z + c), A.softmax(z), rtol=0, atol=1e-12)


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=5),
                  elements=st.floats(-1000, 1000)))
def test_sigmoid_is_symmetric(z):
    np.testing.assert_allclose(A.sigmoid(-z), 1.0 - A.sigmoid(z), rtol=0, atol=1e-15)


def test_softplus_grad_is_sigmoid(rng):
    z = rng.standard_normal(10) * 5
    np.testing.assert_allclose(A.softplus_grad(z), A.sigmoid(z), rtol=0, atol=0)


def test_relu_grad_is_zero_at_the_kink():
    assert A.relu_grad(np.array([0.0]))[0] == 0.0
