"""Figures for the data page: training against validation curves on the digits."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from glassnet_site.examples import training as tm

from .layout import panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style


def training_curves(style: Style, layout: str = "wide") -> Figure:
    """Loss and accuracy per epoch of the digits network, training against validation."""
    history = tm.digits_run()[1].history
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, axes = panels(layout, 2, size=(7.5, 3.0), panel_height=2.8)
    for ax, key, ylabel in ((axes[0], "loss", "loss (cross-entropy)"),
                            (axes[1], "accuracy", "accuracy")):
        for i, (prefix, label) in enumerate((("", "training"), ("val_", "validation"))):
            ax.plot(epochs, history[prefix + key], color=style.series[i],
                    linestyle=LINESTYLES[i], marker=MARKERS[i], markevery=5, markersize=4,
                    label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_yscale("log")
    axes[1].set_ylim(0.8, 1.0)
    axes[1].legend(fontsize=8, loc="lower right")
    return fig


def _history_data() -> dict:
    """Loss and accuracy per epoch of the digits network, training and validation."""
    history = tm.digits_run()[1].history
    keys = ("loss", "val_loss", "accuracy", "val_accuracy")
    return {"epoch": np.arange(1, len(history["loss"]) + 1), **{k: history[k] for k in keys}}


def _last(key: str, fmt: str = ".1%"):
    return lambda: format(tm.digits_run()[1].history[key][-1], fmt)


FIGURES = (
    FigureSpec("training_curves", training_curves,
               "Loss and accuracy per epoch on the digits, training against validation",
               data=_history_data),
)

def _network_sizes() -> str:
    """``64-64-10``: the input size, then each Dense layer's width, read off the model."""
    shapes = [layer.params["W"].shape for layer in tm.digits_run()[0].layers
              if "W" in layer.params]
    return "-".join(str(n) for n in [shapes[0][0], *(shape[1] for shape in shapes)])


FACTS = (
    Fact("digits_network", _network_sizes, "Layer sizes of the digits network"),
    Fact("digits_epochs", lambda: f"{len(tm.digits_run()[1].epoch)}",
         "Epochs of the digits network"),
    Fact("digits_train_acc", _last("accuracy"), "Final training accuracy on the digits"),
    Fact("digits_val_acc", _last("val_accuracy"), "Final validation accuracy on the digits"),
    Fact("digits_train_loss", _last("loss", ".3f"), "Final training loss on the digits"),
    Fact("digits_val_loss", _last("val_loss", ".3f"), "Final validation loss on the digits"),
    Fact("digits_best_val_epoch",
         lambda: f"{int(np.argmin(tm.digits_run()[1].history['val_loss'])) + 1}",
         "Epoch of the lowest validation loss on the digits"),
)
