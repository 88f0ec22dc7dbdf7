r"""Data of the digit explorer: the CNN page's trained network, a dozen test digits, scales.

The reader draws a digit and the browser runs a forward pass of the network that glassnet
trained (``examples.architectures.digits_cnn``); it trains nothing. Its weights are written
rounded to ``SIGNIFICANT`` significant digits, so the explorer's network is the trained one
with those rounded weights: ``explorer_model`` rebuilds it in glassnet, and the facts of the
page and the browser tests use that model, so they speak of exactly what the browser runs.

The drawing is reduced as the UCI digits were, but for NIST's size normalisation: a
$32 \times 32$ bitmap of ink, summed over $4 \times 4$ blocks into an $8 \times 8$ image of
counts $0, \dots, 16$, scaled by $1/16$ as ``glassnet.data.load_digits`` scales them. NIST's
programs scaled each digit to fill its bitmap before counting; the explorer does not scale the
reader's drawing, so a small drawing stays small.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from glassnet import layers as L
from glassnet.activations import softmax
from glassnet.data import digits_split
from glassnet.data.digits import DIGITS_MAX
from glassnet_site.examples import architectures as models

SIGNIFICANT = 5      # significant digits kept of each weight (float32 has about 7)
PICKS_PER_CLASS = 1  # test digits offered: the first of each class ...
HARDEST = 2          # ... and the test digits whose class the network finds least likely
BITMAP, BLOCK = 32, 4
SCALE_PERCENTILE = 99  # of each layer's absolute outputs: the top of its colour scale


def _round(a: np.ndarray) -> np.ndarray:
    """``a`` through float32, then to ``SIGNIFICANT`` significant digits, as float64."""
    return np.array([float(f"{v:.{SIGNIFICANT}g}") for v in np.asarray(a, np.float32).ravel()]
                    ).reshape(np.shape(a))


def export_layers(model) -> list[dict]:
    """The layers of ``model`` as JSON-ready dicts, weights rounded, then a softmax.

    Only what the browser's forward pass (``gn-cnn.js``) computes is accepted: ``Conv2D``,
    ``ReLU``, ``MaxPool2D``, ``Flatten`` and ``Dense``. Weights are flat, row-major:
    ``W`` of ``Conv2D`` as ``(out, in, k, k)``, of ``Dense`` as ``(n_in, n_out)``.
    """
    out = []
    for layer in model.layers:
        if isinstance(layer, L.Conv2D):
            W = layer.params["W"]
            out.append({"type": "conv2d", "shape": list(W.shape), "stride": layer.stride,
                        "padding": layer.padding, "W": _round(W).ravel().tolist(),
                        "b": _round(layer.params["b"]).tolist()})
        elif isinstance(layer, L.ReLU):
            out.append({"type": "relu"})
        elif isinstance(layer, L.MaxPool2D):
            out.append({"type": "maxpool", "kernel": layer.kernel_size, "stride": layer.stride})
        elif isinstance(layer, L.Flatten):
            out.append({"type": "flatten"})
        elif isinstance(layer, L.Dense):
            W = layer.params["W"]
            out.append({"type": "dense", "shape": list(W.shape),
                        "W": _round(W).ravel().tolist(), "b": _round(layer.params["b"]).tolist()})
        else:
            raise TypeError(f"export_layers: the browser runs Conv2D, ReLU, MaxPool2D, Flatten "
                            f"and Dense layers, got {layer.name}")
    return [*out, {"type": "softmax"}]


@cache
def explorer_model():
    """The trained CNN with its weights rounded as exported: what the browser runs."""
    trained, _ = models.digits_cnn()
    model = models.make_digits_cnn()
    for layer, source in zip(model.layers, trained.layers, strict=True):
        for key, value in source.params.items():
            layer.params[key][...] = _round(value)
    return model


def layer_outputs(model, X) -> list[np.ndarray]:
    """Every layer's output for images ``X`` ``(batch, 1, 8, 8)``, the softmax last."""
    outputs = []
    for layer in model.layers:
        X = layer.forward(X)
        outputs.append(X)
    return [*outputs, softmax(X)]


def heldout_probabilities() -> tuple[np.ndarray, np.ndarray]:
    """Class probabilities ``(360, 10)`` of the explorer's network on the test set, labels."""
    _, _, X_test, _, _, y_test = digits_split(images=True)
    return layer_outputs(explorer_model(), X_test)[-1], y_test


def picks() -> list[int]:
    """Test-set indices of the digits offered: the first of each class, then the hardest."""
    p, y = heldout_probabilities()
    first = [int(np.flatnonzero(y == c)[0]) for c in range(10)]
    hardest = np.argsort(p[np.arange(len(y)), y], kind="stable")
    return first + [int(i) for i in hardest if i not in first][:HARDEST]


def hardest_pick() -> dict:
    """Of the offered digits, the one whose true class gets the lowest probability."""
    p, y = heldout_probabilities()
    order = picks()
    k = min(range(len(order)), key=lambda j: p[order[j], y[order[j]]])
    i = order[k]
    return {"number": k + 1, "label": int(y[i]), "p_label": float(p[i, y[i]]),
            "predicted": int(p[i].argmax()), "p_predicted": float(p[i].max())}


def blank_probabilities() -> np.ndarray:
    """Class probabilities ``(10,)`` for an empty canvas (every pixel 0)."""
    return layer_outputs(explorer_model(), np.zeros((1, 1, 8, 8)))[-1][0]


def digit_explorer_data() -> dict:
    """What the explorer loads: the network, a dozen test digits and colour scales.

    ``scales`` holds, for each layer's output, the ``SCALE_PERCENTILE``-th percentile of
    its absolute values over the test set, so that the maps keep one colour scale while the
    reader draws (the few values above it show at full colour).
    """
    _, _, X_test, _, _, y_test = digits_split(images=True)
    model = explorer_model()
    outputs = layer_outputs(model, X_test)
    counts = np.rint(X_test[:, 0] * DIGITS_MAX).astype(int)  # back to the counts 0..16
    return {"bitmap": BITMAP, "block": BLOCK, "max_count": DIGITS_MAX,
            "input_scale": 1 / DIGITS_MAX, "layers": export_layers(model),
            "scales": [float(f"{np.percentile(np.abs(a), SCALE_PERCENTILE):.4g}")
                       for a in outputs],
            "digits": [{"index": i, "label": int(y_test[i]), "counts": counts[i].ravel().tolist()}
                       for i in picks()]}
