"""Data of the attention explorer: every head of the page's character Transformer on one
sample of the held-out text.

The model is the language-models page's Transformer (``examples.language.transformer_run``),
trained once at build time. One forward pass over ``SAMPLE`` records each block's causal
attention weights, ``(heads, T, T)`` per block, and the model's scores for the next
character at every position, of which the explorer shows the ``TOP`` most probable.
The sample is exactly the model's context long: its learned positions stop there.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from glassnet_site.examples import language as lm
from glassnet_site.threads import one_thread

SAMPLE = "she then told him what Mr. Darcy"   # from the held-out text, CONTEXT characters
TOP = 3                                      # next-character predictions shown per position
DIGITS = 3                                   # decimals of the exported weights


def sample_ids() -> np.ndarray:
    """The sample's character ids, checked to be a passage of the held-out text."""
    vocab, _, held = lm.corpus()
    ids = np.asarray(vocab.encode(SAMPLE))
    if len(ids) != lm.CONTEXT:
        raise ValueError(f"the sample must be {lm.CONTEXT} characters (the model's "
                         f"context), got {len(ids)}")
    windows = np.lib.stride_tricks.sliding_window_view(held, len(ids))
    if not np.any(np.all(windows == ids, axis=1)):
        raise ValueError(f"the sample {SAMPLE!r} is not in the held-out text")
    return ids


@cache
def attention_run() -> dict:
    """``weights`` ``(blocks, heads, T, T)`` and next-character ``probs`` ``(T, vocab)`` of
    the trained Transformer on the sample, in float64. Treat the arrays as read-only."""
    model = lm.transformer_run().model
    with one_thread():
        scores = np.asarray(model.predict(sample_ids()[None]), dtype=float)[0]
    blocks = [layer for layer in model.layers if hasattr(layer, "attention_weights")]
    weights = np.stack([np.asarray(b.attention_weights[0], dtype=float) for b in blocks])
    z = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return {"weights": weights, "probs": probs}


def top_predictions(probs: np.ndarray, top: int = TOP) -> list[list[tuple[str, float]]]:
    """The ``top`` most probable next characters at each position, with their probability."""
    chars = lm.corpus()[0].decode
    order = np.argsort(-probs, axis=1, kind="stable")[:, :top]
    return [[(chars([int(i)]), float(p[i])) for i in row] for p, row in zip(probs, order,
                                                                             strict=True)]


def attention_data() -> dict:
    """The explorer's JSON: the sample, each block's and head's causal rows (position ``t``
    holds the weights on positions ``0..t``, rounded) and the top predictions."""
    run = attention_run()
    blocks, heads, T, _ = run["weights"].shape
    rows = [[[np.round(run["weights"][b, h, t, :t + 1], DIGITS).tolist() for t in range(T)]
             for h in range(heads)] for b in range(blocks)]
    top = [[[c, round(p, DIGITS)] for c, p in row] for row in top_predictions(run["probs"])]
    return {"text": SAMPLE, "blocks": blocks, "heads": heads, "weights": rows, "top": top}
