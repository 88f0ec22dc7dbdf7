"""Transfer learning on the digits, and the cost of training, for "Training time".

A small CNN learns the digits 0 to 4 from every training example; its convolutional layers
are then reused, under a new dense head, for the digits 5 to 9 from a few labels each:
frozen (only the head trains) or fine-tuned (every layer trains, from the transferred
weights). The same network trained from scratch on the same few labels is the comparison.
Each seed draws its own labelled examples and its own initial weights. Every run is seeded
and cached, so figures, facts and tests share one run per setting.
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
LABELS = (1, 2, 5, 10)          # labelled examples per new digit, one sweep point each
CURVE_LABELS = 5                # the setting whose learning curves the page plots
PRETRAIN_EPOCHS, FEW_LABEL_EPOCHS, FEW_LABEL_BATCH = 10, 40, 10
LR = 0.01  # one learning rate for every start, so the comparison is fair
SEEDS = (0, 1, 2, 3, 4)
STARTS = ("transfer", "fine-tune", "scratch")
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
def splits(seed: int = 0, per_class: int = 10):
    """Old-class training and validation sets; ``per_class`` labels of each new digit, drawn
    with ``seed``; the new digits' validation set."""
    X_train, X_val, _, y_train, y_val, _ = digits_split(images=True)
    return {"old_train": _subset(X_train, y_train, OLD_CLASSES),
            "old_val": _subset(X_val, y_val, OLD_CLASSES),
            "new_few": _subset(X_train, y_train, NEW_CLASSES, per_class, seed),
            "new_val": _subset(X_val, y_val, NEW_CLASSES)}


@cache
def pretrained(seed: int = 0):
    """The CNN trained on every example of the digits 0 to 4; returns (model, val accuracy)."""
    data = splits(seed)
    model = make_cnn(seed).compile(Adam(LR), "cross_entropy")
    with one_thread():
        model.fit(*data["old_train"], epochs=PRETRAIN_EPOCHS, batch_size=32, verbose=0)
        accuracy = model.evaluate(*data["old_val"])["accuracy"]
    return model, accuracy


# --8<-- [start:transfer]
def transfer_model(pretrained_model: Sequential, seed: int, freeze: bool = True) -> Sequential:
    """A new CNN whose feature layers hold the pretrained weights (frozen unless ``freeze``
    is False, for fine-tuning) under a fresh head."""
    model = make_cnn(seed)
    for new, old in zip(model.layers[:FEATURE_LAYERS], pretrained_model.layers, strict=False):
        for key in new.params:
            new.params[key][...] = old.params[key]   # copy, so the old model is untouched
    return model.freeze(range(FEATURE_LAYERS)) if freeze else model
# --8<-- [end:transfer]


def start_model(start: str, seed: int) -> Sequential:
    """The network a few-label run starts from: ``"transfer"``, ``"fine-tune"``, ``"scratch"``."""
    if start not in STARTS:
        raise ValueError(f"start_model: expected one of {STARTS}, got {start!r}")
    if start == "scratch":
        return make_cnn(seed)
    return transfer_model(pretrained(seed)[0], seed, freeze=start == "transfer")


# --8<-- [start:few_labels]
@cache
def few_label_run(start: str, seed: int = 0, per_class: int = CURVE_LABELS):
    """Train on ``per_class`` labels of each new digit from ``start``; (model, history)."""
    data = splits(seed, per_class)
    model = start_model(start, seed)
    model.compile(Adam(LR), "cross_entropy")
    with one_thread():
        history = model.fit(*data["new_few"], epochs=FEW_LABEL_EPOCHS, batch_size=FEW_LABEL_BATCH,
                            validation_data=data["new_val"], verbose=0)
    return model, history
# --8<-- [end:few_labels]


def final_accuracy(start: str, seed: int = 0, per_class: int = CURVE_LABELS) -> float:
    """Validation accuracy on the new digits after the last epoch."""
    return few_label_run(start, seed, per_class)[1].history["val_accuracy"][-1]


def mean_final_accuracy(start: str, per_class: int = CURVE_LABELS) -> float:
    """``final_accuracy`` averaged over the seeds (initial weights and label draws)."""
    return float(np.mean([final_accuracy(start, seed, per_class) for seed in SEEDS]))


def features(model: Sequential, X: np.ndarray) -> np.ndarray:
    """The output of the feature layers for images ``X``, one flat row per image."""
    for layer in model.layers[:FEATURE_LAYERS]:
        X = layer.forward(X)
    return X.reshape(len(X), -1)


def nearest_mean_accuracy(representation: str, seed: int = 0,
                          per_class: int = CURVE_LABELS) -> float:
    """Accuracy on the new digits of the nearest class mean (by cosine) of the few labelled
    examples, in raw ``"pixels"``, in the pretrained ``"features"`` or in the ``"random"``
    features of the same network untrained: how well each representation separates the new
    digits before any training on them."""
    if representation not in ("pixels", "features", "random"):
        raise ValueError("nearest_mean_accuracy: expected 'pixels', 'features' or 'random', "
                         f"got {representation!r}")
    data = splits(seed, per_class)
    (X_few, y_few), (X_val, y_val) = data["new_few"], data["new_val"]
    if representation == "pixels":
        A, B = X_few.reshape(len(X_few), -1), X_val.reshape(len(X_val), -1)
    else:
        model = pretrained(seed)[0] if representation == "features" else make_cnn(seed)
        A, B = features(model, X_few), features(model, X_val)
    means = np.stack([A[y_few == c].mean(axis=0) for c in range(len(NEW_CLASSES))])

    def unit(M):
        return M / np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)

    return float(np.mean(np.argmax(unit(B) @ unit(means).T, axis=1) == y_val))


def forward_macs(model: Sequential | None = None) -> int:
    """Forward multiply-adds per 8x8 digit for the CNN."""
    return sum(count_macs(model or make_cnn(0), (1, 8, 8)))


def step_macs(model: Sequential | None = None) -> int:
    """Multiply-adds per digit of one training step (forward and backward)."""
    return training_macs(model or make_cnn(0), (1, 8, 8))


def frozen_model() -> Sequential:
    """The network with frozen features that the page times and counts."""
    return transfer_model(pretrained(0)[0], 0)


def _epoch_without_skipping(model: Sequential, X, y, batch_size: int) -> None:
    """One epoch as glassnet trained before freezing saved work: the full ``backward``,
    which computes every layer's gradients, frozen or not."""
    for start in range(0, len(X), batch_size):
        model.zero_grad()
        model.loss.forward(model.forward(X[start:start + batch_size], training=True),
                           y[start:start + batch_size])
        model.backward(model.loss.backward())
        model.optimizer.step(model.layers)


@cache
def throughputs(repeats: int = 5) -> dict[str, float]:
    """Training examples per second on this machine, one thread, best of ``repeats`` epochs,
    for the network from scratch, the frozen one, and the frozen one without skipping."""
    X, y = splits(0)["old_train"]
    models = {"scratch": make_cnn(0), "frozen": frozen_model(),
              "frozen, no skipping": frozen_model()}
    best = dict.fromkeys(models, np.inf)
    with one_thread():
        for _ in range(repeats):  # interleaved, so a busy moment hits all three alike
            for name, model in models.items():
                model.compile(Adam(LR), "cross_entropy")
                start = time.perf_counter()
                if name == "frozen, no skipping":
                    _epoch_without_skipping(model, X, y, batch_size=32)
                else:
                    model.fit(X, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
                best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(X) / seconds for name, seconds in best.items()}


def throughput() -> float:
    """Training examples per second of the CNN from scratch (see ``throughputs``)."""
    return throughputs()["scratch"]
