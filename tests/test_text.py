"""Tests of glassnet.text: vocabulary, windows, byte-pair encoding and sampling."""

import numpy as np
import pytest

from glassnet.text import (
    CharVocab,
    bpe_encode,
    generate,
    next_char_windows,
    sample_next,
    train_bpe,
)


class FixedScores:
    """A sequence model whose next-token scores are always ``logits``, whatever the input."""

    def __init__(self, logits):
        self.logits, self.seen = np.asarray(logits, dtype=float), []

    def predict(self, X):
        self.seen.append(np.array(X))
        return np.broadcast_to(self.logits, (*np.shape(X), self.logits.size))


class CopyLast:
    """Predicts that the next token equals the last one, with certainty."""

    def __init__(self, vocab):
        self.vocab = vocab

    def predict(self, X):
        return np.eye(self.vocab)[np.asarray(X, dtype=int)] * 50.0  # (batch, time, vocab)


class WindowModel:
    """A window model: (batch, context) ids to (batch, vocab) scores, favouring id sum % vocab."""

    def __init__(self, vocab):
        self.vocab = vocab

    def predict(self, X):
        return np.eye(self.vocab)[np.asarray(X, dtype=int).sum(axis=1) % self.vocab] * 50.0


# ---------------------------------------------------------------- CharVocab

def test_char_vocab_round_trips_and_sorts():
    vocab = CharVocab("hello world")
    assert vocab.chars == [" ", "d", "e", "h", "l", "o", "r", "w"] and len(vocab) == 8
    ids = vocab.encode("low")
    assert ids.dtype == np.int64 and ids.tolist() == [4, 5, 7]
    assert vocab.decode(ids) == "low"
    assert vocab.decode(vocab.encode("hello world")) == "hello world"


def test_char_vocab_encode_names_the_unknown_character():
    with pytest.raises(ValueError, match=r"character 'z' at position 2 is not in the "
                                         r"vocabulary of 3 characters 'abc'"):
        CharVocab("abc").encode("abzc")


@pytest.mark.parametrize("ids, match", [
    ([0, 3], r"expected ids in 0..2, got values from 0 to 3"),
    ([-1], r"expected ids in 0..2, got values from -1 to -1"),
    ([0.5], r"integer ids, got dtype float64"),
    ([[0]], r"1-D array .* shape \(1, 1\)"),
])
def test_char_vocab_decode_rejects_bad_ids(ids, match):
    with pytest.raises(ValueError, match=match):
        CharVocab("abc").decode(ids)


def test_char_vocab_rejects_empty_text():
    with pytest.raises(ValueError, match="non-empty str"):
        CharVocab("")


# ---------------------------------------------------------------- windows

@pytest.mark.parametrize("context, step", [(1, 1), (3, 1), (3, 2), (4, 3)])
def test_next_char_windows_targets_are_the_following_characters(context, step):
    ids = np.arange(10) * 7
    X, Y = next_char_windows(ids, context, step)
    n = (10 - 1 - context) // step + 1
    assert X.shape == Y.shape == (n, context)
    for row in range(n):
        start = row * step
        np.testing.assert_array_equal(X[row], ids[start:start + context])
        np.testing.assert_array_equal(Y[row], ids[start + 1:start + context + 1])


def test_next_char_windows_rejects_too_short_text():
    with pytest.raises(ValueError, match=r"at least context \+ 1 = 5 ids, got shape \(4,\)"):
        next_char_windows(np.arange(4), 4)


# ---------------------------------------------------------------- byte-pair encoding

def test_train_bpe_merges_the_most_frequent_pair_first():
    merges = train_bpe("aaabdaaabac", 3)  # the Wikipedia example
    assert merges == [("a", "a"), ("aa", "a"), ("aaa", "b")]
    assert bpe_encode("aaabdaaabac", merges) == ["aaab", "d", "aaab", "a", "c"]


def test_train_bpe_stops_when_no_pair_repeats():
    assert train_bpe("abcd", 5) == []
    assert train_bpe("abab", 5) == [("a", "b")]


def test_bpe_encode_joins_back_to_the_text():
    text = "the cat sat on the mat with the hat"
    tokens = bpe_encode(text, train_bpe(text, 10))
    assert "".join(tokens) == text and len(tokens) < len(text)


# ---------------------------------------------------------------- sampling

def test_sample_next_temperature_zero_is_argmax():
    rng = np.random.default_rng(0)
    assert all(sample_next(np.array([0.1, 3.0, 2.9]), 0.0, None, rng) == 1 for _ in range(20))


def test_sample_next_top_k_restricts_to_the_k_best():
    rng = np.random.default_rng(0)
    logits = np.array([1.0, 5.0, 0.0, 4.9, 3.0])
    drawn = {sample_next(logits, 100.0, 2, rng) for _ in range(200)}
    assert drawn == {1, 3}
    assert {sample_next(logits, 100.0, None, rng) for _ in range(200)} == set(range(5))


def test_sample_next_matches_the_softmax_frequencies():
    rng = np.random.default_rng(1)
    logits = np.log(np.array([0.2, 0.5, 0.3]))
    draws = [sample_next(logits, 1.0, None, rng) for _ in range(4000)]
    np.testing.assert_allclose(np.bincount(draws) / 4000, [0.2, 0.5, 0.3], atol=0.03)
    # Temperature 1/4 samples p^4, renormalised: sharper, towards the mode.
    hot = [sample_next(logits, 0.25, None, rng) for _ in range(4000)]
    sharp = np.array([0.2, 0.5, 0.3]) ** 4
    np.testing.assert_allclose(np.bincount(hot, minlength=3) / 4000, sharp / sharp.sum(),
                               atol=0.03)


def test_generate_is_reproducible_with_a_seed():
    model = FixedScores([0.0, 0.5, 1.0, 0.2])
    a = generate(model, np.array([0]), 30, seed=3)
    b = generate(model, np.array([0]), 30, seed=3)
    c = generate(model, np.array([0]), 30, seed=4)
    assert a.dtype == np.int64 and a.shape == (31,)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_generate_greedy_with_a_vocab_returns_text():
    vocab = CharVocab("abc")
    assert generate(CopyLast(3), "ab", 4, temperature=0.0, vocab=vocab) == "abbbbb"


def test_generate_feeds_at_most_the_context():
    model = FixedScores([0.0, 1.0])
    generate(model, np.array([0, 1]), 5, seed=0, context=3)
    assert [x.shape for x in model.seen] == [(1, 2), (1, 3), (1, 3), (1, 3), (1, 3)]
    unlimited = FixedScores([0.0, 1.0])
    generate(unlimited, np.array([0]), 3, seed=0)
    assert [x.shape for x in unlimited.seen] == [(1, 1), (1, 2), (1, 3)]


def test_generate_window_model_uses_the_last_window():
    out = generate(WindowModel(5), np.array([1, 2]), 3, temperature=0, context=2)
    assert out.tolist() == [1, 2, 3, 0, 3]  # each new id is (sum of the last two) % 5


def test_generate_zero_tokens_returns_the_prompt():
    assert generate(CopyLast(3), "abc", 0, vocab=CharVocab("abc")) == "abc"


@pytest.mark.parametrize("kwargs, match", [
    ({"prompt": "abz"}, r"character 'z' at position 2 is not in the vocabulary"),
    ({"prompt": "abcab"}, r"at most 4 tokens \(the model's context\), got 5"),
    ({"n": -1}, r"expected n to be an integer >= 0, got -1"),
    ({"temperature": -0.5}, r"expected temperature >= 0, got -0.5"),
    ({"temperature": float("nan")}, r"expected temperature >= 0, got nan"),
    ({"top_k": 0}, r"expected top_k to be None or an integer >= 1, got 0"),
    ({"top_k": 4}, r"expected top_k in 1..3 \(the vocabulary size\), got 4"),
    ({"prompt": ""}, r"at least one token, got an empty one"),
])
def test_generate_rejects_bad_input(kwargs, match):
    args = {"model": CopyLast(3), "prompt": "ab", "n": 2, "vocab": CharVocab("abc"),
            "context": 4, **kwargs}
    with pytest.raises(ValueError, match=match):
        generate(**args)


def test_generate_str_prompt_needs_a_vocab():
    with pytest.raises(ValueError, match="needs vocab="):
        generate(CopyLast(3), "ab", 1)
