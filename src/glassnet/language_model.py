r"""Character language models, a ladder from counting to a small GPT.

Each rung predicts the next character from more of the past, and each is scored the same way,
in bits per character on text it never saw:

$$ \text{bpc} = -\frac{1}{N} \sum_{n} \log_2 p(x_{n+1} \mid x_{\le n}) $$

A model that knew nothing would pay $\log_2 V$ bits for each of $V$ characters; every bit
below that is structure of the text the model has learned.

1. ``CountModel(order=1)``: the unigram, how often each character occurs.
2. ``CountModel(order=2)``: the bigram, how often each character follows the previous one.
3. ``window_mlp``: an MLP over a fixed window of previous characters, a character version
   of the word-window model of Bengio et al. (2003).
4. ``lstm_lm``: an LSTM that reads the whole past through its state.
5. ``transformer_lm``: a decoder-only Transformer (GPT; Radford et al., 2018) with causal
   self-attention over a context of ``context`` characters.

The trainable ones are ``Sequential`` models; compile the sequence models with
``SequenceCrossEntropy`` and the window MLP with ``CrossEntropy`` on the last column of the
targets of ``glassnet.text.next_char_windows``.
"""

from __future__ import annotations

import numpy as np

from glassnet.layers import (
    LSTM,
    Dense,
    Embedding,
    Flatten,
    LayerNorm,
    PositionalEmbedding,
    Tanh,
    TransformerBlock,
)
from glassnet.losses import logsumexp
from glassnet.model import Sequential

__all__ = ["CountModel", "bits_per_char", "lstm_lm", "transformer_lm", "window_mlp"]


# --8<-- [start:bits_per_char]
def bits_per_char(logits, y) -> float:
    r"""Mean of $-\log_2 \operatorname{softmax}(z)_y$ over every position.

    ``logits`` ``(batch, time, vocab)`` with ``y`` ``(batch, time)``, or ``(batch, vocab)``
    with ``y`` ``(batch,)``. Log-probabilities are valid logits too.
    """
    z = np.asarray(logits, dtype=np.float64)
    z = z.reshape(-1, z.shape[-1])                           # (positions, vocab)
    y = np.asarray(y).reshape(-1)
    if y.shape[0] != z.shape[0]:
        raise ValueError(f"bits_per_char: expected one label per position ({z.shape[0]}), "
                         f"got {y.shape[0]}")
    nats = logsumexp(z)[:, 0] - z[np.arange(len(y)), y]      # -ln softmax(z)_y
    return float(np.mean(nats) / np.log(2.0))
# --8<-- [end:bits_per_char]


class CountModel:
    r"""Unigram (``order=1``) or bigram (``order=2``) model from counts, add-$\alpha$ smoothed.

    $$ p(v) = \frac{c(v) + \alpha}{N + \alpha V}, \qquad
       p(v \mid u) = \frac{c(u v) + \alpha}{c(u\,\cdot) + \alpha V} $$

    ``fit(ids)`` counts; ``predict(X)`` returns log-probabilities of the next character,
    ``(batch, time, vocab)`` for ids ``(batch, time)``, so it works with ``bits_per_char``
    and ``glassnet.text.generate`` like the neural models.
    """

    def __init__(self, vocab: int, order: int = 2, alpha: float = 1.0) -> None:
        if order not in (1, 2):
            raise ValueError(f"CountModel: expected order 1 (unigram) or 2 (bigram), "
                             f"got {order!r}")
        if not alpha > 0:
            raise ValueError(f"CountModel: expected alpha > 0, got {alpha!r}")
        self.vocab, self.order, self.alpha = int(vocab), order, float(alpha)
        self.log_p = None  # (vocab,) or (vocab, vocab): row u holds log p(. | u)

    def fit(self, ids) -> CountModel:
        ids = self._check(ids, "fit").reshape(-1)
        if self.order == 1:
            counts = np.bincount(ids, minlength=self.vocab).astype(np.float64)
        else:
            counts = np.zeros((self.vocab, self.vocab))
            np.add.at(counts, (ids[:-1], ids[1:]), 1.0)      # c(u v) for every adjacent pair
        counts += self.alpha
        self.log_p = np.log(counts / counts.sum(axis=-1, keepdims=True))
        return self

    def predict(self, X, batch_size: int | None = None) -> np.ndarray:
        """Log-probabilities of the next character; ``batch_size`` is accepted so that the
        call is the same as ``Sequential.predict``, and ignored."""
        if self.log_p is None:
            raise RuntimeError("CountModel.predict: call fit first")
        X = self._check(X, "predict")
        if self.order == 1:
            return np.broadcast_to(self.log_p, (*X.shape, self.vocab)).copy()
        return self.log_p[X]                                  # (batch, time, vocab)

    def _check(self, ids, method: str) -> np.ndarray:
        ids = np.asarray(ids)
        if ids.dtype.kind == "f" and np.all(ids == np.round(ids)):
            ids = ids.astype(np.int64)
        if ids.dtype.kind not in "iu" or ids.size == 0:
            raise ValueError(f"CountModel.{method}: expected a non-empty array of integer ids, "
                             f"got dtype {ids.dtype} and shape {ids.shape}")
        if ids.min() < 0 or ids.max() >= self.vocab:
            raise ValueError(f"CountModel.{method}: expected ids in 0..{self.vocab - 1}, got "
                             f"values from {ids.min()} to {ids.max()}")
        return ids.astype(np.intp)


# --8<-- [start:builders]
def window_mlp(vocab: int, context: int, dim: int = 16, hidden: int = 128, seed=None,
               dtype=np.float64) -> Sequential:
    """A character version of the word-window model of Bengio et al. (2003), without its
    direct connections: embed the last ``context`` characters, concatenate, one tanh layer,
    scores for the next: ``(batch, context)`` ids to ``(batch, vocab)``."""
    rng = np.random.default_rng(seed)
    return Sequential([Embedding(vocab, dim, rng=rng), Flatten(),
                       Dense(context * dim, hidden, rng=rng), Tanh(),
                       Dense(hidden, vocab, rng=rng)], seed=rng, dtype=dtype)


def lstm_lm(vocab: int, dim: int = 32, hidden: int = 128, seed=None,
            dtype=np.float64) -> Sequential:
    """Embedding, an LSTM returning every state, scores for the next character at every
    position: ``(batch, time)`` ids to ``(batch, time, vocab)``."""
    rng = np.random.default_rng(seed)
    return Sequential([Embedding(vocab, dim, rng=rng),
                       LSTM(dim, hidden, return_sequences=True, rng=rng),
                       Dense(hidden, vocab, rng=rng)], seed=rng, dtype=dtype)


def transformer_lm(vocab: int, context: int, dim: int = 64, num_heads: int = 4,
                   num_blocks: int = 2, mlp_dim: int | None = None, seed=None,
                   dtype=np.float64) -> Sequential:
    """A decoder-only Transformer (GPT): token and position embeddings, ``num_blocks``
    pre-norm blocks with causal attention, a final LayerNorm and a linear head.
    ``(batch, time)`` ids with ``time <= context`` to ``(batch, time, vocab)`` scores;
    ``mlp_dim`` defaults to ``4 * dim``."""
    rng = np.random.default_rng(seed)
    blocks = [TransformerBlock(dim, num_heads, mlp_dim or 4 * dim, causal=True, rng=rng)
              for _ in range(num_blocks)]
    return Sequential([Embedding(vocab, dim, rng=rng), PositionalEmbedding(context, dim, rng=rng),
                       *blocks, LayerNorm(dim), Dense(dim, vocab, rng=rng)],
                      seed=rng, dtype=dtype)
# --8<-- [end:builders]
