"""Figures and facts for the language-models page: the ladder, its samples, one head."""

from __future__ import annotations

import html

import numpy as np
from matplotlib.figure import Figure

from glassnet.text import bpe_encode, train_bpe
from glassnet_site.examples import language as lm
from glassnet_site.interactive import attention as attn

from .layout import is_narrow, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style

TRAINED = ("window MLP", "LSTM", "Transformer")
ATTENTION_SAMPLE = "Mr. Darcy was not"   # 17 characters the attention figure reads
BPE_SENTENCE = "the cat sat on the mat; the rat sat on the hat"
BPE_MERGES = 6
# Brown et al. (2020), Table 2.1 and section 2.2: 175 billion parameters, 300 billion tokens.
GPT3_PARAMS, GPT3_TOKENS = 175e9, 300e9


def thousands_seen(steps) -> np.ndarray:
    """Characters of training text predicted after each of ``steps``, in thousands: every
    network predicts ``lm.TARGETS_PER_STEP`` characters per step."""
    return np.asarray(steps) * lm.TARGETS_PER_STEP / 1000


def ladder_curves(style: Style, layout: str = "wide") -> Figure:
    """Validation bits per character against characters of training text predicted; the
    counts as flat lines."""
    runs = lm.ladder()
    fig, (ax,) = panels(layout, size=(7.0, 3.8), panel_height=3.6)
    for k, name in enumerate(TRAINED):
        run = runs[name]
        ax.plot(thousands_seen(run.steps), run.val_bpc, color=style.series[k],
                linestyle=LINESTYLES[k], linewidth=1.8, marker=MARKERS[k], markersize=3, label=name)
    right = float(thousands_seen(lm.STEPS))
    for name, shade in (("unigram", style.fg), ("bigram", style.muted)):
        level = runs[name].bpc
        ax.axhline(level, color=shade, linewidth=1.0, linestyle=(0, (1, 2)))
        ax.text(right, level + 0.04, f"{name} counts", ha="right", va="bottom", fontsize=8.5,
                color=style.fg)
    lowest = min(min(runs[name].val_bpc) for name in TRAINED)
    ax.set_ylim(np.floor(2 * lowest - 0.4) / 2, 4.8)   # the first, untrained values are cut
    narrow = layout == "narrow"
    ax.set_xlabel("characters predicted (thousands)" if narrow
                  else "characters of training text predicted (thousands)")
    ax.set_ylabel("validation loss (bits per character)")
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.84 if narrow else 0.9), frameon=False)
    return fig


def _ladder_data() -> dict:
    runs = lm.ladder()
    rows = [(name, s, v) for name in TRAINED
            for s, v in zip(runs[name].steps, runs[name].val_bpc, strict=True)]
    return {"model": np.array([r[0] for r in rows]), "step": np.array([r[1] for r in rows]),
            "characters_predicted": np.array([r[1] * lm.TARGETS_PER_STEP for r in rows]),
            "validation_bpc": np.array([r[2] for r in rows], dtype=float)}


def head_attention() -> np.ndarray:
    """Attention ``(T, T)`` of the first head of the Transformer's last (here its only)
    block on the sample."""
    model, vocab = lm.transformer_run().model, lm.corpus()[0]
    model.predict(vocab.encode(ATTENTION_SAMPLE)[None])
    blocks = [layer for layer in model.layers if hasattr(layer, "attention_weights")]
    return np.asarray(blocks[-1].attention_weights[0, 0], dtype=float)


def recent_share(A: np.ndarray, last: int = 3) -> float:
    """Mean over the rows of ``A`` ``(T, T)`` of the weight on the ``last`` characters up to
    and including the row's own position."""
    T = len(A)
    near = np.tril(np.ones((T, T)), k=0) - np.tril(np.ones((T, T)), k=-last)
    return float(np.mean(np.sum(A * near, axis=1)))


def _even_attention(T: int) -> np.ndarray:
    """Causal attention that spreads each row evenly over its past, ``(T, T)``."""
    return np.tril(np.ones((T, T))) / np.arange(1, T + 1)[:, None]


def lm_attention(style: Style, layout: str = "wide") -> Figure:
    """One head's causal attention over the characters of a short sample."""
    A = head_attention()
    chars = [c if c != " " else "␣" for c in ATTENTION_SAMPLE]
    fig, (ax,) = panels(layout, size=(5.6, 5.0), panel_height=5.0)
    shown = np.where(np.tril(np.ones_like(A)) > 0, A, np.nan)   # above the diagonal: masked
    image = ax.imshow(shown, cmap=style.sequential, vmin=0.0, vmax=1.0, interpolation="none")
    ax.grid(False)
    ticks = range(len(chars))
    ax.set_xticks(ticks, chars, fontsize=9)
    ax.set_yticks(ticks, chars, fontsize=9)
    ax.set_xlabel("key: the character attended to")
    ax.set_ylabel("query: the character predicting the next one")
    # Narrow: the colour bar below the map, which then takes the phone's whole width.
    fig.colorbar(image, ax=ax, shrink=0.8, label="attention weight",
                 location="bottom" if is_narrow(layout) else "right")
    return fig


def _attention_data() -> dict:
    A = head_attention()
    q, k = np.indices(A.shape)
    return {"query_position": q.ravel(), "key_position": k.ravel(),
            "query_char": np.array(list(ATTENTION_SAMPLE))[q.ravel()],
            "key_char": np.array(list(ATTENTION_SAMPLE))[k.ravel()], "weight": A.ravel()}


def markdown_text(text: str) -> str:
    """``text`` safe inside a Markdown paragraph or table cell: every character that is not a
    letter, digit or space becomes an HTML character reference, and a newline a visible ↵."""
    out = []
    for c in text:
        if c == "\n":
            out.append(" ↵ ")
        elif c.isalnum() or c == " ":
            out.append(html.escape(c))
        else:
            out.append(f"&#{ord(c)};")
    return "".join(out)


def _key(name: str) -> str:
    return name.lower().replace("window ", "").replace(" ", "_")


def ranking() -> list[str]:
    """The models from the highest held-out bits per character to the lowest."""
    runs = lm.ladder()
    return sorted(runs, key=lambda name: -runs[name].bpc)


def _margin() -> float:
    runs = lm.ladder()
    return runs["bigram"].bpc - runs["Transformer"].bpc


def _bpe_tokens() -> list[str]:
    return bpe_encode(BPE_SENTENCE, train_bpe(BPE_SENTENCE, BPE_MERGES))


def _shown(token: str) -> str:
    return markdown_text(token.replace(" ", "␣"))


def ends_with_a_space(token: str) -> bool:
    """Whether ``token`` ends with a space after some other character, as "at␣": Sennrich
    et al.'s BPE puts no space in a token and GPT-2's only at the front of a word's token,
    so neither makes one."""
    return len(token) > 1 and token.endswith(" ") and not token.isspace()


def bpe_space_after() -> str:
    """The longest merged token of the BPE example that ends with a space after a word."""
    merged = ["".join(pair) for pair in train_bpe(BPE_SENTENCE, BPE_MERGES)]
    return max((token for token in merged if ends_with_a_space(token)), key=len)


def _rounded_gap(worse: str, better: str) -> float:
    """The gap between two models' held-out scores as the table shows them (two decimals)."""
    runs = lm.ladder()
    return round(runs[worse].bpc, 2) - round(runs[better].bpc, 2)


def lead_over_bigram(name: str) -> float:
    """How many bits per character ``name`` scores below the bigram on the held-out text."""
    runs = lm.ladder()
    return runs["bigram"].bpc - runs[name].bpc


def gpt3_ratio() -> str:
    """GPT-3's parameters over the Transformer's, to two significant figures in words."""
    ratio = GPT3_PARAMS / lm.ladder()["Transformer"].params
    return f"{ratio / 1e6:.1f} million" if ratio >= 1e6 else f"{ratio:,.0f}"


def _ladder_facts() -> tuple:
    facts = []
    for name in ("unigram", "bigram", *TRAINED):
        key = _key(name)
        facts += [
            Fact(f"lm_{key}_bpc", lambda n=name: f"{lm.ladder()[n].bpc:.2f}",
                 f"Held-out bits per character of the {name}"),
            Fact(f"lm_{key}_params", lambda n=name: f"{lm.ladder()[n].params:,}",
                 f"Parameters of the {name}"),
        ]
    for name in TRAINED:
        key = _key(name)
        facts += [
            Fact(f"lm_{key}_seconds", lambda n=name: f"{lm.ladder()[n].seconds:.0f} s",
                 f"CPU time to train the {name} on the build machine"),
            Fact(f"lm_{key}_batch", lambda n=name: f"{lm.BATCH[n]:,}",
                 f"Windows per batch of the {name}"),
            Fact(f"lm_{key}_lr", lambda n=name: f"{lm.LR_MAX[n]:g}",
                 f"Peak learning rate of the {name}"),
        ]
    for name in ("unigram", "bigram", *TRAINED):
        for temperature in lm.TEMPERATURES:
            tag = f"{_key(name)}_t{int(temperature * 10):02d}"
            facts.append(Fact(f"lm_sample_{tag}", lambda n=name, t=temperature: markdown_text(
                lm.sample(n, t)), f"Sample of the {name} at temperature {temperature}"))
    return tuple(facts)


def head_shares(offset: int) -> np.ndarray:
    """Mean weight ``(blocks, heads)`` that each head of the explorer's run puts on the
    character ``offset`` places back (0: the position itself), over the positions that have
    one."""
    W = attn.attention_run()["weights"]
    T = W.shape[-1]
    return np.mean([W[..., t, t - offset] for t in range(offset, T)], axis=0)


def even_share(T: int, offset: int) -> float:
    """The mean weight on the character ``offset`` places back, over the positions that have
    one, of attention spread evenly over each position's past of ``T`` positions."""
    return float(np.mean([1 / (t + 1) for t in range(offset, T)]))


def _shares_in_words(offset: int) -> str:
    """Head 1's to the last head's mean weight ``offset`` back, in block 1: "46%, ... and 39%"."""
    shares = [f"{share:.0%}" for share in head_shares(offset)[0]]
    return ", ".join(shares[:-1]) + " and " + shares[-1]


def heaviest_offset(position: int, head: int = 0, block: int = 0) -> int:
    """How many characters back from 0-based ``position`` the given head puts its heaviest
    weight (0: on the position itself)."""
    row = attn.attention_run()["weights"][block, head, position, :position + 1]
    return position - int(np.argmax(row))


def _guess(position: int) -> tuple[str, float]:
    """The model's top next-character guess at 0-based ``position`` of the sample."""
    return attn.top_predictions(attn.attention_run()["probs"])[position][0]


D_POSITION = attn.SAMPLE.index("Darcy")   # the D of Darcy, 0-based
LAST = len(attn.SAMPLE) - 1                # the y of Darcy, 0-based


def _attention_facts() -> tuple:
    return (
        Fact("attnx_chars", lambda: str(len(attn.SAMPLE)), "Characters of the explorer's sample"),
        Fact("attnx_sample", lambda: markdown_text(attn.SAMPLE), "The explorer's sample"),
        Fact("attnx_blocks", lambda: str(attn.attention_run()["weights"].shape[0]),
             "Blocks of the explorer's Transformer"),
        Fact("attnx_heads", lambda: str(attn.attention_run()["weights"].shape[1]),
             "Heads per block of the explorer's Transformer"),
        Fact("attnx_prev_shares", lambda: _shares_in_words(1),
             "Each head's mean weight on the character just before the position, head 1 first"),
        Fact("attnx_self_shares", lambda: _shares_in_words(0),
             "Each head's mean weight on the position's own character, head 1 first"),
        Fact("attnx_even_prev", lambda: f"{even_share(len(attn.SAMPLE), 1):.0%}",
             "Mean weight on the character before of attention spread evenly over the past"),
        Fact("attnx_last_position", lambda: str(LAST + 1),
             "Position (from 1) of the sample's last character, the y of Darcy"),
        Fact("attnx_last_back", lambda: str(heaviest_offset(LAST)),
             "How far back head 1 puts its heaviest weight at the sample's last position"),
        Fact("attnx_last_key", lambda: markdown_text(attn.SAMPLE[LAST - heaviest_offset(LAST)]),
             "The character head 1 weighs most at the sample's last position"),
        Fact("attnx_d_position", lambda: str(D_POSITION + 1),
             "Position (from 1) of the D of Darcy in the sample"),
        Fact("attnx_d_guess", lambda: markdown_text(_guess(D_POSITION)[0]),
             "The model's top guess for the character after that D"),
        Fact("attnx_d_p", lambda: f"{_guess(D_POSITION)[1]:.2f}",
             "The probability of that guess"),
    )


FIGURES = (
    FigureSpec("lm_ladder", ladder_curves,
               "Validation loss of three character language models against characters of "
               "training text predicted",
               data=_ladder_data),
    FigureSpec("lm_attention", lm_attention,
               "One head of the trained character Transformer attending over a sample",
               data=_attention_data),
)

FACTS = _ladder_facts() + _attention_facts() + (
    Fact("lm_ranking", lambda: ", then ".join(ranking()),
         "The ladder's models from the highest held-out loss to the lowest"),
    Fact("lm_transformer_margin", lambda: f"{_margin():.2f}",
         "Bits per character by which the Transformer beats the bigram"),
    Fact("lm_mlp_margin", lambda: f"{lead_over_bigram('window MLP'):.2f}",
         "Bits per character by which the window MLP beats the bigram"),
    Fact("lm_lstm_behind_mlp", lambda: f"{_rounded_gap('LSTM', 'window MLP'):.2f}",
         "Bits per character by which the LSTM scores worse than the window MLP"),
    Fact("lm_vocab_size", lambda: str(len(lm.corpus()[0])), "Distinct characters of the novel"),
    Fact("lm_train_chars", lambda: f"{lm.TRAIN_CHARS:,}", "Characters of the training text"),
    Fact("lm_held_out_chars", lambda: f"{lm.HELD_OUT_CHARS:,}",
         "Characters of the held-out text"),
    Fact("lm_context", lambda: str(lm.CONTEXT), "Context of the sequence models"),
    Fact("lm_window", lambda: str(lm.WINDOW), "Window of the MLP"),
    Fact("lm_log2_vocab", lambda: f"{np.log2(len(lm.corpus()[0])):.2f}",
         "Bits per character of a uniform guess over the novel's characters"),
    Fact("lm_transformer_perplexity", lambda: f"{2 ** lm.ladder()['Transformer'].bpc:.1f}",
         "Per-character perplexity of the Transformer"),
    Fact("lm_steps", lambda: f"{lm.STEPS:,}", "Training steps of every network"),
    Fact("lm_targets_per_step", lambda: f"{lm.TARGETS_PER_STEP:,}",
         "Characters of training text every network predicts per step"),
    Fact("lm_budget_chars", lambda: f"{lm.STEPS * lm.TARGETS_PER_STEP:,}",
         "Characters of training text every network predicts in all"),
    Fact("lm_scored_chars", lambda: f"{len(lm.scored_targets()):,}",
         "Held-out characters every model is scored on"),
    Fact("lm_scored_from", lambda: str(lm.CONTEXT // 2 + 1),
         "Fewest characters a sequence model reads before a scored prediction"),
    Fact("lm_bpe_tokens", lambda: " · ".join(_shown(t) for t in _bpe_tokens()),
         "The BPE tokens of the example sentence"),
    Fact("lm_bpe_merge_list", lambda: ", ".join(
        f"{_shown(a)} + {_shown(b)}" for a, b in train_bpe(BPE_SENTENCE, BPE_MERGES)),
         "The merges learned for the BPE example, in order"),
    Fact("lm_bpe_space_after", lambda: _shown(bpe_space_after()),
         "The longest merged token of the BPE example that ends with a space after a word"),
    Fact("lm_bpe_ratio", lambda: f"{len(BPE_SENTENCE) / len(_bpe_tokens()):.1f}",
         "Characters per BPE token in the example"),
    Fact("lm_bpe_count", lambda: str(len(_bpe_tokens())), "Number of BPE tokens"),
    Fact("lm_bpe_chars", lambda: str(len(BPE_SENTENCE)), "Characters of the BPE sentence"),
    Fact("lm_bpe_merges", lambda: str(BPE_MERGES), "Merges learned for the BPE example"),
    Fact("lm_eval_every", lambda: str(lm.EVAL_EVERY), "Steps between validation passes"),
    Fact("lm_eval_chars", lambda: f"{lm.EVAL_EVERY * lm.TARGETS_PER_STEP:,}",
         "Characters of training text predicted between validation passes"),
    Fact("lm_attention_recent", lambda: f"{recent_share(head_attention()):.0%}",
         "Mean attention weight of the shown head on a row's last three characters"),
    Fact("lm_attention_uniform_recent",
         lambda: f"{recent_share(_even_attention(len(ATTENTION_SAMPLE))):.0%}",
         "The same share for attention spread evenly over the past"),
    Fact("lm_sample_chars", lambda: str(lm.SAMPLE_CHARS), "Characters of each sample"),
    Fact("lm_gpt3_ratio", gpt3_ratio, "GPT-3's parameters over the Transformer's"),
    Fact("lm_gpt3_data_ratio", lambda: f"{GPT3_TOKENS / lm.TRAIN_CHARS:,.0f}",
         "GPT-3's training tokens over the characters used here"),
)
