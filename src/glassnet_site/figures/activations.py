"""Figures for the activation-functions page."""

from __future__ import annotations

from functools import cache

import numpy as np
from matplotlib.figure import Figure

from glassnet import activations as act
from glassnet import layers, losses, optimizers
from glassnet.model import Sequential
from glassnet_site.examples import foundations as fm

from . import _data
from ._foundation_draw import scatter_classes, shade_regions
from .layout import label_outer, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, Style

LEAKY_ALPHA = 0.1  # Larger than the usual 0.01, so that the leak is visible in the figures.

# The functions drawn side by side, with the same names the page uses.
CURVES = (
    ("step", act.step, act.step_grad),
    ("sigmoid", act.sigmoid, act.sigmoid_grad),
    ("tanh", act.tanh, act.tanh_grad),
    ("ReLU", act.relu, act.relu_grad),
    (f"leaky ReLU (α = {LEAKY_ALPHA:g})", lambda z: act.leaky_relu(z, LEAKY_ALPHA),
     lambda z: act.leaky_relu_grad(z, LEAKY_ALPHA)),
    ("GELU", act.gelu, act.gelu_grad),
)
Z = np.linspace(-4.0, 4.0, 401)


def _panel_grid(style: Style, which: int, ylabel: str, layout: str) -> Figure:
    """Draw each activation (``which=1``) or its derivative (``which=2``) in its own panel."""
    fig, axes = panels(layout, len(CURVES), size=(7.5, 4.6), columns=3, narrow_columns=2,
                       panel_height=2.0, sharex=True)
    for i, (ax, (label, f, f_grad)) in enumerate(zip(axes, CURVES, strict=True)):
        y = (f if which == 1 else f_grad)(Z)
        if label == "step":
            # The step jumps at zero: break the line there instead of drawing a vertical edge.
            y = np.where(np.isclose(Z, 0.0), np.nan, y)
        ax.plot(Z, y, color=style.series[i % 3], linestyle=LINESTYLES[i % 3])
        ax.axhline(0.0, color=style.muted, linewidth=0.8)
        ax.axvline(0.0, color=style.muted, linewidth=0.8)
        ax.set_title(label)
        ax.set_xlim(-4, 4)
    label_outer(axes, "z", ylabel)
    return fig


def activations(style: Style, layout: str = "wide") -> Figure:
    """Six activation functions f(z) on the same range of z."""
    return _panel_grid(style, 1, "f(z)", layout)


def activation_derivatives(style: Style, layout: str = "wide") -> Figure:
    """The derivative f'(z) of each activation: where it is near zero, learning stalls."""
    return _panel_grid(style, 2, "f′(z)", layout)


# Four logits and the temperatures at which the softmax figure shows them.
LOGITS = np.array([2.0, 1.0, 0.2, -1.0])
TEMPERATURES = (0.5, 1.0, 2.0)


def softmax(style: Style, layout: str = "wide") -> Figure:
    """Four logits, and the probabilities softmax(z / T) makes of them at three temperatures."""
    fig, (left, right) = panels(layout, 2, size=(8.0, 3.2), width_ratios=(1, 1.6),
                                panel_height=2.6)
    k = np.arange(LOGITS.size)
    left.bar(k, LOGITS, color=style.muted, width=0.6)
    left.axhline(0.0, color=style.fg, linewidth=0.8)
    left.set_title("logits $z$ (any real numbers)", fontsize=10)
    width = 0.8 / len(TEMPERATURES)
    for i, T in enumerate(TEMPERATURES):
        p = act.softmax(LOGITS / T)
        right.bar(k + (i - 1) * width, p, width=width, color=style.series[i],
                  edgecolor=style.fg, linewidth=0.5, label=f"$T = {T:g}$")
    right.set_ylim(0, 1)
    right.set_title(r"probabilities $\mathrm{softmax}(z / T)$: each set sums to 1",
                    fontsize=10)
    right.legend(title="left to right", fontsize=9, title_fontsize=9, framealpha=0)
    for ax in (left, right):
        ax.set_xticks(k, [f"class {j}" for j in k])
        ax.grid(axis="x", visible=False)
    return fig


@cache
def _collapse_models() -> tuple[Sequential, Sequential]:
    """Two 2-16-16-2 networks on the moons: one with no activation, one with a single ReLU."""
    X, y = fm.moons_data()
    linear = Sequential([layers.Dense(2, 16), layers.Dense(16, 16), layers.Dense(16, 2)],
                        seed=0)
    bent = Sequential([layers.Dense(2, 16), layers.ReLU(), layers.Dense(16, 16),
                       layers.Dense(16, 2)], seed=0)
    for model in (linear, bent):
        model.compile(optimizers.Adam(lr=0.02), losses.CrossEntropy(), metrics=("accuracy",))
        model.fit(X, y, epochs=60, batch_size=24, verbose=0)
    return linear, bent


def linear_collapse(style: Style, layout: str = "wide") -> Figure:
    """Three linear layers draw a straight boundary; one ReLU between them bends it."""
    X, y = fm.moons_data()
    box = ((-2.3, 2.3), (-2.3, 2.3))
    fig, axes = panels(layout, 2, size=(8.0, 3.9), panel_height=3.9, sharey=True)
    titles = ("three Dense layers, no activation", "the same with one ReLU")
    linear_model = _collapse_models()[0]
    for ax, model, title in zip(axes, _collapse_models(), titles, strict=True):
        shade_regions(ax, fm.predict_classes(model), *box, style)
        scatter_classes(ax, X, y, style, size=16)
        ax.set_title(f"{title}\n{_collapse_accuracy(model is not linear_model)} of "
                     "training points right", fontsize=10)
        ax.set_aspect("equal")
    label_outer(axes, "$x_1$", "$x_2$")
    return fig


def _collapse_accuracy(which: int) -> str:
    """Training accuracy of the linear (0) or the bent (1) network, as a percentage."""
    X, y = fm.moons_data()
    return f"{fm.accuracy(fm.predict_classes(_collapse_models()[which])(X), y):.0%}"


def _collapse_error() -> str:
    """Largest gap between the linear stack and the single layer x (W1 W2 W3) + b."""
    linear, _ = _collapse_models()
    X, _ = fm.moons_data()
    W, b = np.eye(2), np.zeros(2)
    for layer in linear.layers:
        W, b = W @ layer.params["W"], b @ layer.params["W"] + layer.params["b"]
    return f"{np.max(np.abs(linear.predict(X) - (X @ W + b))):.0e}"


def _gelu_grad_extreme(which) -> str:
    """GELU's smallest (``np.argmin``) or largest (``np.argmax``) slope on a fine grid."""
    z = np.linspace(-4.0, 4.0, 8001)
    slope = act.gelu_grad(z)
    i = which(slope)
    return f"{slope[i]:.2f} at z ≈ {z[i]:.1f}".replace("-", "−")


def _and_list(items) -> str:
    """``a, b and c``."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _softmax_data() -> dict:
    """Each logit and the probability softmax(z / T) gives it at every temperature."""
    k = np.arange(LOGITS.size)
    return {"temperature": np.repeat(TEMPERATURES, LOGITS.size), "class": np.tile(k, 3),
            "logit": np.tile(LOGITS, 3),
            "probability": np.concatenate([act.softmax(LOGITS / T) for T in TEMPERATURES])}


def _collapse_data() -> dict:
    """The moons with the class each of the two networks gives them."""
    X, y = fm.moons_data()
    linear, bent = (fm.predict_classes(model)(X) for model in _collapse_models())
    return _data.points(X, y, predicted_linear=linear, predicted_relu=bent)


def _curve_data(which: int):
    """The sampled curves behind a panel grid, one column per function."""
    def data() -> dict[str, np.ndarray]:
        columns = {"z": Z}
        for label, f, f_grad in CURVES:
            columns[label] = (f if which == 1 else f_grad)(Z)
        return columns
    return data


FIGURES = (
    FigureSpec("activations", activations, "Six activation functions side by side",
               data=_curve_data(1)),
    FigureSpec("activation_derivatives", activation_derivatives,
               "The derivatives of the same six functions", data=_curve_data(2)),
    FigureSpec("softmax", softmax, "Softmax turns logits into probabilities; temperature "
               "sharpens or flattens them", data=_softmax_data),
    FigureSpec("linear_collapse", linear_collapse,
               "Stacked linear layers stay linear; one ReLU bends the boundary",
               data=_collapse_data),
)

FACTS = (
    Fact("sigmoid_grad_max", lambda: f"{float(act.sigmoid_grad(0.0)):.2f}",
         "The largest value of the sigmoid's derivative, reached at z = 0"),
    Fact("sigmoid_grad_at_5", lambda: f"{float(act.sigmoid_grad(5.0)):.4f}",
         "The sigmoid's derivative at z = 5, deep in saturation"),
    Fact("sigmoid_grad_10_layers", lambda: f"{float(act.sigmoid_grad(0.0)) ** 10:.1e}",
         "The largest product of ten sigmoid slopes, 0.25 to the power 10 (the weights "
         "between the layers multiply the gradient too)"),
    Fact("leaky_alpha_figure", lambda: f"{LEAKY_ALPHA:g}",
         "The leak alpha of the leaky ReLU drawn in the activation figures"),
    Fact("activation_z_range", lambda: f"{Z[0]:g} to {Z[-1]:g}",
         "The range of z the activation figures cover"),
    Fact("gelu_grad_min", lambda: _gelu_grad_extreme(np.argmin),
         "The smallest slope of GELU and where it is reached"),
    Fact("gelu_grad_max", lambda: _gelu_grad_extreme(np.argmax),
         "The largest slope of GELU and where it is reached"),
    Fact("softmax_logits", lambda: _and_list(f"{v:g}".replace("-", "−") for v in LOGITS),
         "The four logits of the softmax figure"),
    Fact("softmax_temperatures", lambda: _and_list(f"{T:g}" for T in TEMPERATURES),
         "The three temperatures of the softmax figure"),
    Fact("softmax_top_share_low_t", lambda: f"{act.softmax(LOGITS / min(TEMPERATURES))[0]:.0%}",
         "The probability class 0 gets at the lowest temperature of the softmax figure"),
    Fact("softmax_top_share_high_t", lambda: f"{act.softmax(LOGITS / max(TEMPERATURES))[0]:.0%}",
         "The probability class 0 gets at the highest temperature of the softmax figure"),
    Fact("collapse_error", _collapse_error,
         "Gap between three stacked linear layers and the one layer they equal"),
    Fact("collapse_linear_accuracy", lambda: _collapse_accuracy(0),
         "Training accuracy of three linear layers on the moons"),
    Fact("collapse_relu_accuracy", lambda: _collapse_accuracy(1),
         "Training accuracy of the same network with one ReLU"),
    Fact("exp_overflow", lambda: f"{np.log(np.finfo(np.float64).max):.0f}",
         "The logit above which exp overflows in float64: ln of the largest float"),
)
