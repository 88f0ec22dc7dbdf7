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
    assert any(token.strip() == "the" or token == "at" for token in tokens)


# --- slow: the trained ladder ------------------------------------------------------------


@pytest.fixture(scope="module")
def ladder():
    return lm.ladder()


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
def test_samples_transformer_writes_more_real_words_than_the_unigram():
    assert lf.real_word_share(lm.sample("Transformer", 0.5)) > lf.real_word_share(
        lm.sample("unigram", 0.5))


@pytest.mark.slow
def test_attention_is_causal_and_rows_sum_to_one():
    A = lf.head_attention()
    assert np.allclose(np.triu(A, k=1), 0.0, atol=1e-6)
    assert np.allclose(A.sum(axis=1), 1.0, atol=1e-5)
