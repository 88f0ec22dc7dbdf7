"""Figures and facts for the gradient-descent and optimizers page.

Every trajectory is produced by the optimizers of ``glassnet.optimizers`` through their
``update(params, grads)`` interface, on two-dimensional loss surfaces whose gradients are
written out below; the mini-batch curves come from a small glassnet network.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from matplotlib.figure import Figure

from glassnet import layers, losses, optimizers
from glassnet.model import Sequential
from glassnet.networks import mlp
from glassnet_site.examples import foundations as fm
from glassnet_site.interactive import explorers

from . import _data
from .layout import label_outer, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style

# A bowl that is four times steeper along w2 than along w1: L = (w1^2 + 4 w2^2) / 2.
BOWL = np.array([1.0, 4.0])
BOWL_START = np.array([-2.6, 1.4])
LEARNING_RATES = (("too small", 0.02), ("about right", 0.2), ("too large", 0.52))
BOWL_STEPS = 20
# A ravine: gentle along w1, fifty times more sharply curved across it.
RAVINE = np.array([0.04, 2.0])
RAVINE_START = np.array([-4.5, 0.9])
RAVINE_STEPS = 60
# The mini-batch runs: a 2-8-2 tanh network, and (label, batch size, learning rate) per run.
MINIBATCH_SIZES = (2, 8, 2)
MINIBATCH_EPOCHS = 5
MINIBATCH_RUNS = (("batch (all 160)", 160, 0.5), ("mini-batch of 16", 16, 0.1),
                  ("stochastic (1)", 1, 0.02))


def bowl_loss(w):
    """The bowl's loss, for points of shape ``(..., 2)``."""
    return 0.5 * np.sum(BOWL * np.asarray(w) ** 2, axis=-1)


def trajectory(optimizer, curvature, start, steps: int) -> np.ndarray:
    """Positions ``(steps + 1, 2)`` of ``optimizer`` on the quadratic with ``curvature``.

    The gradient of :math:`L = \\tfrac12 \\sum_i c_i w_i^2` is :math:`c \\odot w`.
    """
    params = {"w": np.array(start, dtype=float)}
    path = [params["w"].copy()]
    for _ in range(steps):
        optimizer.update(params, {"w": curvature * params["w"]})
        path.append(params["w"].copy())
    return np.array(path)


def _contours(ax, curvature, xlim, ylim, style: Style, levels) -> None:
    # The level sets of a quadratic are ellipses: draw them exactly, with few points.
    t = np.linspace(0.0, 2.0 * np.pi, 41)
    for level in levels:
        rx, ry = np.sqrt(2.0 * level / np.asarray(curvature))
        ax.plot(rx * np.cos(t), ry * np.sin(t), color=style.grid, linewidth=0.9,
                linestyle="-", zorder=1)
    ax.plot([0], [0], marker="*", markersize=12, color=style.fg, linestyle="none", zorder=4)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.grid(False)


@cache
def bowl_paths() -> tuple[np.ndarray, ...]:
    """BOWL_STEPS steps of plain gradient descent on the bowl at each of LEARNING_RATES."""
    return tuple(trajectory(optimizers.SGD(lr=lr), BOWL, BOWL_START, BOWL_STEPS)
                 for _, lr in LEARNING_RATES)


def gradient_descent_lr(style: Style, layout: str = "wide") -> Figure:
    """Twenty steps of gradient descent on one bowl, at three learning rates."""
    fig, axes = panels(layout, 3, size=(8.6, 3.2), panel_height=2.6, sharey=True)
    levels = bowl_loss(BOWL_START) * np.array([0.03, 0.12, 0.35, 0.7, 1.2, 2.0])
    for i, (ax, (label, lr)) in enumerate(zip(axes, LEARNING_RATES, strict=True)):
        path = bowl_paths()[i]
        # Keep the steps inside the panel (and one beyond, to show where it went).
        inside = np.all(np.abs(path) <= (3.0, 2.0), axis=1)
        last = len(path) if inside.all() else int(np.argmin(inside)) + 1
        _contours(ax, BOWL, (-3.0, 3.0), (-2.0, 2.0), style, np.sort(levels))
        ax.plot(path[:last, 0], path[:last, 1], color=style.series[i], linestyle="-",
                marker=MARKERS[i], markersize=4, linewidth=1.3, clip_on=True)
        ax.set_title(f"{label}: $\\eta = {lr:g}$\nloss after {BOWL_STEPS} steps: "
                     f"{bowl_loss(path[-1]):.2g}", fontsize=10)
    label_outer(axes, "$w_1$", "$w_2$")
    return fig


# (name, optimizer class, its settings): the figure's labels and the caption's facts read
# the settings from here.
OPTIMIZER_RUNS = (
    ("SGD", optimizers.SGD, {"lr": 0.9}),
    ("momentum", optimizers.SGD, {"lr": 0.3, "momentum": 0.9}),
    ("RMSProp", optimizers.RMSProp, {"lr": 0.1}),
    ("Adam", optimizers.Adam, {"lr": 0.3}),
)
_SYMBOLS = {"lr": "\\eta", "momentum": "\\mu"}


def _run_label(name: str, settings: dict) -> str:
    return f"{name}, $" + ", ".join(f"{_SYMBOLS[k]} = {v:g}" for k, v in settings.items()) + "$"


@cache
def ravine_paths() -> tuple[np.ndarray, ...]:
    """RAVINE_STEPS steps of each optimizer on the ravine, from the same start."""
    return tuple(trajectory(cls(**settings), RAVINE, RAVINE_START, RAVINE_STEPS)
                 for _, cls, settings in OPTIMIZER_RUNS)


def late_swing(i: int, steps=slice(40, 61)) -> float:
    """Largest |w2|, the distance across the ravine, of optimizer ``i`` over late steps."""
    return float(np.max(np.abs(ravine_paths()[i][steps, 1])))


def optimizers_figure(style: Style, layout: str = "wide") -> Figure:
    """SGD, momentum, RMSProp and Adam on a ravine, and their losses step by step."""
    fig, (left, right) = panels(layout, 2, size=(8.6, 3.7), width_ratios=(1.7, 1),
                                panel_height=2.6)
    start_loss = 0.5 * np.sum(RAVINE * RAVINE_START**2)
    _contours(left, RAVINE, (-5.0, 1.5), (-1.3, 1.3), style,
              start_loss * np.array([0.003, 0.02, 0.08, 0.2, 0.45, 1.0, 1.8]))
    for i, ((name, _, settings), path) in enumerate(zip(OPTIMIZER_RUNS, ravine_paths(),
                                                         strict=True)):
        label = _run_label(name, settings)
        kw = {"color": style.series[i], "linestyle": LINESTYLES[i], "linewidth": 1.4}
        left.plot(path[:, 0], path[:, 1], marker=MARKERS[i], markersize=3.5, markevery=3,
                  label=label, **kw)
        loss = 0.5 * np.sum(RAVINE * path**2, axis=1)
        right.semilogy(np.arange(len(loss)), loss, **kw)
    left.set_xlabel("$w_1$ (gentle direction)")
    left.set_ylabel("$w_2$ (steep)")
    right.set_xlabel("step")
    right.set_ylabel("loss")
    right.set_title("loss per step", fontsize=10)
    fig.legend(loc="outside lower center", ncols=2 if layout == "narrow" else 4, fontsize=9,
               framealpha=0)
    return fig


@cache
def minibatch_runs() -> dict:
    """Full-data training loss after every update, for each of MINIBATCH_RUNS."""
    X, y = fm.moons_data()
    runs = {}
    for label, batch_size, lr in MINIBATCH_RUNS:
        model = mlp(MINIBATCH_SIZES, layers.Tanh, "glorot_uniform", seed=3)
        model.compile(optimizers.SGD(lr=lr), losses.CrossEntropy(), metrics=())
        rng = np.random.default_rng(0)
        epochs, curve = [], []
        for epoch in range(MINIBATCH_EPOCHS):
            order = rng.permutation(len(y))
            for k, start in enumerate(range(0, len(y), batch_size)):
                rows = order[start:start + batch_size]
                model.train_on_batch(X[rows], y[rows])
                epochs.append(epoch + (k + 1) * batch_size / len(y))
                curve.append(_full_loss(model, X, y))
        runs[label] = (np.array(epochs), np.array(curve))
    return runs


def _full_loss(model: Sequential, X, y) -> float:
    return losses.softmax_cross_entropy(model.forward(X), y)[0]


def minibatch_noise(style: Style, layout: str = "wide") -> Figure:
    """Loss on all the data after every update: smooth for full batches, noisy for one."""
    fig, (ax,) = panels(layout, size=(7.4, 3.4), panel_height=3.4)
    for i, (label, (epochs, curve)) in enumerate(reversed(minibatch_runs().items())):
        j = 2 - i
        marker = {"marker": MARKERS[j], "markersize": 5} if len(curve) < 10 else {}
        ax.plot(np.r_[0.0, epochs], np.r_[_initial_loss(), curve], color=style.series[j],
                linestyle=LINESTYLES[j], linewidth=1.0 if j == 2 else 1.8,
                label=f"{label}: {_updates(len(curve) // 5)} per epoch", **marker)
    ax.set_xlabel("epochs (passes over the 160 training points)")
    ax.set_ylabel("training loss (all points)")
    ax.legend(fontsize=9, framealpha=0)
    return fig


def _updates(n: int) -> str:
    return "1 update" if n == 1 else f"{n} updates"


@cache
def _initial_loss() -> float:
    X, y = fm.moons_data()
    return _full_loss(mlp(MINIBATCH_SIZES, layers.Tanh, "glorot_uniform", seed=3), X, y)


def _run_fact(i: int) -> str:
    return f"{bowl_loss(bowl_paths()[i][-1]):.2g}"


def _paths_data(paths, labels, curvature) -> dict:
    """Every step of every path: its run, step number, position and loss."""
    runs = {label: path for label, path in zip(labels, paths, strict=True)}
    return {"run": [label for label, path in runs.items() for _ in path],
            "step": np.concatenate([np.arange(len(path)) for path in runs.values()]),
            "w1": np.concatenate([path[:, 0] for path in runs.values()]),
            "w2": np.concatenate([path[:, 1] for path in runs.values()]),
            "loss": np.concatenate([0.5 * np.sum(curvature * path**2, axis=1)
                                    for path in runs.values()])}


def _bowl_data() -> dict:
    return _paths_data(bowl_paths(), [f"lr={lr:g}" for _, lr in LEARNING_RATES], BOWL)


def _ravine_data() -> dict:
    labels = [" ".join([name, *(f"{'mu' if k == 'momentum' else k}={v:g}"
                                for k, v in settings.items())])
              for name, _, settings in OPTIMIZER_RUNS]
    return _paths_data(ravine_paths(), labels, RAVINE)


def _minibatch_data() -> dict:
    """Each run's full-data loss after every update, from the shared starting loss."""
    return _data.curves({label: (np.r_[0.0, epochs], np.r_[_initial_loss(), curve])
                         for label, (epochs, curve) in minibatch_runs().items()},
                        "epoch", "training_loss", key="run")


def _ravine_final(i: int) -> str:
    return _scientific(0.5 * np.sum(RAVINE * ravine_paths()[i][-1] ** 2))


def _scientific(x: float) -> str:
    """Two significant digits as ``1.2 × 10⁻⁴``, with a true minus sign."""
    mantissa, exponent = f"{x:.1e}".split("e")
    digits = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa} × 10{digits}"


def _two_digits(x: float) -> str:
    """Two significant digits, as ``0.10`` or, below 0.01, as ``1.2 × 10⁻⁴``."""
    return f"{x:.2f}" if x >= 0.01 else _scientific(x)


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ravine_settings() -> str:
    """Each ravine run's settings, as the caption states them."""
    return _and([f"{name} with "
                 + " and ".join(f"${_SYMBOLS[k]} = {v:g}$" for k, v in settings.items())
                 for name, _, settings in OPTIMIZER_RUNS])



# --- the learning-rate explorer's paths, as the page describes them --------------------

SETTLED = 1e-3  # an explorer path has come down once its loss falls below this
LESSON_LR = 0.05  # lesson 6's learning rate, one of the explorer's


@cache
def _explorer_data() -> dict:
    return explorers.descent_data()


def explorer_losses(name: str) -> dict[float, np.ndarray]:
    """The loss along the explorer's path of optimizer ``name`` at each of its rates, as
    the explorer shows it."""
    data = _explorer_data()
    return {lr: np.array(loss) for lr, loss in
            zip(data["lrs"], data["optimizers"][name]["loss"], strict=True)}


def settle_step(name: str, lr: float) -> int | None:
    """The first step at which the path's loss is below SETTLED, or None if it never is
    within the explorer's steps."""
    below = np.nonzero(explorer_losses(name)[lr] < SETTLED)[0]
    return int(below[0]) if len(below) else None


def converges(name: str, lr: float) -> bool:
    """Whether the path ends, all its steps taken, below a thousandth of its first loss."""
    loss = explorer_losses(name)[lr]
    return len(loss) == _explorer_data()["steps"] + 1 and loss[-1] < 1e-3 * loss[0]


def momentum_slower_rates() -> list[float]:
    """Rates above lesson 6's at which both settle and momentum 0.9 takes more steps."""
    return [lr for lr in explorers.DESCENT_LRS if lr > LESSON_LR
            and None not in (settle_step("sgd", lr), settle_step("momentum", lr))
            and settle_step("momentum", lr) > settle_step("sgd", lr)]


def momentum_only_rates() -> list[float]:
    """Rates at which plain descent does not converge and momentum 0.9 does."""
    return [lr for lr in explorers.DESCENT_LRS
            if converges("momentum", lr) and not converges("sgd", lr) and lr > LESSON_LR]


def _rates(rates: list[float]) -> str:
    names = [f"{lr:g}" for lr in rates]
    return names[0] if len(names) == 1 else _and(names)


FIGURES = (
    FigureSpec("gradient_descent_lr", gradient_descent_lr,
               "Gradient descent with a too-small, a good and a too-large learning rate",
               data=_bowl_data),
    FigureSpec("optimizers", optimizers_figure, "SGD, momentum, RMSProp and Adam on a ravine",
               data=_ravine_data),
    FigureSpec("minibatch_noise", minibatch_noise,
               "Training loss with full batches, mini-batches and single examples",
               data=_minibatch_data),
)

FACTS = (
    *(Fact(f"bowl_loss_{i}", lambda i=i: _run_fact(i),
           f"Bowl loss after 20 steps with learning rate {lr:g}")
      for i, (_, lr) in enumerate(LEARNING_RATES)),
    Fact("bowl_start_loss", lambda: f"{bowl_loss(BOWL_START):.2g}", "Bowl loss at the start"),
    *(Fact(f"ravine_loss_{i}", lambda i=i: _ravine_final(i),
           f"Ravine loss after 60 steps of optimizer {i}")
      for i in range(len(OPTIMIZER_RUNS))),
    *(Fact(f"ravine_late_swing_{i}", lambda i=i: _two_digits(late_swing(i)),
           f"Largest distance across the ravine in steps 40 to 60 of optimizer {i}")
      for i in range(2)),
    Fact("bowl_steps", lambda: str(BOWL_STEPS), "Number of steps each bowl path takes"),
    *(Fact(f"bowl_lr_{i}", lambda lr=lr: f"{lr:g}", f"The bowl figure's learning rate {i}")
      for i, (_, lr) in enumerate(LEARNING_RATES)),
    Fact("bowl_lrs", lambda: _and([f"${lr:g}$" for _, lr in LEARNING_RATES]),
         "The bowl figure's three learning rates"),
    Fact("bowl_curvature_ratio", lambda: f"{BOWL[1] / BOWL[0]:g}",
         "How many times more sharply the bowl curves along w2 than along w1"),
    Fact("ravine_steps", lambda: str(RAVINE_STEPS), "Number of steps each ravine path takes"),
    Fact("ravine_curvature_ratio", lambda: f"{RAVINE[1] / RAVINE[0]:g}",
         "How many times more sharply the ravine curves across than along"),
    Fact("ravine_settings", _ravine_settings, "Each ravine run's optimizer and settings"),
    Fact("minibatch_network", lambda: "-".join(map(str, MINIBATCH_SIZES)),
         "Layer sizes of the mini-batch network"),
    Fact("minibatch_epochs", lambda: str(MINIBATCH_EPOCHS),
         "Epochs each mini-batch run trains"),
    Fact("descent_lesson_lr", lambda: f"{LESSON_LR:g}", "Lesson 6's learning rate"),
    *(Fact(f"descent_{name}_settles", lambda name=name: str(settle_step(name, LESSON_LR)),
           f"Explorer: first step at which {name}'s loss is below 1e-3, at lesson 6's rate")
      for name in ("sgd", "momentum")),
    Fact("descent_momentum_slower", lambda: _rates(momentum_slower_rates()),
         "Explorer: rates above lesson 6's at which momentum 0.9 settles later than descent"),
    Fact("descent_momentum_only", lambda: _rates(momentum_only_rates()),
         "Explorer: rates at which momentum 0.9 converges and plain descent does not"),
    Fact("minibatch_lrs", lambda: _and([f"{lr:g}" for _, _, lr in MINIBATCH_RUNS]),
         "Learning rates of the full-batch, mini-batch and single-example runs"),
)
