"""Callbacks: code that ``Sequential.fit`` runs at fixed points of training.

A callback sees the model (``self.model``) and the epoch's ``logs`` (``{"loss": ...,
"val_loss": ...}``). It can stop training by setting ``model.stop_training = True``.
"""

from __future__ import annotations

import numpy as np


class Callback:
    """Base class with empty hooks; override the ones you need."""

    model = None

    def set_model(self, model) -> None:
        self.model = model

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called once before the first epoch."""

    def on_batch_begin(self, step: int) -> None:
        """Called before every gradient step; ``step`` counts the steps of this ``fit`` from 0."""

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Called after epoch ``epoch`` (counted from 0) with that epoch's metrics."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called once after the last epoch, or after training was stopped."""


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    Parameters
    ----------
    monitor : str
        A key of the logs, e.g. ``"val_loss"`` or ``"val_accuracy"``.
    patience : int
        Epochs without improvement to tolerate.
    min_delta : float
        Smallest change that counts as an improvement.
    mode : {"auto", "min", "max"}
        Whether lower or higher is better; ``"auto"`` maximises names containing "acc".
    restore_best_weights : bool
        At the end, put back the weights of the best epoch.

    Notes
    -----
    After training, ``best``, ``best_epoch`` and ``stopped_epoch`` (or ``None``) tell what
    happened.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 5, min_delta: float = 0.0,
                 mode: str = "auto", restore_best_weights: bool = False) -> None:
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: expected mode 'auto', 'min' or 'max', got {mode!r}")
        if mode == "auto":
            mode = "max" if "acc" in monitor else "min"
        self.monitor, self.patience, self.min_delta = monitor, int(patience), abs(min_delta)
        self.sign = 1.0 if mode == "min" else -1.0  # Compare sign * value: lower is better.
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self, logs=None) -> None:
        self.best, self.best_epoch, self.stopped_epoch = np.inf * self.sign, None, None
        self.wait, self.best_weights = 0, None

    # --8<-- [start:early_stopping_check]
    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        if self.monitor not in logs:
            raise ValueError(f"EarlyStopping: monitor {self.monitor!r} is not among the logs "
                             f"{sorted(logs)}; pass validation data to monitor 'val_' metrics")
        value = logs[self.monitor]
        if self.sign * value < self.sign * self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
    # --8<-- [end:early_stopping_check]

    def on_train_end(self, logs=None) -> None:
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)


class Snapshot(Callback):
    """Record ``fn(model)`` before training and every ``every`` epochs, for figures.

    ``fn`` might return ``model.get_weights()`` or the predictions on a grid of points.
    After training, ``epochs[i]`` is the number of epochs completed when ``values[i]`` was
    recorded (0 for the state before training); the final epoch is always recorded.

    Example: ``Snapshot(every=10, fn=lambda m: m.predict(grid))``.
    """

    def __init__(self, fn, every: int = 1, include_initial: bool = True) -> None:
        if every < 1:
            raise ValueError(f"Snapshot: expected every >= 1, got {every!r}")
        self.fn, self.every, self.include_initial = fn, int(every), include_initial
        self.epochs: list[int] = []
        self.values: list = []

    def on_train_begin(self, logs=None) -> None:
        self.epochs, self.values, self._last = [], [], None
        if self.include_initial:
            self._record(0)

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self._last = epoch + 1
        if (epoch + 1) % self.every == 0:
            self._record(epoch + 1)

    def on_train_end(self, logs=None) -> None:
        if self._last is not None and (not self.epochs or self.epochs[-1] != self._last):
            self._record(self._last)

    def _record(self, epochs_done: int) -> None:
        self.epochs.append(epochs_done)
        self.values.append(self.fn(self.model))


class LambdaCallback(Callback):
    """Call ``on_epoch_end(epoch, logs)`` given as a plain function, e.g. to log a value."""

    def __init__(self, on_epoch_end) -> None:
        self._on_epoch_end = on_epoch_end

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self._on_epoch_end(epoch, logs)


class LearningRateScheduler(Callback):
    """Set ``model.optimizer.lr = schedule(step)`` before every gradient step.

    ``schedule`` maps the step (counted from 0 in each ``fit``) to a learning rate, e.g.
    ``glassnet.schedules.WarmupCosine``. After training, ``lrs`` lists the rate of every step.
    """

    def __init__(self, schedule) -> None:
        self.schedule = schedule
        self.lrs: list[float] = []

    def on_train_begin(self, logs=None) -> None:
        self.lrs = []

    def on_batch_begin(self, step: int) -> None:
        lr = float(self.schedule(step))
        if not lr >= 0:
            raise ValueError(f"LearningRateScheduler: the schedule gave lr={lr!r} at step "
                             f"{step}; expected a number >= 0")
        self.model.optimizer.lr = lr
        self.lrs.append(lr)
