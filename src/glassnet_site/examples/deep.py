"""Deep networks for the vanishing-gradients page: gradient norms per layer at
initialisation, and deep sigmoid networks trained with and without batch normalisation or
residual connections. Seeded and cached like ``glassnet_site.examples.training``.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from glassnet import layers, losses, optimizers
from glassnet.data import digits_split
from glassnet.model import Sequential
from glassnet.networks import mlp

VANISHING_DEPTH, DEEP_DEPTH, DEEP_WIDTH, DEEP_EPOCHS = 15, 10, 32, 15
VANISHING_WIDTH = 64  # units per hidden layer of the networks checked at initialisation
DEEP_TRAIN_IMAGES = 540  # the deep runs train on this many of the training digits

# (label, activation, initialiser, weight scale); a scale above 1 makes the weights too big.
INIT_CASES = (
    ("sigmoid, Xavier", layers.Sigmoid, "glorot_uniform", 1.0),
    ("ReLU, Xavier", layers.ReLU, "glorot_uniform", 1.0),
    ("ReLU, He", layers.ReLU, "he_normal", 1.0),
    ("ReLU, He, weights ×2", layers.ReLU, "he_normal", 2.0),
)


# --8<-- [start:gradient_norms]
def gradient_norms(model, X, y) -> list[float]:
    """The norm of dL/dW for every Dense layer, input side first, after one backward pass."""
    loss = losses.CrossEntropy()
    model.zero_grad()
    loss.forward(model.forward(X, training=True), y)
    model.backward(loss.backward())
    return [float(np.linalg.norm(layer.grads["W"]))
            for layer in model.layers if "W" in layer.grads]
# --8<-- [end:gradient_norms]


@cache
def init_gradient_norms(seed: int = 0) -> dict[str, list[float]]:
    """Gradient norm per layer of a freshly initialised deep MLP, for each of INIT_CASES.

    The figure shows ``seed=0``; the tests check its claims on other seeds too."""
    X_train, _, _, y_train, _, _ = digits_split()
    norms = {}
    for label, activation, init, scale in INIT_CASES:
        model = mlp([64] + [VANISHING_WIDTH] * VANISHING_DEPTH + [10], activation, init,
                    seed=seed)
        for layer in model.layers:
            if "W" in layer.params:
                layer.params["W"] *= scale
        norms[label] = gradient_norms(model, X_train[:256], y_train[:256])
    return norms


# --8<-- [start:deep_sigmoid]
def deep_sigmoid(kind: str = "plain", seed: int = 0) -> Sequential:
    """A 64-32-...-32-10 sigmoid network, plain, with BatchNorm, or with residual blocks."""
    stack = [layers.Dense(64, DEEP_WIDTH), layers.Sigmoid()]
    for _ in range(DEEP_DEPTH):
        if kind == "residual":
            stack.append(layers.Residual([layers.Dense(DEEP_WIDTH, DEEP_WIDTH),
                                          layers.Sigmoid()]))
        elif kind == "batchnorm":
            stack += [layers.Dense(DEEP_WIDTH, DEEP_WIDTH), layers.BatchNorm(DEEP_WIDTH),
                      layers.Sigmoid()]
        else:
            stack += [layers.Dense(DEEP_WIDTH, DEEP_WIDTH), layers.Sigmoid()]
    stack.append(layers.Dense(DEEP_WIDTH, 10))
    return Sequential(stack, seed=seed)
# --8<-- [end:deep_sigmoid]


@cache
def deep_run(kind: str, seed: int = 0):
    """Train ``deep_sigmoid`` on DEEP_TRAIN_IMAGES training digits with SGD and momentum.

    The figures show ``seed=0``; the tests check their claims on other seeds too."""
    X_train, X_val, _, y_train, y_val, _ = digits_split()
    model = deep_sigmoid(kind, seed)
    model.compile(optimizers.SGD(lr=0.1, momentum=0.9), losses.CrossEntropy())
    n = DEEP_TRAIN_IMAGES
    history = model.fit(X_train[:n], y_train[:n], epochs=DEEP_EPOCHS, batch_size=32,
                        validation_data=(X_val, y_val), verbose=0)
    return model, history


@cache
def sigmoid_layer_stats(kind: str, seed: int = 0) -> dict[str, list[float]]:
    """For every inner sigmoid of a fresh ``deep_sigmoid(kind, seed)``, on 256 training
    digits: the mean slope f'(z) = a(1-a), and the spread of its output across the images
    (std over the batch, averaged over the units). Batch statistics, as in training."""
    X_train, *_ = digits_split()
    stats, a = {"slope": [], "spread": []}, X_train[:256]
    for layer in deep_sigmoid(kind, seed).layers[:-1]:
        a = layer.forward(a, training=True)
        if isinstance(layer, layers.Sigmoid):
            stats["slope"].append(float((a * (1 - a)).mean()))
            stats["spread"].append(float(a.std(axis=0).mean()))
    return stats
