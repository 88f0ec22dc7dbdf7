"""Activation layers: gradient checks, agreement with the pure functions, config."""

import numpy as np
import pytest

from glassnet import activations as A
from glassnet.gradcheck import THRESHOLD, check_layer
from glassnet.layers import ELU, GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Softplus, Step, Tanh

LAYERS = [ReLU(), Sigmoid(), Tanh(), LeakyReLU(0.1), ELU(0.7), GELU(), Softplus(), Softmax(),
          Step()]


def away_from_kinks(rng, shape):
    return rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
@pytest.mark.parametrize("shape", [(1, 1), (4, 3), (2, 3, 4)])
def test_activation_layer_gradients_match_finite_differences(layer, shape, rng):
    errors = check_layer(layer, away_from_kinks(rng, shape), rng)
    assert errors["x"] < THRESHOLD


@pytest.mark.parametrize(("layer", "f"), [
    (ReLU(), A.relu), (Sigmoid(), A.sigmoid), (Tanh(), A.tanh), (GELU(), A.gelu),
    (Softplus(), A.softplus), (Softmax(), A.softmax), (Step(), A.step),
    (LeakyReLU(0.2), lambda z: A.leaky_relu(z, 0.2)), (ELU(0.5), lambda z: A.elu(z, 0.5)),
], ids=lambda v: getattr(v, "name", ""))
def test_activation_layer_forward_matches_function(layer, f, rng):
    z = rng.standard_normal((3, 5))
    np.testing.assert_array_equal(layer.forward(z), f(z))


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
def test_activation_layer_has_no_parameters(layer):
    assert layer.num_params() == 0
    assert layer.output_shape((7,)) == (7,)


@pytest.mark.parametrize(("layer", "config"), [
    (LeakyReLU(0.2), {"alpha": 0.2}), (ELU(), {"alpha": 1.0}), (ReLU(), {}),
])
def test_activation_layer_config_rebuilds_it(layer, config):
    assert layer.config() == config
    assert type(layer)(**layer.config()).name == layer.name


def test_activation_layer_keeps_float32(rng):
    z = rng.standard_normal((2, 3)).astype(np.float32)
    for layer in LAYERS:
        assert layer.forward(z).dtype == np.float32
        assert layer.backward(np.ones_like(z)).dtype == np.float32


def test_activation_layer_rejects_nan():
    with pytest.raises(ValueError, match=r"ReLU\(\).forward: input contains NaN"):
        ReLU().forward(np.array([[np.nan]]))
