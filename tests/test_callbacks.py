"""Callbacks: early stopping (and restoring the best weights), snapshots, hooks."""

import numpy as np
import pytest

from glassnet import Sequential
from glassnet.callbacks import Callback, EarlyStopping, LambdaCallback, Snapshot
from glassnet.layers import Dense
from glassnet.losses import MSE
from glassnet.optimizers import SGD


class Scripted(Callback):
    """Overwrites the monitored value with a scripted sequence, to test EarlyStopping alone."""

    def __init__(self, values):
        self.values = values

    def on_epoch_end(self, epoch, logs):
        logs["val_loss"] = self.values[epoch]


def line_model():
    return Sequential([Dense(1, 1)], seed=0).compile(SGD(0.01), MSE(), metrics=[])


def fit(callbacks, epochs=10, rng=None):
    rng = rng or np.random.default_rng(0)
    model = line_model()
    X = rng.standard_normal((16, 1))
    history = model.fit(X, 2 * X, epochs=epochs, batch_size=8, callbacks=callbacks, verbose=0)
    return model, history


def test_early_stopping_stops_after_patience_epochs_without_improvement():
    stop = EarlyStopping(patience=2)
    _, history = fit([Scripted([1.0, 0.5, 0.6, 0.7, 0.4, 0.3]), stop])
    assert history.epoch == [0, 1, 2, 3]
    assert (stop.best, stop.best_epoch, stop.stopped_epoch) == (0.5, 1, 3)


def test_early_stopping_min_delta_ignores_tiny_improvements():
    stop = EarlyStopping(patience=2, min_delta=0.1)
    _, history = fit([Scripted([1.0, 0.95, 0.92, 0.5, 0.4]), stop])
    assert history.epoch == [0, 1, 2]


def test_early_stopping_maximises_accuracy_in_auto_mode():
    stop = EarlyStopping(monitor="val_accuracy", patience=1)
    stop.on_train_begin()

    model = line_model()
    stop.set_model(model)
    for epoch, acc in enumerate([0.5, 0.8, 0.7]):
        stop.on_epoch_end(epoch, {"val_accuracy": acc})
    assert stop.best == 0.8 and model.stop_training


def test_early_stopping_restores_best_weights():
    snap = Snapshot(lambda m: m.get_weights()[0].copy(), every=1)
    stop = EarlyStopping(patience=2, restore_best_weights=True)
    model, _ = fit([snap, Scripted([3.0, 1.0, 2.0, 2.5, 2.7]), stop])
    np.testing.assert_array_equal(model.get_weights()[0], snap.values[2])  # After epoch 1.


def test_early_stopping_missing_monitor_names_available_keys():
    with pytest.raises(ValueError, match=r"monitor 'val_loss' is not among the logs \['loss'\]"):
        fit([EarlyStopping()])


def test_snapshot_records_initial_every_n_and_final_epoch():
    snap = Snapshot(lambda m: m.get_weights()[0].item(), every=3)
    fit([snap], epochs=7)
    assert snap.epochs == [0, 3, 6, 7]
    assert len(snap.values) == 4
    assert snap.values[0] != snap.values[-1]


def test_snapshot_rejects_every_below_one():
    with pytest.raises(ValueError, match="every >= 1"):
        Snapshot(lambda m: None, every=0)


def test_lambda_callback_sees_every_epoch():
    seen = []
    fit([LambdaCallback(lambda epoch, logs: seen.append((epoch, sorted(logs))))], epochs=3)
    assert seen == [(0, ["loss"]), (1, ["loss"]), (2, ["loss"])]
