"""Conv2D and pooling: agreement with naive loops, gradient checks, shapes and errors."""

import numpy as np
import pytest

from glassnet.layers.conv import Conv2D, col2im, im2col
from glassnet.layers.pooling import AvgPool2D, GlobalAvgPool2D, MaxPool2D


def numeric_grad(f, x, eps=1e-6):
    """Centred-difference gradient of the scalar function ``f()`` with respect to ``x``."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = f()
        x[idx] = old - eps
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


def rel_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)


def layer_grad_errors(layer, x, seed=0):
    """Relative errors of dx and of every parameter gradient for loss = sum(out * R)."""
    R = np.random.default_rng(seed).normal(size=layer.forward(x).shape)

    def loss():
        return float(np.sum(layer.forward(x, training=True) * R))

    layer.zero_grad()
    layer.forward(x, training=True)
    dx = layer.backward(R)
    errors = {"x": rel_error(dx, numeric_grad(loss, x))}
    for key, param in layer.params.items():
        errors[key] = rel_error(layer.grads[key], numeric_grad(loss, param))
    return errors


def naive_conv(x, W, b, stride, padding):
    n, c, h, w = x.shape
    f, _, kh, kw = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out, w_out = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, h_out, w_out))
    for i in range(n):
        for k in range(f):
            for r in range(h_out):
                for q in range(w_out):
                    patch = xp[i, :, r * stride:r * stride + kh, q * stride:q * stride + kw]
                    out[i, k, r, q] = np.sum(patch * W[k]) + b[k]
    return out


def naive_pool(x, k, stride, reduce):
    n, c, h, w = x.shape
    h_out, w_out = (h - k) // stride + 1, (w - k) // stride + 1
    out = np.zeros((n, c, h_out, w_out))
    for r in range(h_out):
        for q in range(w_out):
            out[:, :, r, q] = reduce(x[:, :, r * stride:r * stride + k,
                                       q * stride:q * stride + k], axis=(2, 3))
    return out


CONV_CASES = [  # (batch, in, out, size (h, w), kernel, stride, padding)
    (2, 3, 4, (5, 5), 3, 1, 0),
    (2, 2, 3, (6, 6), 3, 2, 1),
    (1, 1, 2, (7, 6), 3, 2, 0),
    (3, 2, 2, (4, 5), 2, 1, 1),
    (1, 3, 2, (6, 7), (2, 3), 2, 1),
]


@pytest.mark.parametrize("batch, c_in, c_out, size, kernel, stride, padding", CONV_CASES)
def test_conv2d_forward_matches_naive_loops(batch, c_in, c_out, size, kernel, stride, padding):
    rng = np.random.default_rng(1)
    layer = Conv2D(c_in, c_out, kernel, stride=stride, padding=padding, rng=rng)
    layer.params["b"] = rng.normal(size=c_out)
    x = rng.normal(size=(batch, c_in, *size))
    out = layer.forward(x)
    expected = naive_conv(x, layer.params["W"], layer.params["b"], stride, padding)
    assert out.shape == (batch, *layer.output_shape(x.shape[1:]))
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("batch, c_in, c_out, size, kernel, stride, padding", CONV_CASES)
def test_conv2d_gradients_match_centred_differences(batch, c_in, c_out, size, kernel,
                                                    stride, padding):
    rng = np.random.default_rng(2)
    layer = Conv2D(c_in, c_out, kernel, stride=stride, padding=padding, rng=rng)
    x = rng.normal(size=(batch, c_in, *size))
    errors = layer_grad_errors(layer, x)
    assert max(errors.values()) < 1e-6, errors


def test_conv2d_gradient_check_catches_a_wrong_gradient():
    # Negative control: a backward pass that forgets the bias must fail the same check.
    rng = np.random.default_rng(3)
    layer = Conv2D(2, 3, 3, padding=1, rng=rng)
    original = layer.backward

    def broken_backward(dout):
        dx = original(dout)
        layer.grads["b"] *= 0.0
        return dx

    layer.backward = broken_backward
    errors = layer_grad_errors(layer, rng.normal(size=(2, 2, 4, 4)))
    assert errors["b"] > 0.5


@pytest.mark.parametrize("shape, k, stride", [((2, 3, 7, 6), 3, 2), ((1, 2, 4, 4), 2, 1)])
def test_col2im_is_the_adjoint_of_im2col(shape, k, stride):
    # <im2col(x), c> == <x, col2im(c)> for every x and c defines the adjoint.
    rng = np.random.default_rng(4)
    x = rng.normal(size=shape)
    cols = rng.normal(size=im2col(x, k, k, stride).shape)
    lhs = np.sum(im2col(x, k, k, stride) * cols)
    rhs = np.sum(x * col2im(cols, shape, stride))
    assert abs(lhs - rhs) < 1e-10 * max(1.0, abs(lhs))


POOL_CASES = [  # (shape, kernel, stride)
    ((2, 3, 4, 4), 2, None),
    ((1, 2, 5, 5), 2, None),
    ((2, 1, 7, 6), 3, 2),
    ((1, 2, 5, 6), 3, 1),
]


@pytest.mark.parametrize("cls, reduce", [(MaxPool2D, np.max), (AvgPool2D, np.mean)])
@pytest.mark.parametrize("shape, k, stride", POOL_CASES)
def test_pool2d_forward_matches_naive_loops(cls, reduce, shape, k, stride):
    x = np.random.default_rng(5).normal(size=shape)
    layer = cls(k, stride)
    out = layer.forward(x)
    expected = naive_pool(x, k, layer.stride, reduce)
    assert out.shape == (shape[0], *layer.output_shape(shape[1:]))
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cls", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("shape, k, stride", POOL_CASES)
def test_pool2d_gradients_match_centred_differences(cls, shape, k, stride):
    # Distinct, well-separated values keep max pooling away from ties (its kinks).
    rng = np.random.default_rng(6)
    x = rng.permutation(np.prod(shape)).reshape(shape) * 0.1
    errors = layer_grad_errors(cls(k, stride), x)
    assert errors["x"] < 1e-6, errors


def test_global_avg_pool_gradients_match_centred_differences():
    x = np.random.default_rng(7).normal(size=(2, 3, 3, 4))
    layer = GlobalAvgPool2D()
    np.testing.assert_allclose(layer.forward(x), x.mean(axis=(2, 3)), rtol=1e-12)
    assert layer_grad_errors(layer, x)["x"] < 1e-6


def test_maxpool2d_routes_gradient_to_the_maximum_only():
    x = np.array([[[[1.0, 5.0], [3.0, 2.0]]]])
    layer = MaxPool2D(2)
    layer.forward(x)
    dx = layer.backward(np.array([[[[7.0]]]]))
    np.testing.assert_array_equal(dx, [[[[0.0, 7.0], [0.0, 0.0]]]])


@pytest.mark.parametrize("make, x_shape, message", [
    (lambda: Conv2D(3, 4, 3), (2, 1, 8, 8), "expected 3 input channels"),
    (lambda: Conv2D(1, 4, 5), (2, 1, 2, 2), "larger than the padded input 2x2"),
    (lambda: Conv2D(1, 4, 5, padding=1), (2, 1, 2, 2), "larger than the padded input 4x4"),
    (lambda: Conv2D(1, 4, 3), (2, 8, 8), "expected an array with 4 dimensions"),
    (lambda: MaxPool2D(3), (1, 1, 2, 2), "kernel 3x3 is larger than the input 2x2"),
])
def test_conv_and_pool_reject_bad_input_naming_layer_expected_and_got(make, x_shape, message):
    layer = make()
    with pytest.raises(ValueError, match=message) as info:
        layer.forward(np.zeros(x_shape))
    assert type(layer).__name__ in str(info.value)


@pytest.mark.parametrize("make", [lambda: Conv2D(2, 3, 3, stride=2, padding=1),
                                  lambda: MaxPool2D(2), lambda: AvgPool2D(3, 1)])
def test_conv_and_pool_work_in_float32(make):
    layer = make().astype(np.float32)
    x = np.random.default_rng(8).normal(size=(2, 2, 6, 6)).astype(np.float32)
    out = layer.forward(x)
    dx = layer.backward(np.ones_like(out))
    assert out.dtype == np.float32 and dx.dtype == np.float32
