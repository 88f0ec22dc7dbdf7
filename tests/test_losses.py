"""Losses: values, gradient checks, stability, label handling and properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassnet.gradcheck import THRESHOLD, check_loss, numerical_gradient, relative_error
from glassnet.losses import MSE, BinaryCrossEntropy, CrossEntropy, get, softmax_cross_entropy

SHAPES = [(1, 1), (4, 3), (9, 5)]


def probabilities(rng, shape):
    p = rng.uniform(0.05, 1.0, shape)
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("shape", SHAPES)
def test_mse_gradient_matches_finite_differences(shape, rng):
    assert check_loss(MSE(), rng.standard_normal(shape), rng.standard_normal(shape)) < THRESHOLD


@pytest.mark.parametrize("shape", [(1, 1), (6, 1), (4, 3)])
@pytest.mark.parametrize("from_logits", [True, False])
def test_bce_gradient_matches_finite_differences(shape, from_logits, rng):
    y = rng.integers(0, 2, shape).astype(float)
    y_hat = rng.standard_normal(shape) * 3 if from_logits else rng.uniform(0.05, 0.95, shape)
    assert check_loss(BinaryCrossEntropy(from_logits), y_hat, y) < THRESHOLD


@pytest.mark.parametrize("shape", SHAPES + [(3, 2)])
@pytest.mark.parametrize("one_hot", [True, False])
@pytest.mark.parametrize("from_logits", [True, False])
def test_crossentropy_gradient_matches_finite_differences(shape, one_hot, from_logits, rng):
    labels = rng.integers(0, shape[1], shape[0])
    y = np.eye(shape[1])[labels] if one_hot else labels
    y_hat = rng.standard_normal(shape) * 2 if from_logits else probabilities(rng, shape)
    assert check_loss(CrossEntropy(from_logits), y_hat, y) < THRESHOLD


def test_softmax_cross_entropy_soft_targets_gradient(rng):
    z, y = rng.standard_normal((4, 3)), probabilities(rng, (4, 3))
    _, dz = softmax_cross_entropy(z, y)
    numeric = numerical_gradient(lambda v: softmax_cross_entropy(v, y)[0], z)
    assert relative_error(dz, numeric) < THRESHOLD


def test_crossentropy_known_value():
    # Uniform logits over 4 classes: the loss is ln 4 whatever the label.
    loss = CrossEntropy().forward(np.zeros((3, 4)), np.array([0, 1, 3]))
    assert loss == pytest.approx(np.log(4), abs=1e-15)


def test_crossentropy_labels_and_one_hot_agree(rng):
    z, labels = rng.standard_normal((5, 3)), rng.integers(0, 3, 5)
    loss_a, d_a = softmax_cross_entropy(z, labels)
    loss_b, d_b = softmax_cross_entropy(z, np.eye(3)[labels])
    assert loss_a == pytest.approx(loss_b, abs=1e-14)
    np.testing.assert_allclose(d_a, d_b, atol=1e-15)


@pytest.mark.parametrize("loss", [CrossEntropy(True), CrossEntropy(False),
                                  BinaryCrossEntropy(True), BinaryCrossEntropy(False)],
                         ids=lambda loss: loss.name)
def test_crossentropy_is_finite_for_confident_wrong_predictions(loss):
    binary = isinstance(loss, BinaryCrossEntropy)
    if loss.from_logits:
        y_hat = np.array([[1000.0], [-1000.0]]) if binary else np.array([[1000.0, -1000.0]])
    else:
        y_hat = np.array([[1.0], [0.0]]) if binary else np.array([[1.0, 0.0]])
    y = np.array([[0.0], [1.0]]) if binary else np.array([1])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = loss.forward(y_hat, y)
        grad = loss.backward()
    assert np.isfinite(value) and value > 10
    assert np.all(np.isfinite(grad))


def test_mse_known_value_and_column_targets():
    assert MSE().forward(np.array([[1.0], [3.0]]), np.array([0.0, 1.0])) == pytest.approx(2.5)


@given(hnp.arrays(np.float64, (4, 3), elements=st.floats(-50, 50)),
       hnp.arrays(np.float64, (4, 3), elements=st.floats(-50, 50)))
def test_mse_non_negative_and_zero_at_perfect_prediction(y_hat, y):
    assert MSE().forward(y_hat, y) >= 0
    assert MSE().forward(y, y) == 0


@given(hnp.arrays(np.float64, (5, 4), elements=st.floats(-300, 300)),
       hnp.arrays(np.int64, 5, elements=st.integers(0, 3)))
def test_crossentropy_non_negative_and_near_zero_at_perfect_prediction(z, labels):
    assert CrossEntropy().forward(z, labels) >= 0
    perfect = np.eye(4)[labels] * 100.0  # Logits that put all the mass on the true class.
    assert CrossEntropy().forward(perfect, labels) < 1e-40
    assert CrossEntropy(from_logits=False).forward(np.eye(4)[labels], labels) < 1e-6


@given(hnp.arrays(np.float64, (6, 1), elements=st.floats(0, 1)),
       hnp.arrays(np.float64, (6, 1), elements=st.sampled_from([0.0, 1.0])))
def test_bce_non_negative_and_near_zero_at_perfect_prediction(p, y):
    assert BinaryCrossEntropy().forward(p, y) >= 0
    assert BinaryCrossEntropy().forward(y, y) < 1e-6
    assert BinaryCrossEntropy(from_logits=True).forward((2 * y - 1) * 100, y) < 1e-40


@pytest.mark.parametrize(("y", "error", "match"), [
    (np.array([0.0, 1.0]), TypeError, "expected integer class labels"),
    (np.array([0, 3]), ValueError, r"labels must be in \[0, 3\)"),
    (np.array([-1, 0]), ValueError, r"labels must be in \[0, 3\)"),
    (np.array([0, 1, 2]), ValueError, "expected 2 labels"),
    (np.zeros((2, 4)), ValueError, r"one-hot targets of shape \(2, 3\)"),
])
def test_crossentropy_rejects_bad_labels(y, error, match):
    with pytest.raises(error, match=match):
        CrossEntropy().forward(np.zeros((2, 3)), y)


def test_mse_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"MSE\(\).forward: expected targets of shape \(4, 2\)"):
        MSE().forward(np.zeros((4, 2)), np.zeros(4))


def test_loss_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match="call forward before backward"):
        MSE().backward()


@pytest.mark.parametrize(("name", "cls"), [("mse", MSE), ("binary_crossentropy",
                         BinaryCrossEntropy), ("sparse_categorical_crossentropy", CrossEntropy)])
def test_loss_get_by_name(name, cls):
    assert isinstance(get(name), cls)


def test_loss_float32_stays_float32(rng):
    z = rng.standard_normal((4, 3)).astype(np.float32)
    _, dz = softmax_cross_entropy(z, np.array([0, 1, 2, 0]))
    assert dz.dtype == np.float32
