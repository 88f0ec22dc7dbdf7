"""Optimizers: update rules against hand-computed values and the PyTorch formulas."""

import numpy as np
import pytest

from glassnet.layers import Dense
from glassnet.optimizers import SGD, Adam, AdamW, RMSProp, get


def run(opt, grads, w0=1.0):
    """Apply ``opt`` to a one-entry parameter with the given gradient sequence."""
    params = {"w": np.array([w0])}
    trace = []
    for g in grads:
        opt.update(params, {"w": np.array([g])})
        trace.append(params["w"][0])
    return np.array(trace)


def test_sgd_plain_step():
    np.testing.assert_allclose(run(SGD(lr=0.1), [2.0, -1.0]), [0.8, 0.9], rtol=1e-15)


def test_sgd_momentum_by_hand():
    # b1 = 1, w = 1 - 0.1 = 0.9; b2 = 0.5 * 1 + 1 = 1.5, w = 0.9 - 0.15 = 0.75.
    np.testing.assert_allclose(run(SGD(lr=0.1, momentum=0.5), [1.0, 1.0]), [0.9, 0.75],
                               rtol=1e-15)


def test_sgd_nesterov_by_hand():
    # b1 = 1, step g + mu b = 1.5; b2 = 1.5, step 1 + 0.75 = 1.75.
    trace = run(SGD(lr=0.1, momentum=0.5, nesterov=True), [1.0, 1.0])
    np.testing.assert_allclose(trace, [0.85, 0.675], rtol=1e-15)


def test_sgd_weight_decay_adds_to_gradient():
    # g = 0 + 0.5 * 1 = 0.5, w = 1 - 0.1 * 0.5.
    np.testing.assert_allclose(run(SGD(lr=0.1, weight_decay=0.5), [0.0]), [0.95], rtol=1e-15)


def test_rmsprop_by_hand():
    # v1 = 0.1 * 4 = 0.4, w = 1 - 0.01 * 2 / (sqrt(0.4) + eps).
    expected = 1 - 0.01 * 2 / (np.sqrt(0.4) + 1e-8)
    np.testing.assert_allclose(run(RMSProp(lr=0.01, alpha=0.9), [2.0]), [expected], rtol=1e-15)


def test_rmsprop_momentum_matches_pytorch_formula():
    lr, alpha, eps, mu, grads = 0.01, 0.99, 1e-8, 0.9, [0.5, -0.2, 0.3]
    w, v, b, expected = 1.0, 0.0, 0.0, []
    for g in grads:  # torch.optim.RMSprop, as documented.
        v = alpha * v + (1 - alpha) * g * g
        b = mu * b + g / (np.sqrt(v) + eps)
        w = w - lr * b
        expected.append(w)
    np.testing.assert_allclose(run(RMSProp(lr, alpha, eps, momentum=mu), grads), expected,
                               rtol=1e-14)


def test_adam_first_step_moves_by_lr():
    # With bias correction the first step is lr * g / |g| whatever the size of g.
    np.testing.assert_allclose(run(Adam(lr=0.1), [1e-3]), [0.9], rtol=1e-4)


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_adam_matches_pytorch_formula(weight_decay):
    lr, b1, b2, eps, grads = 0.01, 0.9, 0.999, 1e-8, [0.5, -0.2, 0.3, 1.0]
    w, m, v, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(grads, start=1):  # torch.optim.Adam, as documented.
        g = g + weight_decay * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        expected.append(w)
    trace = run(Adam(lr, b1, b2, eps, weight_decay=weight_decay), grads)
    np.testing.assert_allclose(trace, expected, rtol=1e-14)


def test_adamw_decays_weights_before_the_adam_step():
    plain = run(Adam(lr=0.1), [1.0])[0]
    decayed = run(AdamW(lr=0.1, weight_decay=0.5), [1.0])[0]
    assert decayed == pytest.approx(1.0 * (1 - 0.1 * 0.5) - (1.0 - plain), abs=1e-12)


def test_clipnorm_rescales_by_global_norm():
    params = {"a": np.zeros(1), "b": np.zeros(1)}
    SGD(lr=1.0, clipnorm=1.0).update(params, {"a": np.array([3.0]), "b": np.array([4.0])})
    np.testing.assert_allclose([params["a"][0], params["b"][0]], [-0.6, -0.8], rtol=1e-15)


def test_clipnorm_leaves_small_gradients_alone():
    np.testing.assert_allclose(run(SGD(lr=1.0, clipnorm=10.0), [3.0]), [-2.0], rtol=1e-15)


@pytest.mark.parametrize("opt", [SGD(0.1), SGD(0.1, momentum=0.9), RMSProp(0.01), Adam(0.1),
                                 AdamW(0.1)], ids=lambda o: type(o).__name__)
def test_optimizer_minimises_a_quadratic_bowl(opt):
    params = {"w": np.array([3.0, -2.0])}
    for _ in range(600):
        opt.update(params, {"w": 2 * params["w"] * np.array([1.0, 4.0])})
    assert np.abs(params["w"]).max() < 0.05


def test_optimizer_step_updates_layers_in_place(rng):
    layer = Dense(2, 3, rng=rng)
    W = layer.params["W"]
    before = W.copy()
    layer.grads["W"][:] = 1.0
    SGD(lr=0.5).step([layer])
    assert layer.params["W"] is W
    np.testing.assert_allclose(W, before - 0.5, rtol=1e-15)


def test_optimizer_keeps_float32(rng):
    layer = Dense(2, 3, rng=rng).astype(np.float32)
    layer.grads["W"][:] = 1.0
    for opt in [SGD(0.1, momentum=0.9), RMSProp(), Adam(), AdamW()]:
        opt.step([layer])
    assert layer.params["W"].dtype == np.float32


@pytest.mark.parametrize(("make", "match"), [
    (lambda: SGD(lr=0), "expected lr > 0"),
    (lambda: Adam(weight_decay=-1), "weight_decay >= 0"),
    (lambda: SGD(0.1, nesterov=True), "nesterov=True needs momentum"),
    (lambda: get("adagrad"), "sgd, rmsprop, adam"),
])
def test_optimizer_rejects_bad_settings(make, match):
    with pytest.raises(ValueError, match=match):
        make()
