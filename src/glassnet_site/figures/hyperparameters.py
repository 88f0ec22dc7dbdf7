"""Figures for the hyperparameters page: a real sweep of learning rate and batch size."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from glassnet_site.examples import training as tm

from . import _data
from .layout import panels
from .registry import Fact, FigureSpec
from .style import Style


def hyperparameter_sweep(style: Style, layout: str = "wide") -> Figure:
    """Validation accuracy over learning rate x batch size, as a heatmap with the values."""
    scores = tm.sweep()
    fig, (ax,) = panels(layout, size=(6.4, 2.6), panel_height=2.8)
    # A few flat cells and their labels: as SVG, with the cells kept as raw pixels
    # (no interpolation), the file is a fraction of the size of a PNG.
    image = ax.imshow(scores, cmap=style.sequential, vmin=0, vmax=1, aspect="auto",
                      interpolation="none")
    best = np.unravel_index(np.argmax(scores), scores.shape)
    for (i, j), value in np.ndenumerate(scores):
        text = f"{value:.0%}" + (" ★" if (i, j) == best else "")
        ax.text(j, i, text, ha="center", va="center", fontsize=9,
                color="black" if value > 0.6 else "white")
    ax.set_xticks(range(len(tm.SWEEP_LRS)), [f"{lr:g}" for lr in tm.SWEEP_LRS])
    ax.set_yticks(range(len(tm.SWEEP_BATCHES)), [str(b) for b in tm.SWEEP_BATCHES])
    ax.set_xlabel("learning rate η (plain SGD)")
    ax.set_ylabel("batch size")
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="validation accuracy", shrink=0.9)
    return fig


def _sweep_data() -> dict:
    """Validation accuracy of every cell of the sweep, one row per (batch size, lr)."""
    return _data.heatmap(tm.sweep(), "batch_size", "learning_rate", "val_accuracy",
                         tm.SWEEP_BATCHES, tm.SWEEP_LRS)


def _best():
    scores = tm.sweep()
    i, j = np.unravel_index(np.argmax(scores), scores.shape)
    return tm.SWEEP_BATCHES[i], tm.SWEEP_LRS[j], scores[i, j]


def _cell(batch: int, lr: float):
    return lambda: f"{tm.sweep()[tm.SWEEP_BATCHES.index(batch), tm.SWEEP_LRS.index(lr)]:.0%}"


FIGURES = (
    FigureSpec("hyperparameter_sweep", hyperparameter_sweep,
               "Validation accuracy over learning rate and batch size", fmt="svg",
               data=_sweep_data),
)

_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}

FACTS = (
    Fact("sweep_runs", lambda: f"{tm.sweep().size}", "Training runs in the sweep"),
    Fact("sweep_lr_range", lambda: f"{min(tm.SWEEP_LRS):g} to {max(tm.SWEEP_LRS):g}",
         "Smallest to largest learning rate of the sweep"),
    Fact("sweep_lr_count", lambda: _WORDS[len(tm.SWEEP_LRS)], "Learning rates in the sweep"),
    Fact("sweep_batch_count", lambda: _WORDS[len(tm.SWEEP_BATCHES)],
         "Batch sizes in the sweep"),
    Fact("sweep_batches", lambda: ", ".join(map(str, tm.SWEEP_BATCHES[:-1]))
         + f" and {tm.SWEEP_BATCHES[-1]}", "The sweep's batch sizes"),
    Fact("sweep_smallest_batch", lambda: str(min(tm.SWEEP_BATCHES)),
         "Smallest batch size of the sweep"),
    Fact("sweep_largest_lr", lambda: f"{max(tm.SWEEP_LRS):g}",
         "Largest learning rate of the sweep"),
    Fact("sweep_epochs", lambda: f"{tm.SWEEP_EPOCHS}", "Epochs per run in the sweep"),
    Fact("sweep_seed_count", lambda: _WORDS[len(tm.SWEEP_SEEDS)],
         "Seeds the tests repeat the whole sweep from, the figure's among them"),
    Fact("sweep_best_batch", lambda: f"{_best()[0]}", "Batch size of the best sweep cell"),
    Fact("sweep_best_lr", lambda: f"{_best()[1]:g}", "Learning rate of the best sweep cell"),
    Fact("sweep_best_acc", lambda: f"{_best()[2]:.0%}", "Validation accuracy of the best cell"),
    Fact("sweep_worst_acc", lambda: f"{tm.sweep().min():.0%}", "Worst cell of the sweep"),
    Fact("sweep_small_lr_big_batch", _cell(128, 0.003),
         "Accuracy with learning rate 0.003 and batch size 128"),
    Fact("sweep_big_lr_small_batch", _cell(8, 1.0),
         "Accuracy with learning rate 1 and batch size 8"),
    Fact("sweep_dead_units", lambda: "{} of {}".format(*tm.sweep_cell(8, 1.0)[:2]),
         "First-layer ReLU units inactive on every training image, batch 8, learning rate 1"),
    Fact("sweep_steps_small_batch", lambda: f"{_steps(8):,}",
         "SGD steps in the sweep with batches of 8"),
    Fact("sweep_steps_big_batch", lambda: f"{_steps(128):,}",
         "SGD steps in the sweep with batches of 128"),
)


def _steps(batch_size: int) -> int:
    n_train = len(tm.digits_split()[3])
    return tm.SWEEP_EPOCHS * -(-n_train // batch_size)
