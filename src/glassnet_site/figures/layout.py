"""Wide and narrow layouts of one figure: panels side by side on a desktop, stacked on a phone.

A figure function takes ``layout="wide"`` or ``layout="narrow"`` and creates its figure with
``panels``, the one place that knows what the two layouts mean. Text keeps its size in points
in both: the narrow layout is sized for a phone's text column (about 360 CSS px), where the
browser shows it at about its own size, so nine-point text stays nine points.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

LAYOUTS = ("wide", "narrow")
# 3.75 in = 270 pt = 360 CSS px (1 pt = 4/3 px): a 390 px phone's text column, no scaling.
NARROW_WIDTH = 3.75


def panels(layout: str, n: int = 1, *, size: tuple[float, float], columns: int | None = None,
           narrow_columns: int = 1, panel_height: float | None = None,
           narrow_ratios=None, **subplot_kw) -> tuple[Figure, np.ndarray]:
    """A figure holding ``n`` panels, and its axes as a flat array of ``n`` in reading order.

    ``"wide"``: ``columns`` panels a row (all ``n`` in one row by default), ``size`` inches.
    ``"narrow"``: ``narrow_columns`` panels a row, ``NARROW_WIDTH`` wide, each row
    ``panel_height`` inches tall (by default the wide panels' height, at most 3.4 in).
    ``width_ratios`` apply to the wide layout; ``narrow_ratios`` are the narrow layout's
    height ratios for a single column. Other keywords go to ``Figure.subplots``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    columns = n if columns is None else columns
    wide_rows = math.ceil(n / columns)
    if layout == "wide":
        figsize = size
    else:
        columns = narrow_columns
        subplot_kw.pop("width_ratios", None)
        if narrow_ratios is not None:
            subplot_kw["height_ratios"] = narrow_ratios
        row_height = panel_height or min(size[1] / max(wide_rows, 1), 3.4)
        figsize = (NARROW_WIDTH, row_height * math.ceil(n / columns))
    rows = math.ceil(n / columns)
    fig = Figure(figsize=figsize, layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False, **subplot_kw).ravel())
    for ax in axes[n:]:  # the empty cells of an unfilled last row
        ax.remove()
    return fig, axes[:n]


def label_outer(axes, xlabel: str | None = None, ylabel: str | None = None) -> None:
    """Label the x axis of the bottom panel of each column and the y axis of each row's first.

    Works for either layout: the panels know their own place in the grid.
    """
    for ax in axes:
        spec = ax.get_subplotspec()
        if xlabel is not None and (spec.is_last_row() or _nothing_below(ax, axes)):
            ax.set_xlabel(xlabel)
        if ylabel is not None and spec.is_first_col():
            ax.set_ylabel(ylabel)


def _nothing_below(ax, axes) -> bool:
    """Whether no panel sits below ``ax`` in its column (the last row may be short)."""
    spec = ax.get_subplotspec()
    return not any(o.get_subplotspec().colspan.start == spec.colspan.start
                   and o.get_subplotspec().rowspan.start > spec.rowspan.start for o in axes)


def is_narrow(layout: str) -> bool:
    """Whether ``layout`` is the phone's; for the few choices a figure makes beyond its grid."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    return layout == "narrow"
