"""Figures and facts for the perceptron page: its boundary, its learning rule, and XOR."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from glassnet.perceptron import perceptron_predict
from glassnet_site.examples import foundations as fm

from . import _data
from ._foundation_draw import arrow, line_wxb, scatter_classes, shade_regions
from .layout import is_narrow, panels
from .registry import Fact, FigureSpec
from .style import Style

BOX = ((-3.0, 3.2), (-2.8, 3.0))
UNIT_BOX = ((-0.6, 1.6), (-0.6, 1.6))
# The "should I go for a walk" neuron of the page: sunny, cold, free time; and a bias.
WALK_W = np.array([3.0, -2.0, 4.0])
WALK_B = -5.0


def _perceptron_regions(w, b):
    return lambda points: perceptron_predict(points, np.asarray(w), b).astype(int)


def _decision_axes(ax, X, y, w, b, style: Style, box=BOX, labels=None) -> None:
    shade_regions(ax, _perceptron_regions(w, b), *box, style, edge=False)
    line_wxb(ax, w, b, style)
    scatter_classes(ax, X, y, style, labels=labels)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def perceptron_boundary(style: Style, layout: str = "wide") -> Figure:
    """A trained perceptron's line w·x + b = 0, the weight vector normal to it, two half-planes."""
    X, y = fm.blobs()
    result = fm.perceptron_on_blobs()
    w, b = result.w, result.b
    fig, (ax,) = panels(layout, size=(5.2, 4.4), panel_height=4.0)
    _decision_axes(ax, X, y, w, b, style, labels=("class 0 ($y = 0$)", "class 1 ($y = 1$)"))
    # Foot of the perpendicular from the origin to the line, and the unit normal w / |w|.
    unit = w / np.linalg.norm(w)
    foot = -b * w / np.dot(w, w)
    arrow(ax, foot, foot + 1.3 * unit, style, colour=style.fg, width=2.0)
    along = np.array([-unit[1], unit[0]])
    ax.text(*(foot + 1.0 * unit + 0.3 * along), "$w$", color=style.fg, fontsize=13,
            ha="center", va="center")
    along = along if along[1] > 0 else -along  # Point up the line, so the label reads upright.
    angle = np.degrees(np.arctan2(along[1], along[0]))
    angle = angle - 180 if angle > 90 else angle
    ax.text(*(foot + 1.4 * along - 0.3 * unit), r"$w \cdot x + b = 0$", rotation=angle,
            rotation_mode="anchor", transform_rotates_text=True, color=style.fg,
            fontsize=10, ha="center", va="center")
    ax.text(2.2, -2.3, "$z > 0$: fire, $\\hat{y} = 1$", ha="center", fontsize=10,
            color=style.fg)
    ax.text(-1.6, 2.5, "$z \\leq 0$: silent, $\\hat{y} = 0$", ha="center", fontsize=10,
            color=style.fg)
    fig.legend(loc="outside lower center", ncols=2, fontsize=9, framealpha=0)
    return fig


def perceptron_learning(style: Style, layout: str = "wide") -> Figure:
    """The boundary after 0, 1, a few and all mistakes of the perceptron rule."""
    X, y = fm.blobs()
    path = fm.perceptron_on_blobs().path
    picks = sorted({0, 1, len(path) // 2, len(path) - 1})
    fig, axes = panels(layout, len(picks), size=(9.0, 2.9), narrow_columns=2,
                       panel_height=2.5, sharey=True)
    for ax, k in zip(axes, picks, strict=True):
        w, b = path[k]
        _decision_axes(ax, X, y, w, b, style)
        wrong = perceptron_predict(X, w, b) != y
        ax.scatter(X[wrong, 0], X[wrong, 1], s=110, facecolors="none", edgecolors=style.fg,
                   linewidths=1.4, zorder=4)
        title = "start" if k == 0 else f"after {k} mistake" + ("s" if k > 1 else "")
        ax.set_title(f"{title}\n{int(wrong.sum())} points wrong", fontsize=10)
        if not ax.get_subplotspec().is_first_col():
            ax.set_ylabel("")
    return fig


def xor(style: Style, layout: str = "wide") -> Figure:
    """XOR: the perceptron never settles on a line; a hidden layer bends the boundary."""
    X, y = fm.xor_data()
    perceptron = fm.perceptron_on_xor()
    model = fm.xor_mlp()
    fig, (left, right) = panels(layout, 2, size=(8.0, 3.9), panel_height=3.9, sharey=True)
    _decision_axes(left, X, y, perceptron.w, perceptron.b, style, UNIT_BOX)
    for w, b in perceptron.path[-12:-1]:  # The line keeps jumping from mistake to mistake.
        line_wxb(left, w, b, style, colour=style.muted, linewidth=0.8, linestyle="--")
    # Narrow: the title on three lines; on one, its first would not fit a phone's column.
    gap = "\n" if is_narrow(layout) else " "
    left.set_title(f"perceptron after {len(perceptron.mistakes)} epochs{gap}(last lines dashed)"
                   f"\n{_perceptron_xor_accuracy():.0%} right", fontsize=10)
    shade_regions(right, fm.predict_classes(model), *UNIT_BOX, style)
    scatter_classes(right, X, y, style)
    right.set_aspect("equal")
    right.set_xlabel("$x_1$")
    right.set_title(f"one hidden layer of {fm.XOR_MLP_WIDTHS[1]} tanh units\n"
                    f"{_mlp_xor_accuracy():.0%} right", fontsize=10)
    return fig


def _perceptron_xor_accuracy() -> float:
    X, y = fm.xor_data()
    result = fm.perceptron_on_xor()
    return fm.accuracy(perceptron_predict(X, result.w, result.b), y)


def _mlp_xor_accuracy() -> float:
    X, y = fm.xor_data()
    return fm.accuracy(fm.predict_classes(fm.xor_mlp())(X), y)


def best_line_xor_accuracy(num_angles: int = 721) -> float:
    """The best accuracy any straight line reaches on the XOR points.

    Every direction (``num_angles`` of them over half a turn, each with both orientations)
    and every threshold between two projected points is tried.
    """
    X, y = fm.xor_data()
    best = 0
    for angle in np.linspace(0.0, np.pi, num_angles):
        labels = y[np.argsort(X @ np.array([np.cos(angle), np.sin(angle)]))]
        # Cut after k sorted points, class 1 above the cut: ones above plus zeros below.
        right = (labels.sum() - np.concatenate([[0], np.cumsum(labels)])
                 + np.concatenate([[0], np.cumsum(1 - labels)]))
        best = max(best, int(right.max()), len(y) - int(right.min()))
    return best / len(y)


def _lines(path) -> dict:
    """Lines ``(w, b)`` as columns ``w1, w2, b``."""
    return {"w1": [w[0] for w, _ in path], "w2": [w[1] for w, _ in path],
            "b": [b for _, b in path]}


def _boundary_data() -> dict:
    """The clusters with labels and predictions, then the trained line."""
    X, y = fm.blobs()
    result = fm.perceptron_on_blobs()
    return _data.stack({"point": _data.points(X, y, predicted=perceptron_predict(X, result.w,
                                                                                  result.b)),
                        "line": _lines([(result.w, result.b)])})


def _learning_data() -> dict:
    """The clusters, then the line of each panel with its mistake count and points wrong."""
    X, y = fm.blobs()
    path = fm.perceptron_on_blobs().path
    picks = sorted({0, 1, len(path) // 2, len(path) - 1})
    lines = _lines([path[k] for k in picks])
    lines["mistakes"] = picks
    lines["points_wrong"] = [int(np.sum(perceptron_predict(X, *path[k]) != y)) for k in picks]
    return _data.stack({"point": _data.points(X, y), "line": lines})


def _xor_data() -> dict:
    """The XOR points with both models' predictions, then the perceptron's last lines."""
    X, y = fm.xor_data()
    result = fm.perceptron_on_xor()
    predicted = {"perceptron": perceptron_predict(X, result.w, result.b),
                 "mlp": fm.predict_classes(fm.xor_mlp())(X)}
    lines = _lines([*result.path[-12:-1], (result.w, result.b)])
    lines["final"] = [0] * 11 + [1]
    return _data.stack({"point": _data.points(X, y, **predicted), "line": lines})


def _walk_table() -> str:
    """The walk neuron's sum and answer for all eight combinations, as a Markdown table."""
    inputs = np.array([[s, c, f] for s in (0, 1) for c in (0, 1) for f in (0, 1)], float)
    z = inputs @ WALK_W + WALK_B
    answer = perceptron_predict(inputs, WALK_W, WALK_B)
    rows = ["| sunny $x_1$ | cold $x_2$ | free time $x_3$ | $z$ | walk? $\\hat{y}$ |",
            "|:-:|:-:|:-:|--:|:-:|"]
    for x, zi, a in zip(inputs.astype(int), z, answer, strict=True):
        answer_text = "yes (1)" if a else "no (0)"
        rows.append(f"| {x[0]} | {x[1]} | {x[2]} | ${zi:g}$ | {answer_text} |")
    return "\n".join(rows)


FIGURES = (
    FigureSpec("perceptron_boundary", perceptron_boundary,
               "A trained perceptron's straight boundary and its weight vector",
               data=_boundary_data),
    FigureSpec("perceptron_learning", perceptron_learning,
               "The perceptron rule moving the boundary, mistake by mistake",
               data=_learning_data),
    FigureSpec("xor", xor, "XOR: a perceptron fails, one hidden layer succeeds",
               data=_xor_data),
)

FACTS = (
    Fact("walk_table", _walk_table, "The walk perceptron's answer for every input"),
    Fact("perceptron_blob_mistakes", lambda: str(sum(fm.perceptron_on_blobs().mistakes)),
         "Mistakes the perceptron rule makes before separating the two clusters"),
    Fact("perceptron_blob_epochs", lambda: str(len(fm.perceptron_on_blobs().mistakes)),
         "Epochs the perceptron rule needs on the two clusters (the last one has no mistake)"),
    Fact("perceptron_xor_accuracy", lambda: f"{_perceptron_xor_accuracy():.0%}",
         "Accuracy of the perceptron on XOR after 100 epochs"),
    Fact("perceptron_xor_epochs", lambda: str(len(fm.perceptron_on_xor().mistakes)),
         "Epochs the perceptron rule ran on XOR without converging"),
    Fact("mlp_xor_accuracy", lambda: f"{_mlp_xor_accuracy():.0%}",
         "Accuracy of a 2-4-2 tanh network on XOR"),
    Fact("perceptron_xor_min_mistakes", lambda: str(min(fm.perceptron_on_xor().mistakes)),
         "The fewest mistakes the perceptron made in any one epoch on XOR"),
    Fact("perceptron_xor_points", lambda: str(len(fm.xor_data()[1])),
         "Number of points in the noisy XOR data"),
    Fact("best_line_xor_accuracy", lambda: f"{best_line_xor_accuracy():.0%}",
         "The best accuracy of any straight line on the noisy XOR points"),
    Fact("xor_mlp_hidden", lambda: str(fm.XOR_MLP_WIDTHS[1]),
         "Hidden units of the tanh network trained on XOR"),
)
