"""The layer protocol every glassnet layer follows.

A layer is a small object with an explicit cache:

* ``params`` and ``grads`` are dicts of arrays with the same keys and shapes;
* ``forward(x, training=False)`` computes the output and stores in ``self.cache`` what
  ``backward`` needs;
* ``backward(dout)`` returns ``dx``, the gradient of the loss with respect to the layer's
  input, and *accumulates* parameter gradients into ``grads`` with ``+=``; it never recomputes
  the forward pass.

A layer whose ``trainable`` attribute is ``False`` is *frozen*: optimizers leave its
parameters unchanged. Training then asks it only for ``backward_input(dout)``, the gradient
for the layers before it, and skips its parameter gradients; ``backward`` itself still
computes both.
"""

from __future__ import annotations

import numpy as np


class Layer:
    """Base class: a layer without parameters that passes shapes through unchanged."""

    # Set to False on an instance to freeze it (``Sequential.freeze`` does that).
    trainable: bool = True

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.cache: dict[str, object] = {}
        # Non-trainable arrays that are saved with the model (BatchNorm's running statistics).
        self.state: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        """A readable name such as ``Dense(2, 4)``, used in summaries and error messages."""
        return type(self).__name__ + "()"

    def reset(self, rng: np.random.Generator) -> None:
        """Draw fresh parameters (and any random state) from ``rng``; no-op by default."""

    def astype(self, dtype) -> Layer:
        """Cast parameters and gradients to ``dtype`` (float64 or float32) in place."""
        for key in self.params:
            self.params[key] = self.params[key].astype(dtype)
            self.grads[key] = np.zeros_like(self.params[key])
        for key in self.state:
            self.state[key] = self.state[key].astype(dtype)
        return self

    def config(self) -> dict:
        """Constructor arguments that rebuild this layer, e.g. ``{"n_in": 2, "n_out": 4}``.

        ``Sequential.save`` stores them as JSON beside the weights, so they must be plain
        numbers, strings, lists or booleans.
        """
        return {}

    def zero_grad(self) -> None:
        """Set every accumulated gradient back to zero."""
        for g in self.grads.values():
            g.fill(0.0)

    def output_shape(self, input_shape: tuple) -> tuple:
        """Shape of the output for an input of shape ``input_shape`` (batch axis excluded)."""
        return input_shape

    def num_params(self) -> int:
        """Number of learned scalars in this layer, frozen or not."""
        return int(sum(p.size for p in self.params.values()))

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward_params(self, dout: np.ndarray) -> None:
        """Accumulate the parameter gradients only, for a layer whose input gradient nobody
        needs (the first layer of a network). Layers that can skip computing dx override
        this; by default it is ``backward`` with its result dropped."""
        self.backward(dout)

    def backward_input(self, dout: np.ndarray) -> np.ndarray:
        """Return dx only, for a frozen layer whose parameter gradients nobody needs.
        Layers that can skip computing them override this (``Dense``, ``Conv2D``); by
        default it is ``backward``, which also accumulates them."""
        return self.backward(dout)

    def _cached(self, key: str):
        """Fetch a cached forward value, with a clear error if forward was not called."""
        try:
            return self.cache[key]
        except KeyError:
            raise RuntimeError(f"{self.name}.backward: call forward before backward") from None

    def __repr__(self) -> str:
        return self.name
