"""Language models: count baselines, the trainable ladder, gradients, causality, learning."""

import numpy as np
import pytest

from glassnet import Sequential
from glassnet.data import load_text
from glassnet.gradcheck import THRESHOLD, check_model
from glassnet.language_model import (
    CountModel,
    bits_per_char,
    lstm_lm,
    transformer_lm,
    window_mlp,
)
from glassnet.layers import Dense, Embedding, PositionalEmbedding, TransformerBlock
from glassnet.losses import CrossEntropy
from glassnet.optimizers import Adam
from glassnet.sequence import SequenceCrossEntropy
from glassnet.text import CharVocab, generate, next_char_windows

V = 5

# name: (model, input shape, labels shape, loss); tiny, so every parameter can be perturbed.
LADDER = {
    "window_mlp": (lambda: window_mlp(V, 3, dim=2, hidden=4, seed=0), (3,), (), CrossEntropy),
    "lstm": (lambda: lstm_lm(V, dim=3, hidden=4, seed=0), (4,), (4,), SequenceCrossEntropy),
    "transformer": (lambda: transformer_lm(V, 4, dim=4, num_heads=2, num_blocks=2, mlp_dim=6,
                                           seed=0), (4,), (4,), SequenceCrossEntropy),
}


# ---------------------------------------------------------------- bits per character

def test_bits_per_char_of_uniform_scores_is_log2_vocab():
    y = np.array([[0, 3, 1], [2, 2, 4]])
    assert bits_per_char(np.zeros((2, 3, 8)), y) == pytest.approx(3.0, rel=1e-12)
    assert bits_per_char(np.zeros((6, 8)), y.reshape(-1)) == pytest.approx(3.0, rel=1e-12)


def test_bits_per_char_is_minus_log2_of_the_label_probability():
    p = np.array([[0.5, 0.25, 0.25], [0.125, 0.75, 0.125]])
    assert bits_per_char(np.log(p), np.array([1, 0])) == pytest.approx((2 + 3) / 2, rel=1e-12)


def test_bits_per_char_rejects_mismatched_labels():
    with pytest.raises(ValueError, match=r"one label per position \(6\), got 5"):
        bits_per_char(np.zeros((2, 3, 4)), np.zeros(5, dtype=int))


# ---------------------------------------------------------------- count models

def test_count_model_unigram_and_bigram_probabilities():
    ids = np.array([0, 1, 0, 1, 0, 2])
    uni = CountModel(3, order=1, alpha=1.0).fit(ids)
    np.testing.assert_allclose(np.exp(uni.predict([[2]]))[0, 0], [4 / 9, 3 / 9, 2 / 9])
    bi = CountModel(3, order=2, alpha=0.5).fit(ids)
    # After 0 came 1, 1, 2: counts (0, 2, 1) + 0.5 over 3 + 1.5.
    np.testing.assert_allclose(np.exp(bi.predict([[0]]))[0, 0], [0.5 / 4.5, 2.5 / 4.5,
                                                                 1.5 / 4.5])
    assert bi.predict(np.array([[0, 1, 2]])).shape == (1, 3, 3)


def test_count_model_bigram_beats_unigram_on_alternating_text():
    ids = np.tile([0, 1, 2], 50)
    X, Y = next_char_windows(ids, 5)
    uni, bi = (CountModel(3, order, alpha=0.1).fit(ids) for order in (1, 2))
    assert bits_per_char(uni.predict(X), Y) == pytest.approx(np.log2(3), rel=1e-3)
    assert bits_per_char(bi.predict(X), Y) < 0.1


@pytest.mark.parametrize("kwargs, call, match", [
    ({"order": 3}, None, r"order 1 \(unigram\) or 2 \(bigram\), got 3"),
    ({"alpha": 0}, None, r"alpha > 0, got 0"),
    ({}, lambda m: m.predict([[0]]), r"call fit first"),
    ({}, lambda m: m.fit([0, 3, 1]), r"ids in 0..2, got values from 0 to 3"),
    ({}, lambda m: m.fit([0.5]), r"integer ids, got dtype float64"),
])
def test_count_model_rejects_bad_input(kwargs, call, match):
    with pytest.raises((ValueError, RuntimeError), match=match):
        call(CountModel(3, **kwargs))


# ---------------------------------------------------------------- the trainable ladder

@pytest.mark.parametrize("name", sorted(LADDER))
def test_language_model_gradients_match_centred_differences(name):
    make, x_shape, y_shape, loss = LADDER[name]
    rng = np.random.default_rng(1)
    model = make().compile(Adam(), loss(), metrics=[])
    X = rng.integers(0, V, size=(3, *x_shape))
    y = rng.integers(0, V, size=(3, *y_shape))
    errors = check_model(model, X, y)
    assert any(".Embedding(5," in key for key in errors)  # embedding to loss, all of it
    assert max(errors.values()) < THRESHOLD, errors


def test_language_model_gradient_check_catches_a_wrong_attention_gradient():
    """Negative control: a Transformer LM whose block drops part of its gradient fails."""
    make, x_shape, y_shape, loss = LADDER["transformer"]
    model = make().compile(Adam(), loss(), metrics=[])
    block = next(layer for layer in model.layers if isinstance(layer, TransformerBlock))
    right = block.backward
    block.backward = lambda dout: 0.5 * right(dout)     # half the gradient reaches below
    rng = np.random.default_rng(1)
    X, y = rng.integers(0, V, size=(3, *x_shape)), rng.integers(0, V, size=(3, *y_shape))
    errors = check_model(model, X, y)
    assert max(errors[key] for key in errors if "Embedding" in key) > 1e-2, errors


@pytest.mark.parametrize("name", sorted(LADDER))
def test_language_model_initial_loss_is_about_log_vocab(name):
    make, x_shape, y_shape, loss = LADDER[name]
    rng = np.random.default_rng(2)
    model = make().compile(Adam(), loss(), metrics=[])
    X, y = rng.integers(0, V, size=(64, *x_shape)), rng.integers(0, V, size=(64, *y_shape))
    assert abs(model.evaluate(X, y)["loss"] - np.log(V)) < 0.5


def test_language_model_saves_and_loads(tmp_path):
    model = transformer_lm(V, 6, dim=8, num_heads=2, num_blocks=1, seed=3)
    X = np.random.default_rng(0).integers(0, V, size=(2, 6))
    model.save(tmp_path / "gpt.npz")
    np.testing.assert_array_equal(Sequential.load(tmp_path / "gpt.npz").predict(X),
                                  model.predict(X))


# ---------------------------------------------------------------- causality

def later_token_effects(model, T=6, vocab=V):
    """For every t: did changing token t move positions before t, and position t itself?"""
    X = np.random.default_rng(4).integers(0, vocab, size=(2, T))
    base = model.predict(X)
    before, at = [], []
    for t in range(T):
        X2 = X.copy()
        X2[:, t] = (X2[:, t] + 1) % vocab
        out = model.predict(X2)
        before.append(not np.array_equal(out[:, :t], base[:, :t]))
        at.append(not np.allclose(out[:, t], base[:, t], rtol=1e-9, atol=0))
    return before, at


def test_transformer_lm_is_causal():
    before, at = later_token_effects(transformer_lm(V, 6, dim=8, num_heads=2, num_blocks=2,
                                                    seed=5))
    assert not any(before)       # no earlier position sees a later token, bit for bit
    assert all(at)               # while the position itself does


def test_causal_check_catches_a_model_that_looks_ahead():
    rng = np.random.default_rng(6)
    peeking = Sequential([Embedding(V, 8, rng=rng), PositionalEmbedding(6, 8, rng=rng),
                          TransformerBlock(8, 2, 16, causal=False, rng=rng), Dense(8, V, rng=rng)])
    before, _ = later_token_effects(peeking)
    assert all(before[1:])


# ---------------------------------------------------------------- parity with a reference

def reference_causal_block(x, p, num_heads, eps=1e-5):
    """A pre-norm causal Transformer block written out head by head in plain NumPy."""
    def layer_norm(z, gamma, beta):
        z_hat = (z - z.mean(-1, keepdims=True)) / np.sqrt(z.var(-1, keepdims=True) + eps)
        return gamma * z_hat + beta

    B, T, D = x.shape
    dk = D // num_heads
    h = layer_norm(x, p["attn.0.gamma"], p["attn.0.beta"])
    heads = np.zeros_like(x)
    for b in range(B):
        for i in range(num_heads):
            cols = slice(i * dk, (i + 1) * dk)
            q, k, v = (h[b] @ p[f"attn.1.W_{n}"][:, cols] for n in "qkv")
            scores = q @ k.T / np.sqrt(dk)
            scores[np.triu_indices(T, 1)] = -np.inf     # key s > query t is the future
            A = np.exp(scores - scores.max(axis=1, keepdims=True))
            heads[b, :, cols] = (A / A.sum(axis=1, keepdims=True)) @ v
    x = x + heads @ p["attn.1.W_o"]
    z = layer_norm(x, p["mlp.0.gamma"], p["mlp.0.beta"]) @ p["mlp.1.W"] + p["mlp.1.b"]
    gelu = 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z ** 3)))
    return x + gelu @ p["mlp.3.W"] + p["mlp.3.b"]


@pytest.mark.parametrize("dim, heads, T", [(8, 2, 5), (12, 3, 7), (4, 1, 1)])
def test_causal_transformer_block_matches_a_numpy_reference(dim, heads, T):
    rng = np.random.default_rng(dim + T)
    block = TransformerBlock(dim, heads, 2 * dim, causal=True, rng=rng)
    for key in ("attn.0.gamma", "attn.0.beta", "mlp.0.gamma", "mlp.0.beta"):
        block.params[key][...] = rng.normal(size=dim)   # LayerNorm away from its start
    x = rng.normal(size=(3, T, dim))
    np.testing.assert_allclose(block.forward(x), reference_causal_block(x, block.params, heads),
                               rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- learning

@pytest.mark.slow
def test_transformer_lm_beats_the_bigram_on_held_out_text():
    text = load_text()
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    train, held_out = ids[:60_000], ids[100_000:110_000]
    Xv, Yv = next_char_windows(held_out, 32, 32)
    bigram = CountModel(len(vocab), order=2, alpha=0.1).fit(train)
    bigram_bpc = bits_per_char(bigram.predict(Xv), Yv)
    model = transformer_lm(len(vocab), 32, dim=32, num_heads=4, num_blocks=1, seed=0,
                           dtype=np.float32)
    model.compile(Adam(1e-2), SequenceCrossEntropy(), metrics=[])
    X, Y = next_char_windows(train, 32, 32)
    model.fit(X, Y, epochs=5, batch_size=32, verbose=0)
    gpt_bpc = bits_per_char(model.predict(Xv), Yv)
    assert gpt_bpc < bigram_bpc - 0.25, (gpt_bpc, bigram_bpc)
    sample = generate(model, "It is a truth", 20, temperature=0.8, seed=0, vocab=vocab)
    assert sample.startswith("It is a truth") and len(sample) == 33


# ---------------------------------------------------------------- generation with real models

def tiny_gpt(context=4):
    return transformer_lm(V, context, dim=8, num_heads=2, num_blocks=1, seed=7)


def test_generate_greedy_matches_an_argmax_loop_over_the_last_context():
    model, prompt = tiny_gpt(), np.array([1, 2, 3])
    ids = list(prompt)
    for _ in range(9):                                 # past the context of 4: it slides
        ids.append(int(np.argmax(model.predict(np.array(ids[-4:])[None])[0, -1])))
    np.testing.assert_array_equal(generate(model, prompt, 9, temperature=0.0), ids)


def test_generate_top_k_of_one_is_greedy_at_any_temperature():
    model, prompt = tiny_gpt(), np.array([4, 0])
    greedy = generate(model, prompt, 8, temperature=0.0)
    for seed in range(3):
        np.testing.assert_array_equal(
            generate(model, prompt, 8, temperature=2.0, top_k=1, seed=seed), greedy)


def test_generate_with_a_real_model_is_reproducible_with_a_seed():
    model = tiny_gpt()
    a, b = (generate(model, np.array([0]), 20, temperature=1.5, seed=11) for _ in range(2))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (21,) and a.min() >= 0 and a.max() < V


def test_generate_reads_the_context_of_the_position_layer():
    with pytest.raises(ValueError, match=r"at most 4 tokens \(the model's context\), got 5"):
        generate(tiny_gpt(), np.array([0, 1, 2, 3, 4]), 1)
    assert len(generate(tiny_gpt(), np.array([0, 1, 2, 3]), 1, temperature=0.0)) == 5


def test_generate_names_a_prompt_id_outside_the_models_vocabulary():
    with pytest.raises(ValueError, match=r"expected token ids in 0\.\.4, got values from 1"):
        generate(tiny_gpt(), np.array([1, 7]), 1, seed=0)


def test_generate_lstm_with_a_context_reads_only_the_last_characters():
    """An LSTM has no position layer; given a context, each step starts its state afresh on
    the last ``context`` characters, as in training, instead of reading the whole text."""
    model = lstm_lm(V, dim=3, hidden=4, seed=0)
    ids = [1, 2, 3]
    for _ in range(6):
        ids.append(int(np.argmax(model.predict(np.array(ids[-3:])[None])[0, -1])))
    np.testing.assert_array_equal(
        generate(model, np.array([1, 2, 3]), 6, temperature=0.0, context=3), ids)
