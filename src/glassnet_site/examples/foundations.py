"""Small models trained by glassnet for the Foundations figures and facts, trained once.

Each function is cached, so a figure and a fact that show the same model share one training
run, and the light and dark variants of a figure are drawn from the same numbers.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from glassnet import layers, losses, optimizers
from glassnet.data import make_blobs, make_moons, make_xor
from glassnet.model import Sequential
from glassnet.networks import mlp
from glassnet.perceptron import train_perceptron

# --8<-- [start:perceptron_on_blobs]
# Two clouds that a straight line separates: the perceptron's home ground.
BLOB_CENTERS = ((-1.2, -0.8), (1.3, 1.1))


@cache
def blobs():
    """Forty points in two separable clusters, labels 0 and 1."""
    return make_blobs(40, centers=BLOB_CENTERS, std=0.55, seed=3)


@cache
def perceptron_on_blobs():
    """The perceptron rule on ``blobs``, from a deliberately poor starting line."""
    X, y = blobs()
    return train_perceptron(X, y, lr=0.2, w=(0.3, -1.0), b=-0.4, num_epochs=50,
                            rng=np.random.default_rng(4))
# --8<-- [end:perceptron_on_blobs]


@cache
def xor_data():
    """A hundred and twenty points around the corners of the unit square, labelled by XOR."""
    return make_xor(120, noise=0.12, seed=0)


@cache
def perceptron_on_xor():
    """The perceptron rule on XOR: it never converges; 100 epochs, then it stops."""
    X, y = xor_data()
    return train_perceptron(X, y, lr=0.1, num_epochs=100, rng=np.random.default_rng(1))


XOR_MLP_WIDTHS = (2, 4, 2)


@cache
def xor_mlp() -> Sequential:
    """A 2-4-2 network with one tanh hidden layer, trained on XOR with Adam."""
    X, y = xor_data()
    model = mlp(XOR_MLP_WIDTHS, layers.Tanh, "glorot_uniform", seed=1)
    model.compile(optimizers.Adam(lr=0.05), losses.CrossEntropy(), metrics=("accuracy",))
    model.fit(X, y, epochs=150, batch_size=20, verbose=0)
    return model


@cache
def moons_test_data():
    """A second draw of the same moons, held out from training, scaled like ``moons_data``."""
    X_train, _ = make_moons(160, noise=0.12, seed=2)
    X, y = make_moons(160, noise=0.12, seed=12)
    return (X - X_train.mean(axis=0)) / X_train.std(axis=0), y


# --8<-- [start:moons_mlp]
@cache
def moons_data():
    """Two interleaving half-moons, standardised to about unit scale."""
    X, y = make_moons(160, noise=0.12, seed=2)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


@cache
def moons_mlp() -> Sequential:
    """A 2-6-2 ReLU network on the moons, small enough to look at every hidden unit."""
    X, y = moons_data()
    model = mlp((2, 6, 2), layers.ReLU, "glorot_uniform", seed=5)
    model.compile(optimizers.Adam(lr=0.03), losses.CrossEntropy(), metrics=("accuracy",))
    model.fit(X, y, epochs=200, batch_size=24, verbose=0)
    return model
# --8<-- [end:moons_mlp]


def predict_classes(model: Sequential):
    """A function from points ``(m, 2)`` to the model's predicted class ``(m,)``."""
    return lambda points: np.argmax(model.predict(points), axis=1)


def accuracy(predicted, y) -> float:
    """Fraction of labels predicted right."""
    return float(np.mean(np.asarray(predicted) == np.asarray(y)))
