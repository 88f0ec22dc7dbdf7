"""Lesson 15 (a character language model): its solutions give the reasons the lesson states,
and the lesson ends with a Transformer clearly below the bigram.

Each ``solution_k`` is loaded with :func:`_lessons.solutions`, which runs only the lesson's
definitions, and checked by a test named ``test_solution_15_k_<behaviour>``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest
from _lessons import ROOT, lesson_path, solutions

from glassnet.activations import softmax
from glassnet.data import load_text
from glassnet.language_model import CountModel
from glassnet.layers import Dense, Embedding, LayerNorm, PositionalEmbedding, TransformerBlock
from glassnet.model import Sequential
from glassnet.optimizers import Adam
from glassnet.sequence import SequenceCrossEntropy
from glassnet.text import CharVocab, next_char_windows

LESSON = "15_language_model"


def test_count_probabilities_match_glassnets_count_model():
    ns = solutions(LESSON)
    ids = np.random.default_rng(0).integers(0, 7, size=500)
    for order in (1, 2):
        ours = ns["count_probabilities"](ids, 7, order)
        theirs = np.exp(CountModel(7, order=order, alpha=ns["ALPHA"]).fit(ids).log_p)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_solution_15_1_cold_is_the_argmax_and_hot_is_uniform_not_the_unigram():
    result = solutions(LESSON)["solution_1"]()
    top_cold, _, _ = result[0.01]
    _, hot_to_uniform, hot_to_unigram = result[100.0]
    assert top_cold > 0.99                           # the argmax takes it all
    assert hot_to_uniform < 0.05                     # hot: close to uniform ...
    assert hot_to_unigram > 10 * hot_to_uniform      # ... and far from the unigram
    assert result[1.0][2] < hot_to_unigram           # tau = 1 is nearer the unigram than hot


def test_solution_15_1_distances_are_total_variation():
    ns = solutions(LESSON)
    text = load_text()
    vocab = CharVocab(text)
    ids = vocab.encode(text)[:-ns["HELD_OUT"]]
    z = np.log(ns["count_probabilities"](ids, len(vocab), 2)[vocab.index["e"]])
    p = softmax(z / 1.0)
    top, to_uniform, _ = ns["solution_1"]((1.0,))[1.0]
    assert top == pytest.approx(p.max())
    assert to_uniform == pytest.approx(0.5 * np.abs(p - 1 / len(vocab)).sum())


def test_solution_15_2_bits_add_up_and_order_costs_bits():
    result = solutions(LESSON)["solution_2"]()
    phrase, per_char, total = result["phrase"]
    shuffled, per_char_shuffled, total_shuffled = result["shuffled"]
    assert sorted(phrase) == sorted(shuffled) and phrase != shuffled
    assert len(per_char) == len(phrase) - 1
    assert total > per_char.sum() and total_shuffled > per_char_shuffled.sum()  # + 1st char
    assert np.all(per_char > 0) and np.all(per_char_shuffled > 0)
    assert total_shuffled > total + 20               # a factor above a million in probability


@pytest.mark.parametrize("T, V", [(8, 11), (5, 4)])
def test_solution_15_3_the_causal_gpt_passes_and_the_unmasked_stack_fails(T, V):
    causal, peeking = solutions(LESSON)["solution_3"](T, V)
    assert causal is True and peeking is False


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_without_the_mask_the_training_loss_falls_towards_zero(seed):
    """The exercise's and the page's claim: a stack that may attend to the next character
    learns to copy it, and its training loss falls far below what any honest model of the
    text reaches: the causal stack, trained the same way, stays above 2.5 bits. (The last
    position of a window has nothing to copy, so the unmasked loss keeps a floor of about
    1/T of an honest model's.)"""
    vocab = CharVocab(load_text())
    ids = vocab.encode(load_text())[:200_000]
    T, V, d = 16, len(vocab), 24
    X, Y = next_char_windows(ids, T)
    bits = {}
    for causal in (True, False):
        rng = np.random.default_rng(seed)
        model = Sequential([Embedding(V, d, rng=rng), PositionalEmbedding(T, d, rng=rng),
                            TransformerBlock(d, 2, 2 * d, causal=causal, rng=rng),
                            LayerNorm(d), Dense(d, V, rng=rng)])
        model.compile(Adam(lr=0.01), SequenceCrossEntropy(), metrics=[])
        batches = np.random.default_rng(seed + 1)
        for _ in range(400):
            batch = batches.integers(0, len(X), size=32)
            loss = model.train_on_batch(X[batch], Y[batch])
        bits[causal] = loss / np.log(2)
    assert bits[False] < 0.5 and bits[True] > 2.5


@pytest.mark.slow
def test_lesson_15_ends_with_the_transformer_half_a_bit_below_the_bigram():
    """Run as a script, the lesson prints its margin over the bigram: above 0.5 bits."""
    env = {**os.environ, "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, str(lesson_path(LESSON))], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    match = re.search(r"bigram ([\d.]+), Transformer ([\d.]+) bits per character; the "
                      r"Transformer is ([\d.]+) bits per character below", proc.stdout)
    bigram, gpt, margin = map(float, match.groups())
    assert margin > 0.5 and gpt < bigram
    assert margin == pytest.approx(bigram - gpt, abs=0.011)
