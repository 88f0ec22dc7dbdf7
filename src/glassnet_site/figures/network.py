"""Figures and facts for Home, "What is a neural network" and "Layers and the forward pass".

The diagrams are drawn from data: node positions come from the layer sizes, and the hero
figure draws the connections of a network glassnet trained, thick where a weight is large.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from glassnet import layers, networks
from glassnet.model import Sequential
from glassnet_site.examples import foundations as fm

from . import _data
from ._foundation_draw import arrow, box, line_wxb, node, plain_axes, scatter_classes, shade_regions
from .layout import NARROW_WIDTH, is_narrow, panels
from .registry import Fact, FigureSpec
from .style import Style

# The network of the forward-pass page, sized for 28 x 28 images of digits.
MLP_WIDTHS = (784, 128, 64, 32, 10)


def _layer_positions(sizes, width: float = 6.0, height: float = 4.0, downward=False):
    """Centres of the nodes of each layer: layers spread left to right, nodes top to bottom
    (``downward``: layers top to bottom over ``width``, nodes left to right)."""
    xs = np.linspace(0.0, width, len(sizes))
    out = []
    for x, n in zip(xs, sizes, strict=True):
        ys = (np.arange(n) - (n - 1) / 2) * (height / max(max(sizes) - 1, 1))
        out.append([(y, -x) if downward else (x, -y) for y in ys])
    return out


def _draw_layers(ax, sizes, style: Style, weights=None, r: float = 0.2, pos=None):
    """Nodes and every connection between consecutive layers.

    ``pos`` (optional) gives the node centres, by default ``_layer_positions(sizes)``.
    ``weights`` (optional) lists one ``(n_in, n_out)`` matrix per pair of layers; a
    connection is then as thick as its weight is large, solid if positive, dashed if negative.
    """
    pos = _layer_positions(sizes) if pos is None else pos
    for i, (left, right) in enumerate(zip(pos[:-1], pos[1:], strict=True)):
        W = None if weights is None else weights[i] / np.max(np.abs(weights[i]))
        for a, p in enumerate(left):
            for c, q in enumerate(right):
                lw, ls = 0.7, "-"
                if W is not None:
                    lw, ls = 0.3 + 2.6 * abs(W[a, c]), "-" if W[a, c] >= 0 else "--"
                # Stop at the rims: the nodes are translucent, so a line through the
                # centre would show.
                d = np.subtract(q, p) / np.hypot(*np.subtract(q, p))
                ax.plot([p[0] + r * d[0], q[0] - r * d[0]], [p[1] + r * d[1], q[1] - r * d[1]],
                        color=style.muted, linewidth=lw, linestyle=ls, zorder=1,
                        solid_capstyle="butt")
    colours = [style.series[0]] + [style.series[2]] * (len(sizes) - 2) + [style.series[1]]
    for layer, colour in zip(pos, colours, strict=True):
        for p in layer:
            node(ax, p, r, style, colour=colour)
    return pos


def neuron(style: Style, layout: str = "wide") -> Figure:
    """One neuron: inputs times weights, a sum with the bias, an activation, one output.

    Wide, the signal flows left to right; narrow (a phone), top to bottom.
    """
    if is_narrow(layout):
        return _neuron_narrow(style)
    fig = Figure(figsize=(7.2, 3.3), layout="constrained")
    ax = fig.subplots()
    plain_axes(ax)
    ys = (1.6, 0.0, -1.6)
    for i, y in enumerate(ys, start=1):
        node(ax, (0.0, y), 0.42, style, colour=style.series[0], text=f"$x_{i}$", fontsize=13)
        arrow(ax, (0.45, y), (3.05, 0.12 * (y > 0) - 0.12 * (y < 0)), style, shrink=2)
        ax.text(1.55, 0.62 * y + 0.22, f"$\\times\\, w_{i}$", fontsize=12, color=style.fg,
                ha="center", va="bottom")
    node(ax, (3.6, 0.0), 0.58, style, colour=style.series[2], text="$\\Sigma$", fontsize=17)
    node(ax, (3.6, -2.3), 0.36, style, colour=style.series[4], text="$b$", fontsize=13)
    arrow(ax, (3.6, -1.92), (3.6, -0.6), style, shrink=2)
    ax.text(3.75, -1.25, "bias", fontsize=10, color=style.muted, va="center")
    arrow(ax, (4.2, 0.0), (5.25, 0.0), style, shrink=2)
    ax.text(4.72, 0.15, "$z$", fontsize=13, color=style.fg, ha="center", va="bottom")
    _activation_box(ax, (6.05, 0.0), style)
    ax.text(6.05, -0.95, "activation $f$", fontsize=10, color=style.muted, ha="center")
    arrow(ax, (6.85, 0.0), (8.0, 0.0), style, shrink=2)
    ax.text(8.15, 0.0, "$a = f(z)$", fontsize=13, color=style.fg, va="center")
    ax.text(3.6, 1.15, r"$z = \sum_i w_i x_i + b$", fontsize=12, color=style.fg, ha="center")
    ax.set_xlim(-0.6, 9.6)
    ax.set_ylim(-2.9, 2.3)
    return fig


def _activation_box(ax, xy, style: Style) -> None:
    """The activation's box, with a tanh-shaped curve in it."""
    box(ax, xy, 1.5, 1.2, style, colour=style.series[3])
    t = np.linspace(-1, 1, 40)
    ax.plot(xy[0] + 0.6 * t, xy[1] + 0.45 * np.tanh(3 * t), color=style.fg, linewidth=1.6,
            zorder=5)


def _neuron_narrow(style: Style) -> Figure:
    """The neuron of ``neuron`` drawn top to bottom, for a phone's column."""
    fig = Figure(figsize=(NARROW_WIDTH, 4.6), layout="constrained")
    ax = fig.subplots()
    plain_axes(ax)
    for i, x in enumerate((-1.5, 0.0, 1.5), start=1):
        node(ax, (x, 4.0), 0.42, style, colour=style.series[0], text=f"$x_{i}$", fontsize=13)
        arrow(ax, (x, 3.55), (0.12 * x, 2.15), style, shrink=2)
        # Beside each arrow, the middle one's lower so that the three labels do not touch.
        ax.text(0.77 * x + 0.12 * (x == 0), 2.6 if x == 0 else 3.05, f"$\\times\\, w_{i}$",
                fontsize=12, color=style.fg, ha="right" if x < 0 else "left", va="center")
    node(ax, (0.0, 1.55), 0.58, style, colour=style.series[2], text="$\\Sigma$", fontsize=17)
    node(ax, (-2.1, 1.55), 0.36, style, colour=style.series[4], text="$b$", fontsize=13)
    arrow(ax, (-1.72, 1.55), (-0.6, 1.55), style, shrink=2)
    ax.text(-2.1, 1.0, "bias", fontsize=10, color=style.muted, ha="center", va="top")
    ax.text(0.75, 1.55, r"$z = \sum_i w_i x_i + b$", fontsize=12, color=style.fg,
            va="center")
    arrow(ax, (0.0, 0.95), (0.0, 0.1), style, shrink=2)
    ax.text(0.15, 0.52, "$z$", fontsize=13, color=style.fg, va="center")
    _activation_box(ax, (0.0, -0.55), style)
    ax.text(0.9, -0.55, "activation $f$", fontsize=10, color=style.muted, va="center")
    arrow(ax, (0.0, -1.2), (0.0, -1.95), style, shrink=2)
    ax.text(0.0, -2.05, "$a = f(z)$", fontsize=13, color=style.fg, ha="center", va="top")
    ax.set_xlim(-2.6, 3.0)
    ax.set_ylim(-2.6, 4.5)
    return fig


def network(style: Style, layout: str = "wide") -> Figure:
    """A dense network: three inputs, two hidden layers of five and four, two outputs.

    Wide, the layers run left to right; narrow (a phone), top to bottom.
    """
    if is_narrow(layout):
        return _network_narrow(style)
    sizes = (3, 5, 4, 2)
    fig = Figure(figsize=(7.0, 3.9), layout="constrained")
    ax = fig.subplots()
    plain_axes(ax)
    pos = _draw_layers(ax, sizes, style)
    for i, p in enumerate(pos[0], start=1):
        ax.text(p[0] - 0.35, p[1], f"$x_{i}$", ha="right", va="center", fontsize=12)
    # Outputs are numbered like the classes, from 0 (notation page); inputs like x_1..x_n.
    for k, p in enumerate(pos[-1]):
        ax.text(p[0] + 0.35, p[1], f"$\\hat{{y}}_{k}$", ha="left", va="center", fontsize=12)
    top = 2.45
    ax.text(pos[0][0][0], top, "input layer", ha="center", fontsize=10, color=style.fg)
    middle = (pos[1][0][0] + pos[2][0][0]) / 2
    ax.text(middle, top, "hidden layers", ha="center", fontsize=10, color=style.fg)
    ax.text(pos[-1][0][0], top, "output layer", ha="center", fontsize=10, color=style.fg)
    arrow(ax, (0.0, -2.55), (6.0, -2.55), style)
    ax.text(3.0, -2.45, "forward pass", ha="center", va="bottom", fontsize=9,
            color=style.muted)
    ax.set_xlim(-1.0, 7.0)
    ax.set_ylim(-2.8, 2.8)
    return fig


def _network_narrow(style: Style) -> Figure:
    """The network of ``network`` with its layers top to bottom, for a phone's column."""
    sizes = (3, 5, 4, 2)
    fig = Figure(figsize=(NARROW_WIDTH, 3.9), layout="constrained")
    ax = fig.subplots()
    plain_axes(ax)
    pos = _draw_layers(ax, sizes, style, r=0.24,
                       pos=_layer_positions(sizes, width=4.8, height=3.6, downward=True))
    for i, p in enumerate(pos[0], start=1):
        ax.text(p[0], p[1] + 0.36, f"$x_{i}$", ha="center", va="bottom", fontsize=12)
    for k, p in enumerate(pos[-1]):  # numbered from 0, like the classes
        ax.text(p[0], p[1] - 0.36, f"$\\hat{{y}}_{k}$", ha="center", va="top", fontsize=12)
    side = 2.25
    ax.text(side, pos[0][0][1], "input\nlayer", va="center", fontsize=10)
    middle = (pos[1][0][1] + pos[2][0][1]) / 2
    ax.text(side, middle, "hidden\nlayers", va="center", fontsize=10)
    ax.text(side, pos[-1][0][1], "output\nlayer", va="center", fontsize=10)
    arrow(ax, (-2.45, 0.0), (-2.45, -4.8), style)
    ax.text(-2.6, -2.4, "forward pass", ha="right", va="center", rotation=90, fontsize=9,
            color=style.muted)
    ax.set_xlim(-3.0, 3.3)
    ax.set_ylim(-5.45, 0.75)
    return fig


def hero(style: Style, layout: str = "wide") -> Figure:
    """A trained 2-6-2 network (line width = weight size) and the boundary it draws."""
    model = fm.moons_mlp()
    X, y = fm.moons_data()
    fig, (left, right) = panels(layout, 2, size=(8.4, 3.6), width_ratios=(1.15, 1),
                                narrow_ratios=(1, 1.25), panel_height=3.0)
    plain_axes(left)
    weights = [layer.params["W"] for layer in model.layers if isinstance(layer, layers.Dense)]
    pos = _draw_layers(left, (2, 6, 2), style, weights=weights, r=0.24)
    for p, label in zip(pos[0], ("$x_1$", "$x_2$"), strict=True):
        left.text(p[0] - 0.4, p[1], label, ha="right", va="center", fontsize=12)
    for p, label in zip(pos[-1], ("class 0", "class 1"), strict=True):
        left.text(p[0] + 0.4, p[1], label, ha="left", va="center", fontsize=10)
    left.text(3.0, 2.55, "6 ReLU units", ha="center", fontsize=10)
    left.set_xlim(-1.2, 7.6)
    left.set_ylim(-2.7, 2.9)
    shade_regions(right, fm.predict_classes(model), (-2.3, 2.3), (-2.3, 2.3), style)
    scatter_classes(right, X, y, style, size=14)
    right.set_aspect("equal")
    right.set_xlabel("$x_1$")
    right.set_ylabel("$x_2$")
    return fig


HIDDEN_LIM = (-2.3, 2.3)


def _clip(polygon, w, c) -> list:
    """The part of a convex polygon where :math:`w \\cdot p + c \\geq 0` (one pass of
    Sutherland-Hodgman clipping)."""
    out = []
    for p, q in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        fp, fq = w @ p + c, w @ q + c
        if fp >= 0:
            out.append(p)
        if fp * fq < 0:
            out.append(p + (q - p) * fp / (fp - fq))
    return out


def _band(w, b, low, high) -> list:
    """Corners of the part of the panel where ``low <= w . x + b <= high``."""
    lo, hi = HIDDEN_LIM
    square = [np.array(corner) for corner in ((lo, lo), (hi, lo), (hi, hi), (lo, hi))]
    return _clip(_clip(square, w, b - low), -w, high - b)


def _unit_bands(ax, w, b, style: Style) -> None:
    """Shade one ReLU unit max(0, w . x + b): clear where it is off, deeper as it grows.

    The unit is linear where it is on, so its level bands are exact straight stripes,
    drawn as polygons of a few corners each.
    """
    tint = to_rgba(style.series[2])
    corners = np.array(HIDDEN_LIM)[np.indices((2, 2)).reshape(2, -1)].T  # (4, 2)
    levels = np.linspace(0, max((corners @ w + b).max(), 1e-9), 6)
    for k, (low, high) in enumerate(zip(levels[:-1], levels[1:], strict=True)):
        polygon = _band(w, b, low, high)
        if polygon:
            ax.fill(*np.array(polygon).T, color=(*tint[:3], 0.12 + 0.7 * k / 4),
                    linewidth=0, zorder=0)
    line_wxb(ax, w, b, style, linewidth=1.2)


def hidden_features(style: Style, layout: str = "wide") -> Figure:
    """What each of six hidden ReLU units computes over the plane, and what the output makes."""
    model = fm.moons_mlp()
    X, y = fm.moons_data()
    lim = HIDDEN_LIM
    W, b = model.layers[0].params["W"], model.layers[0].params["b"]  # (2, 6), (6,)
    few = np.arange(0, len(y), 4)  # A quarter of the points keeps the panels light and small.
    fig, axes = panels(layout, 8, size=(8.4, 4.3), columns=4, narrow_columns=2,
                       panel_height=1.95)
    for ax in axes.flat[:7]:
        ax.set_xlim(*lim)
        ax.set_ylim(*lim)
    for j, ax in enumerate(axes.flat[:6]):
        _unit_bands(ax, W[:, j], b[j], style)
        scatter_classes(ax, X[few], y[few], style, size=6)
        ax.set_title(f"hidden unit {j + 1}", fontsize=9)
    shade_regions(axes.flat[6], fm.predict_classes(model), lim, lim, style)
    scatter_classes(axes.flat[6], X[few], y[few], style, size=6)
    axes.flat[6].set_title("output: the class", fontsize=9)
    for ax in axes.flat[:7]:
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    axes.flat[7].set_axis_off()
    axes.flat[7].text(0.0, 0.5, "clear: the unit is off\n(its ReLU outputs 0);\ndeeper green: "
                      "a larger\noutput. The line marks\nwhere the unit switches on.",
                      fontsize=9, va="center", transform=axes.flat[7].transAxes)
    return fig


def _moons_points() -> dict:
    """The moons with their labels and the class the trained 2-6-2 network gives them."""
    X, y = fm.moons_data()
    return _data.points(X, y, predicted=fm.predict_classes(fm.moons_mlp())(X))


def _hidden_data() -> dict:
    """Each hidden unit's weights and bias, then the points shown, with each unit's output."""
    dense = fm.moons_mlp().layers[0]
    W, b = dense.params["W"], dense.params["b"]
    X, y = fm.moons_data()
    few = np.arange(0, len(y), 4)
    shown = {key: column[few] for key, column in _moons_points().items()}
    a = np.maximum(X[few] @ W + b, 0.0)  # (40, 6) the ReLU outputs at the points
    shown.update({f"unit_{j + 1}": a[:, j] for j in range(W.shape[1])})
    units = {"unit": np.arange(1, W.shape[1] + 1), "w1": W[0], "w2": W[1], "b": b}
    return _data.stack({"unit": units, "point": shown})


def mlp() -> Sequential:
    """The 784-128-64-32-10 ReLU network of the forward-pass page, untrained."""
    return networks.mlp(MLP_WIDTHS, layers.ReLU, "glorot_uniform", seed=0)


def _mlp_summary() -> str:
    with contextlib.redirect_stdout(io.StringIO()):
        return mlp().summary((MLP_WIDTHS[0],))


def _mlp_layer_params(i: int) -> str:
    dense = [layer for layer in mlp().layers if isinstance(layer, layers.Dense)]
    return f"{dense[i].num_params():,}"


def _moons_accuracy(data=fm.moons_data) -> str:
    X, y = data()
    return f"{fm.accuracy(fm.predict_classes(fm.moons_mlp())(X), y):.0%}"


def _first_layer_share() -> str:
    """Share of the 784-128-64-32-10 network's parameters in its first Dense layer."""
    dense = [layer for layer in mlp().layers if isinstance(layer, layers.Dense)]
    return f"{dense[0].num_params() / mlp().num_params():.0%}"


FIGURES = (
    FigureSpec("neuron", neuron, "One neuron: weighted inputs, a sum with a bias, an activation"),
    FigureSpec("network", network, "A dense network: input, hidden and output layers"),
    FigureSpec("hero", hero, "A trained network's connections and the boundary it draws",
               data=_moons_points),
    FigureSpec("hidden_features", hidden_features,
               "What each hidden unit of a small trained network responds to",
               data=_hidden_data),
)

FACTS = (
    Fact("mlp_summary", _mlp_summary, "Summary of the 784-128-64-32-10 network"),
    Fact("mlp_params", lambda: f"{mlp().num_params():,}",
         "Parameters of the 784-128-64-32-10 network"),
    *(Fact(f"mlp_params_layer{i + 1}", lambda i=i: _mlp_layer_params(i),
           f"Parameters of Dense layer {i + 1} of the 784-128-64-32-10 network")
      for i in range(4)),
    Fact("moons_mlp_accuracy", lambda: _moons_accuracy(),
         "Training accuracy of the 2-6-2 network on the moons"),
    Fact("moons_mlp_test_accuracy", lambda: _moons_accuracy(fm.moons_test_data),
         "Accuracy of the same network on a second draw of the moons, held out from training"),
    Fact("mlp_first_layer_share", _first_layer_share,
         "Share of the 784-128-64-32-10 network's parameters in its first layer"),
)
