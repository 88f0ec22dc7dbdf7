r"""Layers made of layers: a ``Block`` runs sublayers in order, a ``Residual`` adds a
skip connection around them.

A residual connection computes $x + F(x)$. Its backward pass is
$\partial L/\partial x = \delta + F'(x)^\top \delta$, with $\delta$ the upstream gradient
`dout`: the gradient reaches the input unchanged along the skip path, however deep the
network is, which is a main reason very deep networks (ResNets, Transformers) train well.

A block exposes its sublayers' parameters as its own, under prefixed names such as
``"1.W"``, so that optimizers, ``summary``, ``save`` and ``load`` treat it as one layer. For
parameters and gradients the block's dicts are the ones that count: before each forward pass
the block hands its arrays back to the sublayers, so an optimizer or ``load`` that replaces an
array (rather than updating it in place) is still seen. State such as BatchNorm's running
statistics belongs to the sublayer that updates it; the block collects it after each forward
pass. ``sublayers()`` lists the inner layers for figures.
"""

from __future__ import annotations

import numpy as np

from glassnet.layers.base import Layer


def build_layer(spec) -> Layer:
    """Return ``spec`` if it is a layer, else rebuild one from ``{"class": ..., "config": ...}``.

    This is how a saved ``Residual`` rebuilds its inner layers.
    """
    if isinstance(spec, Layer):
        return spec
    import glassnet.layers as registry  # Deferred: the package imports this module.

    try:
        cls = getattr(registry, spec["class"])
    except (TypeError, KeyError, AttributeError):
        raise ValueError(f"build_layer: expected a Layer or a dict with 'class' naming a "
                         f"layer in glassnet.layers and its 'config', got {spec!r}") from None
    return cls(**spec.get("config", {}))


class Block(Layer):
    """Sublayers applied in order, presented as a single layer.

    Parameters
    ----------
    layers : dict of str to Layer
        The sublayers by name, in the order they run; parameter ``W`` of the sublayer
        ``"mlp"`` is exposed as ``params["mlp.W"]``.
    """

    def __init__(self, layers: dict[str, Layer]) -> None:
        super().__init__()
        self.layers = dict(layers)
        self._gather()

    def sublayers(self) -> list[Layer]:
        """The inner layers in the order they run."""
        return list(self.layers.values())

    def _gather(self, attrs=("params", "grads", "state")) -> None:
        """Expose the sublayers' arrays (the same objects, not copies) under prefixed keys."""
        for attr in attrs:
            setattr(self, attr, {f"{name}.{key}": arr for name, layer in self.layers.items()
                                 for key, arr in getattr(layer, attr, {}).items()})

    def _scatter(self) -> None:
        """Hand the block's parameters and gradients back to the sublayers, in case someone
        replaced an array."""
        for name, layer in self.layers.items():
            for attr in ("params", "grads"):
                inner = getattr(layer, attr, {})
                for key in inner:
                    inner[key] = getattr(self, attr)[f"{name}.{key}"]

    def reset(self, rng: np.random.Generator) -> None:
        for layer in self.layers.values():
            layer.reset(rng)
        self._gather()
        self.cache = {}

    def astype(self, dtype) -> Block:
        self._scatter()
        for layer in self.layers.values():
            layer.astype(dtype)
        self._gather()
        return self

    def output_shape(self, input_shape: tuple) -> tuple:
        for layer in self.layers.values():
            input_shape = layer.output_shape(input_shape)
        return input_shape

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._scatter()
        for layer in self.layers.values():
            x = layer.forward(x, training=training)
        self._gather(("state",))
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        return dout


class Residual(Block):
    r"""Skip connection around one layer or a list of layers: $x + F(x)$.

    $$ \frac{\partial L}{\partial x} = \delta + \Bigl(\frac{\partial F}{\partial x}\Bigr)^{\!\top}
       \delta $$

    where $\delta$ is the upstream gradient ``dout``, with respect to the output.

    Parameters
    ----------
    block : Layer, or list of Layer
        $f$; its output must have the shape of its input. Saved descriptions
        ``{"class": "Dense", "config": {...}}`` are accepted too (``load`` uses them).

    Notes
    -----
    Shapes: output ``(batch, ...)`` equals input ``(batch, ...)``. Parameters are those of
    the inner layers, named ``"<index>.<name>"``, e.g. ``"0.W"``.
    """

    def __init__(self, block) -> None:
        specs = block if isinstance(block, (list, tuple)) else [block]
        super().__init__({str(i): build_layer(spec) for i, spec in enumerate(specs)})

    @property
    def name(self) -> str:
        return "Residual(" + ", ".join(layer.name for layer in self.layers.values()) + ")"

    def config(self) -> dict:
        return {"block": [{"class": type(layer).__name__, "config": layer.config()}
                          for layer in self.layers.values()]}

    def output_shape(self, input_shape: tuple) -> tuple:
        out = super().output_shape(input_shape)
        if tuple(out) != tuple(input_shape):
            raise ValueError(f"{self.name}: the block must keep the shape of its input, "
                             f"expected {tuple(input_shape)}, got {tuple(out)}")
        return out

    # --8<-- [start:residual]
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        fx = super().forward(x, training=training)
        if fx.shape != np.shape(x):
            raise ValueError(f"{self.name}.forward: the block must keep the shape of its "
                             f"input, expected {np.shape(x)}, got {fx.shape}")
        return x + fx

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout + super().backward(dout)
    # --8<-- [end:residual]
