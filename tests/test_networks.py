"""glassnet.networks.mlp: the multilayer perceptron every page and lesson builds."""

import numpy as np
import pytest

from glassnet import layers, mlp
from glassnet.model import Sequential


def test_mlp_stacks_dense_layers_with_an_activation_between_and_none_after():
    model = mlp([2, 8, 4, 3], layers.Tanh, seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Tanh", "Dense", "Tanh", "Dense"]
    sizes = [(d.n_in, d.n_out) for d in model.layers if isinstance(d, layers.Dense)]
    assert sizes == [(2, 8), (8, 4), (4, 3)]
    assert model.predict(np.zeros((5, 2))).shape == (5, 3)


def test_mlp_adds_dropout_after_every_hidden_activation():
    model = mlp([2, 8, 8, 1], dropout=0.3, seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "ReLU", "Dropout", "Dense", "ReLU", "Dropout", "Dense"]
    assert all(layer.p == 0.3 for layer in model.layers if isinstance(layer, layers.Dropout))


def test_mlp_equals_the_same_stack_written_out_with_the_same_seed():
    written = Sequential([layers.Dense(3, 5, "he_normal"), layers.ReLU(),
                          layers.Dense(5, 2, "glorot_uniform")], seed=7)
    built = mlp([3, 5, 2], seed=7)
    for a, b in zip(written.get_weights(), built.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_mlp_uses_the_initialisers_it_is_given():
    # He-normal weights have variance 2 / n_in; Glorot-uniform ones 2 / (n_in + n_out).
    model = mlp([400, 400, 400], init="he_normal", output_init="glorot_uniform", seed=0)
    hidden, out = model.layers[0].params["W"], model.layers[2].params["W"]
    assert hidden.var() == pytest.approx(2 / 400, rel=0.05)
    assert out.var() == pytest.approx(2 / 800, rel=0.05)


@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1]])
def test_mlp_rejects_fewer_than_two_positive_sizes(sizes):
    with pytest.raises(ValueError, match="at least two positive layer sizes"):
        mlp(sizes)
