"""Sequential: a stack of layers with the Keras workflow (compile, fit, evaluate, predict).

A whole run is reproducible: ``Sequential(layers, seed=0)`` redraws every layer's parameters
from one generator, which then also shuffles the data and draws the dropout masks.
"""

from __future__ import annotations

import json

import numpy as np

from glassnet import layers as layers_module
from glassnet import losses, metrics, optimizers
from glassnet._checks import as_float_array, check_positive_int, check_probability
from glassnet.layers.base import Layer


class History:
    """What ``fit`` returns: ``history`` maps each metric to its per-epoch values, as Keras.

    ``history.history["loss"][e]`` is the mean training loss of epoch ``e``: the batch losses
    of that epoch, weighted by batch size, each taken in training mode (dropout active) with
    the weights of that moment, so not the loss of the weights the epoch ends with (as in
    Keras). ``val_`` entries are computed after the epoch, in evaluation mode. ``epoch``
    lists the epoch indices (from 0).
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def append(self, epoch: int, logs: dict) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


class Sequential:
    """A feed-forward network: the output of each layer is the input of the next.

    Parameters
    ----------
    layers : list of Layer
    seed : int, numpy Generator or None
        If given, every layer's parameters are redrawn from it (in order), and the same
        generator shuffles the data and draws dropout masks: the same seed gives the same run.
    dtype : float64 (default, for accurate gradient checks) or float32 (faster, less exact).
    """

    def __init__(self, layers, seed=None, dtype=np.float64) -> None:
        self.layers = list(layers)
        for layer in self.layers:
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: expected Layer objects, got {layer!r}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"Sequential: expected dtype float32 or float64, got {self.dtype}")
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        for layer in self.layers:
            if seed is not None:
                layer.reset(self.rng)
            layer.astype(self.dtype)
        self.optimizer = self.loss = None
        self.metrics: dict = {}
        self.stop_training = False
        self.input_shape: tuple | None = None
        self._steps, self._callbacks = 0, []  # Gradient steps of the current fit, its callbacks.

    def compile(self, optimizer="sgd", loss="mse", metrics=("accuracy",)) -> Sequential:
        """Choose the optimizer, the loss and the metrics (objects or names like ``"adam"``)."""
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)
        self.metrics = dict(_metric(m) for m in metrics)
        return self

    # --- the forward and backward passes -----------------------------------------------

    # --8<-- [start:forward]
    def forward(self, X, training: bool = False) -> np.ndarray:
        """Run ``X`` through every layer; returns the network's output ``y_hat``."""
        for layer in self.layers:
            X = layer.forward(X, training=training)
        return X
    # --8<-- [end:forward]

    # --8<-- [start:backward]
    def backward(self, dout) -> np.ndarray:
        """Backpropagate ``dout`` = dL/dy_hat through every layer, last to first, each one
        accumulating its parameter gradients; returns dL/dX."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout
    # --8<-- [end:backward]

    # --8<-- [start:backward_params]
    def backward_params(self, dout) -> None:
        """``backward`` without the gradients training never uses, as PyTorch's autograd
        skips those that nothing requires. Nothing is computed below the lowest layer with
        trainable parameters; that layer only accumulates its parameter gradients (no
        dL/dX); a frozen layer above it only passes the gradient on (``backward_input``).
        With nothing frozen this saves the first layer's dL/dX, for a first ``Dense`` layer
        one of its three equally large matrix products (forward, dW, dX); with frozen
        features it saves their whole backward pass."""
        lowest = self.lowest_trainable()
        if lowest is None:
            return
        for layer in reversed(self.layers[lowest + 1:]):
            dout = layer.backward(dout) if _learns(layer) else layer.backward_input(dout)
        self.layers[lowest].backward_params(dout)

    def lowest_trainable(self) -> int | None:
        """Index of the first layer with parameters that training changes, or None."""
        return next((i for i, layer in enumerate(self.layers) if _learns(layer)), None)
    # --8<-- [end:backward_params]

    def zero_grad(self) -> None:
        for layer in self.layers:
            layer.zero_grad()

    def train_on_batch(self, X, y) -> float:
        """One gradient step on one batch; returns the batch loss before the step."""
        X, y = self._check_data(X, y, "Sequential.train_on_batch", need_compile=True)
        return self._train_step(X, y)[1]

    # --8<-- [start:train_step]
    def _train_step(self, X, y):
        self.zero_grad()
        y_hat = self.forward(X, training=True)
        loss = self.loss.forward(y_hat, y)
        self.backward_params(self.loss.backward())  # backward(), without the unused dL/dX
        self.optimizer.step(self.layers)
        return y_hat, loss
    # --8<-- [end:train_step]

    # --- training and evaluation --------------------------------------------------------

    def fit(self, X, y, epochs: int = 1, batch_size: int = 32, validation_data=None,
            validation_split: float = 0.0, shuffle: bool = True, callbacks=None,
            verbose: int = 1) -> History:
        """Train for ``epochs`` passes over ``(X, y)`` in shuffled mini-batches.

        ``validation_split`` holds out that fraction of the rows (the last ones, before
        shuffling) as validation data. ``verbose``: 0 silent, 1 about ten lines per run (every
        ``epochs // 10`` epochs, and the last), 2 one line per epoch. Returns a ``History``.
        """
        X, y = self._check_data(X, y, "Sequential.fit", need_compile=True)
        epochs = check_positive_int(epochs, "epochs", "Sequential.fit")
        batch_size = check_positive_int(batch_size, "batch_size", "Sequential.fit")
        X, y, validation_data = self._split(X, y, validation_data, validation_split)
        callbacks = list(callbacks or [])
        self.history, self.stop_training = History(), False
        for cb in callbacks:
            cb.set_model(self)
            cb.on_train_begin()
        self._steps, self._callbacks = 0, callbacks
        for epoch in range(epochs):
            logs = self._train_epoch(X, y, batch_size, shuffle)
            if validation_data is not None:
                val = self.evaluate(*validation_data)
                logs.update({f"val_{key}": value for key, value in val.items()})
            self.history.append(epoch, logs)
            for cb in callbacks:
                cb.on_epoch_end(epoch, logs)
            self._report(epoch, epochs, logs, verbose)
            if self.stop_training:
                break
        for cb in callbacks:
            cb.on_train_end()
        return self.history

    def _train_epoch(self, X, y, batch_size: int, shuffle: bool) -> dict:
        """One pass over the data; returns the batch-size-weighted means of loss and metrics."""
        n = X.shape[0]
        order = self.rng.permutation(n) if shuffle else None
        totals = dict.fromkeys(["loss", *self.metrics], 0.0)
        for start in range(0, n, batch_size):
            if shuffle:  # Gathering batch by batch keeps each batch hot in the CPU cache.
                idx = order[start:start + batch_size]
                Xb, yb = X.take(idx, axis=0), y.take(idx, axis=0)
            else:
                Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            for cb in self._callbacks:
                cb.on_batch_begin(self._steps)
            y_hat, loss = self._train_step(Xb, yb)
            self._steps += 1
            totals["loss"] += loss * Xb.shape[0]
            for name, fn in self.metrics.items():
                totals[name] += fn(y_hat, yb, self._threshold()) * Xb.shape[0]
        return {key: value / n for key, value in totals.items()}

    def evaluate(self, X, y, batch_size: int | None = None) -> dict:
        """Loss and metrics on ``(X, y)`` in inference mode: ``{"loss": ..., "accuracy": ...}``."""
        X, y = self._check_data(X, y, "Sequential.evaluate", need_compile=True)
        y_hat = self.predict(X, batch_size)
        logs = {"loss": self.loss.forward(y_hat, y)}
        for name, fn in self.metrics.items():
            logs[name] = fn(y_hat, y, self._threshold())
        return logs

    def predict(self, X, batch_size: int | None = None) -> np.ndarray:
        """Outputs for ``X`` of shape ``(n, ...)`` in inference mode (dropout off)."""
        X = as_float_array(X, "Sequential.predict", dtype=self.dtype)
        self.input_shape = X.shape[1:]
        if batch_size is None:
            return self.forward(X)
        batch_size = check_positive_int(batch_size, "batch_size", "Sequential.predict")
        chunks = [self.forward(X[i:i + batch_size]) for i in range(0, X.shape[0], batch_size)]
        return np.concatenate(chunks)

    # --- inspection, weights, saving ----------------------------------------------------

    def num_params(self, trainable: bool | None = None) -> int:
        """Number of learned scalars: all of them, or only the trainable (or frozen) ones."""
        return sum(layer.num_params() for layer in self.layers
                   if trainable is None or layer.trainable == trainable)

    # --8<-- [start:freeze]
    def freeze(self, layers=None, trainable: bool = False) -> Sequential:
        """Freeze ``layers`` (indices or layer objects; default all): optimizers skip them.

        ``freeze(..., trainable=True)`` unfreezes them. In training a frozen layer gets no
        gradients for its own parameters, and below the lowest layer that still learns no
        gradient is computed at all (see ``backward_params``); a frozen layer between
        trainable ones still passes the gradient on to them. Freezing does not change the
        forward pass: a frozen ``BatchNorm`` still normalises with the batch's statistics in
        training and updates its running ones, as in PyTorch (Keras instead runs a frozen
        ``BatchNormalization`` on its running statistics and leaves them alone).
        """
        chosen = self.layers if layers is None else [
            self.layers[item] if isinstance(item, int) else item for item in layers]
        for layer in chosen:
            if layer not in self.layers:
                raise ValueError(f"Sequential.freeze: {layer!r} is not a layer of this model")
            layer.trainable = trainable
        return self
    # --8<-- [end:freeze]

    def summary(self, input_shape: tuple | None = None) -> str:
        """Print and return a table of layers, output shapes and parameter counts."""
        shape = input_shape or self.input_shape or _guess_input_shape(self.layers[0])
        rows = [("layer", "output shape", "params")]
        for layer in self.layers:
            shape = layer.output_shape(tuple(shape)) if shape is not None else None
            out = "?" if shape is None else str(("batch", *shape)).replace("'", "")
            frozen = "" if layer.trainable else " (frozen)"
            rows.append((layer.name + frozen, out, f"{layer.num_params():,}"))
        w = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [f"{a:<{w[0]}}  {b:<{w[1]}}  {c:>{w[2]}}" for a, b, c in rows]
        rule = "-" * len(lines[0])
        text = "\n".join([lines[0], rule, *lines[1:], rule,
                          f"total params: {self.num_params():,}",
                          f"trainable params: {self.num_params(trainable=True):,}",
                          f"non-trainable params: {self.num_params(trainable=False):,}"])
        print(text)
        return text

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every parameter and state array, layer by layer, in a fixed order."""
        return [arr.copy() for arr in self._weight_arrays()]

    def set_weights(self, weights) -> None:
        """Load arrays from ``get_weights`` (same order and shapes) into the layers."""
        targets = self._weight_arrays()
        if len(weights) != len(targets):
            raise ValueError(f"Sequential.set_weights: expected {len(targets)} arrays, "
                             f"got {len(weights)}")
        for i, (target, new) in enumerate(zip(targets, weights, strict=True)):
            if np.shape(new) != target.shape:
                raise ValueError(f"Sequential.set_weights: array {i} should have shape "
                                 f"{target.shape}, got {np.shape(new)}")
            np.copyto(target, new, casting="same_kind")

    def _weight_arrays(self) -> list[np.ndarray]:
        return [arr for layer in self.layers
                for arr in [*layer.params.values(), *layer.state.values()]]

    def save(self, path) -> None:
        """Save the architecture (layer names and configs, as JSON) and weights to ``.npz``."""
        spec = {"format": "glassnet.Sequential", "version": 1, "dtype": self.dtype.name,
                "layers": [{"class": type(layer).__name__, "config": layer.config(),
                            "trainable": layer.trainable} for layer in self.layers]}
        arrays = {f"w{i}": w for i, w in enumerate(self._weight_arrays())}
        np.savez(path, spec=np.array(json.dumps(spec)), **arrays)

    @classmethod
    def load(cls, path) -> Sequential:
        """Rebuild a model saved by ``save`` (compile it again before training)."""
        with np.load(path, allow_pickle=False) as data:
            spec = json.loads(str(data["spec"]))
            registry = layer_registry()
            unknown = [e["class"] for e in spec["layers"] if e["class"] not in registry]
            if unknown:
                raise ValueError(f"Sequential.load: unknown layer classes {unknown} in {path}")
            model = cls([registry[e["class"]](**e["config"]) for e in spec["layers"]],
                        dtype=spec["dtype"])
            model.set_weights([data[f"w{i}"] for i in range(len(model._weight_arrays()))])
            for layer, entry in zip(model.layers, spec["layers"], strict=True):
                layer.trainable = bool(entry.get("trainable", True))
        return model

    # --- helpers ------------------------------------------------------------------------

    def _check_data(self, X, y, where: str, need_compile: bool = False):
        if need_compile and self.loss is None:
            raise RuntimeError(f"{where}: call compile(optimizer, loss) first")
        X = as_float_array(X, where, dtype=self.dtype)
        y = np.asarray(y)
        if X.ndim == 0 or X.shape[0] == 0:
            raise ValueError(f"{where}: the dataset is empty (X has shape {X.shape})")
        if y.ndim == 0 or y.shape[0] != X.shape[0]:
            raise ValueError(f"{where}: X has {X.shape[0]} rows but y has shape {y.shape}")
        if y.dtype.kind == "f":
            y = as_float_array(y, where + " (targets)", dtype=self.dtype)
        self.input_shape = X.shape[1:]
        return X, y

    def _split(self, X, y, validation_data, validation_split: float):
        if validation_data is not None:
            Xv, yv = self._check_data(*validation_data, "Sequential.fit (validation_data)")
            return X, y, (Xv, yv)
        split = check_probability(validation_split, "validation_split", "Sequential.fit")
        n_val = int(round(X.shape[0] * split))
        if n_val == 0:
            return X, y, None
        if n_val == X.shape[0]:
            raise ValueError("Sequential.fit: validation_split leaves no training rows")
        return X[:-n_val], y[:-n_val], (X[-n_val:], y[-n_val:])

    def _threshold(self) -> float:
        """Decision threshold for one-output accuracy: 0 for logits, 0.5 for probabilities."""
        logits = isinstance(self.loss, losses.BinaryCrossEntropy) and self.loss.from_logits
        return 0.0 if logits else 0.5

    def _report(self, epoch: int, epochs: int, logs: dict, verbose: int) -> None:
        every = 1 if verbose == 2 else max(1, epochs // 10)
        last = epoch + 1 == epochs or self.stop_training
        if not verbose or ((epoch + 1) % every and not last):
            return
        values = "  ".join(f"{key} {value:.4f}" for key, value in logs.items())
        print(f"epoch {epoch + 1:>{len(str(epochs))}}/{epochs}  {values}")

    def __repr__(self) -> str:
        return f"Sequential([{', '.join(layer.name for layer in self.layers)}])"


def layer_registry() -> dict[str, type]:
    """Every layer class exported by ``glassnet.layers``, by class name."""
    return {name: obj for name, obj in vars(layers_module).items()
            if isinstance(obj, type) and issubclass(obj, Layer)}


def _metric(metric) -> tuple[str, object]:
    """A ``(name, fn)`` pair from a metric name or a function ``fn(y_hat, y, threshold)``."""
    if isinstance(metric, str):
        return metric, metrics.get(metric)
    return metric.__name__, metric


def _guess_input_shape(layer):
    for attr in ("n_in", "n"):
        if isinstance(getattr(layer, attr, None), int):
            return (getattr(layer, attr),)
    return None


def _learns(layer) -> bool:
    """Whether training changes ``layer``: it has parameters and is not frozen."""
    return bool(layer.params) and layer.trainable
