"""BatchNorm: normalised output, gradient checks in both modes, running statistics."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, check_layer
from glassnet.layers import BatchNorm


def with_random_affine(layer, rng):
    layer.params["gamma"] = rng.uniform(0.5, 1.5, layer.n)
    layer.params["beta"] = rng.standard_normal(layer.n)
    return layer


@pytest.mark.parametrize("shape", [(4, 3), (7, 5), (3, 2, 4, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradients_match_finite_differences(shape, training, rng):
    layer = with_random_affine(BatchNorm(shape[1]), rng)
    layer.state["running_var"] = rng.uniform(0.5, 2.0, shape[1])
    errors = check_layer(layer, rng.standard_normal(shape) * 3 + 1, rng, training=training)
    assert max(errors.values()) < THRESHOLD


def test_batchnorm_training_output_is_standardised(rng):
    x = rng.normal(5.0, 3.0, size=(64, 4))
    out = BatchNorm(4).forward(x, training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1.0, atol=1e-5)


def test_batchnorm_running_statistics_converge(rng):
    layer = BatchNorm(2)
    for _ in range(200):
        layer.forward(rng.normal([1.0, -2.0], [2.0, 0.5], size=(256, 2)), training=True)
    np.testing.assert_allclose(layer.state["running_mean"], [1.0, -2.0], atol=0.1)
    np.testing.assert_allclose(layer.state["running_var"], [4.0, 0.25], rtol=0.1)


def test_batchnorm_eval_mode_uses_running_statistics(rng):
    layer = BatchNorm(3)
    layer.state["running_mean"][:] = 1.0
    layer.state["running_var"][:] = 4.0
    x = rng.standard_normal((5, 3))
    np.testing.assert_allclose(layer.forward(x), (x - 1.0) / np.sqrt(4.0 + 1e-5), rtol=1e-12)


def test_batchnorm_astype_casts_running_statistics():
    layer = BatchNorm(3).astype(np.float32)
    assert layer.state["running_mean"].dtype == np.float32
    assert layer.forward(np.ones((2, 3)), training=True).dtype == np.float32


def test_batchnorm_rejects_wrong_feature_count():
    with pytest.raises(ValueError, match=r"BatchNorm\(3\).forward: expected 3 features"):
        BatchNorm(3).forward(np.ones((2, 4)))
