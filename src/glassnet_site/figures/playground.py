"""Facts for the training playground's page, computed from the playground's own runs.

Each "thing to try" on the page states what the runs show; these facts quote the same runs
the reader replays (``glassnet_site.interactive.playground.train_combo``), so the tips cannot
drift from the data.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from glassnet_site.interactive.playground import (
    ACTIVATIONS,
    DATASETS,
    LEARNING_RATES,
    NETWORKS,
    REGULARISERS,
    Combo,
    train_combo,
)

from .registry import Fact


@cache
def run(dataset: str, network: str, activation: str, lr: float, reg: str = "none") -> dict:
    """The arrays of one playground run (shared runs are trained once).

    Only a combination the reader can select is accepted, so a fact cannot quote a run that
    the playground does not offer.
    """
    offered = (DATASETS, NETWORKS, ACTIVATIONS, LEARNING_RATES, REGULARISERS)
    for value, choices in zip((dataset, network, activation, lr, reg), offered, strict=True):
        if value not in choices:
            raise ValueError(f"playground run: {value!r} is not one of the playground's "
                             f"choices {list(choices)}")
    return train_combo(Combo(dataset, network, activation, lr, reg).canonical())[0]


def val_accuracy(*combo) -> float:
    """Validation accuracy at the last epoch."""
    return float(run(*combo)["val_acc"][-1])


def loss_rises(*combo) -> int:
    """How many of the full-batch steps raised the training loss instead of lowering it."""
    return int(np.sum(np.diff(run(*combo)["train_loss"]) > 0))


def loss_at(epoch: int, *combo) -> float:
    """Training loss before step ``epoch`` (0 is the loss at initialisation)."""
    return float(run(*combo)["train_loss"][epoch])


def _pct(fn, *combo):
    return lambda: f"{fn(*combo):.0%}"


def _num(fn, *combo, fmt: str = ".2f"):
    return lambda: format(fn(*combo), fmt)


_MOONS = ("moons", "8-8-8", "relu")
_BLOBS = ("blobs", "8-8-8", "relu", 0.3)
SLOW_START = 10  # the epoch at which the activation tip compares training losses

FACTS = (
    *(Fact(f"pg_{d}_{n}_val", _pct(val_accuracy, d, n, "relu", 0.3),
           f"Playground: validation accuracy on {d}, network {n}, ReLU, learning rate 0.3")
      for d in ("xor", "circles") for n in ("0", "4")),
    *(Fact(f"pg_spirals_{n.replace('-', '_')}_val", _pct(val_accuracy, "spirals", n, "relu", 0.3),
           f"Playground: validation accuracy on the spirals, network {n}, ReLU, rate 0.3")
      for n in ("8", "8-8-8")),
    *(Fact(f"pg_spirals_{n.replace('-', '_')}_tanh_val",
           _pct(val_accuracy, "spirals", n, "tanh", 0.3),
           f"Playground: validation accuracy on the spirals, network {n}, tanh, rate 0.3")
      for n in ("8", "8-8-8")),
    *(Fact(f"pg_moons_lr{lr:g}_val".replace(".", "_"), _pct(val_accuracy, *_MOONS, lr),
           f"Playground: validation accuracy on the moons, 8-8-8 ReLU, learning rate {lr:g}")
      for lr in (0.01, 0.1, 0.3, 1.0)),
    Fact("pg_moons_lr1_rises", _num(loss_rises, *_MOONS, 1.0, fmt="d"),
         "Playground: steps that raised the training loss, moons, 8-8-8 ReLU, rate 1"),
    Fact("pg_moons_lr0_1_rises", _num(loss_rises, *_MOONS, 0.1, fmt="d"),
         "Playground: steps that raised the training loss, moons, 8-8-8 ReLU, rate 0.1"),
    Fact("pg_slow_epoch", lambda: str(SLOW_START), "Playground: epoch of the activation tip"),
    *(Fact(f"pg_moons_{act}_loss{epoch}", _num(loss_at, epoch, "moons", "8-8-8", act, 0.1),
           f"Playground: training loss at epoch {epoch}, moons, 8-8-8 {act}, rate 0.1")
      for act in ("relu", "tanh", "sigmoid") for epoch in (0, SLOW_START)),
    *(Fact(f"pg_blobs_{reg}_val", _pct(val_accuracy, *_BLOBS, reg),
           f"Playground: validation accuracy on the blobs, 8-8-8 ReLU, rate 0.3, {reg}")
      for reg in ("none", "l2", "dropout")),
    *(Fact(f"pg_blobs_{reg}_val_loss_min",
           lambda reg=reg: f"{np.nanmin(run(*_BLOBS, reg)['val_loss']):.2f}",
           f"Playground: lowest validation loss on the blobs, 8-8-8 ReLU, rate 0.3, {reg}")
      for reg in ("none", "l2", "dropout")),
    *(Fact(f"pg_blobs_{reg}_val_loss_end",
           lambda reg=reg: f"{run(*_BLOBS, reg)['val_loss'][-1]:.2f}",
           f"Playground: last validation loss on the blobs, 8-8-8 ReLU, rate 0.3, {reg}")
      for reg in ("none", "l2", "dropout")),
)
