"""The perceptron: predictions, the update rule, convergence on separable data, XOR failure."""

import numpy as np
import pytest

from glassnet.data import make_blobs, make_xor
from glassnet.perceptron import perceptron_predict, perceptron_update, train_perceptron


def test_perceptron_predict_fires_only_for_positive_sum():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    # Sums: 2 - 1 = 1 > 0, -1 - 1 = -2, 2 - 1 - 1 = 0 (not positive: no fire).
    out = perceptron_predict(X, np.array([2.0, -1.0]), -1.0)
    np.testing.assert_array_equal(out, [1.0, 0.0, 0.0])


@pytest.mark.parametrize(("y", "dw_sign"), [(1, 1.0), (0, -1.0)])
def test_perceptron_update_moves_weights_toward_the_label(y, dw_sign):
    x = np.array([1.0, 2.0])
    w = -dw_sign * np.array([1.0, 1.0])  # A weighted sum of the wrong sign for this label.
    new_w, new_b, wrong = perceptron_update(w, 0.0, x, y, lr=0.1)
    assert wrong
    np.testing.assert_allclose(new_w - w, dw_sign * 0.1 * x, rtol=0, atol=1e-12)
    assert new_b == pytest.approx(dw_sign * 0.1, abs=1e-12)


def test_perceptron_update_leaves_a_right_answer_alone():
    w = np.array([1.0, 1.0])
    new_w, new_b, wrong = perceptron_update(w, 0.5, np.array([1.0, 1.0]), 1, lr=1.0)
    assert not wrong and new_b == 0.5
    np.testing.assert_array_equal(new_w, w)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_train_perceptron_converges_on_separable_data(seed):
    X, y = make_blobs(60, centers=[[-2.0, -2.0], [2.0, 2.0]], std=0.6, seed=seed)
    result = train_perceptron(X, y, lr=0.5, rng=np.random.default_rng(seed))
    assert result.converged
    np.testing.assert_array_equal(perceptron_predict(X, result.w, result.b), y)
    assert len(result.path) == sum(result.mistakes) + 1


def test_train_perceptron_never_converges_on_xor():
    X, y = make_xor(4, noise=0.0, shuffle=False)
    result = train_perceptron(X, y, lr=1.0, num_epochs=50)
    assert not result.converged
    assert len(result.mistakes) == 50 and min(result.mistakes) >= 1


@pytest.mark.parametrize(("y", "match"), [(np.array([0, 2]), "labels in"),
                                          (np.array([0, 1, 1]), "shape")])
def test_train_perceptron_rejects_bad_labels(y, match):
    with pytest.raises(ValueError, match=match):
        train_perceptron(np.zeros((2, 2)), y)
