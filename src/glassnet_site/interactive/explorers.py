r"""Data for the three explorers: a neuron, the activation functions, and descent paths.

Each function returns a plain dict that ``python -m glassnet_site.interactive`` writes as JSON.
The browser only looks values up in these arrays (or, for the single neuron, computes
$w \cdot x + b$ on the exported points, which the tests check against
``glassnet.perceptron.perceptron_predict``).
"""

from __future__ import annotations

import numpy as np

from glassnet import activations, optimizers
from glassnet.data import make_blobs
from glassnet.perceptron import perceptron_predict, train_perceptron

# --- the neuron explorer --------------------------------------------------------------

NEURON_CENTERS = ((-1.2, -1.0), (1.2, 1.0))


def neuron_data(n: int = 40, seed: int = 3) -> dict:
    """Two separable clusters, and the weights the perceptron rule finds on them.

    ``check`` holds one configuration and ``perceptron_predict``'s answers for it, so a
    test can compare what the browser shows with glassnet.
    """
    X, y = make_blobs(n, centers=np.array(NEURON_CENTERS), std=0.45, seed=seed)
    result = train_perceptron(X, y, lr=0.5, num_epochs=50, rng=np.random.default_rng(seed))
    w, b = np.round(result.w, 1), round(result.b, 1)  # on the sliders' 0.1 steps
    check_w, check_b = np.array([0.8, -1.3]), 0.4
    return {"X": np.round(X, 3).tolist(), "y": y.tolist(),
            "start": {"w": w.tolist(), "b": b},
            "check": {"w": check_w.tolist(), "b": check_b,
                      "y_hat": perceptron_predict(np.round(X, 3), check_w, check_b).tolist()},
            "range": 3.0}


# --- the activation explorer ----------------------------------------------------------

ACTIVATION_FUNCTIONS = {
    "sigmoid": (activations.sigmoid, activations.sigmoid_grad),
    "tanh": (activations.tanh, activations.tanh_grad),
    "relu": (activations.relu, activations.relu_grad),
    "leaky_relu": (lambda z: activations.leaky_relu(z, 0.1),
                   lambda z: activations.leaky_relu_grad(z, 0.1)),
    "elu": (activations.elu, activations.elu_grad),
    "gelu": (activations.gelu, activations.gelu_grad),
    "softplus": (activations.softplus, activations.softplus_grad),
    "step": (activations.step, activations.step_grad),
}
ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU",
                     "leaky_relu": "leaky ReLU (slope 0.1)", "elu": "ELU", "gelu": "GELU",
                     "softplus": "softplus", "step": "step"}


def activation_curves(z_max: float = 5.0, step: float = 0.05) -> dict:
    """Each function and its derivative sampled by glassnet at ``z = -z_max, ..., z_max``."""
    z = np.round(np.arange(-z_max, z_max + step / 2, step), 6)
    curves = {name: {"label": ACTIVATION_LABELS[name],
                     "f": np.round(f(z), 5).tolist(), "df": np.round(df(z), 5).tolist()}
              for name, (f, df) in ACTIVATION_FUNCTIONS.items()}
    return {"z": z.tolist(), "functions": curves}


# --- the learning-rate explorer -------------------------------------------------------

# The valley of lesson 6: twenty times steeper across (w2) than along (w1).
CURVATURE = np.array([1.0, 20.0])
START = (-4.0, 1.5)
DESCENT_LRS = (0.003, 0.01, 0.02, 0.03, 0.05, 0.07, 0.09, 0.1, 0.11, 0.15, 0.2, 0.3, 0.5,
               1.0)
DESCENT_OPTIMIZERS = {"sgd": ("SGD", lambda lr: optimizers.SGD(lr)),
                      "momentum_0_6": ("SGD with momentum 0.6",
                                       lambda lr: optimizers.SGD(lr, momentum=0.6)),
                      "momentum": ("SGD with momentum 0.9",
                                   lambda lr: optimizers.SGD(lr, momentum=0.9)),
                      "rmsprop": ("RMSProp", lambda lr: optimizers.RMSProp(lr)),
                      "adam": ("Adam", lambda lr: optimizers.Adam(lr))}
ESCAPE = 1e3  # a path this far from the minimum has diverged; it is cut there


def valley_loss(w: np.ndarray) -> np.ndarray:
    r"""$L(w) = \tfrac{1}{2}(w_1^2 + 20 w_2^2)$ for ``w`` of shape ``(..., 2)``."""
    return 0.5 * np.sum(CURVATURE * np.asarray(w) ** 2, axis=-1)


def valley_grad(w: np.ndarray) -> np.ndarray:
    r"""$\nabla L(w) = (w_1, 20 w_2)$."""
    return CURVATURE * w


def descent_path(optimizer, num_steps: int = 100, start=START) -> np.ndarray:
    """Positions ``(steps + 1, 2)`` of ``optimizer.update`` walking down the valley.

    The walk stops early once it leaves the box of radius ``ESCAPE`` (divergence).
    """
    params = {"w": np.array(start, dtype=np.float64)}
    path = [params["w"].copy()]
    for _ in range(num_steps):
        optimizer.update(params, {"w": valley_grad(params["w"])})
        path.append(params["w"].copy())
        if not np.all(np.abs(params["w"]) < ESCAPE):
            break
    return np.array(path)


def descent_data(num_steps: int = 100) -> dict:
    """Every optimizer's path for every learning rate, with losses and the contour lines."""
    paths = {}
    for name, (label, make) in DESCENT_OPTIMIZERS.items():
        runs = [descent_path(make(lr), num_steps) for lr in DESCENT_LRS]
        paths[name] = {"label": label,
                       "paths": [np.round(p, 4).tolist() for p in runs],
                       "loss": [[float(f"{v:.4g}") for v in valley_loss(p)] for p in runs]}
    return {"lrs": list(DESCENT_LRS), "steps": num_steps, "start": list(START),
            "box": [[-5.0, 5.0], [-2.5, 2.5]], "optimizers": paths,
            "contours": valley_contours()}


def valley_contours(levels=(0.05, 0.2, 0.5, 1, 2, 4, 8, 16, 32, 64)) -> list:
    """Level lines of the valley's loss as polylines, traced by contourpy on a grid."""
    import contourpy  # matplotlib's own contour tracer

    w1, w2 = np.linspace(-5, 5, 161), np.linspace(-2.5, 2.5, 81)
    W1, W2 = np.meshgrid(w1, w2)
    loss = valley_loss(np.stack([W1, W2], axis=-1))
    generator = contourpy.contour_generator(W1, W2, loss)
    return [{"level": level,
             "lines": [np.round(line, 3).tolist() for line in generator.lines(level)]}
            for level in levels]
