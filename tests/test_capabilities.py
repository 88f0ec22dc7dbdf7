"""What the architectures can learn, each with a fixed seed in seconds.

* a small CNN reaches 98% held-out accuracy on the 8x8 digits;
* an LSTM solves the adding problem over 30 steps, where a plain RNN is still near the
  trivial baseline after the same training;
* a small Transformer reverses sequences of 8 tokens with 95% token accuracy.

The GAN's capability lives in ``tests/test_gan.py``.
"""

import numpy as np
import pytest

from glassnet.data import load_digits, train_test_split
from glassnet.layers import (
    LSTM,
    RNN,
    Conv2D,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    LayerNorm,
    MaxPool2D,
    PositionalEncoding,
    ReLU,
    TransformerBlock,
)
from glassnet.model import Sequential
from glassnet.optimizers import Adam
from glassnet.sequence import SequenceCrossEntropy, token_accuracy

pytestmark = pytest.mark.slow


def test_cnn_reaches_98_percent_on_held_out_digits():
    X, y = load_digits(flatten=False)
    X_train, X_test, y_train, y_test = train_test_split(X[:, None], y, test_size=0.25, seed=0,
                                                        stratify=True)  # (n, 1, 8, 8)
    model = Sequential([
        Conv2D(1, 32, 3, padding=1), ReLU(), Conv2D(32, 32, 3, padding=1), ReLU(),
        MaxPool2D(2), Conv2D(32, 64, 3, padding=1), ReLU(), MaxPool2D(2),  # (64, 2, 2)
        Flatten(), Dropout(0.3), Dense(256, 10),
    ], seed=1, dtype=np.float32)
    model.compile(Adam(1e-3), "cross_entropy", ["accuracy"])
    model.fit(X_train, y_train, epochs=7, batch_size=32, verbose=0)
    model.optimizer.lr = 1e-4  # A smaller step for the last epochs settles the weights.
    model.fit(X_train, y_train, epochs=3, batch_size=32, verbose=0)
    # Measured: 0.991 with seed 1 (0.980 and 0.984 with seeds 0 and 2); 450 test images.
    assert model.evaluate(X_test, y_test)["accuracy"] >= 0.98


def adding_problem(n: int, T: int, rng):
    """Inputs ``(n, T, 2)``: a random value and a marker per step; target: the sum of the
    two marked values (one in each half), ``(n, 1)``. Always answering 1 scores MSE 1/6."""
    values = rng.uniform(0.0, 1.0, size=(n, T))
    marks = np.zeros((n, T))
    rows = np.arange(n)
    marks[rows, rng.integers(0, T // 2, n)] = 1.0
    marks[rows, rng.integers(T // 2, T, n)] = 1.0
    return np.stack([values, marks], axis=2), np.sum(values * marks, axis=1, keepdims=True)


def test_lstm_solves_the_adding_problem_over_30_steps_where_an_rnn_does_not_yet():
    rng = np.random.default_rng(0)
    X_train, y_train = adding_problem(3000, 30, rng)
    X_test, y_test = adding_problem(500, 30, rng)
    mse = {}
    for cell in (LSTM, RNN):
        model = Sequential([cell(2, 32), Dense(32, 1)], seed=0)
        model.compile(Adam(1e-2, clipnorm=1.0), "mse", metrics=[])
        model.fit(X_train, y_train, epochs=5, batch_size=32, verbose=0)
        mse[cell.__name__] = model.evaluate(X_test, y_test)["loss"]
    # Always answering 1 scores 1/6 ~ 0.167. With model seeds 0, 1 and 2 the LSTM ends below
    # 0.01 and the RNN stays above 0.16.
    assert mse["LSTM"] < 0.03, mse
    assert mse["RNN"] > 0.12, mse


def test_transformer_reverses_sequences_with_95_percent_token_accuracy():
    rng = np.random.default_rng(0)
    T, vocab, dim = 8, 8, 32
    X = rng.integers(0, vocab, size=(2500, T))
    y = X[:, ::-1].copy()
    model = Sequential([Embedding(vocab, dim), PositionalEncoding(T, dim),
                        TransformerBlock(dim, 4, 64), LayerNorm(dim), Dense(dim, vocab)],
                       seed=0)
    model.compile(Adam(2e-3), SequenceCrossEntropy(), [token_accuracy])
    model.fit(X[:2000], y[:2000], epochs=5, batch_size=32, verbose=0)  # 0.99+ from epoch 4
    assert model.evaluate(X[2000:], y[2000:])["token_accuracy"] >= 0.95
