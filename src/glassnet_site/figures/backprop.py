"""Figures and facts for the backpropagation page: a worked graph and gradient checks.

The worked example is a real glassnet computation: a 2-2-1 network with a sigmoid hidden
layer and a squared-error loss, with weights small enough to follow by hand. Its forward
values and backward gradients fill the computational-graph figure and the page's facts.
"""

from __future__ import annotations

import inspect
from functools import cache

import numpy as np
from matplotlib.figure import Figure

from glassnet import layers, losses
from glassnet.gradcheck import THRESHOLD, check_layer, check_loss, numerical_gradient

from ._foundation_draw import arrow, node, plain_axes
from .layout import NARROW_WIDTH, is_narrow, panels
from .registry import Fact, FigureSpec
from .style import MARKERS, Style

X = np.array([[0.5, -1.0]])
W1 = np.array([[0.4, -0.3], [0.2, 0.6]])
B1 = np.array([0.1, -0.1])
W2 = np.array([[0.7], [-0.5]])
B2 = np.array([0.2])
Y = np.array([[1.0]])


def worked_network() -> tuple[layers.Dense, layers.Sigmoid, layers.Dense, losses.MSE]:
    """The 2-2-1 example's layers and loss, with its weights (fresh copies)."""
    dense1, sigmoid, dense2, mse = layers.Dense(2, 2), layers.Sigmoid(), layers.Dense(2, 1), \
        losses.MSE()
    dense1.params.update(W=W1.copy(), b=B1.copy())
    dense2.params.update(W=W2.copy(), b=B2.copy())
    return dense1, sigmoid, dense2, mse


@cache
def worked_example() -> dict:
    """Forward values and backward gradients of the 2-2-1 example, computed by glassnet."""
    dense1, sigmoid, dense2, mse = worked_network()
    z1 = dense1.forward(X)
    a1 = sigmoid.forward(z1)
    y_hat = dense2.forward(a1)
    loss = mse.forward(y_hat, Y)
    dy_hat = mse.backward()
    da1 = dense2.backward(dy_hat)
    dz1 = sigmoid.backward(da1)
    dx = dense1.backward(dz1)
    return {"z1": z1[0], "a1": a1[0], "y_hat": y_hat[0], "loss": loss, "dy_hat": dy_hat[0],
            "da1": da1[0], "dz1": dz1[0], "dx": dx[0], "dW2": dense2.grads["W"],
            "db2": dense2.grads["b"], "dW1": dense1.grads["W"], "db1": dense1.grads["b"]}


def computational_graph(style: Style, layout: str = "wide") -> Figure:
    """The 2-2-1 example as a graph: forward values above each node, gradients below.

    Wide, the graph runs left to right; narrow (a phone), top to bottom, with each node's
    value and gradient beside it.
    """
    if is_narrow(layout):
        return _computational_graph_narrow(style)
    ex = worked_example()
    fig = Figure(figsize=(8.6, 4.0), layout="constrained")
    ax = fig.subplots()
    plain_axes(ax)
    cols = {"x": 0.0, "z1": 2.3, "a1": 4.4, "y_hat": 6.7, "L": 8.6}
    rows = (1.1, -1.1)
    pos = {("x", i): (cols["x"], rows[i]) for i in range(2)}
    pos.update({("z1", i): (cols["z1"], rows[i]) for i in range(2)})
    pos.update({("a1", i): (cols["a1"], rows[i]) for i in range(2)})
    pos[("y_hat", 0)] = (cols["y_hat"], 0.0)
    pos[("L", 0)] = (cols["L"], 0.0)
    for start, end, label in _graph_edges():
        arrow(ax, pos[start], pos[end], style, shrink=17)
        if label:
            (x0, y0), (x1, y1) = pos[start], pos[end]
            t = 0.3 if start[0] == "x" else 0.5
            ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0) + 0.12, label, fontsize=8.5,
                    color=style.muted, ha="center", va="bottom")
    for (kind, i), xy in pos.items():
        name, value, grad, colour = _graph_node(kind, i, ex)
        node(ax, xy, 0.42, style, colour=style.series[colour], text=f"${name}$",
             fontsize=12 if len(name) < 8 else 10)
        ax.text(xy[0], xy[1] + 0.5, f"{value:.4f}", ha="center", va="bottom",
                fontsize=9, color=style.fg)
        ax.text(xy[0], xy[1] - 0.5, f"{grad:.4f}", ha="center", va="top",
                fontsize=9, color=style.series[1], fontweight="bold")
    ax.text(-0.6, -2.35, "above each node: its value in the forward pass;  below, in bold: "
            r"$\partial L / \partial$ (that value), from the backward pass", fontsize=9,
            color=style.fg, ha="left")
    ax.text(cols["L"], -0.95, f"target $y = {Y[0, 0]:g}$", fontsize=8.5, color=style.muted,
            ha="center", va="top")
    ax.set_xlim(-0.7, 9.4)
    ax.set_ylim(-2.55, 2.0)
    return fig


def _graph_edges() -> list:
    """The graph's edges ``(start, end, label)``, nodes named ``(kind, index)``."""
    edges = [(("x", i), ("z1", j), f"{W1[i, j]:g}") for i in range(2) for j in range(2)]
    edges += [(("z1", j), ("a1", j), r"$\sigma$") for j in range(2)]
    edges += [(("a1", j), ("y_hat", 0), f"{W2[j, 0]:g}") for j in range(2)]
    return edges + [(("y_hat", 0), ("L", 0), "")]


def _graph_node(kind: str, i: int, ex: dict) -> tuple[str, float, float, int]:
    """A node's TeX name, forward value, gradient and series colour."""
    # Entries of the layer-1 vectors z_1 and a_1 carry the layer in parentheses, as on the page.
    names = {"x": "x_{%d}", "z1": "(z_1)_{%d}", "a1": "(a_1)_{%d}", "y_hat": r"\hat{y}",
             "L": "L"}
    values = {"x": X[0], "z1": ex["z1"], "a1": ex["a1"], "y_hat": ex["y_hat"],
              "L": [ex["loss"]]}
    grads = {"x": ex["dx"], "z1": ex["dz1"], "a1": ex["da1"], "y_hat": ex["dy_hat"],
             "L": [1.0]}
    colours = {"x": 0, "z1": 2, "a1": 2, "y_hat": 1, "L": 4}
    name = names[kind] % (i + 1) if "%" in names[kind] else names[kind]
    return name, values[kind][i], grads[kind][i], colours[kind]


def _computational_graph_narrow(style: Style) -> Figure:
    """The graph of ``computational_graph`` top to bottom, for a phone's column: each
    node's value beside it above its gradient, on the outer side."""
    ex = worked_example()
    fig = Figure(figsize=(NARROW_WIDTH, 5.8), layout="constrained")
    ax = fig.subplots()
    plain_axes(ax)
    rows = {"x": 4.8, "z1": 3.5, "a1": 2.2, "y_hat": 0.9, "L": -0.4}
    pos = {(kind, i): (0.95 * (2 * i - 1), rows[kind]) for kind in ("x", "z1", "a1")
           for i in range(2)}
    pos[("y_hat", 0)] = (0.0, rows["y_hat"])
    pos[("L", 0)] = (0.0, rows["L"])
    for start, end, label in _graph_edges():
        arrow(ax, pos[start], pos[end], style, shrink=14)
        if label:
            (x0, y0), (x1, y1) = pos[start], pos[end]
            t = 0.3 if start[0] == "x" and x0 != x1 else 0.5
            ax.text(x0 + t * (x1 - x0) + 0.08 * np.sign(x0 or 1), y0 + t * (y1 - y0), label,
                    fontsize=8.5, color=style.muted, va="center",
                    ha="left" if x0 > 0 else "right")
    r = 0.36
    for (kind, i), (x, y) in pos.items():
        name, value, grad, colour = _graph_node(kind, i, ex)
        node(ax, (x, y), r, style, colour=style.series[colour], text=f"${name}$",
             fontsize=12 if len(name) < 8 else 10)
        side = 1 if x > 0 else -1
        for text, dy, extra in ((f"{value:.4f}", 0.03, {}),
                                (f"{grad:.4f}", -0.03, {"fontweight": "bold"})):
            ax.text(x + side * (r + 0.06), y + dy, text, fontsize=9,
                    ha="left" if side > 0 else "right", va="bottom" if dy > 0 else "top",
                    color=style.fg if dy > 0 else style.series[1], **extra)
    ax.text(0.5, rows["L"], f"target $y = {Y[0, 0]:g}$", fontsize=8.5, color=style.muted,
            va="center")
    ax.text(-1.85, -1.0, "beside each node, above: its value in the\nforward pass; "
            "below, in bold: $\\partial L / \\partial$ (that\nvalue), from the backward pass",
            fontsize=9, color=style.fg, ha="left", va="top")
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-1.75, 5.3)
    return fig


def _layer_cases(rng):
    """One small instance and input per layer type, kept away from kinks."""
    away = rng.uniform(0.2, 1.5, (4, 5)) * rng.choice([-1.0, 1.0], (4, 5))
    seq = rng.standard_normal((2, 4, 6))
    img = rng.standard_normal((2, 2, 6, 6))
    block = layers.TransformerBlock(6, 2, 8, rng=rng)
    return [
        ("Dense", layers.Dense(5, 3, rng=rng), rng.standard_normal((4, 5)), False),
        ("ReLU", layers.ReLU(), away, False),
        ("LeakyReLU", layers.LeakyReLU(0.1), away, False),
        ("Sigmoid", layers.Sigmoid(), away, False),
        ("Tanh", layers.Tanh(), away, False),
        ("GELU", layers.GELU(), away, False),
        ("ELU", layers.ELU(), away, False),
        ("Softplus", layers.Softplus(), away, False),
        ("Softmax", layers.Softmax(), away, False),
        ("BatchNorm", layers.BatchNorm(5), rng.standard_normal((6, 5)), True),
        ("LayerNorm", layers.LayerNorm(6), seq, False),
        ("Conv2D", layers.Conv2D(2, 3, 3, padding=1, rng=rng), img, False),
        ("MaxPool2D", layers.MaxPool2D(2), img, False),
        ("AvgPool2D", layers.AvgPool2D(2), img, False),
        ("GlobalAvgPool2D", layers.GlobalAvgPool2D(), img, False),
        ("Flatten", layers.Flatten(), img, False),
        ("RNN", layers.RNN(6, 4, rng=rng), seq, False),
        ("LSTM", layers.LSTM(6, 3, rng=rng), seq, False),
        ("MultiHeadAttention", layers.MultiHeadAttention(6, 2, rng=rng), seq, False),
        ("TransformerBlock", block, seq, False),
    ]


@cache
def gradient_errors() -> tuple[tuple[str, float], ...]:
    """Largest relative error of every layer type and loss, and of a deliberately wrong one."""
    rng = np.random.default_rng(0)
    found = []
    for name, layer, x, training in _layer_cases(rng):
        errors = check_layer(layer, x, rng=rng, training=training)
        found.append((name, max(errors.values())))
    logits, labels = rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])
    found.append(("loss: MSE", check_loss(losses.MSE(), logits, rng.standard_normal((4, 3)))))
    found.append(("loss: BinaryCrossEntropy", check_loss(
        losses.BinaryCrossEntropy(from_logits=True), logits[:, :1], np.array([[1.0], [0.0],
                                                                              [1.0], [0.0]]))))
    found.append(("loss: CrossEntropy", check_loss(losses.CrossEntropy(), logits, labels)))
    found.append(("wrong on purpose: sigmoid", check_layer(_WrongSigmoid(), logits,
                                                           rng=rng)["x"]))
    return tuple(found)


class _WrongSigmoid(layers.Sigmoid):
    """A classic bug: the sigmoid's backward pass forgets the factor (1 - a)."""

    def local_grad(self):
        return self._cached("a")


def gradient_check(style: Style, layout: str = "wide") -> Figure:
    """Relative error between backward and finite differences, for every layer type."""
    found = gradient_errors()
    names = [n for n, _ in found]
    errors = np.array([e for _, e in found])
    fig, (ax,) = panels(layout, size=(7.6, 6.4), panel_height=5.6)
    y = np.arange(len(found))[::-1]
    ok = errors < THRESHOLD
    ax.scatter(errors[ok], y[ok], color=style.series[2], marker=MARKERS[0], s=36,
               label=f"passes (below {THRESHOLD:.0e})", zorder=3)
    ax.scatter(errors[~ok], y[~ok], color=style.series[1], marker=MARKERS[6], s=60,
               label="fails", zorder=3)
    for yi, e in zip(y, errors, strict=True):
        ax.plot([1e-14, e], [yi, yi], color=style.grid, linewidth=1.0, linestyle="-",
                zorder=1)
    ax.axvline(THRESHOLD, color=style.fg, linestyle="--", linewidth=1.0)
    ax.axvspan(1e-2, 1e1, color=style.series[1], alpha=0.12, linewidth=0)
    # Narrow: the band's label ends at the plot's right edge, and the axis label takes two
    # lines, so that neither runs off a phone's column.
    narrow = is_narrow(layout)
    ax.text(8 if narrow else 1.2e-2, y[-1] + 0.8, "wrong\n(above 1e-2)", fontsize=8.5,
            color=style.fg, va="bottom", ha="right" if narrow else "left")
    ax.set_xscale("log")
    ax.set_xlim(1e-14, 1e1)
    ax.set_yticks(y, names, fontsize=9)
    gap = "\n" if narrow else " "
    ax.set_xlabel(f"largest relative error, analytic{gap}against numerical gradient")
    ax.grid(axis="y", visible=False)
    ax.text(THRESHOLD * 1.3, y[0] + 0.6, "threshold", fontsize=8.5, color=style.fg)
    ax.set_ylim(-0.8, len(found) + 0.2)
    fig.legend(loc="outside lower center", ncols=2, fontsize=9, framealpha=0)
    return fig


def _graph_data() -> dict:
    """Every node of the worked graph with its forward value and its gradient dL/d(node)."""
    ex = worked_example()
    nodes = (("x", X[0], ex["dx"]), ("z1", ex["z1"], ex["dz1"]), ("a1", ex["a1"], ex["da1"]),
             ("y_hat", ex["y_hat"], ex["dy_hat"]), ("L", [ex["loss"]], [1.0]))
    rows = [(name, i + 1, float(v), float(g)) for name, values, grads in nodes
            for i, (v, g) in enumerate(zip(values, grads, strict=True))]
    return dict(zip(("node", "index", "value", "gradient"), map(list, zip(*rows, strict=True)),
                    strict=True))


def _check_data() -> dict:
    """Each layer type or loss, its largest relative error and whether it passes."""
    names, errors = zip(*gradient_errors(), strict=True)
    return {"layer": list(names), "relative_error": list(errors),
            "passes": [int(e < THRESHOLD) for e in errors]}


def _fmt(v) -> str:
    v = np.atleast_1d(np.asarray(v, dtype=float)).ravel()
    inner = ", ".join(f"{x:.4f}" for x in v)
    return inner if v.size == 1 else f"({inner})"


def _matrix(M) -> str:
    rows = r" \\ ".join(" & ".join(f"{x:.4f}" for x in row) for row in np.atleast_2d(M))
    return r"\begin{pmatrix} " + rows + r" \end{pmatrix}"


def _scientific(x: float) -> str:
    """``8e-10`` as ``8 × 10⁻¹⁰``, with a true minus sign, as prose and alt text read it."""
    mantissa, exponent = f"{x:.0e}".split("e")
    digits = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa} × 10{digits}"


def _worst_layer_error() -> str:
    return _scientific(max(e for n, e in gradient_errors() if not n.startswith('wrong')))


def _power_of_ten(x: float) -> str:
    """``1e-06`` as the TeX ``10^{-6}``; refuses a value that is not a power of ten."""
    exponent = int(round(np.log10(x)))
    if not np.isclose(x, 10.0 ** exponent, rtol=1e-12, atol=0):
        raise ValueError(f"{x} is not a power of ten")
    return f"10^{{{exponent}}}"


def _default_eps() -> float:
    return inspect.signature(numerical_gradient).parameters["eps"].default


FIGURES = (
    FigureSpec("computational_graph", computational_graph,
               "A 2-2-1 network's forward values and backward gradients",
               data=_graph_data),
    FigureSpec("gradient_check", gradient_check,
               "Relative errors of every layer type's gradient, checked numerically",
               data=_check_data),
)

def _stepper():
    """The stepper's module (imported late: it takes the example's constants from here)."""
    from glassnet_site.interactive import backprop

    return backprop


FACTS = (
    *(Fact(f"bp_{key}", lambda key=key: _fmt(worked_example()[key]),
           f"Worked backpropagation example: {key}")
      for key in ("z1", "a1", "y_hat", "loss", "dy_hat", "da1", "dz1", "db1", "db2", "dx")),
    Fact("bpx_lr", lambda: f"{_stepper().LR:g}", "Learning rate of the stepper's update"),
    Fact("bpx_new_loss", lambda: _fmt(_stepper().run()["new_loss"]),
         "Loss of the worked example after the stepper's one SGD update"),
    Fact("bpx_slope1", lambda: _fmt(_stepper().run()["slope"][0]),
         "Sigmoid slope at the first hidden neuron of the worked example"),
    Fact("bpx_slope2", lambda: _fmt(_stepper().run()["slope"][1]),
         "Sigmoid slope at the second hidden neuron of the worked example"),
    Fact("bp_dW2", lambda: _matrix(worked_example()["dW2"]),
         "Worked example: gradient of the second weight matrix, as TeX"),
    Fact("bp_dW1", lambda: _matrix(worked_example()["dW1"]),
         "Worked example: gradient of the first weight matrix, as TeX"),
    Fact("gradcheck_worst", _worst_layer_error,
         "Largest relative gradient error over every layer type and loss"),
    Fact("gradcheck_wrong", lambda: _scientific(gradient_errors()[-1][1]),
         "Relative error of a sigmoid whose backward pass forgets (1 - a)"),
    Fact("gradcheck_count", lambda: str(len(gradient_errors()) - 1),
         "Number of layer types and losses checked on the backpropagation page"),
    Fact("gradcheck_threshold", lambda: _power_of_ten(THRESHOLD),
         "glassnet.gradcheck.THRESHOLD, the relative error a correct gradient stays below, "
         "as TeX"),
    Fact("gradcheck_threshold_plain", lambda: f"{THRESHOLD:.0e}",
         "glassnet.gradcheck.THRESHOLD as plain text, for alt texts"),
    Fact("gradcheck_eps", lambda: _power_of_ten(_default_eps()),
         "The default finite-difference step of glassnet.gradcheck, as TeX"),
)
