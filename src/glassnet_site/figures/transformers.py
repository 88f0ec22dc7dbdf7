"""Figures and facts for the attention-and-Transformers page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from glassnet.layers import MultiHeadAttention, TransformerBlock
from glassnet.layers.embedding import sinusoidal_encoding
from glassnet_site.examples import architectures as models

from . import _data
from .layout import label_outer, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, Style


def attention_weights(style: Style, layout: str = "wide") -> Figure:
    """Each head's attention matrix for one test sequence of the trained reverser."""
    A = models.reversal_attention()                          # (heads, T, T)
    _, _, _, example = models.reversal_transformer()
    tokens = [str(t) for t in example[0]]
    fig, axes = panels(layout, len(A), size=(7.4, 3.6), panel_height=3.1)
    tick_size = 8.5 if layout == "narrow" else 8  # 8.5 pt: 11 CSS px on a phone
    for h, ax in enumerate(axes):
        image = ax.imshow(A[h], cmap=style.sequential, vmin=0.0, vmax=1.0, interpolation="none")
        ax.grid(False)
        ax.set_xticks(range(len(tokens)), [f"{t}\n@{s}" for s, t in enumerate(tokens)],
                      fontsize=tick_size)
        ax.set_yticks(range(len(tokens)), [f"out {t}" for t in range(len(tokens))],
                      fontsize=tick_size)
        ax.set_title(f"head {h + 1}")
    label_outer(axes, "key: input token @ position", "query: output position")
    fig.colorbar(image, ax=list(axes), shrink=0.85, label="attention weight",
                 location="bottom" if layout == "narrow" else "right")
    return fig


def positional_encoding(style: Style, layout: str = "wide") -> Figure:
    """The sinusoidal table as a heatmap, and four of its columns as curves."""
    T, d = 64, 32
    P = sinusoidal_encoding(T, d)
    fig, (ax_map, ax_cols) = panels(layout, 2, size=(7.6, 3.3), width_ratios=[1.1, 1],
                                    panel_height=2.8)
    image = ax_map.imshow(P, cmap=style.diverging, vmin=-1, vmax=1, aspect="auto",
                         interpolation="none")
    ax_map.grid(False)
    ax_map.set_xlabel("feature (column of P)")
    ax_map.set_ylabel("position t")
    fig.colorbar(image, ax=ax_map, shrink=0.85)
    t = np.arange(T)
    for k, col in enumerate((0, 4, 10, 20)):
        ax_cols.plot(t, P[:, col] + 2.4 * k, color=style.series[k], linestyle=LINESTYLES[k],
                     linewidth=1.6)
        ax_cols.text(T + 1, 2.4 * k, f"column {col}", va="center", fontsize=8.5,
                     color=style.fg)
    ax_cols.set_yticks([])
    ax_cols.set_xlabel("position t")
    ax_cols.set_xlim(0, T + 14)
    ax_cols.set_title("low columns turn fast, high columns slowly", fontsize=9.5)
    return fig


def _attention_data() -> dict:
    """Every attention weight: head, query position, key position and the key's token."""
    A = models.reversal_attention()                          # (heads, T, T)
    tokens = np.asarray(models.reversal_transformer()[3][0])
    heads, T, _ = A.shape
    h, q, k = np.indices(A.shape)
    return {"head": h.ravel() + 1, "query_position": q.ravel(), "key_position": k.ravel(),
            "key_token": tokens[k.ravel()], "weight": A.ravel()}


def _encoding_data() -> dict:
    return _data.heatmap(sinusoidal_encoding(64, 32), "position", "feature", "value")


def _block_params() -> int:
    return TransformerBlock(models.MODEL_DIM, models.NUM_HEADS, 2 * models.MODEL_DIM,
                            rng=np.random.default_rng(0)).num_params()


def _dot_product_spread(d_k: int, n: int = 20000) -> float:
    """Standard deviation of q . k for q, k with independent unit-variance entries."""
    rng = np.random.default_rng(0)
    return float(np.std(np.sum(rng.normal(size=(n, d_k)) * rng.normal(size=(n, d_k)), 1)))


FIGURES = (
    FigureSpec("attention_weights", attention_weights,
               "Attention of a trained one-block Transformer that reverses sequences",
               data=_attention_data),
    FigureSpec("positional_encoding", positional_encoding,
               "The sinusoidal positional encoding", data=_encoding_data),
)

FACTS = (
    Fact("reversal_accuracy", lambda: f"{models.reversal_transformer()[2]:.1%}",
         "Per-token test accuracy of the sequence reverser"),
    Fact("reversal_steps", lambda: str(models.REVERSAL_STEPS), "Adam steps of the reverser"),
    Fact("reversal_seq_len", lambda: str(models.SEQ_LEN), "Length of the reversed sequences"),
    Fact("reversal_vocab", lambda: str(models.VOCAB), "Vocabulary of the reverser"),
    Fact("reversal_dim", lambda: str(models.MODEL_DIM), "Model width of the reverser"),
    Fact("reversal_heads", lambda: str(models.NUM_HEADS), "Attention heads of the reverser"),
    Fact("reversal_block_params", lambda: f"{_block_params():,}",
         "Parameters of the reverser's Transformer block"),
    Fact("reversal_final_loss", lambda: f"{models.reversal_transformer()[1][-1]:.4f}",
         "Last training loss of the reverser"),
    Fact("mha_64_params", lambda: f"{MultiHeadAttention(64, 4).num_params():,}",
         "Parameters of MultiHeadAttention(64, 4)"),
    Fact("dot_spread_16", lambda: f"{_dot_product_spread(16):.1f}",
         "Spread of a dot product of two random 16-vectors"),
    Fact("dot_spread_256", lambda: f"{_dot_product_spread(256):.1f}",
         "Spread of a dot product of two random 256-vectors"),
)
