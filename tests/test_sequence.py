"""Sequence cross-entropy and token accuracy for one label per time step."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, numerical_gradient, relative_error
from glassnet.losses import softmax_cross_entropy
from glassnet.sequence import SequenceCrossEntropy, sequence_accuracy, token_accuracy


@pytest.mark.parametrize("batch, time, classes", [(1, 1, 3), (2, 7, 5)])
def test_sequence_cross_entropy_gradient_matches_centred_differences(batch, time, classes):
    rng = np.random.default_rng(0)
    y_hat = rng.normal(size=(batch, time, classes))
    y = rng.integers(0, classes, size=(batch, time))
    loss = SequenceCrossEntropy()
    value = loss.forward(y_hat, y)
    assert value == pytest.approx(softmax_cross_entropy(y_hat.reshape(-1, classes),
                                                        y.reshape(-1))[0], rel=1e-12)
    numeric = numerical_gradient(lambda v: loss.forward(v, y), y_hat)
    loss.forward(y_hat, y)
    assert relative_error(loss.backward(), numeric) < THRESHOLD


def test_sequence_cross_entropy_rejects_labels_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"expected labels of shape \(2, 3\).*got shape \(2,\)"):
        SequenceCrossEntropy().forward(np.zeros((2, 3, 4)), np.zeros(2, dtype=int))


def test_token_and_sequence_accuracy_count_positions_and_whole_sequences():
    y = np.array([[0, 1], [1, 1]])
    y_hat = np.eye(2)[[[0, 1], [0, 1]]]  # predicts [[0, 1], [0, 1]]
    assert token_accuracy(y_hat, y) == 0.75
    assert sequence_accuracy(y_hat, y) == 0.5
