r"""The cost of training: multiply-adds (MACs) in one forward pass, counted from the layers.

A multiply-add is one $a \leftarrow a + w x$; it is two floating-point operations (FLOPs).
The matrix products are counted: those of ``Dense`` and ``Conv2D``, of the recurrent layers
and of attention (with ``Block``, ``Residual`` and ``TransformerBlock`` the sum of their
layers). Activations, normalisation, pooling, dropout, embeddings (a table look-up) and
additions of biases cost at most a few operations per value, a small fraction, and count
as 0. A layer this module does not know raises a ``TypeError`` rather than counting as 0.
The backward pass of a layer computes up to two products of the same size as its forward
one (the gradient with respect to its weights and the one with respect to its input), so
one training step costs at most three forward passes.
"""

from __future__ import annotations

import math

from glassnet.layers import (
    Activation,
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
    MaxPool2D,
    MultiHeadAttention,
    PositionalEmbedding,
    PositionalEncoding,
)
from glassnet.layers.recurrent import _Recurrent

# Layers without a matrix product: a few operations per value at most, counted as 0.
NO_PRODUCT = (Activation, AvgPool2D, BatchNorm, Dropout, Embedding, Flatten, GlobalAvgPool2D,
              LayerNorm, MaxPool2D, PositionalEmbedding, PositionalEncoding)


# --8<-- [start:layer_macs]
def layer_macs(layer, input_shape: tuple) -> int:
    r"""Multiply-adds for one example through ``layer``, input shape without the batch axis.

    Dense: $n_\text{in} \cdot n_\text{out}$ (per time step for a sequence). Conv2D:
    every output value is a dot product of length $C_\text{in} k_h k_w$, so
    $C_\text{out} H_\text{out} W_\text{out} \cdot C_\text{in} k_h k_w$. Recurrent layers
    and attention: see ``sequence_macs``. Layers without a matrix product count as 0.
    """
    if isinstance(layer, Dense):  # A time axis, (time, n_in), repeats the product per step.
        return math.prod(input_shape[:-1]) * layer.n_in * layer.n_out
    if isinstance(layer, Conv2D):
        c_out, h_out, w_out = layer.output_shape(tuple(input_shape))
        kh, kw = layer.kernel_size
        return c_out * h_out * w_out * layer.in_channels * kh * kw
    if isinstance(layer, NO_PRODUCT):
        return 0
    return sequence_macs(layer, input_shape)
# --8<-- [end:layer_macs]


def sequence_macs(layer, input_shape: tuple) -> int:
    r"""Multiply-adds of the sequence layers for one example of ``(time, features)``.

    RNN and LSTM, with $k$ gate blocks (1 and 4) of $H$ units: $x_t W_x$ and
    $h_{t-1} W_h$ at every step, $T \cdot k H (n_\text{in} + H)$. Multi-head attention of
    width $D$: four projections $x W_q, x W_k, x W_v$ and the output's $W_o$, $4 T D^2$,
    the scores $q k^\top$ and the mixing $A v$, $T^2 D$ each (every head's $T \times T$
    scores over $d_k = D / \text{heads}$ features; a causal mask hides half of them, but
    glassnet computes them all). A ``Block`` is the sum of its layers, shapes followed.
    """
    if isinstance(layer, _Recurrent):
        T = input_shape[0]
        return T * layer.gates * layer.n_hidden * (layer.n_in + layer.n_hidden)
    if isinstance(layer, MultiHeadAttention):
        T, D = input_shape[0], layer.dim
        return 4 * T * D * D + 2 * T * T * D
    if isinstance(layer, Block):
        return sum(count_macs(layer.layers.values(), input_shape))
    raise TypeError(f"layer_macs: expected a glassnet layer it can count (Dense, Conv2D, RNN, "
                    f"LSTM, MultiHeadAttention, a Block of these, or one without a matrix "
                    f"product), got {type(layer).__name__}")


# --8<-- [start:count_macs]
def count_macs(model, input_shape: tuple) -> list[int]:
    """Forward multiply-adds per example, layer by layer, for inputs of ``input_shape``."""
    layers = getattr(model, "layers", model)  # A Sequential, or a list of layers.
    counts, shape = [], tuple(input_shape)
    for layer in layers:
        counts.append(layer_macs(layer, shape))
        shape = layer.output_shape(shape)
    return counts


def training_macs(model, input_shape: tuple) -> int:
    """Multiply-adds of one training step per example, as ``fit`` computes it: the forward
    pass, then for each layer from the lowest that learns upwards its weight gradient (if
    it learns) and its input gradient (if a layer below it learns)."""
    forward = count_macs(model, input_shape)
    lowest = model.lowest_trainable()
    backward = 0
    for i, (layer, macs) in enumerate(zip(model.layers, forward, strict=True)):
        if lowest is not None and i >= lowest:
            backward += macs * ((layer.trainable and bool(layer.params)) + (i > lowest))
    return sum(forward) + backward
# --8<-- [end:count_macs]
