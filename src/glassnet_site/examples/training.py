"""Datasets and trained models shared by the figures and facts of "Training in practice".

Every run is seeded and cached with ``functools.lru_cache``, so a model trained for one
figure is reused by the others and by the facts that quote its numbers: the accuracy in a
caption and the curve in the figure come from the same training run. Training is kept tiny
(a few hundred gradient steps) because the whole figure set must render in seconds.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from glassnet import callbacks, layers, losses, optimizers
from glassnet.data import digits_split, make_moons
from glassnet.networks import mlp

# A small two-moons problem with some labels flipped (as in any hand-labelled data): a big
# network can memorise the flipped points, which is what overfitting looks like in 2-D.
MOONS_TRAIN, MOONS_VAL, MOONS_NOISE, MOONS_FLIPPED = 100, 300, 0.2, 0.15
MOONS_VAL_SEED = 2
TOY_EPOCHS = 300
L2_LAMBDA, DROPOUT_P = 1e-2, 0.5
PATIENCE = 20
SNAPSHOT_EPOCHS = (0, 5, 25, 150)
BOUNDARY_NETWORK = (2, 16, 16, 1)  # the tanh network whose boundary the snapshots follow


# --8<-- [start:digits_mlp]
@cache
def digits_run(epochs: int = 40, seed: int = 0):
    """A 64-64-10 ReLU network trained on the digits with Adam; returns (model, history)."""
    X_train, X_val, _, y_train, y_val, _ = digits_split()
    model = mlp([64, 64, 10], seed=seed)
    model.compile(optimizers.Adam(lr=0.003), losses.CrossEntropy(), metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=epochs, batch_size=32,
                        validation_data=(X_val, y_val), verbose=0)
    return model, history
# --8<-- [end:digits_mlp]


@cache
def digits_test_predictions():
    """Predicted classes and probabilities of the shared digits network on the test set."""
    model, _ = digits_run()
    _, _, X_test, _, _, y_test = digits_split()
    logits = model.predict(X_test)
    z = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return y_test, probs.argmax(axis=1), probs


# --- the two-moons runs -------------------------------------------------------------


def flip_labels(y, fraction: float, seed: int) -> np.ndarray:
    """A copy of 0/1 labels ``y`` with ``fraction`` of them, chosen at random, flipped."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=int(round(fraction * len(y))), replace=False)
    y = y.copy()
    y[rows] = 1 - y[rows]
    return y


@cache
def moons():
    """Training and validation points of the noisy two-moons problem, labels as (n, 1).

    Both sets have the same share of flipped labels: the validation set must come from the
    same distribution as the data the model will meet.
    """
    X_train, y_train = make_moons(MOONS_TRAIN, noise=MOONS_NOISE, seed=1)
    X_val, y_val = make_moons(MOONS_VAL, noise=MOONS_NOISE, seed=MOONS_VAL_SEED)
    y_train = flip_labels(y_train, MOONS_FLIPPED, seed=5)
    y_val = flip_labels(y_val, MOONS_FLIPPED, seed=6)
    return X_train, y_train[:, None], X_val, y_val[:, None]


@cache
def clean_moons():
    """A larger, cleaner two-moons set (no flipped labels) for watching a boundary form."""
    X, y = make_moons(120, noise=0.15, seed=7)
    return X, y[:, None]


def grid(n: int = 70, lim=((-1.6, 2.6), (-1.3, 1.8))):
    """Points on an ``n`` by ``n`` grid covering the moons; returns (xx, yy, points)."""
    xx, yy = np.meshgrid(np.linspace(*lim[0], n), np.linspace(*lim[1], n))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])  # (n * n, 2)


def moons_accuracies(model) -> tuple[float, float]:
    """Training and validation accuracy of a moons model, in inference mode (dropout off)."""
    X_train, y_train, X_val, y_val = moons()
    return (model.evaluate(X_train, y_train)["accuracy"],
            model.evaluate(X_val, y_val)["accuracy"])


def probability(model, points) -> np.ndarray:
    """P(class 1) that a one-logit model gives each point."""
    return 1.0 / (1.0 + np.exp(-model.predict(points)[:, 0]))


# --8<-- [start:moons_fit]
def fit_moons(model, weight_decay=0.0, epochs=TOY_EPOCHS, extra_callbacks=(), data=None):
    """Train a one-logit model on the moons, full batch, with Adam and optional L2."""
    X_train, y_train, X_val, y_val = data or moons()
    model.compile(optimizers.Adam(lr=0.01, weight_decay=weight_decay),
                  losses.BinaryCrossEntropy(from_logits=True), metrics=["accuracy"])
    validation = None if X_val is None else (X_val, y_val)
    history = model.fit(X_train, y_train, epochs=epochs, batch_size=len(X_train),
                        validation_data=validation, callbacks=list(extra_callbacks),
                        verbose=0)
    return model, history
# --8<-- [end:moons_fit]


# --8<-- [start:capacity_models]
CAPACITY = {
    "single neuron": lambda seed=0: mlp([2, 1], seed=seed),
    "small MLP (2-8-1, tanh)": lambda seed=0: mlp([2, 8, 1], layers.Tanh, "glorot_uniform",
                                                  seed=seed),
    "deep MLP (2-64-64-64-1, ReLU)": lambda seed=0: mlp([2, 64, 64, 64, 1], seed=seed),
}
# --8<-- [end:capacity_models]


@cache
def capacity_run(name: str, seed: int = 0):
    """One of the :data:`CAPACITY` models trained on the moons: (model, history).

    The figures show ``seed=0``; the tests check their claims on other seeds too."""
    return fit_moons(CAPACITY[name](seed))


# --8<-- [start:regularised]
REGULARISED = {
    "no regularisation": dict(),
    f"L2, λ = {L2_LAMBDA:g}": dict(weight_decay=L2_LAMBDA),
    f"dropout, p = {DROPOUT_P:g}": dict(dropout=DROPOUT_P),
}


@cache
def regularised_run(name: str):
    """The deep MLP of the capacity figure, trained with one kind of regularisation."""
    options = REGULARISED[name]
    if not options:
        return capacity_run("deep MLP (2-64-64-64-1, ReLU)")
    model = mlp([2, 64, 64, 64, 1], dropout=options.get("dropout", 0.0), seed=0)
    return fit_moons(model, weight_decay=options.get("weight_decay", 0.0))
# --8<-- [end:regularised]


# --8<-- [start:early_stopping]
@cache
def early_stopping_run():
    """The unregularised deep MLP again, stopped by EarlyStopping on the validation loss."""
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=PATIENCE,
                                      restore_best_weights=True)
    model, history = fit_moons(mlp([2, 64, 64, 64, 1], seed=0), extra_callbacks=[stopper])
    return model, history, stopper
# --8<-- [end:early_stopping]


# --8<-- [start:snapshots]
@cache
def boundary_snapshots():
    """P(class 1) on a grid every 5 epochs while a BOUNDARY_NETWORK tanh network trains."""
    _, _, points = grid()
    snapshot = callbacks.Snapshot(fn=lambda m: probability(m, points), every=5)
    model = mlp(BOUNDARY_NETWORK, layers.Tanh, "glorot_uniform", seed=3)
    X, y = clean_moons()
    fit_moons(model, epochs=SNAPSHOT_EPOCHS[-1], extra_callbacks=[snapshot],
              data=(X, y, None, None))
    keep = [snapshot.epochs.index(e) for e in SNAPSHOT_EPOCHS]
    return SNAPSHOT_EPOCHS, [snapshot.values[i] for i in keep]
# --8<-- [end:snapshots]



# --- a hyperparameter sweep -------------------------------------------------------

SWEEP_LRS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
SWEEP_BATCHES = (8, 32, 128)
SWEEP_EPOCHS = 5
SWEEP_SEEDS = range(5)  # the tests repeat the sweep from these; the figure is seed 0


# --8<-- [start:sweep]
@cache
def sweep(seed: int = 0) -> np.ndarray:
    """Validation accuracy of a 64-32-10 network for every (batch size, learning rate) pair.

    Plain SGD, the same seed and the same number of epochs for every cell of the grid.
    Returns an array of shape ``(len(SWEEP_BATCHES), len(SWEEP_LRS))``.
    """
    X_train, X_val, _, y_train, y_val, _ = digits_split()
    scores = np.zeros((len(SWEEP_BATCHES), len(SWEEP_LRS)))
    for i, batch_size in enumerate(SWEEP_BATCHES):
        for j, lr in enumerate(SWEEP_LRS):
            model = mlp([64, 32, 10], seed=seed)
            model.compile(optimizers.SGD(lr=lr), losses.CrossEntropy())
            model.fit(X_train, y_train, epochs=SWEEP_EPOCHS, batch_size=batch_size, verbose=0)
            scores[i, j] = model.evaluate(X_val, y_val)["accuracy"]
    return scores
# --8<-- [end:sweep]


@cache
def sweep_cell(batch_size: int, lr: float, seed: int = 0):
    """One cell of the sweep again: (first-layer units inactive on every training image,
    first-layer units, training loss per epoch)."""
    X_train, _, _, y_train, _, _ = digits_split()
    model = mlp([64, 32, 10], seed=seed)
    model.compile(optimizers.SGD(lr=lr), losses.CrossEntropy())
    history = model.fit(X_train, y_train, epochs=SWEEP_EPOCHS, batch_size=batch_size,
                        verbose=0)
    dense = model.layers[0]
    active = (X_train @ dense.params["W"] + dense.params["b"]) > 0
    return int((active.sum(axis=0) == 0).sum()), active.shape[1], history.history["loss"]
