"""The gradient checker itself: exact on known gradients, and it catches a wrong backward."""

import numpy as np
import pytest

from glassnet.gradcheck import (
    THRESHOLD,
    check_layer,
    check_model,
    numerical_gradient,
    relative_error,
)
from glassnet.layers import Dense, Tanh


class WrongBiasDense(Dense):
    """A Dense layer whose bias gradient forgets to sum over the batch (a classic slip)."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.grads["b"] -= dout.sum(axis=0)
        self.grads["b"] += dout[0]
        return dx


class WrongInputDense(Dense):
    """A Dense layer that multiplies by W instead of W transposed (square, so shapes pass)."""

    def backward(self, dout):
        super().backward(dout)
        return dout @ self.params["W"]


class WrongRowDense(Dense):
    """A Dense layer whose weight gradient is twice too large in its second row only."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.grads["W"][1] *= 2
        return dx


def test_numerical_gradient_of_quadratic_is_exact(rng):
    x = rng.standard_normal((3, 4))
    A = rng.standard_normal((4, 4))
    grad = numerical_gradient(lambda v: np.sum(v @ A * v), x)
    np.testing.assert_allclose(grad, x @ (A + A.T), rtol=0, atol=1e-8)


def test_numerical_gradient_restores_input(rng):
    x = rng.standard_normal(5)
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ([1.0, 2.0], [1.0, 2.0], 0.0),
    ([1.0, 0.0], [0.0, 0.0], 1.0),
    ([3.0, 1.0], [1.0, 1.0], 0.5),
    ([0.0], [0.0], 0.0),
])
def test_relative_error_known_values(a, b, expected):
    assert relative_error(np.array(a), np.array(b)) == pytest.approx(expected, abs=1e-15)


def test_relative_error_rejects_different_shapes():
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_layer_passes_correct_dense(rng):
    errors = check_layer(Dense(4, 4, rng=rng), rng.standard_normal((5, 4)), rng)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < THRESHOLD


@pytest.mark.parametrize(("cls", "wrong"), [(WrongBiasDense, "b"), (WrongInputDense, "x")])
def test_check_layer_catches_wrong_backward(cls, wrong, rng):
    errors = check_layer(cls(4, 4, rng=rng), rng.standard_normal((5, 4)), rng)
    assert errors[wrong] > 1e-2
    assert max(v for k, v in errors.items() if k != wrong) < THRESHOLD


def test_check_model_passes_correct_mlp_and_catches_wrong_layer(rng):
    from glassnet import Sequential
    from glassnet.losses import MSE
    X, y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    good = Sequential([Dense(3, 4), Tanh(), Dense(4, 2)], seed=1)
    good.compile("sgd", MSE())
    assert max(check_model(good, X, y).values()) < THRESHOLD
    bad = Sequential([Dense(3, 4), Tanh(), WrongBiasDense(4, 2)], seed=1)
    bad.compile("sgd", MSE())
    assert check_model(bad, X, y)["2.Dense(4, 2).b"] > 1e-2


def test_check_layer_error_in_small_entries_fails_the_threshold_but_shows_far_below_1e_2(rng):
    # Feature 1 is 10,000 times smaller than feature 0, so row 1 of dW is too: a 100% error
    # there is small against dW's largest entry, yet still above the pass mark.
    x = rng.standard_normal((5, 2)) * np.array([100.0, 0.01])
    errors = check_layer(WrongRowDense(2, 3, rng=rng), x, rng)
    assert THRESHOLD < errors["W"] < 1e-2
    assert max(errors["x"], errors["b"]) < THRESHOLD


@pytest.mark.parametrize("seed", range(5))
def test_relative_error_of_a_mistake_lies_between_d_over_2b_plus_d_and_d_over_b(seed):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        right = rng.standard_normal(rng.integers(1, 30)) * 10.0 ** rng.uniform(-3, 3)
        wrong = right + rng.standard_normal(right.shape) * 10.0 ** rng.uniform(-8, 1)
        d, big = np.max(np.abs(wrong - right)), np.max(np.abs(right))
        error = relative_error(wrong, right)
        assert d / (2 * big + d) * (1 - 1e-12) <= error <= d / big * (1 + 1e-12)


def test_a_mistake_of_one_percent_of_the_largest_entry_scores_above_4_9e_3(rng):
    right = rng.standard_normal(50)
    big = np.max(np.abs(right))
    for i in range(50):
        wrong = right.copy()
        wrong[i] += 0.01 * big
        assert relative_error(wrong, right) > 4.9e-3


def test_a_wrong_entry_tiny_next_to_the_largest_scores_little():
    right = np.array([1.0, 1e-5])
    wrong = np.array([1.0, -1e-5])  # The small entry has the wrong sign: 200% off.
    assert relative_error(wrong, right) < 1e-4
