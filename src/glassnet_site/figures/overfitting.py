"""Figures for the overfitting and regularisation page."""

from __future__ import annotations

from functools import cache

import numpy as np
from matplotlib.figure import Figure

from glassnet_site.examples import training as tm

from . import _data
from .boundaries import draw_boundary
from .layout import panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style

_NONE, _L2, _DROPOUT = tm.REGULARISED


@cache
def final_models() -> dict:
    """The four models of the comparison by label: overfit, early-stopped, L2, dropout."""
    return {
        "no regularisation": tm.regularised_run(_NONE)[0],
        "early stopping": tm.early_stopping_run()[0],
        _L2: tm.regularised_run(_L2)[0],
        _DROPOUT: tm.regularised_run(_DROPOUT)[0],
    }


def overfitting_boundary(style: Style, layout: str = "wide") -> Figure:
    """The same deep MLP, overfit and regularised three ways, on the noisy moons."""
    X, y, _, _ = tm.moons()
    _, _, points = tm.grid()
    models = final_models()
    fig, axes = panels(layout, len(models), size=(8.0, 2.6), narrow_columns=2,
                       panel_height=2.3)
    for ax, (label, model) in zip(axes, models.items(), strict=True):
        train, val = tm.moons_accuracies(model)
        title = f"{label}\ntrain {train:.0%}, validation {val:.0%}"
        draw_boundary(ax, style, tm.probability(model, points), X, y, title)
    axes[0].legend(loc="lower left", fontsize=8, framealpha=0.0)
    return fig


def overfitting_curves(style: Style, layout: str = "wide") -> Figure:
    """Training and validation loss of the overfitting run, with the early-stopping point."""
    history = tm.regularised_run(_NONE)[1].history
    stopper = tm.early_stopping_run()[2]
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, axes = panels(layout, 2, size=(7.5, 3.0), panel_height=2.8)
    for ax, key, ylabel in ((axes[0], "loss", "loss (cross-entropy)"),
                            (axes[1], "accuracy", "accuracy")):
        for i, (prefix, label) in enumerate((("", "training"), ("val_", "validation"))):
            ax.plot(epochs, history[prefix + key], color=style.series[i],
                    linestyle=LINESTYLES[i], label=label)
        best, stop = stopper.best_epoch + 1, stopper.stopped_epoch + 1
        ax.axvline(best, color=style.fg, linestyle=LINESTYLES[2], linewidth=1.2,
                   label=f"best validation loss (epoch {best})")
        ax.axvline(stop, color=style.muted, linestyle=LINESTYLES[3], linewidth=1.2,
                   label=f"early stopping fires (epoch {stop})")
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.set_xscale("log")
    axes[0].legend(fontsize=8, loc="upper left")
    return fig


def _hidden_weights(model) -> np.ndarray:
    """Every weight of the hidden Dense layers (the output layer left out), flattened."""
    dense = [layer for layer in model.layers if "W" in layer.params][:-1]
    return np.concatenate([layer.params["W"].ravel() for layer in dense])


def regularization(style: Style, layout: str = "wide") -> Figure:
    """Hidden-layer weight histograms and validation accuracy, without and with L2/dropout."""
    fig, (ax_hist, ax_acc) = panels(layout, 2, size=(7.5, 3.0), panel_height=2.8)
    bins = np.linspace(-1.2, 1.2, 49)
    for i, name in enumerate(tm.REGULARISED):
        model, history = tm.regularised_run(name)
        colour, line = style.series[i], LINESTYLES[i]
        # Weights beyond the edges are counted in the outermost bins.
        ax_hist.hist(np.clip(_hidden_weights(model), bins[0], bins[-1]), bins=bins,
                     histtype="step", color=colour, linestyle=line, linewidth=1.6, label=name)
        val = history.history["val_accuracy"]
        epochs = np.arange(1, len(val) + 1)
        ax_acc.plot(epochs, val, color=colour, linestyle=line, label=name,
                    marker=MARKERS[i], markevery=(10 * i + 5, 40), markersize=5)
    ax_hist.set_yscale("log")
    ax_hist.set_xlabel("weight value (hidden layers)")
    ax_hist.set_ylabel("number of weights")
    ax_hist.legend(fontsize=8, loc="upper left")
    ax_acc.set_xscale("log")
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("validation accuracy")
    return fig


def _boundary_data() -> dict:
    """The training points with their labels and the class each of the four models gives."""
    X, y, _, _ = tm.moons()
    keys = ("none", "early_stopping", "l2", "dropout")
    predicted = {f"predicted_{key}": (tm.probability(model, X) > 0.5).astype(int)
                 for key, model in zip(keys, final_models().values(), strict=True)}
    return _data.points(X, y, **predicted)


def _curves_data() -> dict:
    """Loss and accuracy per epoch of the overfitting run; the two early-stopping epochs."""
    history = tm.regularised_run(_NONE)[1].history
    stopper = tm.early_stopping_run()[2]
    epochs = np.arange(1, len(history["loss"]) + 1)
    marks = {stopper.best_epoch + 1: "best validation loss", stopper.stopped_epoch + 1: "stop"}
    keys = ("loss", "val_loss", "accuracy", "val_accuracy")
    return {"epoch": epochs, **{k: history[k] for k in keys},
            "early_stopping": [marks.get(e, "") for e in epochs]}


def _regularization_data() -> dict:
    """The weight histograms (counts per bin), then validation accuracy per epoch."""
    bins = np.linspace(-1.2, 1.2, 49)
    hist = {"model": [], "bin_low": [], "bin_high": [], "count": []}
    val = {"model": [], "epoch": [], "val_accuracy": []}
    for name in tm.REGULARISED:
        model, history = tm.regularised_run(name)
        counts, _ = np.histogram(np.clip(_hidden_weights(model), bins[0], bins[-1]), bins)
        hist["model"] += [name] * len(counts)
        hist["bin_low"] += list(bins[:-1])
        hist["bin_high"] += list(bins[1:])
        hist["count"] += list(counts)
        accuracy = history.history["val_accuracy"]
        val["model"] += [name] * len(accuracy)
        val["epoch"] += list(range(1, len(accuracy) + 1))
        val["val_accuracy"] += list(accuracy)
    return _data.stack({"histogram": hist, "validation": val}, key="panel")


def _model_fact(label: str, which: int):
    return lambda: f"{tm.moons_accuracies(final_models()[label])[which]:.0%}"


def _stopper_fact(attribute: str):
    return lambda: f"{getattr(tm.early_stopping_run()[2], attribute) + 1}"


def _weight_fact(name: str):
    return lambda: f"{np.abs(_hidden_weights(tm.regularised_run(name)[0])).mean():.3f}"


def _val_loss_fact(which: str):
    def fact() -> str:
        losses = tm.regularised_run(_NONE)[1].history["val_loss"]
        return f"{min(losses) if which == 'best' else losses[-1]:.2f}"
    return fact


FIGURES = (
    FigureSpec("overfitting_boundary", overfitting_boundary,
               "An overfit network against early stopping, L2 and dropout",
               data=_boundary_data),
    FigureSpec("overfitting_curves", overfitting_curves,
               "Validation loss turning up, with the early-stopping point marked",
               data=_curves_data),
    FigureSpec("regularization", regularization,
               "L2 and dropout: weight histograms and validation accuracy",
               data=_regularization_data),
)

FACTS = (
    *(Fact(f"reg_{key}_{part}", _model_fact(label, which), f"{part} accuracy, {label}")
      for key, label in (("none", "no regularisation"), ("early", "early stopping"),
                         ("l2", _L2), ("dropout", _DROPOUT))
      for which, part in ((0, "train"), (1, "val"))),
    Fact("es_best_epoch", _stopper_fact("best_epoch"),
         "Epoch with the lowest validation loss in the overfitting run"),
    Fact("es_stopped_epoch", _stopper_fact("stopped_epoch"),
         "Epoch at which EarlyStopping ends the overfitting run"),
    Fact("es_patience", lambda: f"{tm.PATIENCE}", "Patience of the EarlyStopping callback"),
    Fact("reg_l2_lambda", lambda: f"{tm.L2_LAMBDA:g}", "L2 strength in the comparison"),
    Fact("reg_dropout_p", lambda: f"{tm.DROPOUT_P:g}", "Dropout rate in the comparison"),
    Fact("reg_none_mean_abs_w", _weight_fact(_NONE), "Mean |w|, hidden layers, no regularisation"),
    Fact("reg_l2_mean_abs_w", _weight_fact(_L2), "Mean |w|, hidden layers, with L2"),
    Fact("reg_dropout_mean_abs_w", _weight_fact(_DROPOUT), "Mean |w|, hidden layers, dropout"),
    Fact("overfit_val_loss_best", _val_loss_fact("best"), "Lowest validation loss, overfit run"),
    Fact("overfit_val_loss_end", _val_loss_fact("end"), "Final validation loss, overfit run"),
)
