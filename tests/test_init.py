"""Initialisers: the variances the papers prescribe, seeding and errors."""

import numpy as np
import pytest

from glassnet import init

SHAPE = (400, 300)


@pytest.mark.parametrize(("name", "variance"), [
    ("glorot_uniform", 2.0 / (400 + 300)),
    ("glorot_normal", 2.0 / (400 + 300)),
    ("xavier_uniform", 2.0 / (400 + 300)),
    ("he_uniform", 2.0 / 400),
    ("he_normal", 2.0 / 400),
    ("normal", 0.01**2),
])
def test_init_has_prescribed_variance(name, variance, rng):
    W = init.get(name)(SHAPE, rng)
    assert W.shape == SHAPE
    assert abs(W.mean()) < 0.05 * np.sqrt(variance)
    assert W.var() == pytest.approx(variance, rel=0.02)


@pytest.mark.parametrize(("name", "limit"), [
    ("glorot_uniform", np.sqrt(6.0 / 700)), ("he_uniform", np.sqrt(6.0 / 400)),
])
def test_init_uniform_stays_within_limit(name, limit, rng):
    W = init.get(name)(SHAPE, rng)
    assert np.abs(W).max() <= limit
    assert np.abs(W).max() > 0.99 * limit


def test_init_zeros():
    assert not init.zeros((3, 2)).any()


@pytest.mark.parametrize("name", sorted(init.INITIALIZERS))
def test_init_same_seed_same_weights(name):
    a = init.get(name)((5, 4), np.random.default_rng(3))
    b = init.get(name)((5, 4), np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)


def test_init_explicit_fans_for_kernels(rng):
    W = init.he_normal((64, 16, 3, 3), rng, fan_in=16 * 9, fan_out=64 * 9)
    assert W.var() == pytest.approx(2.0 / (16 * 9), rel=0.05)


def test_init_kernel_without_fans_is_an_error(rng):
    with pytest.raises(ValueError, match="pass fan_in and fan_out"):
        init.glorot_uniform((4, 3, 3, 3), rng)


def test_init_get_unknown_name_lists_choices():
    with pytest.raises(ValueError, match="glorot_uniform"):
        init.get("orthogonal")
