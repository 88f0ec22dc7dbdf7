"""Residual connections and blocks: gradients, shared parameters, rebuilding, errors."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, check_layer
from glassnet.layers.activation import Tanh
from glassnet.layers.batchnorm import BatchNorm
from glassnet.layers.conv import Conv2D
from glassnet.layers.dense import Dense
from glassnet.layers.residual import Residual, build_layer


@pytest.mark.parametrize("make, x_shape", [
    (lambda rng: Residual(Dense(4, 4, rng=rng)), (3, 4)),
    (lambda rng: Residual([Dense(4, 6, rng=rng), Tanh(), Dense(6, 4, rng=rng)]), (1, 4)),
    (lambda rng: Residual([Conv2D(2, 2, 3, padding=1, rng=rng), Tanh()]), (2, 2, 5, 5)),
])
def test_residual_gradients_match_centred_differences(make, x_shape):
    rng = np.random.default_rng(0)
    errors = check_layer(make(rng), rng.normal(size=x_shape), rng)
    assert max(errors.values()) < THRESHOLD, errors


def test_residual_adds_the_input_to_the_block_output():
    rng = np.random.default_rng(1)
    dense = Dense(3, 3, rng=rng)
    x = rng.normal(size=(2, 3))
    np.testing.assert_allclose(Residual(dense).forward(x), x + dense.forward(x), rtol=1e-12)


def test_residual_params_are_the_inner_arrays_and_replacements_reach_the_inner_layer():
    rng = np.random.default_rng(2)
    inner = Dense(3, 3, rng=rng)
    res = Residual([inner, Tanh()])
    assert res.params["0.W"] is inner.params["W"] and res.grads["0.b"] is inner.grads["b"]
    # An optimizer or loader that rebinds the array instead of writing into it is still seen.
    res.params["0.W"] = np.zeros((3, 3))
    x = rng.normal(size=(2, 3))
    np.testing.assert_allclose(res.forward(x), x + np.tanh(inner.params["b"]), rtol=1e-12)


def test_residual_astype_and_reset_keep_params_shared():
    rng = np.random.default_rng(3)
    res = Residual(Dense(3, 3, rng=rng)).astype(np.float32)
    assert res.params["0.W"].dtype == np.float32
    assert res.params["0.W"] is res.layers["0"].params["W"]
    res.reset(np.random.default_rng(4))
    assert res.params["0.W"] is res.layers["0"].params["W"]
    assert res.forward(np.ones((1, 3), dtype=np.float32)).dtype == np.float32


def test_residual_sees_running_statistics_that_an_inner_batchnorm_replaces():
    res = Residual([Dense(3, 3, rng=np.random.default_rng(4)), BatchNorm(3)])
    before = {key: arr.copy() for key, arr in res.state.items()}
    assert set(before) == {"1.running_mean", "1.running_var"}
    res.forward(np.random.default_rng(5).normal(2.0, 3.0, size=(16, 3)), training=True)
    for key, arr in res.state.items():
        assert arr is res.layers["1"].state[key.split(".", 1)[1]]
        assert not np.allclose(arr, before[key])


def test_residual_config_rebuilds_an_equivalent_layer():
    res = Residual([Dense(4, 5, rng=np.random.default_rng(5)), Tanh(), Dense(5, 4)])
    rebuilt = Residual(**res.config())
    assert rebuilt.name == res.name == "Residual(Dense(4, 5), Tanh(), Dense(5, 4))"
    assert {k: v.shape for k, v in rebuilt.params.items()} == \
        {k: v.shape for k, v in res.params.items()}


def test_residual_rejects_a_block_that_changes_the_shape():
    res = Residual(Dense(4, 3))
    with pytest.raises(ValueError, match=r"Residual\(Dense\(4, 3\)\).*expected \(2, 4\), "
                                         r"got \(2, 3\)"):
        res.forward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"expected \(4,\), got \(3,\)"):
        res.output_shape((4,))


def test_build_layer_rejects_an_unknown_description():
    with pytest.raises(ValueError, match="build_layer: expected a Layer or a dict"):
        build_layer({"class": "NoSuchLayer"})
