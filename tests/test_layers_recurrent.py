"""RNN and LSTM: gradient checks through time, the step equations, shapes and errors."""

import numpy as np
import pytest

from glassnet.gradcheck import THRESHOLD, check_layer
from glassnet.layers.recurrent import LSTM, RNN

CASES = [  # (batch, time, n_in, n_hidden, return_sequences)
    (1, 1, 3, 4, False),
    (3, 7, 2, 5, False),
    (2, 7, 3, 4, True),
    (1, 7, 1, 3, True),
    (2, 1, 4, 2, True),
]


@pytest.mark.parametrize("cls", [RNN, LSTM])
@pytest.mark.parametrize("batch, time, n_in, n_hidden, seq", CASES)
def test_recurrent_gradients_match_centred_differences(cls, batch, time, n_in, n_hidden, seq):
    rng = np.random.default_rng(0)
    layer = cls(n_in, n_hidden, return_sequences=seq, rng=rng)
    layer.params["b"] += rng.normal(0.0, 0.5, size=layer.params["b"].shape)
    errors = check_layer(layer, rng.normal(size=(batch, time, n_in)), rng)
    assert max(errors.values()) < THRESHOLD, errors


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_lstm_two_steps_follow_the_gate_equations():
    rng = np.random.default_rng(1)
    layer = LSTM(3, 2, return_sequences=True, rng=rng)
    x = rng.normal(size=(2, 2, 3))
    W_x, W_h, b = layer.params["W_x"], layer.params["W_h"], layer.params["b"]
    h, c, expected = np.zeros((2, 2)), np.zeros((2, 2)), []
    for t in range(2):
        z = x[:, t] @ W_x + h @ W_h + b
        i, f, g, o = sigmoid(z[:, 0:2]), sigmoid(z[:, 2:4]), np.tanh(z[:, 4:6]), sigmoid(z[:, 6:])
        c = f * c + i * g
        h = o * np.tanh(c)
        expected.append(h)
    np.testing.assert_allclose(layer.forward(x), np.stack(expected, axis=1), rtol=1e-12)


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("batch, time, n_in, n_hidden", [(1, 1, 2, 3), (4, 9, 3, 5)])
def test_lstm_fast_steps_equal_the_shown_steps(dtype, rtol, batch, time, n_in, n_hidden):
    # forward runs _steps_fast; the page shows steps: they must compute the same values.
    rng = np.random.default_rng(5)
    layer = LSTM(n_in, n_hidden, rng=rng).astype(dtype)
    layer.params["b"] += rng.normal(0.0, 0.5, size=layer.params["b"].shape).astype(dtype)
    xw = layer._project(rng.normal(size=(batch, time, n_in)))
    shown, fast = layer.steps(xw.copy()), layer._steps_fast(xw.copy())
    for name, a, b in zip(("hs", "cs", "acts", "tanh_c"), shown, fast, strict=True):
        assert a.dtype == b.dtype == dtype, name
        np.testing.assert_allclose(b, a, rtol=rtol, atol=rtol, err_msg=name)


def test_rnn_last_state_equals_last_step_of_the_sequence():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 5, 2))
    last = RNN(2, 4, rng=np.random.default_rng(3)).forward(x)
    every = RNN(2, 4, return_sequences=True, rng=np.random.default_rng(3)).forward(x)
    np.testing.assert_allclose(last, every[:, -1], rtol=1e-12)


def test_lstm_forget_gate_bias_starts_at_one():
    b = LSTM(3, 4, rng=np.random.default_rng(0)).params["b"]
    np.testing.assert_array_equal(b, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])


@pytest.mark.parametrize("cls, shapes", [
    (RNN, {"W_x": (3, 5), "W_h": (5, 5), "b": (5,)}),
    (LSTM, {"W_x": (3, 20), "W_h": (5, 20), "b": (20,)}),
])
def test_recurrent_parameter_shapes_and_output_shape(cls, shapes):
    layer = cls(3, 5, rng=np.random.default_rng(0))
    assert {k: v.shape for k, v in layer.params.items()} == shapes
    assert layer.output_shape((7, 3)) == (5,)
    assert cls(3, 5, return_sequences=True).output_shape((7, 3)) == (7, 5)


@pytest.mark.parametrize("cls", [RNN, LSTM])
@pytest.mark.parametrize("x_shape, message", [
    ((4, 3), r"expected a sequence batch of shape \(batch, time, 3\).*got shape \(4, 3\)"),
    ((2, 4, 5, 3), r"3 dimensions, got shape \(2, 4, 5, 3\)"),
    ((2, 4, 2), r"expected 3 features on the last axis, got shape \(2, 4, 2\)"),
])
def test_recurrent_rejects_bad_input_naming_layer_expected_and_got(cls, x_shape, message):
    layer = cls(3, 4)
    with pytest.raises(ValueError, match=message) as info:
        layer.forward(np.zeros(x_shape))
    assert f"{cls.__name__}(3, 4)" in str(info.value)


@pytest.mark.parametrize("cls", [RNN, LSTM])
def test_recurrent_works_in_float32(cls):
    layer = cls(3, 4, return_sequences=True).astype(np.float32)
    x = np.random.default_rng(4).normal(size=(2, 5, 3)).astype(np.float32)
    out = layer.forward(x)
    dx = layer.backward(np.ones_like(out))
    assert out.dtype == np.float32 and dx.dtype == np.float32
    assert layer.grads["W_h"].dtype == np.float32



def _rnn_gradient_norms(sigma_max: float, x_scale: float, T: int = 30, H: int = 8):
    """Norm of dL/dx at each step back from the last, for L = dout . h_T, with W_h of
    largest singular value sigma_max and an orthogonal W_x (which keeps norms); (batch, T)."""
    rng = np.random.default_rng(0)
    rnn = RNN(H, H, rng=rng)
    Q_h, _ = np.linalg.qr(rng.normal(size=(H, H)))
    rnn.params["W_x"], _ = np.linalg.qr(rng.normal(size=(H, H)))
    rnn.params["W_h"] = sigma_max * Q_h              # every singular value is sigma_max
    rnn.forward(x_scale * rng.normal(size=(4, T, H)), training=True)
    dout = rng.normal(size=(4, H))                   # gradient at the last state only
    dout /= np.linalg.norm(dout, axis=1, keepdims=True)
    dx = rnn.backward(dout)                          # (4, T, H)
    return np.linalg.norm(dx[:, ::-1], axis=2)       # column k: k steps back


@pytest.mark.parametrize("sigma_max", [0.5, 0.9, 1.2])
@pytest.mark.parametrize("x_scale", [1e-4, 1.0])
def test_rnn_gradient_from_k_steps_back_is_at_most_sigma_max_to_the_k(sigma_max, x_scale):
    # With tanh' <= 1, each step back multiplies the gradient by at most the largest
    # singular value of W_h (Pascanu, Mikolov and Bengio, 2013), as the RNN page states.
    norms = _rnn_gradient_norms(sigma_max, x_scale)
    bound = sigma_max ** np.arange(norms.shape[1])
    assert np.all(norms <= bound * (1 + 1e-9))


@pytest.mark.parametrize("sigma_max", [0.5, 0.9, 1.2])
def test_rnn_gradient_meets_the_bound_where_tanh_is_linear(sigma_max):
    # With tiny inputs tanh' is 1, and W_h (sigma_max times a rotation) scales every
    # vector by sigma_max, so the gradient shrinks (or grows) at exactly the bound's rate.
    norms = _rnn_gradient_norms(sigma_max, 1e-4)
    rate = (norms[:, -1] / norms[:, -11]) ** (1 / 10)   # over the last ten steps back
    np.testing.assert_allclose(rate, sigma_max, rtol=0.02)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rnn_recurrent_weights_start_orthogonal_so_sigma_max_is_one(seed):
    W_h = RNN(3, 16, rng=np.random.default_rng(seed)).params["W_h"]
    assert np.linalg.svd(W_h, compute_uv=False) == pytest.approx(np.ones(16), abs=1e-10)
