"""Figures for the vanishing- and exploding-gradients page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from glassnet_site.examples import deep as dm

from . import _data
from .layout import panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style


def vanishing_gradients(style: Style, layout: str = "wide") -> Figure:
    """Norm of dL/dW per layer of a deep MLP at initialisation, one line per set-up."""
    fig, (ax,) = panels(layout, size=(7.0, 3.4), panel_height=3.4)
    for i, (label, norms) in enumerate(dm.init_gradient_norms().items()):
        layer = np.arange(1, len(norms) + 1)
        ax.plot(layer, norms, color=style.series[i], linestyle=LINESTYLES[i],
                marker=MARKERS[i], markersize=5, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("Dense layer (1 = next to the input)")
    ax.set_ylabel("gradient norm  ‖∂L/∂W‖")
    ax.legend(fontsize=8, ncols=2, loc="lower right")
    return fig


def _compare(style: Style, kinds: tuple[str, ...], labels: tuple[str, ...],
             layout: str = "wide") -> Figure:
    """Training loss and validation accuracy per epoch for deep sigmoid networks."""
    fig, (ax_loss, ax_acc) = panels(layout, 2, size=(7.5, 3.0), panel_height=2.8)
    for i, (kind, label) in enumerate(zip(kinds, labels, strict=True)):
        history = dm.deep_run(kind)[1].history
        epochs = np.arange(1, len(history["loss"]) + 1)
        for ax, key in ((ax_loss, "loss"), (ax_acc, "val_accuracy")):
            ax.plot(epochs, history[key], color=style.series[i], linestyle=LINESTYLES[i],
                    marker=MARKERS[i], markersize=4, label=label)
    ax_loss.set_yscale("log")
    ax_loss.set_ylabel("training loss")
    ax_acc.set_ylabel("validation accuracy")
    ax_acc.set_ylim(0, 1)
    for ax in (ax_loss, ax_acc):
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_acc.legend(fontsize=8, loc="center right")
    return fig


def batchnorm(style: Style, layout: str = "wide") -> Figure:
    """A deep sigmoid network trained without and with batch normalisation."""
    return _compare(style, ("plain", "batchnorm"), ("plain", "with BatchNorm"), layout)


def residual(style: Style, layout: str = "wide") -> Figure:
    """The same deep sigmoid network without and with residual connections."""
    return _compare(style, ("plain", "residual"), ("plain", "with residual connections"),
                    layout)


def _norms_data() -> dict:
    """Gradient norm of each Dense layer at initialisation, for every set-up."""
    runs = {label: (np.arange(1, len(norms) + 1), norms)
            for label, norms in dm.init_gradient_norms().items()}
    return _data.curves(runs, "layer", "gradient_norm", key="setup")


def _compare_data(kinds: tuple[str, ...]):
    """Training loss and validation accuracy per epoch of each network compared."""
    def data() -> dict:
        rows = {"network": [], "epoch": [], "loss": [], "val_accuracy": []}
        for kind in kinds:
            history = dm.deep_run(kind)[1].history
            rows["network"] += [kind] * len(history["loss"])
            rows["epoch"] += list(range(1, len(history["loss"]) + 1))
            rows["loss"] += list(history["loss"])
            rows["val_accuracy"] += list(history["val_accuracy"])
        return rows
    return data


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(x: float) -> str:
    """``x`` for prose in powers of ten, e.g. ``4.4 × 10⁻¹⁰``; plain below 10 and above 0.1."""
    if 0.1 <= abs(x) < 10:
        return f"{x:.2g}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _norm_fact(label: str, layer: int):
    return lambda: scientific(dm.init_gradient_norms()[label][layer])


def _ratio_fact(label: str):
    def fact() -> str:
        norms = dm.init_gradient_norms()[label]
        return scientific(norms[-1] / norms[0])
    return fact


def sigmoid_shrink_per_layer(seed: int = 0) -> float:
    """How many times the sigmoid-Xavier gradient norm shrinks per layer towards the input,
    the geometric mean over the figure's layers (the figure's network is ``seed=0``)."""
    norms = dm.init_gradient_norms(seed)["sigmoid, Xavier"]
    return float((norms[-1] / norms[0]) ** (1 / (len(norms) - 1)))


def _run_fact(kind: str, key: str):
    return lambda: f"{dm.deep_run(kind)[1].history[key][-1]:.0%}"


def _slope_fact(kind: str, pick):
    """Mean sigmoid slope f'(z) of the inner layers (after the first) at initialisation."""
    return lambda: f"{pick(dm.sigmoid_layer_stats(kind)['slope'][1:]):.2f}"


def _spread_fact(kind: str, layer: int):
    return lambda: scientific(dm.sigmoid_layer_stats(kind)["spread"][layer])


FIGURES = (
    FigureSpec("vanishing_gradients", vanishing_gradients,
               "Gradient norm per layer at initialisation: sigmoid against ReLU, Xavier and He",
               data=_norms_data),
    FigureSpec("batchnorm", batchnorm,
               "Training a deep sigmoid network without and with batch normalisation",
               data=_compare_data(("plain", "batchnorm"))),
    FigureSpec("residual", residual,
               "Training a deep sigmoid network without and with residual connections",
               data=_compare_data(("plain", "residual"))),
)

FACTS = (
    Fact("vanish_depth", lambda: f"{dm.VANISHING_DEPTH}", "Hidden layers in the gradient test"),
    Fact("vanish_sigmoid_first", _norm_fact("sigmoid, Xavier", 0),
         "Gradient norm of the first layer, sigmoid with Xavier"),
    Fact("vanish_sigmoid_last", _norm_fact("sigmoid, Xavier", -1),
         "Gradient norm of the last layer, sigmoid with Xavier"),
    Fact("vanish_sigmoid_ratio", _ratio_fact("sigmoid, Xavier"),
         "Last-layer over first-layer gradient norm, sigmoid with Xavier"),
    Fact("vanish_sigmoid_per_layer", lambda: f"{sigmoid_shrink_per_layer():.1f}",
         "Factor by which the sigmoid-Xavier gradient shrinks per layer (geometric mean)"),
    Fact("vanish_relu_he_first", _norm_fact("ReLU, He", 0),
         "Gradient norm of the first layer, ReLU with He"),
    Fact("vanish_relu_he_last", _norm_fact("ReLU, He", -1),
         "Gradient norm of the last layer, ReLU with He"),
    Fact("vanish_relu_xavier_first", _norm_fact("ReLU, Xavier", 0),
         "Gradient norm of the first layer, ReLU with Xavier"),
    Fact("vanish_exploding_first", _norm_fact("ReLU, He, weights ×2", 0),
         "Gradient norm of the first layer, ReLU with weights twice the He scale"),
    Fact("deep_depth", lambda: f"{dm.DEEP_DEPTH + 1}", "Hidden layers of the deep sigmoid network"),
    Fact("deep_epochs", lambda: f"{dm.DEEP_EPOCHS}", "Epochs of the deep sigmoid runs"),
    Fact("vanish_width", lambda: f"{dm.VANISHING_WIDTH}",
         "Units per hidden layer of the networks whose gradients are checked at initialisation"),
    Fact("deep_width", lambda: f"{dm.DEEP_WIDTH}", "Units per layer of the deep sigmoid network"),
    Fact("deep_train_images", lambda: f"{dm.DEEP_TRAIN_IMAGES}",
         "Training digits the deep sigmoid runs learn from"),
    Fact("deep_plain_val", _run_fact("plain", "val_accuracy"),
         "Validation accuracy of the plain deep sigmoid network"),
    Fact("deep_bn_val", _run_fact("batchnorm", "val_accuracy"),
         "Validation accuracy of the deep sigmoid network with BatchNorm"),
    Fact("deep_plain_slope", _slope_fact("plain", min),
         "Smallest mean sigmoid slope f'(z) of a hidden layer, plain deep network, at init"),
    Fact("deep_bn_slope", _slope_fact("batchnorm", max),
         "Largest mean sigmoid slope f'(z) of a hidden layer with BatchNorm, at init"),
    Fact("deep_plain_spread_first", _spread_fact("plain", 0),
         "Spread of the first sigmoid layer's output across images, plain network, at init"),
    Fact("deep_plain_spread_last", _spread_fact("plain", -1),
         "Spread of the last sigmoid layer's output across images, plain network, at init"),
    Fact("deep_bn_spread_last", _spread_fact("batchnorm", -1),
         "Spread of the last sigmoid layer's output across images with BatchNorm, at init"),
    Fact("deep_res_val", _run_fact("residual", "val_accuracy"),
         "Validation accuracy of the deep sigmoid network with residual connections"),
)
