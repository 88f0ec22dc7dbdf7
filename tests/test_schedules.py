"""Learning-rate schedules: warm-up then cosine decay, and the callback that applies them."""

import math

import numpy as np
import pytest

from glassnet import Sequential
from glassnet.callbacks import LearningRateScheduler
from glassnet.layers import Dense
from glassnet.losses import MSE
from glassnet.optimizers import SGD
from glassnet.schedules import WarmupCosine


@pytest.mark.parametrize("lr_min", [0.0, 1e-4])
def test_warmup_cosine_values_at_start_end_of_warmup_middle_and_end(lr_min):
    s = WarmupCosine(lr_max=1e-2, warmup_steps=10, total_steps=110, lr_min=lr_min)
    assert s(0) == pytest.approx(1e-3, rel=1e-12)     # the first step already moves
    assert s(4) == pytest.approx(5e-3, rel=1e-12)
    assert s(9) == pytest.approx(1e-2, rel=1e-12)
    assert s(10) == pytest.approx(1e-2, rel=1e-12)
    assert s(60) == pytest.approx(lr_min + 0.5 * (1e-2 - lr_min), rel=1e-12)  # cos(pi/2) = 0
    assert s(110) == pytest.approx(lr_min, abs=1e-15)
    assert s(500) == pytest.approx(lr_min, abs=1e-15)


def test_warmup_cosine_rises_linearly_then_falls_monotonically():
    s = WarmupCosine(lr_max=1.0, warmup_steps=20, total_steps=100)
    lrs = np.array([s(i) for i in range(101)])
    np.testing.assert_allclose(np.diff(lrs[:20]), 1 / 20, rtol=1e-12)  # a straight line
    assert lrs[0] > 0 and lrs[19] == lrs[20] == 1.0
    assert np.all(np.diff(lrs[20:]) < 0)
    assert lrs[30] == pytest.approx(0.5 * (1 + math.cos(math.pi * 10 / 80)), rel=1e-12)


def test_warmup_cosine_without_warmup_starts_at_lr_max():
    assert WarmupCosine(lr_max=0.3, warmup_steps=0, total_steps=5)(0) == pytest.approx(0.3)


@pytest.mark.parametrize("kwargs, match", [
    ({"lr_max": 0.0}, r"lr_max > 0, got lr_min=0.0, lr_max=0.0"),
    ({"lr_min": 0.5}, r"lr_min <= lr_max"),
    ({"warmup_steps": 10}, r"warmup_steps < total_steps, got warmup_steps=10, total_steps=10"),
    ({"warmup_steps": -1}, r"0 <= warmup_steps"),
])
def test_warmup_cosine_rejects_bad_settings(kwargs, match):
    args = {"lr_max": 0.1, "warmup_steps": 2, "total_steps": 10, "lr_min": 0.0, **kwargs}
    with pytest.raises(ValueError, match=match):
        WarmupCosine(**args)


def test_learning_rate_scheduler_sets_lr_before_every_step():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 1)), rng.normal(size=(20, 1))
    model = Sequential([Dense(1, 1)], seed=0).compile(SGD(0.5), MSE(), metrics=[])
    schedule = WarmupCosine(lr_max=0.1, warmup_steps=3, total_steps=12)
    seen = []
    original = model.optimizer.step
    model.optimizer.step = lambda layers: (seen.append(model.optimizer.lr), original(layers))
    cb = LearningRateScheduler(schedule)
    model.fit(X, y, epochs=3, batch_size=5, callbacks=[cb], verbose=0)
    expected = [schedule(i) for i in range(12)]  # 4 batches per epoch, counted across epochs
    np.testing.assert_allclose(cb.lrs, expected, rtol=1e-12)
    np.testing.assert_allclose(seen, expected, rtol=1e-12)


def test_learning_rate_scheduler_rejects_a_negative_rate():
    model = Sequential([Dense(1, 1)], seed=0).compile(SGD(0.5), MSE(), metrics=[])
    with pytest.raises(ValueError, match=r"lr=-1.0 at step 0; expected a number >= 0"):
        model.fit(np.ones((2, 1)), np.ones((2, 1)), callbacks=[LearningRateScheduler(
            lambda step: -1.0)], verbose=0)
