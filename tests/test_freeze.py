"""Frozen layers: optimizers skip them, gradients still flow through them, summary counts them."""

import numpy as np
import pytest

from glassnet import Sequential
from glassnet.layers import Conv2D, Dense, Flatten, ReLU


def _model(seed=0):
    return Sequential([Dense(4, 8), ReLU(), Dense(8, 8), ReLU(), Dense(8, 3)], seed=seed)


def _data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(40, 4)), rng.integers(0, 3, size=40)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop"])
def test_freeze_frozen_layer_is_bit_identical_after_fit(optimizer):
    model = _model().freeze([2])
    before = [layer.params["W"].copy() for layer in model.layers[::2]]
    model.compile(optimizer, "sparse_categorical_crossentropy")
    model.fit(*_data(), epochs=3, batch_size=8, verbose=0)
    after = [layer.params["W"] for layer in model.layers[::2]]
    assert np.array_equal(before[1], after[1])
    assert not np.allclose(before[0], after[0])
    assert not np.allclose(before[2], after[2])


def test_freeze_gradients_flow_through_a_frozen_layer():
    """The layer before a frozen one gets the same gradient as with nothing frozen."""
    X, y = _data()
    grads = []
    for frozen in ([], [2]):
        model = _model().freeze(frozen).compile("sgd", "sparse_categorical_crossentropy")
        model.zero_grad()
        model.loss.forward(model.forward(X, training=True), y)
        model.backward(model.loss.backward())
        grads.append(model.layers[0].grads["W"].copy())
    assert np.abs(grads[1]).max() > 0
    np.testing.assert_allclose(grads[1], grads[0], rtol=0, atol=0)


def test_freeze_unfreeze_and_weight_decay_leave_frozen_layer_alone():
    model = _model().freeze().freeze([4], trainable=True)
    assert [layer.trainable for layer in model.layers] == [False] * 4 + [True]
    model.compile(__import__("glassnet").optimizers.SGD(0.1, weight_decay=0.5),
                  "sparse_categorical_crossentropy")
    before = model.get_weights()
    model.fit(*_data(), epochs=1, verbose=0)
    after = model.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(before[:4], after[:4], strict=True))


def test_freeze_rejects_a_layer_of_another_model():
    with pytest.raises(ValueError, match="not a layer of this model"):
        _model().freeze([Dense(2, 2)])


def test_freeze_summary_reports_trainable_and_non_trainable_counts(capsys):
    model = Sequential([Conv2D(1, 4, 3), ReLU(), Flatten(), Dense(4 * 6 * 6, 10)])
    model.freeze([0])
    text = model.summary(input_shape=(1, 8, 8))
    conv, dense = 4 * 9 + 4, 144 * 10 + 10
    assert f"total params: {conv + dense:,}" in text
    assert f"trainable params: {dense:,}" in text
    assert f"non-trainable params: {conv:,}" in text
    assert "Conv2D(1, 4, 3) (frozen)" in text


def test_freeze_survives_save_and_load(tmp_path):
    model = _model().freeze([0, 2])
    model.save(tmp_path / "m.npz")
    loaded = Sequential.load(tmp_path / "m.npz")
    assert [layer.trainable for layer in loaded.layers] == [False, True, False, True, True]


class CountingDense(Dense):
    """A Dense layer that records which backward method training called."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls, self._inside = [], False

    def _record(self, name, method, dZ):
        if not self._inside:  # Dense.backward calls backward_params: record the outer call
            self.calls.append(name)
        self._inside, outer = True, self._inside
        try:
            return method(dZ)
        finally:
            self._inside = outer

    def backward(self, dZ):
        return self._record("backward", super().backward, dZ)

    def backward_params(self, dZ):
        return self._record("backward_params", super().backward_params, dZ)

    def backward_input(self, dZ):
        return self._record("backward_input", super().backward_input, dZ)


def _counting_model(seed=0):
    return Sequential([CountingDense(4, 8), ReLU(), CountingDense(8, 8), ReLU(),
                       CountingDense(8, 8), ReLU(), CountingDense(8, 3)], seed=seed)


def _train_step_calls(frozen):
    model = _counting_model().freeze(frozen).compile("sgd", "sparse_categorical_crossentropy")
    X, y = _data()
    model.train_on_batch(X[:8], y[:8])
    return [layer.calls for layer in model.layers[::2]], model


@pytest.mark.parametrize(("frozen", "expected"), [
    # Nothing frozen: only the first layer skips its input gradient.
    ([], [["backward_params"], ["backward"], ["backward"], ["backward"]]),
    # Frozen features: nothing runs below the head, which needs no input gradient.
    ([0, 1, 2, 3, 4, 5], [[], [], [], ["backward_params"]]),
    # A frozen layer between trainable ones passes the gradient on without its own.
    ([2], [["backward_params"], ["backward_input"], ["backward"], ["backward"]]),
    # Frozen first layer: the lowest trainable layer needs no input gradient.
    ([0], [[], ["backward_params"], ["backward"], ["backward"]]),
])
def test_freeze_training_skips_the_backward_work_frozen_layers_do_not_need(frozen, expected):
    calls, model = _train_step_calls(frozen)
    assert calls == expected
    for layer in model.layers[::2]:
        if not layer.trainable:  # no weight gradient was accumulated
            assert all(not g.any() for g in layer.grads.values())


@pytest.mark.parametrize("frozen", [[0], [2], [0, 1, 2, 3], [4]])
def test_freeze_skipping_leaves_the_trainable_gradients_unchanged(frozen):
    """Training's gradients equal those of the full backward pass, for every layer that learns."""
    X, y = _data()
    grads = []
    for full in (True, False):
        model = _model().freeze(frozen).compile("sgd", "sparse_categorical_crossentropy")
        model.zero_grad()
        model.loss.forward(model.forward(X, training=True), y)
        dout = model.loss.backward()
        model.backward(dout) if full else model.backward_params(dout)
        grads.append([layer.grads["W"].copy() for layer in model.layers if layer.trainable
                      and layer.params])
    for full, skipped in zip(*grads, strict=True):
        np.testing.assert_array_equal(skipped, full)


def test_freeze_conv2d_backward_input_and_params_split_its_backward():
    rng = np.random.default_rng(0)
    x, dout = rng.normal(size=(2, 3, 6, 6)), rng.normal(size=(2, 4, 6, 6))
    full, split = Conv2D(3, 4, 3, padding=1, rng=rng), None
    full.forward(x)
    dx = full.backward(dout)
    split = Conv2D(3, 4, 3, padding=1)
    split.params = {k: v.copy() for k, v in full.params.items()}
    split.grads = {k: np.zeros_like(v) for k, v in full.params.items()}
    split.forward(x)
    np.testing.assert_array_equal(split.backward_input(dout), dx)
    assert not any(g.any() for g in split.grads.values())
    split.backward_params(dout)
    for key in full.grads:
        np.testing.assert_array_equal(split.grads[key], full.grads[key])


def test_freeze_a_frozen_batchnorm_still_updates_its_running_statistics_in_fit():
    from glassnet.layers import BatchNorm

    model = Sequential([Dense(4, 8), BatchNorm(8), ReLU(), Dense(8, 3)], seed=0).freeze([1])
    before = {key: value.copy() for key, value in model.layers[1].state.items()}
    model.compile("sgd", "sparse_categorical_crossentropy").fit(*_data(), epochs=1, verbose=0)
    assert before and all(not np.array_equal(before[key], model.layers[1].state[key])
                          for key in before)
    assert model.layers[1].params["gamma"].tolist() == [1.0] * 8
