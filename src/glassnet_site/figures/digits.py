"""Figures of the 8x8 handwritten digits: samples, the confusion matrix, the mistakes."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from glassnet.data import digits_split
from glassnet.metrics import confusion_matrix
from glassnet_site.examples import training as tm

from . import _data
from .layout import is_narrow, panels
from .registry import Fact, FigureSpec
from .style import Style


def _ink(style: Style) -> str:
    """Grey-scale map with dark ink on the light page and light ink on the dark page."""
    return "gray_r" if style.name == "light" else "gray"


def digits_samples(style: Style, layout: str = "wide") -> Figure:
    """Three training examples of each digit, one column per class."""
    X_train, _, _, y_train, _, _ = digits_split()
    # Wide: one row of ten columns. Narrow: two rows of five, each three examples deep.
    columns = 5 if is_narrow(layout) else 10
    fig, axes = panels(layout, 30, size=(6.0, 2.1), columns=10, narrow_columns=5,
                       panel_height=0.7)
    axes = axes.reshape(-1, columns)  # (rows of images, columns)
    for digit in range(10):
        rows = np.flatnonzero(y_train == digit)[:3]
        band, column = divmod(digit, columns)
        for ax, row in zip(axes[3 * band:3 * band + 3, column], rows, strict=True):
            ax.imshow(X_train[row].reshape(8, 8), cmap=_ink(style), vmin=0, vmax=1)
            ax.set_axis_off()
        axes[3 * band, column].set_title(str(digit), fontsize=10)
    return fig


def digits_confusion(style: Style, layout: str = "wide") -> Figure:
    """Confusion matrix of the digits network on the test set, with counts."""
    y_true, y_pred, _ = tm.digits_test_predictions()
    C = confusion_matrix(y_true, y_pred, 10)
    fig, (ax,) = panels(layout, size=(4.6, 4.0), panel_height=3.5)
    image = ax.imshow(np.log1p(C), cmap=style.sequential)
    for (i, j), count in np.ndenumerate(C):
        if count:
            light = image.norm(np.log1p(count)) > 0.6
            ax.text(j, i, str(count), ha="center", va="center",
                    fontsize=8.5 if is_narrow(layout) else 8,
                    color="black" if light else "white")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.grid(False)
    return fig


def digits_mistakes(style: Style, layout: str = "wide") -> Figure:
    """Every test digit the network gets wrong (up to 12), with its label and the guess."""
    y_true, y_pred, probs = tm.digits_test_predictions()
    _, _, X_test, _, _, _ = digits_split()
    wrong = np.flatnonzero(y_true != y_pred)[:12]
    fig, axes = panels(layout, len(wrong), size=(6.4, 1.5 * int(np.ceil(len(wrong) / 6))),
                       columns=6, narrow_columns=3, panel_height=1.35)
    for ax in axes:
        ax.set_axis_off()
    for ax, row in zip(axes, wrong, strict=False):
        ax.imshow(X_test[row].reshape(8, 8), cmap=_ink(style), vmin=0, vmax=1)
        ax.set_title(f"true {y_true[row]}, said {y_pred[row]}\n"
                     f"p = {probs[row, y_pred[row]]:.2f}",
                     fontsize=8.5 if is_narrow(layout) else 8)
    return fig


def _images(X, rows, **columns) -> dict:
    """One CSV row per image: the given columns, then its 64 pixels ``p0`` to ``p63``."""
    pixels = np.asarray(X)[rows].reshape(len(rows), -1)  # (n, 64), row by row
    return {**columns, **{f"p{k}": pixels[:, k] for k in range(pixels.shape[1])}}


def _samples_data() -> dict:
    X_train, _, _, y_train, _, _ = digits_split()
    rows = np.concatenate([np.flatnonzero(y_train == d)[:3] for d in range(10)])
    return _images(X_train, rows, train_index=rows, label=y_train[rows])


def _confusion_data() -> dict:
    y_true, y_pred, _ = tm.digits_test_predictions()
    return _data.heatmap(confusion_matrix(y_true, y_pred, 10), "true", "predicted", "count")


def _mistakes_data() -> dict:
    y_true, y_pred, probs = tm.digits_test_predictions()
    X_test = digits_split()[2]
    rows = np.flatnonzero(y_true != y_pred)[:12]
    return _images(X_test, rows, test_index=rows, true=y_true[rows], predicted=y_pred[rows],
                   probability=probs[rows, y_pred[rows]])


def _mistake_probability(pick):
    """The highest or lowest probability the network gave a wrong answer in the figure."""
    def fact() -> str:
        return f"{pick(_mistakes_data()['probability']):.2f}"
    return fact


def _test_accuracy() -> float:
    y_true, y_pred, _ = tm.digits_test_predictions()
    return float(np.mean(y_true == y_pred))


def _sizes(part: int):
    return lambda: f"{len(digits_split()[part]):,}"


FIGURES = (
    FigureSpec("digits_samples", digits_samples, "Three training examples of each digit",
               fmt="png", data=_samples_data),
    FigureSpec("digits_confusion", digits_confusion,
               "Confusion matrix of the digits network on the test set", fmt="png",
               data=_confusion_data),
    FigureSpec("digits_mistakes", digits_mistakes,
               "Test digits the network gets wrong, with its guesses", fmt="png",
               data=_mistakes_data),
)

FACTS = (
    Fact("digits_train_size", _sizes(0), "Training images of the digits"),
    Fact("digits_val_size", _sizes(1), "Validation images of the digits"),
    Fact("digits_test_size", _sizes(2), "Test images of the digits"),
    Fact("digits_total", lambda: f"{sum(len(digits_split()[i]) for i in range(3)):,}",
         "All digits images"),
    Fact("digits_mistake_p_max", _mistake_probability(max),
         "Highest probability given to a wrong answer among the mistakes shown"),
    Fact("digits_mistake_p_min", _mistake_probability(min),
         "Lowest probability given to a wrong answer among the mistakes shown"),
    Fact("digits_test_accuracy", lambda: f"{_test_accuracy():.1%}",
         "Test accuracy of the digits network"),
    Fact("digits_test_errors",
         lambda: f"{int(np.sum(np.not_equal(*tm.digits_test_predictions()[:2])))}",
         "Test digits the network gets wrong"),
)
