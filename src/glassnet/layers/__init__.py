"""Layers: every class here follows the protocol of :class:`glassnet.layers.base.Layer`.

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
