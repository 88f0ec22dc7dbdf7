"""Multiply-adds counted from the layers, against counts done by hand."""

import pytest

from glassnet import Sequential, layers
from glassnet.cost import count_macs, layer_macs, training_macs
from glassnet.language_model import lstm_lm, transformer_lm
from glassnet.layers import (
    ELU,
    GELU,
    LSTM,
    RNN,
    AvgPool2D,
    BatchNorm,
    Block,
    Conv2D,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    GlobalAvgPool2D,
    LayerNorm,
    LeakyReLU,
    MaxPool2D,
    MultiHeadAttention,
    PositionalEmbedding,
    PositionalEncoding,
    ReLU,
    Residual,
    Sigmoid,
    Softmax,
    Softplus,
    Step,
    Tanh,
    TransformerBlock,
)


@pytest.mark.parametrize(("n_in", "n_out"), [(784, 128), (3, 1), (64, 10)])
def test_layer_macs_dense_is_n_in_times_n_out(n_in, n_out):
    assert layer_macs(Dense(n_in, n_out), (n_in,)) == n_in * n_out


def test_layer_macs_dense_on_a_sequence_counts_every_time_step():
    assert layer_macs(Dense(4, 5), (7, 4)) == 7 * 4 * 5


@pytest.mark.parametrize(("shape", "layer", "expected"), [
    # 8x8 input, 3x3 kernel, no padding: 6x6 outputs, each a dot product of length 1*3*3.
    ((1, 8, 8), Conv2D(1, 8, 3), 8 * 6 * 6 * 1 * 3 * 3),
    # padding 1 keeps 8x8; 16 filters over 8 channels.
    ((8, 8, 8), Conv2D(8, 16, 3, padding=1), 16 * 8 * 8 * 8 * 3 * 3),
    # stride 2 on 7x7 with a 3x3 kernel: 3x3 outputs.
    ((2, 7, 7), Conv2D(2, 4, 3, stride=2), 4 * 3 * 3 * 2 * 3 * 3),
])
def test_layer_macs_conv2d_is_outputs_times_window(shape, layer, expected):
    assert layer_macs(layer, shape) == expected


def test_layer_macs_conv2d_matches_the_products_of_its_forward_pass():
    """The im2col product has (out_channels) x (c*kh*kw) x (h_out*w_out) multiply-adds."""
    layer = Conv2D(3, 5, 3, padding=1)
    cols_rows, cols_columns = 3 * 3 * 3, 6 * 6
    assert layer_macs(layer, (3, 6, 6)) == 5 * cols_rows * cols_columns


def test_count_macs_follows_shapes_through_the_model_and_skips_cheap_layers():
    model = Sequential([Conv2D(1, 8, 3, padding=1), ReLU(), MaxPool2D(2), Flatten(),
                        Dense(8 * 4 * 4, 10)])
    assert count_macs(model, (1, 8, 8)) == [8 * 8 * 8 * 9, 0, 0, 0, 128 * 10]


def test_training_macs_is_three_forward_passes_less_the_first_layers_input_gradient():
    model = Sequential([Dense(64, 32), ReLU(), Dense(32, 10)])
    assert training_macs(model, (64,)) == 3 * (64 * 32 + 32 * 10) - 64 * 32
    assert training_macs(model, (64,)) / sum(count_macs(model, (64,))) < 3.0


@pytest.mark.parametrize(("frozen", "backward"), [
    # Frozen features: only the head's weight gradient.
    ([0, 1], 32 * 10),
    # Frozen head: the first layer's weight gradient, the head's input gradient.
    ([2], 64 * 32 + 32 * 10),
])
def test_training_macs_counts_no_backward_work_for_frozen_layers(frozen, backward):
    model = Sequential([Dense(64, 32), ReLU(), Dense(32, 10)]).freeze(frozen)
    forward = 64 * 32 + 32 * 10
    assert training_macs(model, (64,)) == forward + backward


def test_training_macs_of_a_fully_frozen_model_is_its_forward_pass():
    model = Sequential([Dense(64, 32), ReLU(), Dense(32, 10)]).freeze()
    assert training_macs(model, (64,)) == 64 * 32 + 32 * 10


@pytest.mark.parametrize(("cls", "gates"), [(RNN, 1), (LSTM, 4)])
def test_layer_macs_recurrent_is_steps_times_gates_times_both_products(cls, gates):
    # 7 steps, each x_t W_x (3 x 5k) and h_{t-1} W_h (5 x 5k), k gate blocks of 5 units.
    assert layer_macs(cls(3, 5), (7, 3)) == 7 * (3 * 5 * gates + 5 * 5 * gates)


def test_layer_macs_attention_is_four_projections_plus_scores_and_mixing():
    # T = 6 tokens of width 8, 2 heads of 4: W_q, W_k, W_v, W_o are 6 x 8 x 8 each;
    # q k^T is 2 heads x 6 x 6 x 4, and A v the same.
    expected = 4 * 6 * 8 * 8 + 2 * (2 * 6 * 6 * 4)
    assert layer_macs(MultiHeadAttention(8, 2), (6, 8)) == expected
    assert layer_macs(MultiHeadAttention(8, 2, causal=True), (6, 8)) == expected


def test_layer_macs_transformer_block_adds_attention_and_its_mlp():
    attention = 4 * 6 * 8 * 8 + 2 * 6 * 6 * 8
    mlp = 6 * 8 * 32 + 6 * 32 * 8                    # Dense(8, 32), then Dense(32, 8)
    assert layer_macs(TransformerBlock(8, 2, 32), (6, 8)) == attention + mlp
    assert layer_macs(Residual([Dense(8, 8), ReLU()]), (6, 8)) == 6 * 8 * 8


def test_count_macs_of_the_small_gpt_matches_a_hand_count():
    T, D, V = 64, 64, 75
    block = (4 * T * D * D + 2 * T * T * D) + 2 * T * D * (4 * D)
    counts = count_macs(transformer_lm(V, T, D, 4, 2, seed=0), (T,))
    assert counts == [0, 0, block, block, 0, T * D * V]


def test_count_macs_of_the_lstm_language_model_matches_a_hand_count():
    T, V, E, H = 20, 30, 8, 16
    counts = count_macs(lstm_lm(V, E, H, seed=0), (T,))
    assert counts == [0, T * 4 * H * (E + H), T * H * V]


# One instance of every layer glassnet exports, with an input shape it accepts.
EVERY_LAYER = {
    "AvgPool2D": (AvgPool2D(2), (1, 4, 4)), "BatchNorm": (BatchNorm(3), (3,)),
    "Block": (Block({"a": Dense(3, 3)}), (3,)), "Conv2D": (Conv2D(1, 2, 3), (1, 4, 4)),
    "Dense": (Dense(3, 2), (3,)), "Dropout": (Dropout(0.5), (3,)), "ELU": (ELU(), (3,)),
    "Embedding": (Embedding(5, 3), (4,)), "Flatten": (Flatten(), (1, 2, 2)),
    "GELU": (GELU(), (3,)), "GlobalAvgPool2D": (GlobalAvgPool2D(), (1, 4, 4)),
    "LSTM": (LSTM(3, 2), (4, 3)), "LayerNorm": (LayerNorm(3), (4, 3)),
    "LeakyReLU": (LeakyReLU(), (3,)), "MaxPool2D": (MaxPool2D(2), (1, 4, 4)),
    "MultiHeadAttention": (MultiHeadAttention(4, 2), (3, 4)),
    "PositionalEmbedding": (PositionalEmbedding(5, 3), (4, 3)),
    "PositionalEncoding": (PositionalEncoding(5, 3), (4, 3)), "RNN": (RNN(3, 2), (4, 3)),
    "ReLU": (ReLU(), (3,)), "Residual": (Residual(Dense(3, 3)), (3,)),
    "Sigmoid": (Sigmoid(), (3,)), "Softmax": (Softmax(), (3,)), "Softplus": (Softplus(), (3,)),
    "Step": (Step(), (3,)), "Tanh": (Tanh(), (3,)),
    "TransformerBlock": (TransformerBlock(4, 2, 8), (3, 4)),
}


def test_layer_macs_counts_every_layer_glassnet_exports():
    assert set(EVERY_LAYER) == set(layers.__all__) - {"Layer", "Activation"}
    for name, (layer, shape) in EVERY_LAYER.items():
        assert layer_macs(layer, shape) >= 0, name


def test_layer_macs_rejects_a_layer_it_cannot_count_naming_it():
    class Mystery(layers.Layer):
        pass

    with pytest.raises(TypeError, match="expected a glassnet layer it can count.*got Mystery"):
        layer_macs(Mystery(), (3,))
