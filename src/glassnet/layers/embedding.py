"""Token embeddings and sinusoidal positional encodings, the input stage of a Transformer."""

from __future__ import annotations

import numpy as np

from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.base import Layer


class Embedding(Layer):
    r"""Look up a learned vector for every integer token: $y_{n,t} = W_{x_{n,t}}$.

    The lookup is a matrix product with a one-hot vector done cheaply, so the gradient of a
    row of ``W`` is the sum of ``dout`` over every position where its token occurs:

    $$ \frac{\partial L}{\partial W_v} = \sum_{n,t\,:\,x_{n,t} = v} \delta_{n,t} $$

    Parameters
    ----------
    vocab : int
        Number of distinct tokens; inputs must lie in ``0 .. vocab-1``.
    dim : int
        Length of each embedding vector.
    rng : numpy.random.Generator, optional
        Draws the initial table from $\mathcal{N}(0, 1)$.

    Notes
    -----
    Shapes: input ``(batch, time)`` of integers (floats holding whole numbers are accepted,
    as ``Sequential.fit`` may pass them), output ``(batch, time, dim)``; ``params["W"]`` is
    ``(vocab, dim)``. Tokens are not differentiable, so ``backward`` returns zeros.
    """

    def __init__(self, vocab: int, dim: int, rng=None) -> None:
        super().__init__()
        self.vocab = check_positive_int(vocab, "vocab", "Embedding")
        self.dim = check_positive_int(dim, "dim", "Embedding")
        self.reset(rng if rng is not None else np.random.default_rng())

    @property
    def name(self) -> str:
        return f"Embedding({self.vocab}, {self.dim})"

    def config(self) -> dict:
        return {"vocab": self.vocab, "dim": self.dim}

    def reset(self, rng: np.random.Generator) -> None:
        dtype = self.params["W"].dtype if self.params else np.float64
        self.params = {"W": rng.normal(size=(self.vocab, self.dim)).astype(dtype)}
        self.grads = {"W": np.zeros_like(self.params["W"])}
        self.cache = {}

    def output_shape(self, input_shape: tuple) -> tuple:
        return (*input_shape, self.dim)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        tokens = self._tokens(x)
        self.cache["tokens"] = tokens
        return self.params["W"][tokens]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        tokens = self._cached("tokens")
        # Not +=: a token that occurs twice must receive both gradients. scatter_add_rows
        # does what np.add.at(W, tokens, dout) does, several times faster.
        scatter_add_rows(self.grads["W"], tokens, dout)
        return np.zeros(tokens.shape, dtype=dout.dtype)

    def _tokens(self, x) -> np.ndarray:
        where = f"{self.name}.forward"
        x = np.asarray(x)
        if x.dtype.kind == "f":
            x = as_float_array(x, where)
            if not np.all(x == np.round(x)):
                raise ValueError(f"{where}: expected integer token ids, got non-integer "
                                 f"values such as {x[x != np.round(x)][0]!r}")
        elif x.dtype.kind not in "iu":
            raise TypeError(f"{where}: expected integer token ids, got dtype {x.dtype}")
        if x.size and (x.min() < 0 or x.max() >= self.vocab):
            raise ValueError(f"{where}: expected token ids in 0..{self.vocab - 1}, got values "
                             f"from {x.min()} to {x.max()}")
        return x.astype(np.intp)


def scatter_add_rows(target: np.ndarray, index: np.ndarray, rows: np.ndarray) -> None:
    """``np.add.at(target, index, rows)`` for whole rows: ``target[index[i]] += rows[i]``
    for every ``i``, repeated indices included.

    Sorting the rows by index and summing each run with ``np.add.reduceat`` is several times
    faster than ``np.add.at``. Shapes: ``target`` ``(vocab, dim)``, ``index`` any shape of
    integers, ``rows`` ``(*index.shape, dim)``.
    """
    index = index.reshape(-1)
    if index.size == 0:
        return
    rows = rows.reshape(index.size, -1)                         # (n, dim)
    order = np.argsort(index, kind="stable")
    sorted_index = index[order]
    starts = np.flatnonzero(np.r_[True, sorted_index[1:] != sorted_index[:-1]])
    target[sorted_index[starts]] += np.add.reduceat(rows[order], starts, axis=0)


# --8<-- [start:sinusoidal_encoding]
def sinusoidal_encoding(max_len: int, dim: int) -> np.ndarray:
    r"""The ``(max_len, dim)`` table of Vaswani et al. (2017).

    $$ P_{t,2i} = \sin\!\bigl(t / 10000^{2i/d}\bigr), \qquad
       P_{t,2i+1} = \cos\!\bigl(t / 10000^{2i/d}\bigr) $$

    Each pair of columns is a clock running at its own frequency, so every position gets a
    distinct code and a fixed offset is a rotation, easy for attention to read.
    """
    t = np.arange(max_len)[:, None]                              # (max_len, 1)
    freq = 10000.0 ** (-np.arange(0, dim, 2) / dim)              # (ceil(dim / 2),)
    table = np.zeros((max_len, dim))
    table[:, 0::2] = np.sin(t * freq)
    table[:, 1::2] = np.cos(t * freq[: dim // 2])
    return table
# --8<-- [end:sinusoidal_encoding]


class PositionalEncoding(Layer):
    r"""Add the sinusoidal position code to a sequence: $y_{n,t} = x_{n,t} + P_t$.

    Self-attention without a mask treats its inputs as an unordered set; this tells it
    where each token sits. No parameters; the gradient passes through unchanged.

    Notes
    -----
    Shapes: input ``(batch, time, dim)`` with ``time <= max_len``, output the same.
    """

    def __init__(self, max_len: int, dim: int) -> None:
        super().__init__()
        self.max_len = check_positive_int(max_len, "max_len", "PositionalEncoding")
        self.dim = check_positive_int(dim, "dim", "PositionalEncoding")
        self.table = sinusoidal_encoding(self.max_len, self.dim)

    @property
    def name(self) -> str:
        return f"PositionalEncoding({self.max_len}, {self.dim})"

    def config(self) -> dict:
        return {"max_len": self.max_len, "dim": self.dim}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        where = f"{self.name}.forward"
        x = as_float_array(x, where, ndim=3, last_dim=self.dim)
        if x.shape[1] > self.max_len:
            raise ValueError(f"{where}: expected at most {self.max_len} time steps, "
                             f"got shape {x.shape}")
        return x + self.table[: x.shape[1]].astype(x.dtype)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout


class PositionalEmbedding(Layer):
    r"""Add a learned vector for every position: $y_{n,t} = x_{n,t} + P_t$ (GPT, 2018).

    Where ``PositionalEncoding`` adds a fixed table, this one learns it. Each row $P_t$
    receives the gradient of every sequence at position $t$:

    $$ \frac{\partial L}{\partial P_t} = \sum_n \delta_{n,t}, \qquad
       \frac{\partial L}{\partial x} = \delta $$

    Parameters
    ----------
    max_len : int
        The longest sequence (the model's context); rows exist for positions ``0 .. max_len-1``.
    dim : int
        Length of each vector.
    rng : numpy.random.Generator, optional
        Draws the initial table from $\mathcal{N}(0, 0.02^2)$, as GPT-2 does.

    Notes
    -----
    Shapes: input ``(batch, time, dim)`` with ``time <= max_len``, output the same;
    ``params["P"]`` is ``(max_len, dim)``.
    """

    def __init__(self, max_len: int, dim: int, rng=None) -> None:
        super().__init__()
        self.max_len = check_positive_int(max_len, "max_len", "PositionalEmbedding")
        self.dim = check_positive_int(dim, "dim", "PositionalEmbedding")
        self.reset(rng if rng is not None else np.random.default_rng())

    @property
    def name(self) -> str:
        return f"PositionalEmbedding({self.max_len}, {self.dim})"

    def config(self) -> dict:
        return {"max_len": self.max_len, "dim": self.dim}

    def reset(self, rng: np.random.Generator) -> None:
        dtype = self.params["P"].dtype if self.params else np.float64
        self.params = {"P": rng.normal(scale=0.02, size=(self.max_len, self.dim)).astype(dtype)}
        self.grads = {"P": np.zeros_like(self.params["P"])}
        self.cache = {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        where = f"{self.name}.forward"
        x = as_float_array(x, where, ndim=3, last_dim=self.dim, dtype=self.params["P"].dtype)
        if x.shape[1] > self.max_len:
            raise ValueError(f"{where}: expected at most {self.max_len} time steps, "
                             f"got shape {x.shape}")
        self.cache["T"] = x.shape[1]
        return x + self.params["P"][: x.shape[1]]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.grads["P"][: self._cached("T")] += dout.sum(axis=0)
        return dout
