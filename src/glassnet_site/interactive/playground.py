r"""The training playground: every combination of a small grid, trained by glassnet.

A combination is a dataset, a network, an activation, a learning rate and a regulariser.
Each is trained full-batch with SGD and momentum from the same seed, so two combinations
differ only in what the reader changed. Along the way the run records, per epoch, the
training loss (as the optimiser sees it, dropout on) and the validation loss, and at a few
snapshot epochs the network's probability $P(y = 1 \mid x)$ over a grid covering the data
and the output of every unit of every hidden layer over a coarser grid.

A network without a hidden layer is logistic regression: its activation and dropout have
nothing to act on, so those combinations share one run (see ``Combo.canonical``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from itertools import product

import numpy as np

from glassnet import layers, losses, optimizers
from glassnet.data import (
    make_blobs,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    standardize,
)
from glassnet.metrics import accuracy
from glassnet.model import Sequential
from glassnet_site.interactive.packing import pack, quantize

# --8<-- [start:grid]
# Each dataset: its generator and arguments (n points, then split train / validation).
DATASETS = {
    "xor": (make_xor, {"noise": 0.15, "seed": 1}),
    "circles": (make_circles, {"noise": 0.08, "factor": 0.5, "seed": 2}),
    "moons": (make_moons, {"noise": 0.2, "seed": 3}),
    "spirals": (make_spirals, {"noise": 0.05, "seed": 4}),
    "blobs": (make_blobs, {"centers": 2, "std": 2.0, "seed": 5}),
}
NETWORKS = {"0": (), "4": (4,), "8": (8,), "8-8": (8, 8), "8-8-8": (8, 8, 8)}
# Activation layer, weight initialiser, and the output value that counts as "off".
ACTIVATIONS = {"relu": (layers.ReLU, "he_normal", 0.0),
               "tanh": (layers.Tanh, "glorot_uniform", 0.0),
               "sigmoid": (layers.Sigmoid, "glorot_uniform", 0.5)}
LEARNING_RATES = (0.01, 0.1, 0.3, 1.0)
REGULARISERS = ("none", "l2", "dropout")


@dataclass(frozen=True)
class Grid:
    """Everything a playground run depends on besides the combination (part of the cache key)."""

    n_train: int = 160
    n_val: int = 80
    epochs: int = 150
    snapshots: tuple = (0, 1, 2, 4, 7, 10, 15, 20, 30, 45, 60, 80, 100, 125, 150)
    size: int = 48          # probability grid, size x size cells
    hidden_size: int = 24   # hidden-unit grid
    hidden_levels: int = 32  # steps from lowest to highest hidden output; even, so rest is a byte
    momentum: float = 0.9
    l2: float = 0.01        # weight_decay of the optimiser: lambda in g + lambda * theta
    dropout: float = 0.2
    seed: int = 0

    def spec(self) -> dict:
        """The grid and the choices as plain JSON, for the manifest and the cache key."""
        return {"grid": asdict(self), "datasets": list(DATASETS), "networks": list(NETWORKS),
                "activations": list(ACTIVATIONS), "lrs": list(LEARNING_RATES),
                "regs": list(REGULARISERS)}
# --8<-- [end:grid]


@dataclass(frozen=True)
class Combo:
    """One combination of the playground: names from the tables above."""

    dataset: str
    network: str
    activation: str
    lr: float
    reg: str

    @property
    def key(self) -> str:
        return f"{self.dataset}_{self.network}_{self.activation}_{self.lr:g}_{self.reg}"

    def canonical(self) -> Combo:
        """The combination whose run this one shares: without a hidden layer, activation
        and dropout change nothing (the activation is written ``linear``)."""
        if NETWORKS[self.network]:
            return self
        reg = "none" if self.reg == "dropout" else self.reg
        return Combo(self.dataset, self.network, "linear", self.lr, reg)


# The first view a reader sees: a network that visibly bends its boundary to the moons
# within the epochs shown (tests/test_interactive.py checks this against a straight line).
DEFAULT = Combo("moons", "8", "relu", 0.3, "none")


def all_combos() -> list[Combo]:
    """Every combination a reader can pick (5 x 5 x 3 x 4 x 3 = 900)."""
    return [Combo(*c) for c in product(DATASETS, NETWORKS, ACTIVATIONS, LEARNING_RATES,
                                       REGULARISERS)]


def unique_combos() -> list[Combo]:
    """The combinations that need a run of their own, in a fixed order."""
    return list(dict.fromkeys(c.canonical() for c in all_combos()))


@cache
def dataset(name: str, grid: Grid = Grid()):
    """Standardised float32 ``(X_train, y_train, X_val, y_val)`` and the half-width of the
    square view ``[-L, L]^2`` that holds every point; labels have shape ``(n, 1)``."""
    make, kwargs = DATASETS[name]
    X_all, y = make(grid.n_train + grid.n_val, **kwargs)
    X, mean, std = standardize(X_all[:grid.n_train])  # statistics of the training rows only
    X_val, _, _ = standardize(X_all[grid.n_train:], mean, std)
    y = y[:, None].astype(np.float32)  # (n, 1): one logit per point
    half = float(np.ceil(max(np.abs(X).max(), np.abs(X_val).max()) * 1.1 * 4) / 4)
    return (X.astype(np.float32), y[:grid.n_train], X_val.astype(np.float32),
            y[grid.n_train:], half)


def grid_points(half: float, size: int) -> np.ndarray:
    """Centres of a ``size x size`` grid over ``[-half, half]^2``, shape ``(size * size, 2)``.

    Row 0 is the top of the picture (largest $x_2$); within a row $x_1$ grows.
    """
    centres = -half + (np.arange(size) + 0.5) * (2 * half / size)
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)


# --8<-- [start:build_model]
def build_model(combo: Combo, grid: Grid = Grid()) -> Sequential:
    """The compiled network of ``combo``: Dense layers with the activation (and dropout)
    between them, one logit out, binary cross-entropy on logits, SGD with momentum."""
    act, init, _ = ACTIVATIONS.get(combo.activation, (None, "glorot_uniform", 0.0))
    stack, n_in = [], 2
    for n_out in NETWORKS[combo.network]:
        stack += [layers.Dense(n_in, n_out, init), act()]
        if combo.reg == "dropout":
            stack.append(layers.Dropout(grid.dropout))
        n_in = n_out
    stack.append(layers.Dense(n_in, 1))
    model = Sequential(stack, seed=grid.seed, dtype=np.float32)
    decay = grid.l2 if combo.reg == "l2" else 0.0
    model.compile(optimizers.SGD(combo.lr, momentum=grid.momentum, weight_decay=decay),
                  losses.BinaryCrossEntropy(from_logits=True), metrics=())
    return model
# --8<-- [end:build_model]


def hidden_outputs(model: Sequential, X) -> list[np.ndarray]:
    """The output of each hidden layer for inputs ``X``, first to last: glassnet's own
    forward pass in inference mode (dropout off), read after every activation layer."""
    outputs = []
    for layer in model.layers[:-1]:  # the last Dense layer makes the logit
        X = layer.forward(X, training=False)
        if not isinstance(layer, (layers.Dense, layers.Dropout)):
            outputs.append(X)
    return outputs


def snapshot(model: Sequential, combo: Combo, points, hidden_points) -> dict:
    """Probability over ``points`` and every hidden layer's outputs over ``hidden_points``.

    Layer ``l`` (from 1) gives ``hidden{l}``, shape ``(H_l, points)``, and ``scale{l}``,
    ``(H_l,)``: each unit's output is centred on its "off" value (0, or 0.5 for sigmoid) and
    divided by its largest absolute value on the grid, ``scale``, so it lies in [-1, 1].
    """
    logits = model.predict(points)[:, 0]
    shot = {"prob": 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))}
    if NETWORKS[combo.network]:
        rest = ACTIVATIONS[combo.activation][2]
        for number, out in enumerate(hidden_outputs(model, hidden_points), start=1):
            a = out.astype(np.float64) - rest
            scale = np.abs(a).max(axis=0)  # (H,): one scale per unit
            scale[scale == 0] = 1.0
            shot[f"hidden{number}"], shot[f"scale{number}"] = (a / scale).T, scale
    return shot


def train_combo(combo: Combo, grid: Grid = Grid()) -> tuple[dict, dict]:
    """Train ``combo``; returns ``(arrays, meta)`` for ``encode``, in float64.

    ``arrays``: ``train_loss`` and ``val_loss`` ``(epochs + 1,)`` (NaN after a divergence),
    ``prob`` ``(S, size * size)``, for each hidden layer ``l`` ``hidden{l}``
    ``(S, H_l, hidden_size ** 2)`` and ``scale{l}`` ``(S, H_l)``, ``train_acc`` and
    ``val_acc`` ``(S,)`` for the ``S`` snapshot epochs.
    """
    X, y, X_val, y_val, half = dataset(combo.dataset, grid)
    model = build_model(combo, grid)
    points, hidden_points = grid_points(half, grid.size), grid_points(half, grid.hidden_size)
    losses_ = np.full((2, grid.epochs + 1), np.nan)
    shots, diverged = [], None
    with np.errstate(all="ignore"):
        for epoch in range(grid.epochs + 1):
            try:
                if epoch in grid.snapshots:
                    shots.append(_record(model, combo, (X, y, X_val, y_val),
                                         points, hidden_points))
                losses_[:, epoch] = _epoch(model, X, y, X_val, y_val, epoch < grid.epochs)
            except ValueError:  # the inputs of a layer became infinite: the run blew up
                losses_[:, epoch] = np.nan
            if not np.isfinite(losses_[:, epoch]).all():
                diverged = epoch
                break
    shots += [shots[-1]] * (len(grid.snapshots) - len(shots))  # frozen after a blow-up
    arrays = {key: np.stack([s[key] for s in shots]) for key in shots[0]}
    arrays["train_loss"], arrays["val_loss"] = losses_
    return arrays, {"key": combo.key, "diverged": diverged, "half": half}


def _epoch(model, X, y, X_val, y_val, step: bool) -> tuple[float, float]:
    """Validation loss now, and the training loss of one full-batch step (or of a
    training-mode forward pass at the last epoch, which takes no step)."""
    val = model.loss.forward(model.predict(X_val), y_val)
    if step:
        return model.train_on_batch(X, y), val
    return model.loss.forward(model.forward(X, training=True), y), val


def _record(model, combo, data, points, hidden_points) -> dict:
    X, y, X_val, y_val = data
    shot = snapshot(model, combo, points, hidden_points)
    if not np.isfinite(shot["prob"]).all():
        raise ValueError("the network's output is not finite")
    shot["train_acc"] = accuracy(model.predict(X), y, 0.0)
    shot["val_acc"] = accuracy(model.predict(X_val), y_val, 0.0)
    return shot


def encode(arrays: dict, meta: dict, grid: Grid = Grid()) -> bytes:
    """The compact file of one run: probabilities and unit outputs as delta-filtered bytes
    on their grids (``hidden{l}``, ``(S, H_l, hidden_size, hidden_size)``, for each hidden
    layer ``l``, in ``hidden_levels`` steps), losses and scales (``hidden_scale{l}``) as
    float32."""
    S, size, hs = len(grid.snapshots), grid.size, grid.hidden_size
    out = {"epochs": np.asarray(grid.snapshots, dtype=np.int32),
           "train_loss": arrays["train_loss"].astype(np.float32),
           "val_loss": arrays["val_loss"].astype(np.float32),
           "train_acc": arrays["train_acc"].astype(np.float32),
           "val_acc": arrays["val_acc"].astype(np.float32),
           "prob": quantize(arrays["prob"], 0.0, 1.0).reshape(S, size, size)}
    hidden = sorted((k for k in arrays if k.startswith("hidden")), key=lambda k: int(k[6:]))
    for name in hidden:
        H = arrays[name].shape[1]
        out[name] = quantize(arrays[name], -1.0, 1.0, grid.hidden_levels).reshape(S, H, hs, hs)
        out[f"hidden_scale{name[6:]}"] = arrays[f"scale{name[6:]}"].astype(np.float32)
    return pack(out, {**meta, "layers": len(hidden)}, delta=("prob", *hidden))
