"""Metrics: accuracy for labels, one-hot targets and single-output binary predictions."""

import numpy as np
import pytest

from glassnet.metrics import accuracy, get, mean_absolute_error


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
