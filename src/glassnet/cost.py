r"""The cost of training: multiply-adds (MACs) in one forward pass, counted from the layers.

A multiply-add is one $a \leftarrow a + w x$; it is two floating-point operations (FLOPs).
Only ``Dense`` and ``Conv2D`` are counted: in networks built from them their matrix products
are most of the arithmetic, while activations, pooling and additions of biases cost one
operation per value. Every other layer counts as 0, including layers whose own products
are large (recurrent cells, attention, blocks of sublayers): for such models the count is
too low. The backward pass of a layer computes up to two products of the same size as its
forward one (the gradient with respect to its weights and the one with respect to its
input), so one training step costs at most three forward passes.
"""

from __future__ import annotations

import math

from glassnet.layers import Conv2D, Dense


# --8<-- [start:layer_macs]
def layer_macs(layer, input_shape: tuple) -> int:
    r"""Multiply-adds for one example through ``layer``, input shape without the batch axis.

    Dense: $n_\text{in} \cdot n_\text{out}$ (per time step for a sequence). Conv2D:
    every output value is a dot product of length $C_\text{in} k_h k_w$, so
    $C_\text{out} H_\text{out} W_\text{out} \cdot C_\text{in} k_h k_w$. Other layers
    count as 0.
    """
    if isinstance(layer, Dense):  # A time axis, (time, n_in), repeats the product per step.
        return math.prod(input_shape[:-1]) * layer.n_in * layer.n_out
    if isinstance(layer, Conv2D):
        c_out, h_out, w_out = layer.output_shape(tuple(input_shape))
        kh, kw = layer.kernel_size
        return c_out * h_out * w_out * layer.in_channels * kh * kw
    return 0
# --8<-- [end:layer_macs]


# --8<-- [start:count_macs]
def count_macs(model, input_shape: tuple) -> list[int]:
    """Forward multiply-adds per example, layer by layer, for inputs of ``input_shape``."""
    counts, shape = [], tuple(input_shape)
    for layer in model.layers:
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
