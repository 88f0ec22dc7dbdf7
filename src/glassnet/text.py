r"""Text for language models: a character vocabulary, next-character windows, a tiny byte-pair
encoder, and sampling from a trained model.

A character language model reads token ids, not text. ``CharVocab`` maps each distinct
character to an integer; ``next_char_windows`` cuts the ids into training examples whose
target at every position is the character that follows; ``generate`` turns a model's scores
back into text, one character at a time:

$$ p(x_{t+1} = v \mid x_{\le t}) = \operatorname{softmax}(z_t / \tau)_v $$

with the model's scores (logits) $z_t$ and a temperature $\tau$.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np

from glassnet.activations import softmax
from glassnet.layers.embedding import PositionalEmbedding, PositionalEncoding


class CharVocab:
    """The sorted distinct characters of a text, each with its id ``0 .. size-1``.

    ``encode("ab")`` gives an int64 array of ids; ``decode(ids)`` gives the text back.
    """

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text:
            raise ValueError(f"CharVocab: expected a non-empty str, got {text!r:.40}")
        self.chars = sorted(set(text))
        self.index = {c: i for i, c in enumerate(self.chars)}

    @property
    def size(self) -> int:
        return len(self.chars)

    def __len__(self) -> int:
        return self.size

    def encode(self, text: str) -> np.ndarray:
        """Ids ``(len(text),)`` of int64; an unknown character is an error that names it."""
        try:
            return np.array([self.index[c] for c in text], dtype=np.int64)
        except KeyError as err:
            pos = next(i for i, c in enumerate(text) if c not in self.index)
            raise ValueError(f"CharVocab.encode: character {err.args[0]!r} at position {pos} "
                             f"is not in the vocabulary of {self.size} characters "
                             f"{''.join(self.chars)!r}") from None

    def decode(self, ids) -> str:
        """The text of ids ``(n,)`` in ``0 .. size-1``."""
        ids = np.asarray(ids)
        if ids.dtype.kind not in "iu" or ids.ndim != 1:
            raise ValueError(f"CharVocab.decode: expected a 1-D array of integer ids, got "
                             f"dtype {ids.dtype} and shape {ids.shape}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(f"CharVocab.decode: expected ids in 0..{self.size - 1}, got "
                             f"values from {ids.min()} to {ids.max()}")
        return "".join(self.chars[i] for i in ids)


# --8<-- [start:next_char_windows]
def next_char_windows(ids, context: int, step: int = 1):
    r"""Training windows for next-character prediction: $Y_{n,t} = X_{n,t+1}$ in the text.

    Window $n$ starts at $s = n \cdot \text{step}$: $X_n = x_{s..s+T-1}$ and
    $Y_n = x_{s+1..s+T}$ with $T$ = ``context``. A sequence model (LSTM, Transformer)
    learns every column of ``Y``; a window model (an MLP over the previous ``context``
    characters) learns its last column, ``Y[:, -1]``.

    Returns ``X`` and ``Y``, int64 arrays of shape ``(n_windows, context)``.
    """
    ids = np.asarray(ids, dtype=np.int64)
    if ids.ndim != 1 or ids.size < context + 1:
        raise ValueError(f"next_char_windows: expected a 1-D array of at least context + 1 = "
                         f"{context + 1} ids, got shape {ids.shape}")
    view = np.lib.stride_tricks.sliding_window_view
    X = view(ids[:-1], context)[::step]                 # (n_windows, context)
    Y = view(ids[1:], context)[::step]                  # the same windows, one to the right
    return X.copy(), Y.copy()
# --8<-- [end:next_char_windows]


# --8<-- [start:bpe]
def train_bpe(text: str, num_merges: int) -> list[tuple[str, str]]:
    """A simplified byte-pair encoding on characters: merge the most frequent adjacent pair
    into a new token, ``num_merges`` times (fewer if no pair occurs twice). Unlike Sennrich
    et al.'s (2016), it does not split the text into words first, so a merge may join the
    end of one word, a space and the start of the next.

    Returns the merges in order; ties go to the pair seen first in the text.
    """
    tokens, merges = list(text), []
    for _ in range(num_merges):
        pairs = Counter(pairwise(tokens))
        if not pairs or max(pairs.values()) < 2:
            break
        pair = max(pairs, key=pairs.get)     # max keeps the first of equal counts
        merges.append(pair)
        tokens = _merge(tokens, pair)
    return merges


def bpe_encode(text: str, merges) -> list[str]:
    """Split ``text`` into tokens by applying the learned ``merges`` in order."""
    tokens = list(text)
    for pair in merges:
        tokens = _merge(tokens, tuple(pair))
    return tokens


def _merge(tokens: list[str], pair: tuple[str, str]) -> list[str]:
    out, i = [], 0
    while i < len(tokens):
        if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) == pair:
            out.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out
# --8<-- [end:bpe]


# --8<-- [start:sample_next]
def sample_next(logits: np.ndarray, temperature: float, top_k: int | None,
                rng: np.random.Generator) -> int:
    r"""Draw one token from $\operatorname{softmax}(z / \tau)$, keeping only the ``top_k``
    highest scores if given (ties with the k-th are kept); $\tau = 0$ takes the argmax."""
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits / temperature
    if top_k is not None:
        kth = np.sort(z)[-top_k]
        z = np.where(z >= kth, z, -np.inf)
    return int(rng.choice(z.size, p=softmax(z)))
# --8<-- [end:sample_next]


def generate(model, prompt, n: int, temperature: float = 1.0, top_k: int | None = None,
             seed=None, vocab: CharVocab | None = None, context: int | None = None):
    r"""Continue ``prompt`` by ``n`` tokens sampled one at a time from ``model``.

    Each step feeds the last ``context`` tokens (all of them if the model has no context
    limit) to ``model.predict``, takes the scores of
    the last position and draws the next token with ``sample_next``.

    Two kinds of model work:

    * a sequence model maps ``(batch, time)`` ids to ``(batch, time, vocab)`` scores (the
      LSTM and Transformer language models, the count models); its context is read from a
      ``PositionalEmbedding`` or ``PositionalEncoding`` layer (``max_len``) or given as
      ``context``, and a prompt of 1 to ``context`` tokens is fine;
    * a window model maps ``(batch, context)`` ids to ``(batch, vocab)`` scores (the MLP);
      pass ``context`` and a prompt of exactly ``context`` tokens.

    Parameters
    ----------
    model : object
        Anything with ``predict(X)``, a sequence model or a window model as above.
    prompt : str or numpy.ndarray
        The text to continue: a string (then ``vocab`` is needed to encode it) or a 1-D
        array of token ids.
    n : int
        How many tokens to add, at least 0.
    temperature : float
        At least 0. Zero is greedy (the argmax); below 1 sharpens the distribution, above 1
        flattens it.
    top_k : int, optional
        From 1 to the vocabulary size: sample among the ``top_k`` most likely tokens only.
    seed : int or numpy.random.Generator
        The source of randomness; the same seed gives the same text.
    vocab : CharVocab, optional
        Encodes a string prompt and decodes the result.
    context : int, optional
        The longest input the model takes.

    Returns
    -------
    str or numpy.ndarray
        The prompt followed by ``n`` tokens: a string if ``vocab`` is given, else int64 ids.
    """
    ids = _prompt_ids(prompt, vocab)
    context = _check_generate(model, ids, n, temperature, top_k, context)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    for _ in range(n):
        window = ids if context is None else ids[-context:]
        scores = np.asarray(model.predict(window[None]))[0]
        logits = scores[-1] if scores.ndim == 2 else scores  # the last position's scores
        if top_k is not None and top_k > logits.size:
            raise ValueError(f"generate: expected top_k in 1..{logits.size} (the vocabulary "
                             f"size), got {top_k}")
        ids = np.append(ids, sample_next(logits, temperature, top_k, rng))
    return vocab.decode(ids) if vocab is not None else ids


def model_context(model) -> int | None:
    """The ``max_len`` of a model's first position layer, or None if it has none."""
    for layer in getattr(model, "layers", []):
        if isinstance(layer, (PositionalEmbedding, PositionalEncoding)):
            return layer.max_len
    return None


def _prompt_ids(prompt, vocab) -> np.ndarray:
    if isinstance(prompt, str):
        if vocab is None:
            raise ValueError("generate: a str prompt needs vocab= to encode it")
        return vocab.encode(prompt)
    ids = np.asarray(prompt)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"generate: expected a str or a 1-D array of integer ids as prompt, "
                         f"got dtype {ids.dtype} and shape {ids.shape}")
    return ids.astype(np.int64)


def _check_generate(model, ids, n, temperature, top_k, context) -> int | None:
    """Validate the arguments of ``generate``; return the context length, None if unlimited
    (an LSTM or a count model reads the whole text so far)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"generate: expected n to be an integer >= 0, got {n!r}")
    if not temperature >= 0:
        raise ValueError(f"generate: expected temperature >= 0, got {temperature!r}")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer))
                              or top_k < 1):
        raise ValueError(f"generate: expected top_k to be None or an integer >= 1, "
                         f"got {top_k!r}")
    context = context if context is not None else model_context(model)
    if len(ids) == 0:
        raise ValueError("generate: expected a prompt of at least one token, got an empty one")
    if context is not None and len(ids) > context:
        raise ValueError(f"generate: expected a prompt of at most {context} tokens (the "
                         f"model's context), got {len(ids)}")
    return context
