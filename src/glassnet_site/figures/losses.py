"""Figures and facts for the loss-functions page."""

from __future__ import annotations

import contextlib
import io
from functools import cache

import numpy as np
from matplotlib.figure import Figure

from glassnet import activations as act
from glassnet import layers, losses
from glassnet.data import load_digits
from glassnet.model import Sequential

from .layout import is_narrow, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, Style

# The worked example of the page: three logits, and the right class is class 0.
EXAMPLE_LOGITS = np.array([[2.0, 1.0, 0.1]])
EXAMPLE_LABEL = np.array([0])


def _per_example(loss, y_hat, y) -> np.ndarray:
    """The loss and the gradient for each of many one-example batches ``(m, 1)``."""
    values, grads = [], []
    for p, t in zip(y_hat, y, strict=True):
        values.append(loss.forward(np.array([[p]]), np.array([[t]])))
        grads.append(float(loss.backward()[0, 0]))
    return np.array(values), np.array(grads)


@cache
def loss_curves() -> dict[str, np.ndarray]:
    """Both losses and the size of their gradient with respect to the logit z, against p."""
    z = np.linspace(-6.0, 6.0, 121)  # logits of the true class, so p = sigmoid(z)
    p = act.sigmoid(z)
    ones = np.ones_like(z)
    mse, dmse_dp = _per_example(losses.MSE(), p, ones)
    bce, dbce_dz = _per_example(losses.BinaryCrossEntropy(from_logits=True), z, ones)
    dmse_dz = dmse_dp * act.sigmoid_grad(z)  # The chain rule through the sigmoid.
    return {"z": z, "p": p, "cross_entropy": bce, "squared_error": mse,
            "abs_dce_dz": np.abs(dbce_dz), "abs_dse_dz": np.abs(dmse_dz)}


def loss_functions(style: Style, layout: str = "wide") -> Figure:
    """Squared error and cross-entropy against the probability p given to the true class."""
    c = loss_curves()
    p, bce, mse = c["p"], c["cross_entropy"], c["squared_error"]
    fig, (left, right) = panels(layout, 2, size=(8.2, 3.4), panel_height=3.0)
    left.plot(p, bce, color=style.series[0], linestyle=LINESTYLES[0],
              label=r"cross-entropy $-\ln p$")
    left.plot(p, mse, color=style.series[1], linestyle=LINESTYLES[1],
              label=r"squared error $(1 - p)^2$")
    left.set_ylim(0, 4.5)
    left.set_ylabel("loss $L$")
    left.set_title("the loss of one example", fontsize=10)
    right.plot(p, c["abs_dce_dz"], color=style.series[0], linestyle=LINESTYLES[0],
               label="cross-entropy")
    right.plot(p, c["abs_dse_dz"], color=style.series[1], linestyle=LINESTYLES[1],
               label="squared error")
    right.set_ylim(0, 1.05)
    right.set_ylabel(r"$|\partial L / \partial z|$")
    right.set_title("the push it gives the logit $z$", fontsize=10)
    for ax in (left, right):
        ax.set_xlim(0, 1)
        ax.set_xlabel("$p$, probability given to the true class")
        # A phone shows the narrow layout at its own size: 10 pt keeps the legend's
        # superscript above 9 CSS px.
        ax.legend(fontsize=10 if is_narrow(layout) else 9, framealpha=0)
    right.annotate("confidently wrong:\nsquared error stalls", xy=(0.03, 0.05),
                   xytext=(0.06, 0.42), fontsize=9, color=style.fg,
                   arrowprops={"arrowstyle": "->", "color": style.muted})
    return fig


def _example() -> tuple[np.ndarray, float, np.ndarray]:
    loss, grad = losses.softmax_cross_entropy(EXAMPLE_LOGITS, EXAMPLE_LABEL)
    return act.softmax(EXAMPLE_LOGITS)[0], loss, grad[0]


def _vector(v) -> str:
    return "(" + ", ".join(f"{x:.3f}" for x in v) + ")"


INITIAL_LOSS_SEEDS = tuple(range(6))


def _initial_digits_loss(seed: int = 0) -> float:
    """Cross-entropy of an untrained 64-32-10 network on the 1,797 UCI digits."""
    X, y = load_digits()
    model = Sequential([layers.Dense(64, 32, init="he_normal"), layers.ReLU(),
                        layers.Dense(32, 10, init="glorot_uniform")], seed=seed)
    model.compile("sgd", losses.CrossEntropy(), metrics=())
    with contextlib.redirect_stdout(io.StringIO()):
        return model.evaluate(X, y)["loss"]


@cache
def initial_digits_losses() -> tuple[float, ...]:
    """The untrained network's first loss for each seed of ``INITIAL_LOSS_SEEDS``."""
    return tuple(_initial_digits_loss(seed) for seed in INITIAL_LOSS_SEEDS)


FIGURES = (
    FigureSpec("loss_functions", loss_functions,
               "Squared error and cross-entropy against the probability of the true class",
               data=loss_curves),
)

FACTS = (
    Fact("example_probs", lambda: _vector(_example()[0]),
         "Softmax of the logits (2, 1, 0.1)"),
    Fact("example_loss", lambda: f"{_example()[1]:.3f}",
         "Cross-entropy of the logits (2, 1, 0.1) for class 0"),
    Fact("example_grad", lambda: _vector(_example()[2]),
         "Gradient p - y of that loss with respect to the logits"),
    Fact("ln10", lambda: f"{np.log(10):.4f}", "ln 10, the loss of a uniform guess among 10"),
    Fact("initial_digits_loss_min", lambda: f"{min(initial_digits_losses()):.2f}",
         "Smallest first loss of an untrained 64-32-10 network on the digits, over seeds"),
    Fact("initial_digits_loss_max", lambda: f"{max(initial_digits_losses()):.2f}",
         "Largest first loss of an untrained 64-32-10 network on the digits, over seeds"),
    Fact("initial_digits_seeds", lambda: str(len(INITIAL_LOSS_SEEDS)),
         "Number of seeds the first digits loss is computed for"),
    Fact("clip_eps", lambda: f"10^{{{int(round(np.log10(losses.EPS)))}}}",
         "glassnet.losses.EPS, where probabilities are clipped before a log, as TeX"),
    Fact("clipped_ce_loss", lambda: f"{-np.log(losses.EPS):.1f}",
         "The loss that clipping at glassnet's EPS reports for a probability that rounds to 0"),
    Fact("bce_at_p001", lambda: f"{-np.log(0.01):.2f}",
         "Cross-entropy when the true class gets probability 0.01"),
)
