"""Figures for the activation-functions page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import activations as act
from .registry import Fact, FigureSpec
from .style import LINESTYLES, Style

# The functions drawn side by side, with the same names the page uses.
CURVES = (
    ("step", act.step, act.step_grad),
    ("sigmoid", act.sigmoid, act.sigmoid_grad),
    ("tanh", act.tanh, act.tanh_grad),
    ("ReLU", act.relu, act.relu_grad),
    ("leaky ReLU (α = 0.1)", lambda z: act.leaky_relu(z, 0.1),
     lambda z: act.leaky_relu_grad(z, 0.1)),
    ("GELU", act.gelu, act.gelu_grad),
)
Z = np.linspace(-4.0, 4.0, 401)


def _panel_grid(style: Style, which: int, ylabel: str) -> Figure:
    """Draw each activation (``which=1``) or its derivative (``which=2``) in its own panel."""
    fig = Figure(figsize=(7.5, 4.6), layout="constrained")
    axes = fig.subplots(2, 3, sharex=True)
    for i, (ax, (label, f, f_grad)) in enumerate(zip(axes.flat, CURVES, strict=True)):
        y = (f if which == 1 else f_grad)(Z)
        if label == "step":
            # The step jumps at zero: break the line there instead of drawing a vertical edge.
            y = np.where(np.isclose(Z, 0.0), np.nan, y)
        ax.plot(Z, y, color=style.series[i % 3], linestyle=LINESTYLES[i % 3])
        ax.axhline(0.0, color=style.muted, linewidth=0.8)
        ax.axvline(0.0, color=style.muted, linewidth=0.8)
        ax.set_title(label)
        ax.set_xlim(-4, 4)
    for ax in axes[1]:
        ax.set_xlabel("z")
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    return fig


def activations(style: Style) -> Figure:
    """Six activation functions f(z) on the same range of z."""
    return _panel_grid(style, 1, "f(z)")


def activation_derivatives(style: Style) -> Figure:
    """The derivative f'(z) of each activation: where it is near zero, learning stalls."""
    return _panel_grid(style, 2, "f′(z)")


FIGURES = (
    FigureSpec("activations", activations, "Six activation functions side by side"),
    FigureSpec("activation_derivatives", activation_derivatives,
               "The derivatives of the same six functions"),
)

FACTS = (
    Fact("sigmoid_grad_max", lambda: f"{float(act.sigmoid_grad(0.0)):.2f}",
         "The largest value of the sigmoid's derivative, reached at z = 0"),
)
