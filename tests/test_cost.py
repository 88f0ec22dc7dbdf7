"""Multiply-adds counted from the layers, against counts done by hand."""

import pytest

from glassnet import Sequential
from glassnet.cost import count_macs, layer_macs, training_macs
from glassnet.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU


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
