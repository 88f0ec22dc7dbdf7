r"""Training on sequences with ``Sequential``: a loss and a metric for one label per time step.

A sequence-to-sequence model (a Transformer that reverses its input, an RNN language model)
outputs a score vector at every position, ``y_hat`` of shape ``(batch, time, classes)``, and
has a label per position, ``y`` of shape ``(batch, time)``. Nothing else is new: the loss is
the fused softmax cross-entropy averaged over all $N T$ positions,

$$ L = \frac{1}{NT} \sum_{n,t} \bigl(\operatorname{LSE}(z_{n,t}) - z_{n,t,y_{n,t}}\bigr),
   \qquad \frac{\partial L}{\partial z_{n,t}} = \frac{p_{n,t} - e_{y_{n,t}}}{NT} $$

which is ``glassnet.losses.softmax_cross_entropy`` on the ``(batch * time, classes)``
reshaped scores. Pass them to ``compile``: ``model.compile(optimizer, loss=
SequenceCrossEntropy(), metrics=[token_accuracy])``.
"""

from __future__ import annotations

import numpy as np

from glassnet._checks import as_float_array
from glassnet.losses import Loss, softmax_cross_entropy


class SequenceCrossEntropy(Loss):
    """Softmax cross-entropy at every position of a sequence, from logits.

    Notes
    -----
    Shapes: ``y_hat`` ``(batch, time, classes)``; ``y`` integer labels ``(batch, time)``.
    """

    def forward(self, y_hat, y) -> float:
        where = f"{self.name}.forward"
        y_hat = as_float_array(y_hat, where, ndim=3)
        y = np.asarray(y)
        if y.shape != y_hat.shape[:2]:
            raise ValueError(f"{where}: expected labels of shape {y_hat.shape[:2]} (batch, "
                             f"time) for scores of shape {y_hat.shape}, got shape {y.shape}")
        if y.dtype.kind == "f" and np.all(y == np.round(y)):
            y = y.astype(np.int64)  # Sequential may hand over whole numbers as floats.
        z = y_hat.reshape(-1, y_hat.shape[-1])                   # (batch*time, classes)
        loss, dz = softmax_cross_entropy(z, y.reshape(-1))
        self.cache["dy_hat"] = dz.reshape(y_hat.shape)
        return loss


def token_accuracy(y_hat, y, threshold: float = 0.5) -> float:
    """Fraction of positions whose highest score is the label (``threshold`` is unused).

    Notes
    -----
    Shapes: ``y_hat`` ``(batch, time, classes)``; ``y`` ``(batch, time)``.
    """
    return float(np.mean(np.argmax(y_hat, axis=-1) == np.asarray(y)))


def sequence_accuracy(y_hat, y, threshold: float = 0.5) -> float:
    """Fraction of sequences with every position right (``threshold`` is unused)."""
    return float(np.mean(np.all(np.argmax(y_hat, axis=-1) == np.asarray(y), axis=1)))
