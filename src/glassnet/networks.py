"""Builders for the networks the guide trains again and again.

A multilayer perceptron is a few ``Dense`` layers with an activation between them and none
after the last, which outputs logits (or a regression value). Writing it out takes a loop
that every page, lesson and figure would otherwise repeat; ``mlp`` is that loop once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from glassnet.layers.activation import ReLU
from glassnet.layers.base import Layer
from glassnet.layers.dense import Dense
from glassnet.layers.dropout import Dropout
from glassnet.model import Sequential


def mlp(sizes: Sequence[int], activation: Callable[[], Layer] = ReLU, init: str = "he_normal",
        output_init: str = "glorot_uniform", dropout: float = 0.0, seed=None) -> Sequential:
    """A stack of ``Dense`` layers ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``.

    Every hidden layer is followed by ``activation()`` (a layer class such as ``ReLU`` or
    ``Tanh``, or any function returning a new layer), and by ``Dropout(dropout)`` when
    ``dropout > 0``; the last layer has no activation.

    Parameters
    ----------
    sizes : sequence of int
        Widths from the input to the output, at least two, e.g. ``[2, 8, 8, 1]``.
    activation : callable
        Returns a new activation layer, e.g. ``ReLU``, ``Tanh`` or
        ``lambda: LeakyReLU(0.2)``.
    init : str
        Initialiser of the hidden layers: ``"he_normal"`` suits ReLU, ``"glorot_uniform"``
        suits tanh.
    output_init : str
        Initialiser of the last layer.
    dropout : float
        Dropout rate after every hidden activation; 0 adds no ``Dropout`` layer.
    seed : int, Generator or None
        Passed to ``Sequential``, which redraws every layer's weights from it.
    """
    sizes = [int(size) for size in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"mlp: expected at least two positive layer sizes, got {sizes}")
    stack = []
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1], strict=True):
        stack += [Dense(n_in, n_out, init), activation()]
        if dropout:
            stack.append(Dropout(dropout))
    stack.append(Dense(sizes[-2], sizes[-1], output_init))
    return Sequential(stack, seed=seed)
