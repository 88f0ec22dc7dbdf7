"""Metrics: accuracy for labels, one-hot targets and single-output binary predictions."""

import numpy as np
import pytest

from glassnet.metrics import accuracy, confusion_matrix, get, mean_absolute_error


@pytest.mark.parametrize(("y_hat", "y", "threshold", "expected"), [
    ([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], [1, 0, 0], 0.5, 2 / 3),
    ([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], [[0, 1], [1, 0], [1, 0]], 0.5, 2 / 3),
    ([[0.9], [0.2], [0.6], [0.4]], [[1.0], [0.0], [0.0], [0.0]], 0.5, 3 / 4),
    ([[0.9], [0.2], [0.6], [0.4]], [1, 0, 0, 0], 0.5, 3 / 4),
    ([[2.0], [-1.0], [0.3]], [1, 0, 0], 0.0, 2 / 3),
])
def test_accuracy_known_values(y_hat, y, threshold, expected):
    assert accuracy(np.array(y_hat), np.array(y), threshold) == pytest.approx(expected)


def test_accuracy_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="3 predictions but 2 labels"):
        accuracy(np.zeros((3, 2)), np.array([0, 1]))


def test_mean_absolute_error_known_value():
    assert mean_absolute_error(np.array([[1.0], [3.0]]), np.array([0.0, 1.0])) == 1.5


def test_metrics_get_unknown_name():
    with pytest.raises(ValueError, match="accuracy"):
        get("f1")


def test_confusion_matrix_counts_every_true_and_predicted_pair():
    y = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    C = confusion_matrix(y, y_pred)
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert C.sum() == len(y) and np.trace(C) / C.sum() == pytest.approx(4 / 6)


def test_confusion_matrix_counts_repeated_pairs_and_rows_sum_to_class_sizes(rng):
    y, y_pred = rng.integers(0, 4, size=200), rng.integers(0, 4, size=200)
    C = confusion_matrix(y, y_pred, num_classes=5)
    assert C.shape == (5, 5)
    np.testing.assert_array_equal(C.sum(axis=1), np.bincount(y, minlength=5))
    np.testing.assert_array_equal(C.sum(axis=0), np.bincount(y_pred, minlength=5))


@pytest.mark.parametrize(("y", "y_pred", "kwargs", "message"), [
    ([0, 1], [0], {}, "one length"),
    ([0.5, 1], [0, 1], {}, "integer labels"),
    ([0, -1], [0, 1], {}, "integer labels"),
    ([0, 3], [0, 1], {"num_classes": 3}, "below num_classes=3"),
])
def test_confusion_matrix_rejects_bad_labels(y, y_pred, kwargs, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(np.array(y), np.array(y_pred), **kwargs)
