"""Layers: every class here follows the protocol of ``glassnet.layers.base.Layer``.

``Sequential.load`` rebuilds saved models by looking layer classes up by name in this
package, so export every layer here.
"""

from glassnet.layers.activation import (
    ELU,
    GELU,
    Activation,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Step,
    Tanh,
)
from glassnet.layers.base import Layer
from glassnet.layers.batchnorm import BatchNorm
from glassnet.layers.dense import Dense
from glassnet.layers.dropout import Dropout
from glassnet.layers.flatten import Flatten

__all__ = [
    "Activation", "BatchNorm", "Dense", "Dropout", "ELU", "Flatten", "GELU", "Layer",
    "LeakyReLU", "ReLU", "Sigmoid", "Softmax", "Softplus", "Step", "Tanh",
]

# Convolution, pooling, recurrence, attention and residual connections (the architectures).
from glassnet.layers.attention import MultiHeadAttention, TransformerBlock  # noqa: E402
from glassnet.layers.conv import Conv2D  # noqa: E402
from glassnet.layers.embedding import (  # noqa: E402
    Embedding,
    PositionalEmbedding,
    PositionalEncoding,
)
from glassnet.layers.layernorm import LayerNorm  # noqa: E402
from glassnet.layers.pooling import AvgPool2D, GlobalAvgPool2D, MaxPool2D  # noqa: E402
from glassnet.layers.recurrent import LSTM, RNN  # noqa: E402
from glassnet.layers.residual import Block, Residual  # noqa: E402

__all__ += [
    "AvgPool2D", "Block", "Conv2D", "Embedding", "GlobalAvgPool2D", "LSTM", "LayerNorm",
    "MaxPool2D", "MultiHeadAttention", "PositionalEmbedding", "PositionalEncoding", "RNN",
    "Residual", "TransformerBlock",
]
