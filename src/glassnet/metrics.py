r"""Metrics: numbers reported during training that are not the loss.

$$ \text{accuracy} = \frac{1}{N} \sum_n [\hat{c}_n = c_n] $$

where the predicted class $\hat{c}_n$ is the arg max of a row of scores, or, for a single
output column, whether the output exceeds a threshold (0.5 for probabilities, 0 for logits).
"""

from __future__ import annotations

import numpy as np


def predicted_classes(y_hat: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Class predicted for each row: arg max over ``(batch, classes)``, or a threshold test
    for a single output ``(batch,)`` or ``(batch, 1)``. Returns int labels ``(batch,)``."""
    y_hat = np.asarray(y_hat)
    if y_hat.ndim == 1 or y_hat.shape[1] == 1:
        return (y_hat.reshape(-1) > threshold).astype(np.int64)
    return np.argmax(y_hat, axis=1)


def true_classes(y, n_outputs: int) -> np.ndarray:
    """Integer labels ``(batch,)`` from labels, one-hot rows or a ``(batch, 1)`` 0/1 column."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    y = y.reshape(-1)
    return (y > 0.5).astype(np.int64) if n_outputs == 1 and y.dtype.kind == "f" else y


def accuracy(y_hat, y, threshold: float = 0.5) -> float:
    """Fraction of rows whose predicted class equals the true class.

    Parameters
    ----------
    y_hat : array (batch, classes) of scores, or (batch, 1) of probabilities or logits
    y : int labels (batch,), one-hot (batch, classes) or 0/1 targets (batch, 1)
    threshold : float
        Decision threshold for a single output: 0.5 for probabilities, 0.0 for logits.
    """
    y_hat = np.asarray(y_hat)
    n_outputs = 1 if y_hat.ndim == 1 else y_hat.shape[1]
    pred, true = predicted_classes(y_hat, threshold), true_classes(y, n_outputs)
    if pred.shape != true.shape:
        raise ValueError(f"accuracy: {pred.shape[0]} predictions but {true.shape[0]} labels")
    return float(np.mean(pred == true)) if pred.size else 0.0


def mean_absolute_error(y_hat, y, threshold: float = 0.5) -> float:
    r"""Mean absolute error, $\frac{1}{N n_{\text{out}}}\sum |\hat{y} - y|$, for regression."""
    y_hat = np.asarray(y_hat)
    return float(np.mean(np.abs(y_hat - np.asarray(y).reshape(y_hat.shape))))


def confusion_matrix(y, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of the examples of true class ``i`` predicted as class ``j``.

    The diagonal holds the right answers; row ``i`` sums to the number of examples of class
    ``i``. ``num_classes`` defaults to one more than the largest label in either array.

    Parameters
    ----------
    y : int labels (batch,)
        The true classes.
    y_pred : int labels (batch,)
        The predicted classes, e.g. ``predicted_classes(y_hat)``.

    Returns
    -------
    C : int64 array (num_classes, num_classes)
    """
    y, y_pred = np.asarray(y), np.asarray(y_pred)
    if y.shape != y_pred.shape or y.ndim != 1:
        raise ValueError(f"confusion_matrix: expected two 1-D label arrays of one length, "
                         f"got shapes {y.shape} and {y_pred.shape}")
    if y.size and (y.dtype.kind not in "iu" or y_pred.dtype.kind not in "iu"
                   or min(y.min(), y_pred.min()) < 0):
        raise ValueError("confusion_matrix: expected non-negative integer labels, got "
                         f"dtypes {y.dtype} and {y_pred.dtype}")
    if num_classes is None:
        num_classes = int(max(y.max(initial=-1), y_pred.max(initial=-1))) + 1
    elif y.size and max(y.max(), y_pred.max()) >= num_classes:
        raise ValueError(f"confusion_matrix: labels must be below num_classes={num_classes}, "
                         f"got {max(y.max(), y_pred.max())}")
    # --8<-- [start:confusion]
    C = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(C, (y, y_pred), 1)  # one count per (true, predicted) pair, repeats included
    # --8<-- [end:confusion]
    return C


METRICS = {"accuracy": accuracy, "acc": accuracy, "mae": mean_absolute_error}


def get(name: str):
    """Look up a metric function by name (``"accuracy"``, ``"mae"``)."""
    if name not in METRICS:
        raise ValueError(f"metrics.get: expected one of {', '.join(METRICS)}, got {name!r}")
    return METRICS[name]
