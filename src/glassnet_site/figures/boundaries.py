"""Figures for the decision-boundaries page: a boundary forming, and capacity."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from glassnet.data import make_moons
from glassnet_site.examples import training as tm

from . import _data
from .layout import panels
from .registry import Fact, FigureSpec
from .style import Style


def region_cmap(style: Style) -> LinearSegmentedColormap:
    """Each class tinted in its colour (``Style.class_colour``), see-through between."""
    low, high = to_rgba(style.class_colour(0), 0.45), to_rgba(style.class_colour(1), 0.45)
    return LinearSegmentedColormap.from_list("regions", [low, (0.5, 0.5, 0.5, 0.0), high])


def draw_boundary(ax, style: Style, prob, X, y, title: str = "") -> None:
    """Shade P(class 1) on the shared grid, draw the 0.5 contour and the labelled points.

    Class 0 points are circles and class 1 points squares (the site's convention, see
    ``style.CLASS_MARKERS``), so the classes differ in shape as well as colour.
    """
    xx, yy, _ = tm.grid()
    n = xx.shape[0]
    image = prob.reshape(n, n)
    # Flat bands of probability compress far better than a smooth image and read as well.
    ax.contourf(xx, yy, image, levels=[0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0],
                cmap=region_cmap(style), vmin=0, vmax=1, rasterized=True)
    ax.contour(xx, yy, image, levels=[0.5], colors=[style.fg], linewidths=1.4)
    labels = np.asarray(y).reshape(-1)
    scale = (np.ptp(xx) / 1.9, np.ptp(yy) / 1.6)  # data units per inch of a panel, roughly
    for cls, shape in ((0, _CIRCLE), (1, _SQUARE)):
        colour = style.class_colour(cls)
        rows = labels == cls
        ax.add_patch(PathPatch(_markers(X[rows], shape, scale), facecolor=colour,
                               edgecolor=style.fg, linewidth=0.4, zorder=3,
                               label=f"class {cls}"))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(title, fontsize=9.5)


# Unit marker outlines (in inches / 20): circles (as 12-gons) for class 0, squares for class
# 1, as style.CLASS_MARKERS has them.
_CIRCLE = 0.95 * np.c_[np.cos(np.arange(12) * np.pi / 6), np.sin(np.arange(12) * np.pi / 6)]
_SQUARE = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * 0.8


def _markers(points, shape, scale) -> Path:
    """One compound path with ``shape`` at every point: far smaller in SVG than a scatter,
    which writes one element per point."""
    size = np.array(scale) / 26
    polygons = points[:, None, :] + shape[None, :, :] * size  # (n, corners, 2)
    return Path.make_compound_path(*(Path(p, closed=True) for p in
                                     np.concatenate([polygons, polygons[:, :1]], axis=1)))


def boundary_evolution(style: Style, layout: str = "wide") -> Figure:
    """One network's decision boundary after 0, 5, 25 and 150 epochs on the clean moons."""
    epochs, probs = tm.boundary_snapshots()
    X, y = tm.clean_moons()
    fig, axes = panels(layout, len(epochs), size=(8.0, 2.5), narrow_columns=2,
                       panel_height=2.1)
    for ax, epoch, prob in zip(axes, epochs, probs, strict=True):
        draw_boundary(ax, style, prob, X, y, f"after {epoch} epochs")
    axes[0].legend(loc="lower left", fontsize=8, framealpha=0.0)
    return fig


def capacity(style: Style, layout: str = "wide") -> Figure:
    """A single neuron, a small MLP and a deep MLP trained on the same noisy moons."""
    X, y, _, _ = tm.moons()
    _, _, points = tm.grid()
    fig, axes = panels(layout, len(tm.CAPACITY), size=(8.0, 2.9), narrow_columns=2,
                       panel_height=2.3)
    for ax, name in zip(axes, tm.CAPACITY, strict=True):
        model = tm.capacity_run(name)[0]
        train, val = tm.moons_accuracies(model)
        title = f"{name}\ntrain {train:.0%}, validation {val:.0%}"
        draw_boundary(ax, style, tm.probability(model, points), X, y, title)
    axes[0].legend(loc="lower left", fontsize=8, framealpha=0.0)
    return fig


def _evolution_data() -> dict:
    """The clean moons, then P(class 1) at each snapshot on every fifth point of the grid."""
    X, y = tm.clean_moons()
    epochs, probs = tm.boundary_snapshots()
    xx, yy, _ = tm.grid()
    keep = np.zeros(xx.shape, dtype=bool)
    keep[::5, ::5] = True
    keep = keep.ravel()
    grid = {"epoch": np.repeat(epochs, keep.sum()),
            "x1": np.tile(xx.ravel()[keep], len(epochs)),
            "x2": np.tile(yy.ravel()[keep], len(epochs)),
            "p_class1": np.concatenate([p[keep] for p in probs])}
    return _data.stack({"point": _data.points(X, y), "grid": grid})


def _capacity_data() -> dict:
    """The training points with their labels and the class each of the three models gives."""
    X, y, _, _ = tm.moons()
    keys = ("single_neuron", "small_mlp", "deep_mlp")
    predicted = {f"predicted_{key}": (tm.probability(tm.capacity_run(name)[0], X) > 0.5)
                 .astype(int) for key, name in zip(keys, tm.CAPACITY, strict=True)}
    return _data.points(X, y, **predicted)


def _capacity_fact(name: str, which: int):
    return lambda: f"{tm.moons_accuracies(tm.capacity_run(name)[0])[which]:.0%}"


_NEURON, _SMALL, _DEEP = tm.CAPACITY


def _validation_ceiling() -> str:
    """Share of validation labels left unflipped: the score of a classifier that matched
    every original label."""
    _, _, _, y_val = tm.moons()
    _, original = make_moons(tm.MOONS_VAL, noise=tm.MOONS_NOISE, seed=tm.MOONS_VAL_SEED)
    return f"{np.mean(y_val[:, 0] == original):.0%}"

FIGURES = (
    FigureSpec("boundary_evolution", boundary_evolution,
               "A network's decision boundary after 0, 5, 25 and 150 epochs", fmt="svg",
               data=_evolution_data),
    FigureSpec("capacity", capacity,
               "A single neuron, a small MLP and a deep MLP on the same noisy data", fmt="svg",
               data=_capacity_data),
)

FACTS = (
    Fact("capacity_neuron_train", _capacity_fact(_NEURON, 0),
         "Training accuracy of a single neuron on the noisy moons"),
    Fact("capacity_neuron_val", _capacity_fact(_NEURON, 1),
         "Validation accuracy of a single neuron on the noisy moons"),
    Fact("capacity_small_train", _capacity_fact(_SMALL, 0),
         "Training accuracy of the 2-8-1 network on the noisy moons"),
    Fact("capacity_small_val", _capacity_fact(_SMALL, 1),
         "Validation accuracy of the 2-8-1 network on the noisy moons"),
    Fact("capacity_deep_train", _capacity_fact(_DEEP, 0),
         "Training accuracy of the deep MLP on the noisy moons"),
    Fact("capacity_deep_val", _capacity_fact(_DEEP, 1),
         "Validation accuracy of the deep MLP on the noisy moons"),
    Fact("moons_train_size", lambda: f"{tm.MOONS_TRAIN}", "Training points of the noisy moons"),
    Fact("moons_val_size", lambda: f"{tm.MOONS_VAL}", "Validation points of the noisy moons"),
    Fact("moons_flipped", lambda: f"{100 * tm.MOONS_FLIPPED:.0f}%",
         "Share of flipped labels in the noisy moons"),
    Fact("toy_epochs", lambda: f"{tm.TOY_EPOCHS}", "Epochs of full-batch training on the moons"),
    Fact("moons_val_ceiling", _validation_ceiling,
         "Validation accuracy of a classifier that matched every original, unflipped label"),
    Fact("boundary_network", lambda: "-".join(map(str, tm.BOUNDARY_NETWORK)),
         "Layer sizes of the network whose boundary forms in the snapshots"),
    *(Fact(f"snapshot_epoch_{i}", lambda e=e: str(e), f"Epoch of boundary snapshot {i}")
      for i, e in enumerate(tm.SNAPSHOT_EPOCHS)),
)
