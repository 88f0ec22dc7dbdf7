"""Transfer learning on the digits, and the cost of training, for "Training time".

A small CNN learns the digits 0 to 4 from every training example; its convolutional layers
are then frozen and reused, under a new dense head, for the digits 5 to 9 from a few labels
each. The same network trained from scratch on the same few labels is the comparison. Every
run is seeded and cached, so figures, facts and tests share one run per seed.
"""

from __future__ import annotations

import time
from functools import cache

import numpy as np

from glassnet import Sequential
from glassnet import layers as L
from glassnet.cost import count_macs, training_macs
from glassnet.data import digits_split
from glassnet.optimizers import Adam
from glassnet_site.threads import one_thread

OLD_CLASSES, NEW_CLASSES = (0, 1, 2, 3, 4), (5, 6, 7, 8, 9)
LABELS_PER_CLASS = 10
PRETRAIN_EPOCHS, FEW_LABEL_EPOCHS = 10, 40
SEEDS = (0, 1, 2)
FEATURE_LAYERS = 6  # conv, ReLU, pool, conv, ReLU, pool: the layers that are reused


# --8<-- [start:make_cnn]
def make_cnn(seed: int) -> Sequential:
    """Two convolution blocks (the features) and a dense head for five classes."""
    return Sequential([
        L.Conv2D(1, 8, kernel_size=3, padding=1), L.ReLU(),    # (batch, 8, 8, 8)
        L.MaxPool2D(2),                                         # (batch, 8, 4, 4)
        L.Conv2D(8, 16, kernel_size=3, padding=1), L.ReLU(),   # (batch, 16, 4, 4)
        L.MaxPool2D(2),                                         # (batch, 16, 2, 2)
        L.Flatten(),                                            # (batch, 64)
        L.Dense(16 * 2 * 2, 5),                                 # (batch, 5) logits
    ], seed=seed)
# --8<-- [end:make_cnn]


def _subset(X, y, classes, per_class=None, seed=0):
    """The rows of ``classes``, relabelled 0..4; at most ``per_class`` of each, drawn at random."""
    rng = np.random.default_rng(seed)
    rows = [rng.permutation(np.flatnonzero(y == c))[:per_class] for c in classes]
    idx = np.sort(np.concatenate(rows))
    return X[idx], np.searchsorted(classes, y[idx])


@cache
def splits(seed: int = 0):
    """Old-class training and validation sets; a few labels of the new classes; new validation."""
    X_train, X_val, _, y_train, y_val, _ = digits_split(images=True)
    return {"old_train": _subset(X_train, y_train, OLD_CLASSES),
            "old_val": _subset(X_val, y_val, OLD_CLASSES),
            "new_few": _subset(X_train, y_train, NEW_CLASSES, LABELS_PER_CLASS, seed),
            "new_val": _subset(X_val, y_val, NEW_CLASSES)}


@cache
def pretrained(seed: int = 0):
    """The CNN trained on every example of the digits 0 to 4; returns (model, val accuracy)."""
    data = splits(seed)
    model = make_cnn(seed).compile(Adam(0.01), "cross_entropy")
    with one_thread():
        model.fit(*data["old_train"], epochs=PRETRAIN_EPOCHS, batch_size=32, verbose=0)
        accuracy = model.evaluate(*data["old_val"])["accuracy"]
    return model, accuracy


# --8<-- [start:transfer]
def transfer_model(pretrained_model: Sequential, seed: int) -> Sequential:
    """A new CNN whose feature layers hold the pretrained weights, frozen; a fresh head."""
    model = make_cnn(seed)
    for new, old in zip(model.layers[:FEATURE_LAYERS], pretrained_model.layers, strict=False):
        for key in new.params:
            new.params[key][...] = old.params[key]   # copy, so the old model is untouched
    return model.freeze(range(FEATURE_LAYERS))
# --8<-- [end:transfer]


# --8<-- [start:few_labels]
@cache
def few_label_run(start: str, seed: int = 0):
    """Train on 10 labels per new class, from ``"transfer"`` or ``"scratch"``; (model, history)."""
    data = splits(seed)
    model = (transfer_model(pretrained(seed)[0], seed) if start == "transfer"
             else make_cnn(seed))
    model.compile(Adam(0.01), "cross_entropy")
    with one_thread():
        history = model.fit(*data["new_few"], epochs=FEW_LABEL_EPOCHS, batch_size=10,
                            validation_data=data["new_val"], verbose=0)
    return model, history
# --8<-- [end:few_labels]


def final_accuracy(start: str, seed: int = 0) -> float:
    """Validation accuracy on the new digits after the last epoch."""
    return few_label_run(start, seed)[1].history["val_accuracy"][-1]


def forward_macs(model: Sequential | None = None) -> int:
    """Forward multiply-adds per 8x8 digit for the CNN."""
    return sum(count_macs(model or make_cnn(0), (1, 8, 8)))


def step_macs(model: Sequential | None = None) -> int:
    """Multiply-adds per digit of one training step (forward and backward)."""
    return training_macs(model or make_cnn(0), (1, 8, 8))


@cache
def throughput(repeats: int = 3) -> float:
    """Training examples per second of the CNN on this machine, one thread, best of a few."""
    X, y = splits(0)["old_train"]
    model = make_cnn(0).compile(Adam(0.01), "cross_entropy")
    best = np.inf
    with one_thread():
        for _ in range(repeats):
            start = time.perf_counter()
            model.fit(X, y, epochs=1, batch_size=32, verbose=0)
            best = min(best, time.perf_counter() - start)
    return len(X) / best
