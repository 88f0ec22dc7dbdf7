"""Multi-head self-attention and the pre-norm Transformer block built around it."""

from __future__ import annotations

import numpy as np

from glassnet import init as initializers
from glassnet._blas import tall_product
from glassnet._checks import as_float_array, check_positive_int
from glassnet.activations import softmax
from glassnet.layers.activation import GELU
from glassnet.layers.base import Layer
from glassnet.layers.dense import Dense
from glassnet.layers.layernorm import LayerNorm
from glassnet.layers.residual import Block, Residual


# --8<-- [start:causal_mask]
def causal_mask(T: int) -> np.ndarray:
    """``(T, T)`` booleans, True where query ``t`` may look at key ``s``, i.e. ``s <= t``."""
    return np.tril(np.ones((T, T), dtype=bool))
# --8<-- [end:causal_mask]


class MultiHeadAttention(Layer):
    r"""Scaled dot-product self-attention with ``num_heads`` heads (Vaswani et al., 2017).

    Each head $i = 1, \dots, h$ projects the sequence to queries, keys and values of size
    $d_k = d / h$ and mixes the values by how well queries match keys:

    $$ A_i = \operatorname{softmax}\!\Bigl(\frac{Q_i K_i^\top}{\sqrt{d_k}}\Bigr), \qquad
       \operatorname{head}_i = A_i V_i, \qquad
       y = [\operatorname{head}_1, \dots, \operatorname{head}_h]\, W_o $$

    with $Q = x W_q$, $K = x W_k$, $V = x W_v$ split into heads along the
    features. With ``causal=True`` position $t$ only attends to positions
    $s \le t$ (scores above the diagonal become $-\infty$), as a language model
    must. The projections have no biases. ``attention_weights`` keeps the
    ``(batch, heads, T, T)`` matrix $A$ of the last forward pass, for figures.

    Notes
    -----
    Shapes: input and output ``(batch, T, dim)``; ``W_q``, ``W_k``, ``W_v``, ``W_o`` are
    ``(dim, dim)``.
    """

    def __init__(self, dim: int, num_heads: int, causal: bool = False, rng=None) -> None:
        super().__init__()
        where = "MultiHeadAttention"
        self.dim = check_positive_int(dim, "dim", where)
        self.num_heads = check_positive_int(num_heads, "num_heads", where)
        if self.dim % self.num_heads:
            raise ValueError(f"{where}: expected dim divisible by num_heads, got dim={dim} "
                             f"and num_heads={num_heads} ({dim} % {num_heads} = "
                             f"{dim % num_heads})")
        self.causal = bool(causal)
        self.attention_weights = None
        self.reset(rng if rng is not None else np.random.default_rng())

    @property
    def name(self) -> str:
        causal = ", causal=True" if self.causal else ""
        return f"MultiHeadAttention({self.dim}, {self.num_heads}{causal})"

    def config(self) -> dict:
        return {"dim": self.dim, "num_heads": self.num_heads, "causal": self.causal}

    def reset(self, rng: np.random.Generator) -> None:
        dtype = self.params["W_q"].dtype if self.params else np.float64
        self.params = {key: initializers.glorot_uniform((self.dim, self.dim), rng).astype(dtype)
                       for key in ("W_q", "W_k", "W_v", "W_o")}
        self.grads = {key: np.zeros_like(val) for key, val in self.params.items()}
        self.cache = {}

    def _split(self, z: np.ndarray) -> np.ndarray:
        B, T, _ = z.shape
        return z.reshape(B, T, self.num_heads, -1).transpose(0, 2, 1, 3)  # (B, heads, T, d_k)

    @staticmethod
    def _merge(z: np.ndarray) -> np.ndarray:
        B, _, T, _ = z.shape
        return z.transpose(0, 2, 1, 3).reshape(B, T, -1)                  # (B, T, dim)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        where, p = f"{self.name}.forward", self.params
        x = as_float_array(x, where, dtype=p["W_q"].dtype)
        if x.ndim != 3 or x.shape[2] != self.dim:
            raise ValueError(f"{where}: expected a sequence batch of shape (batch, time, "
                             f"{self.dim}), got shape {x.shape}")
        # --8<-- [start:attention_core]
        q, k, v = (self._split(x @ p[key]) for key in ("W_q", "W_k", "W_v"))
        scores = q @ k.transpose(0, 1, 3, 2) / q.shape[-1] ** 0.5       # (B, heads, T, T)
        if self.causal:
            scores = np.where(causal_mask(x.shape[1]), scores, -np.inf)
        A = softmax(scores, axis=-1)
        heads = self._merge(A @ v)                                        # (B, T, dim)
        # --8<-- [end:attention_core]
        self.attention_weights = A
        self.cache = {"x": x, "q": q, "k": k, "v": v, "A": A, "heads": heads}
        return heads @ p["W_o"]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x, A, q, k, v = (self._cached(key) for key in ("x", "A", "q", "k", "v"))
        p, g, D = self.params, self.grads, self.dim
        g["W_o"] += tall_product(self.cache["heads"].reshape(-1, D), dout.reshape(-1, D))
        dheads = self._split(dout @ p["W_o"].T)                           # (B, heads, T, d_k)
        dA = dheads @ v.transpose(0, 1, 3, 2)
        dv = A.transpose(0, 1, 3, 2) @ dheads
        # Softmax backward; masked entries have A = 0, so they receive no gradient.
        dscores = A * (dA - np.sum(dA * A, axis=-1, keepdims=True)) / q.shape[-1] ** 0.5
        dq, dk = dscores @ k, dscores.transpose(0, 1, 3, 2) @ q
        return self._projection_grads(x, dq, dk, dv)

    def _projection_grads(self, x, dq, dk, dv) -> np.ndarray:
        r"""Through $q = x W_q$, $k = x W_k$, $v = x W_v$: accumulate
        $\partial L/\partial W_\ast = x^\top dz_\ast$ and return
        $dx = \sum_\ast dz_\ast W_\ast^\top$, the three as one product each on the
        side-by-side ``[W_q | W_k | W_v]`` (faster than three small ones)."""
        p, g, D = self.params, self.grads, self.dim
        dz = np.stack((dq, dk, dv)).transpose(1, 3, 0, 2, 4)              # (B, T, 3, heads, d_k)
        dz = dz.reshape(-1, 3 * D)                                        # (B*T, 3*dim)
        dW = tall_product(x.reshape(-1, D), dz)                           # (dim, 3*dim)
        for i, key in enumerate(("W_q", "W_k", "W_v")):
            g[key] += dW[:, i * D:(i + 1) * D]
        W = np.concatenate([p["W_q"], p["W_k"], p["W_v"]], axis=1)       # (dim, 3*dim)
        return (dz @ W.T).reshape(x.shape)


class TransformerBlock(Block):
    r"""Pre-norm Transformer block: attention and an MLP, each inside a residual connection.

    $$ u = x + \operatorname{MHA}(\operatorname{LN}_1(x)), \qquad
       y = u + \operatorname{GELU}(\operatorname{LN}_2(u)\,W_1 + b_1)\,W_2 + b_2 $$

    in the row-vector convention of the rest of glassnet (each token a row, as in ``Dense``).

    Normalising *before* each sublayer (rather than after, as the 2017 paper did) leaves the
    residual path an identity from input to output, which makes training far less sensitive
    to the learning-rate warm-up that post-norm blocks need (Xiong et al., 2020).

    Parameters: ``dim`` features, ``num_heads`` heads, ``mlp_dim`` hidden units of the MLP,
    ``causal`` masking, ``rng``. Shapes: input and output ``(batch, T, dim)``. Parameters are
    named like ``"attn.1.W_q"`` and ``"mlp.1.W"`` (see ``Residual``).
    """

    def __init__(self, dim: int, num_heads: int, mlp_dim: int, causal: bool = False,
                 rng=None) -> None:
        rng = rng if rng is not None else np.random.default_rng()
        self.dim, self.num_heads, self.causal = dim, num_heads, bool(causal)
        self.mlp_dim = check_positive_int(mlp_dim, "mlp_dim", "TransformerBlock")
        attn = MultiHeadAttention(dim, num_heads, causal=causal, rng=rng)
        mlp = [LayerNorm(dim), Dense(dim, mlp_dim, init="he_normal", rng=rng), GELU(),
               Dense(mlp_dim, dim, rng=rng)]
        super().__init__({"attn": Residual([LayerNorm(dim), attn]), "mlp": Residual(mlp)})

    @property
    def name(self) -> str:
        causal = ", causal=True" if self.causal else ""
        return f"TransformerBlock({self.dim}, {self.num_heads}, {self.mlp_dim}{causal})"

    def config(self) -> dict:
        return {"dim": self.dim, "num_heads": self.num_heads, "mlp_dim": self.mlp_dim,
                "causal": self.causal}

    @property
    def attention_weights(self) -> np.ndarray | None:
        """The ``(batch, heads, T, T)`` attention matrix of the last forward pass."""
        return self.layers["attn"].layers["1"].attention_weights
