"""The claims of the language-model page (docs/architectures/language-models.md) hold.

The page quotes its numbers as facts; these tests check the sentences around them ("each
rung ends lower", "the Transformer beats the bigram by ..."). The slow ones call the same
cached runs as the figures, so they assert on exactly the models the reader sees.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from glassnet.text import CharVocab
from glassnet_site.examples import language as lm
from glassnet_site.figures import language as lf

LADDER = ("unigram", "bigram", "window MLP", "LSTM", "Transformer")


# --- fast: the helpers behind the facts --------------------------------------------------


@pytest.mark.parametrize("text", ["*emph* _x_ [link](u) `code` | a <b> & $x$ #h \\",
                                  "two\nlines", "plain words 123"])
def test_markdown_text_leaves_only_letters_digits_spaces_and_references(text):
    escaped = lf.markdown_text(text)
    assert re.fullmatch(r"(?:[A-Za-z0-9 ↵]|&#\d+;)*", escaped), escaped
    assert "\n" not in escaped


def test_markdown_text_round_trips_through_html_unescape():
    import html

    text = "Mr. *Darcy*, [said] she_"
    assert html.unescape(lf.markdown_text(text)) == text


def test_bpe_example_merges_frequent_fragments_into_fewer_tokens():
    tokens = lf._bpe_tokens()
    assert "".join(tokens) == lf.BPE_SENTENCE
    assert len(tokens) < len(lf.BPE_SENTENCE) / 2


def test_bpe_example_has_a_token_ending_in_a_space_unlike_sennrich_and_gpt2():
    token = lf.bpe_space_after()
    assert token in ["".join(pair) for pair in lf.train_bpe(lf.BPE_SENTENCE, lf.BPE_MERGES)]
    assert token in lf._bpe_tokens()
    assert lf.ends_with_a_space(token)


def test_ends_with_a_space_tells_this_bpe_from_sennrich_and_gpt2():
    assert lf.ends_with_a_space("at ") and lf.ends_with_a_space(" the ")
    assert not lf.ends_with_a_space("the")       # Sennrich et al.: no space in a token
    assert not lf.ends_with_a_space(" the")      # GPT-2: the space at the front of a word
    assert not lf.ends_with_a_space(" ") and not lf.ends_with_a_space("  ")


def test_even_share_is_the_weight_of_even_attention_offset_back():
    T = 7
    A = lf._even_attention(T)
    for offset in range(3):
        assert lf.even_share(T, offset) == pytest.approx(
            np.mean([A[t, t - offset] for t in range(offset, T)]))


def test_peak_learning_rate_facts_are_the_runs_settings():
    facts = {fact.name: fact for fact in lf.FACTS}
    for name in ("window MLP", "LSTM", "Transformer"):
        assert float(facts[f"lm_{lf._key(name)}_lr"].fn()) == lm.LR_MAX[name], name


def test_gpt3_ratio_is_given_to_two_significant_figures():
    assert re.fullmatch(r"\d\.\d million", lf.gpt3_ratio())


def test_framework_tab_prints_what_its_comments_say():
    """The glassnet tab of the page runs, and its untrained model scores above log2(V)."""
    import contextlib
    import io
    import textwrap
    from pathlib import Path

    page = Path(__file__).resolve().parents[1] / "docs/architectures/language-models.md"
    tab = page.read_text(encoding="utf-8").split('=== "glassnet"', 1)[1]
    code = textwrap.dedent(tab.split("```python", 1)[1].split("```", 1)[0])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "language-models.md", "exec"), {})
    lines = out.getvalue().splitlines()
    vocab = CharVocab("It is a truth universally acknowledged")
    assert lines[0] == f"(1, 16, {len(vocab)})"
    assert f"log2(V) = {np.log2(len(vocab)):.2f}" in code
    assert float(lines[1]) > np.log2(len(vocab)) + 0.3
    assert f"# {lines[1]} bits" in code
    assert lines[2].startswith("It is") and len(lines[2]) == 15


def test_held_out_every_model_is_scored_on_the_same_characters():
    """The sequence models' scored positions and the MLP's targets are the same text."""
    Xm, Ym = lm.mlp_held_out()
    np.testing.assert_array_equal(Ym, lm.scored_targets())
    Xs, _ = lm.held_out_windows()
    np.testing.assert_array_equal(Xm[0], Xs[0, lm.CONTEXT // 2 + 1 - lm.WINDOW:
                                             lm.CONTEXT // 2 + 1])


def test_the_curves_are_measured_on_the_same_held_out_characters_for_every_model():
    """The figure's caption: the validation passes during training score one part of the
    held-out text, the same characters for the MLP as for the sequence models."""
    _, Ym = lm.mlp_held_out()
    _, Ys = lm.held_out_windows()
    part = lm.quick_part(len(Ym))
    np.testing.assert_array_equal(Ym[part], Ys[::lm.QUICK_EVERY, lm.SCORED].reshape(-1))
    assert 0 < part.sum() < len(Ym)


def test_every_network_predicts_the_same_characters_per_step():
    for name in ("window MLP", "LSTM", "Transformer"):
        per_window = 1 if name == "window MLP" else lm.CONTEXT
        assert lm.BATCH[name] * per_window == lm.TARGETS_PER_STEP, name


# --- slow: the trained ladder ------------------------------------------------------------


@pytest.fixture(scope="module")
def ladder():
    return lm.ladder()


@pytest.mark.slow
def test_ladder_lstm_reads_further_than_the_mlp_yet_scores_worse(ladder):
    assert lm.CONTEXT > lm.WINDOW
    assert ladder["LSTM"].bpc > ladder["window MLP"].bpc


@pytest.mark.slow
def test_ladder_the_mlp_already_gets_most_of_the_transformers_lead_over_the_bigram(ladder):
    """The check-yourself answer: reading more than one character is worth most of the gap."""
    assert lf.lead_over_bigram("window MLP") > 0.5 * lf.lead_over_bigram("Transformer") > 0


@pytest.mark.slow
def test_ladder_every_network_ends_below_both_count_models(ladder):
    for name in ("window MLP", "LSTM", "Transformer"):
        assert ladder[name].bpc < ladder["bigram"].bpc < ladder["unigram"].bpc, name


@pytest.mark.slow
def test_ladder_ranking_fact_lists_every_model_from_worst_to_best(ladder):
    ranked = lf.ranking()
    assert sorted(ranked) == sorted(LADDER)
    assert [ladder[name].bpc for name in ranked] == sorted(
        (run.bpc for run in ladder.values()), reverse=True)


@pytest.mark.slow
def test_ladder_transformer_is_below_the_bigram_by_the_stated_margin(ladder):
    margin = ladder["bigram"].bpc - ladder["Transformer"].bpc
    stated = {fact.name: fact for fact in lf.FACTS}["lm_transformer_margin"].fn()
    assert float(stated) == pytest.approx(margin, abs=0.005)
    assert margin > 0.25


@pytest.mark.slow
def test_ladder_every_count_and_network_beats_a_uniform_guess(ladder):
    log2_vocab = np.log2(len(lm.corpus()[0]))
    assert all(ladder[name].bpc < log2_vocab for name in LADDER)


@pytest.mark.slow
def test_ladder_validation_curves_fall_and_end_at_the_held_out_score(ladder):
    for name in ("window MLP", "LSTM", "Transformer"):
        run = ladder[name]
        assert run.val_bpc[-1] < run.val_bpc[0] - 2.0, name
        assert run.val_bpc[-1] == pytest.approx(run.bpc, abs=0.1), name


@pytest.mark.slow
def test_samples_have_the_stated_length_and_use_the_novels_characters():
    vocab = lm.corpus()[0]
    for name in LADDER:
        for temperature in lm.TEMPERATURES:
            text = lm.sample(name, temperature)
            assert len(text) == lm.SAMPLE_CHARS
            assert isinstance(vocab, CharVocab) and set(text) <= set(vocab.chars)


@pytest.mark.slow
def test_ladder_transformer_ends_lowest_and_the_curves_start_off_the_plot(ladder):
    """The figure's alt text: the Transformer ends lowest, every curve starts above 4.8."""
    assert min(ladder, key=lambda name: ladder[name].bpc) == "Transformer"
    assert min(ladder, key=lambda name: ladder[name].val_bpc[-1] if ladder[name].val_bpc
               else np.inf) == "Transformer"
    assert all(ladder[name].val_bpc[0] > 4.8 for name in lf.TRAINED)


@pytest.mark.slow
def test_attention_head_puts_more_weight_on_recent_characters_than_uniform():
    A = lf.head_attention()
    assert lf.recent_share(A) > lf.recent_share(lf._even_attention(len(A))) + 0.1


@pytest.mark.slow
def test_attention_is_causal_and_rows_sum_to_one():
    A = lf.head_attention()
    assert np.allclose(np.triu(A, k=1), 0.0, atol=1e-6)
    assert np.allclose(A.sum(axis=1), 1.0, atol=1e-5)
