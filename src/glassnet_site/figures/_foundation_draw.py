"""Drawing helpers shared by the Foundations figures: class scatters, decision regions, boxes.

Class 0 is always the first series colour with circles, class 1 the second with squares, so
the two classes differ by shape as well as by colour.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .style import CLASS_MARKERS, MARKERS, Style


def scatter_classes(ax, X, y, style: Style, size: float = 22, labels=None,
                    rasterized: bool = False) -> None:
    """Plot the points of each class with its own colour and marker.

    Drawn with ``plot`` rather than ``scatter``: an SVG then styles each class once instead
    of once per point, which keeps the file small.
    """
    for k in np.unique(y):
        rows = y == k
        label = None if labels is None else labels[int(k)]
        marker = (CLASS_MARKERS + MARKERS[2:])[int(k)]
        ax.plot(X[rows, 0], X[rows, 1], linestyle="none", marker=marker,
                markersize=np.sqrt(size), color=style.class_colour(int(k)),
                markeredgecolor=style.fg, markeredgewidth=0.4, label=label, zorder=3,
                rasterized=rasterized)


def grid(xlim, ylim, n: int = 160):
    """A ``(n * n, 2)`` grid of points over the box, and the two mesh arrays."""
    xx, yy = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    return np.c_[xx.ravel(), yy.ravel()], xx, yy


def shade_regions(ax, predict, xlim, ylim, style: Style, n: int = 160,
                  num_classes: int = 2, alpha: float = 0.22, edge: bool = True) -> None:
    """Tint each point of the plane by the class ``predict(points)`` gives it.

    ``predict`` maps a ``(m, 2)`` array to integer classes ``(m,)``. The region image is
    rasterized so that an SVG stays small.
    """
    points, xx, yy = grid(xlim, ylim, n)
    classes = np.asarray(predict(points)).reshape(xx.shape)
    colours = [to_rgba(style.class_colour(k), alpha) for k in range(num_classes)]
    ax.pcolormesh(xx, yy, classes, cmap=ListedColormap(colours), vmin=-0.5,
                  vmax=num_classes - 0.5, shading="auto", rasterized=True, zorder=0)
    if edge:
        ax.contour(xx, yy, classes, levels=np.arange(num_classes - 1) + 0.5,
                   colors=[style.fg], linewidths=1.6, zorder=2)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)


def line_wxb(ax, w, b, style: Style, colour=None, **kwargs) -> None:
    """Draw the exact line :math:`w_1 x_1 + w_2 x_2 + b = 0` across the current axes."""
    w = np.asarray(w, dtype=float)
    foot = -b * w / np.dot(w, w)  # The point of the line nearest the origin.
    along = np.array([-w[1], w[0]]) / np.linalg.norm(w)
    ends = np.array([foot - 20 * along, foot + 20 * along])
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    kwargs.setdefault("linewidth", 1.8)
    ax.plot(ends[:, 0], ends[:, 1], color=colour or style.fg, zorder=2, **kwargs)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)


def plain_axes(ax) -> None:
    """Square axes without grid, ticks or spines: for diagrams and decision maps."""
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def node(ax, xy, r, style: Style, colour=None, text="", fontsize=10, fill_alpha=0.18,
         text_colour=None):
    """A circle (a neuron or an input) with centred text."""
    colour = colour or style.muted
    ax.add_patch(Circle(xy, r, facecolor=to_rgba(colour, fill_alpha), edgecolor=colour,
                        linewidth=1.6, zorder=3))
    if text:
        ax.text(*xy, text, ha="center", va="center", fontsize=fontsize,
                color=text_colour or style.fg, zorder=4)


def box(ax, xy, width, height, style: Style, colour=None, text="", fontsize=10):
    """A rounded box centred at ``xy`` with text: an operation in a diagram."""
    colour = colour or style.muted
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.08",
                                facecolor=to_rgba(colour, 0.16), edgecolor=colour,
                                linewidth=1.6, zorder=3))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=style.fg,
                zorder=4)


def arrow(ax, start, end, style: Style, colour=None, width: float = 1.3, shrink: float = 0,
          style_name: str = "-|>", zorder: int = 2, **kwargs):
    """An arrow from ``start`` to ``end`` in data coordinates."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style_name, mutation_scale=11,
                                 color=colour or style.muted, linewidth=width,
                                 shrinkA=shrink, shrinkB=shrink, zorder=zorder, **kwargs))
