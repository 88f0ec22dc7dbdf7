"""Attention, LayerNorm, embeddings and the Transformer block: gradients, properties, errors."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, check_layer, numerical_gradient, relative_error
from glassnet.layers.attention import MultiHeadAttention, TransformerBlock
from glassnet.layers.embedding import (
    Embedding,
    PositionalEmbedding,
    PositionalEncoding,
    scatter_add_rows,
    sinusoidal_encoding,
)
from glassnet.layers.layernorm import LayerNorm

ATTENTION_CASES = [  # (batch, time, dim, heads, causal)
    (1, 1, 4, 1, False),
    (2, 7, 6, 2, False),
    (2, 7, 6, 3, True),
    (1, 5, 8, 4, True),
    (3, 1, 4, 2, True),
]


@pytest.mark.parametrize("batch, time, dim, heads, causal", ATTENTION_CASES)
def test_multihead_attention_gradients_match_centred_differences(batch, time, dim, heads,
                                                                 causal):
    rng = np.random.default_rng(0)
    layer = MultiHeadAttention(dim, heads, causal=causal, rng=rng)
    errors = check_layer(layer, rng.normal(size=(batch, time, dim)), rng)
    assert max(errors.values()) < THRESHOLD, errors


def naive_attention(x, layer):
    """One head and one example at a time, straight from the formula."""
    B, T, D = x.shape
    H, p = layer.num_heads, layer.params
    d_k = D // H
    out = np.zeros((B, T, D))
    for n in range(B):
        heads = []
        for h in range(H):
            cols = slice(h * d_k, (h + 1) * d_k)
            q, k, v = (x[n] @ p[key][:, cols] for key in ("W_q", "W_k", "W_v"))
            s = q @ k.T / np.sqrt(d_k)
            if layer.causal:
                s[np.triu_indices(T, 1)] = -np.inf
            a = np.exp(s - s.max(axis=1, keepdims=True))
            heads.append(a / a.sum(axis=1, keepdims=True) @ v)
        out[n] = np.concatenate(heads, axis=1) @ p["W_o"]
    return out


@pytest.mark.parametrize("batch, time, dim, heads, causal", ATTENTION_CASES)
def test_multihead_attention_matches_per_head_loop(batch, time, dim, heads, causal):
    rng = np.random.default_rng(1)
    layer = MultiHeadAttention(dim, heads, causal=causal, rng=rng)
    x = rng.normal(size=(batch, time, dim))
    np.testing.assert_allclose(layer.forward(x), naive_attention(x, layer), rtol=1e-10,
                               atol=1e-12)


def test_causal_attention_ignores_the_future():
    rng = np.random.default_rng(2)
    layer = MultiHeadAttention(8, 2, causal=True, rng=rng)
    x = rng.normal(size=(2, 6, 8))
    changed = x.copy()
    changed[:, 4:] = rng.normal(size=(2, 2, 8))
    np.testing.assert_allclose(layer.forward(x)[:, :4], layer.forward(changed)[:, :4],
                               rtol=1e-12)
    A = layer.attention_weights
    assert A.shape == (2, 2, 6, 6)
    np.testing.assert_allclose(A.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all(A[..., np.triu_indices(6, 1)[0], np.triu_indices(6, 1)[1]] == 0.0)


@pytest.mark.parametrize("shape", [(1, 1, 5), (2, 7, 4), (6, 3)])
def test_layernorm_gradients_match_centred_differences(shape):
    rng = np.random.default_rng(3)
    layer = LayerNorm(shape[-1])
    layer.params["gamma"] = rng.normal(size=shape[-1])
    layer.params["beta"] = rng.normal(size=shape[-1])
    errors = check_layer(layer, rng.normal(size=shape), rng)
    assert max(errors.values()) < THRESHOLD, errors


def test_layernorm_output_has_zero_mean_unit_variance_per_position():
    x = np.random.default_rng(4).normal(3.0, 5.0, size=(2, 4, 16))
    y = LayerNorm(16).forward(x)
    np.testing.assert_allclose(y.mean(axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("batch, time, heads, causal", [(1, 1, 2, False), (2, 7, 2, True),
                                                        (2, 4, 4, False)])
def test_transformer_block_gradients_match_centred_differences(batch, time, heads, causal):
    rng = np.random.default_rng(5)
    block = TransformerBlock(8, heads, 12, causal=causal, rng=rng)
    errors = check_layer(block, rng.normal(size=(batch, time, 8)), rng)
    assert max(errors.values()) < THRESHOLD, errors
    assert block.attention_weights.shape == (batch, heads, time, time)


@pytest.mark.parametrize("causal", [False, True])
def test_transformer_block_in_float32_stays_float32(causal):
    block = TransformerBlock(8, 2, 16, causal=causal, rng=np.random.default_rng(0))
    block.astype(np.float32)
    x = np.random.default_rng(1).normal(size=(2, 5, 8)).astype(np.float32)
    y = block.forward(x)
    assert y.dtype == np.float32
    assert block.backward(np.ones_like(y)).dtype == np.float32


def test_transformer_block_exposes_every_inner_parameter():
    block = TransformerBlock(8, 2, 12, rng=np.random.default_rng(6))
    assert block.num_params() == 4 * 8 * 8 + 2 * (2 * 8) + (8 * 12 + 12) + (12 * 8 + 8)
    assert "attn.1.W_q" in block.params and "mlp.3.b" in block.params
    assert block.output_shape((5, 8)) == (5, 8)


@pytest.mark.parametrize("tokens", [np.array([[0, 2, 2, 4]]), np.array([[1], [3], [1]])])
def test_embedding_gradient_sums_over_repeated_tokens(tokens):
    rng = np.random.default_rng(7)
    layer = Embedding(5, 3, rng=rng)
    R = rng.normal(size=(*tokens.shape, 3))
    layer.forward(tokens)
    layer.backward(R)
    numeric = numerical_gradient(lambda _: np.sum(R * layer.forward(tokens)), layer.params["W"])
    assert relative_error(layer.grads["W"], numeric) < THRESHOLD


@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (3, 5), (4, 20)])
def test_scatter_add_rows_matches_np_add_at(shape):
    rng = np.random.default_rng(len(shape) + sum(shape))
    index = rng.integers(0, 4, size=shape)              # few distinct values: many repeats
    rows = rng.normal(size=(*shape, 3))
    expected = rng.normal(size=(4, 3))
    got = expected.copy()
    np.add.at(expected, index, rows)
    scatter_add_rows(got, index, rows)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_embedding_accepts_whole_floats_and_rejects_bad_tokens():
    layer = Embedding(4, 2, rng=np.random.default_rng(8))
    np.testing.assert_array_equal(layer.forward(np.array([[1.0, 3.0]])),
                                  layer.params["W"][[[1, 3]]])
    with pytest.raises(ValueError, match=r"Embedding\(4, 2\).*token ids in 0..3, got values "
                                         r"from 0 to 4"):
        layer.forward(np.array([[0, 4]]))
    with pytest.raises(ValueError, match=r"Embedding\(4, 2\).*expected integer token ids"):
        layer.forward(np.array([[0.5, 1.0]]))


def test_positional_encoding_adds_the_sinusoid_table():
    table = sinusoidal_encoding(10, 6)
    assert table.shape == (10, 6)
    np.testing.assert_allclose(table[0], [0, 1, 0, 1, 0, 1], atol=1e-15)
    np.testing.assert_allclose(table[3, 0], np.sin(3.0), rtol=1e-12)
    np.testing.assert_allclose(table[3, 3], np.cos(3.0 / 10000 ** (2 / 6)), rtol=1e-12)
    layer = PositionalEncoding(10, 6)
    x = np.random.default_rng(9).normal(size=(2, 7, 6))
    np.testing.assert_allclose(layer.forward(x), x + table[:7], rtol=1e-12)
    assert check_layer(layer, x)["x"] < THRESHOLD


@pytest.mark.parametrize("time", [1, 4, 6])
def test_positional_embedding_gradients_match_centred_differences(time):
    rng = np.random.default_rng(time)
    layer = PositionalEmbedding(6, 3, rng=rng)
    errors = check_layer(layer, rng.normal(size=(2, time, 3)), rng)
    assert max(errors.values()) < THRESHOLD, errors
    assert not layer.grads["P"][time:].any()  # rows past the sequence get no gradient


def test_positional_embedding_adds_row_t_at_position_t():
    layer = PositionalEmbedding(5, 2, rng=np.random.default_rng(0))
    x = np.zeros((3, 4, 2))
    np.testing.assert_array_equal(layer.forward(x), np.broadcast_to(layer.params["P"][:4],
                                                                    (3, 4, 2)))
    assert layer.params["P"].std() < 0.05


@pytest.mark.parametrize("make, x_shape, message", [
    (lambda: PositionalEmbedding(5, 4), (1, 6, 4), r"at most 5 time steps, got shape \(1, 6, 4\)"),
    (lambda: MultiHeadAttention(8, 2), (2, 8), r"shape \(batch, time, 8\), got shape \(2, 8\)"),
    (lambda: MultiHeadAttention(8, 2), (2, 3, 6), r"got shape \(2, 3, 6\)"),
    (lambda: LayerNorm(4), (2, 3), r"expected 4 features on the last axis, got shape \(2, 3\)"),
    (lambda: PositionalEncoding(5, 4), (1, 6, 4), r"at most 5 time steps, got shape \(1, 6, 4\)"),
    (lambda: PositionalEncoding(5, 4), (6, 4), r"3 dimensions, got shape \(6, 4\)"),
])
def test_attention_layers_reject_bad_input_naming_layer_expected_and_got(make, x_shape,
                                                                         message):
    layer = make()
    with pytest.raises(ValueError, match=message) as info:
        layer.forward(np.zeros(x_shape))
    assert layer.name in str(info.value)


def test_multihead_attention_rejects_dim_not_divisible_by_heads():
    with pytest.raises(ValueError, match=r"MultiHeadAttention: expected dim divisible by "
                                         r"num_heads, got dim=10 and num_heads=4"):
        MultiHeadAttention(10, 4)
