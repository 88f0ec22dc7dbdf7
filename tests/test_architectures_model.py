"""The architecture layers inside Sequential: predict, summary, save and load round trips."""

import numpy as np
import pytest

from glassnet.layers import (
    LSTM,
    RNN,
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dense,
    Embedding,
    Flatten,
    GlobalAvgPool2D,
    LayerNorm,
    MaxPool2D,
    MultiHeadAttention,
    PositionalEncoding,
    ReLU,
    Residual,
    Tanh,
    TransformerBlock,
)
from glassnet.model import Sequential

MODELS = {
    "cnn": (lambda: [Conv2D(1, 4, 3, padding=1), ReLU(), MaxPool2D(2),
                     Conv2D(4, 6, 3, stride=2, padding=1), AvgPool2D(1), GlobalAvgPool2D(),
                     Dense(6, 3)], (1, 8, 8), (3,)),
    "resnet": (lambda: [Conv2D(1, 4, 3, padding=1),
                        Residual([Conv2D(4, 4, 3, padding=1), ReLU()]), Flatten(),
                        Dense(64, 3)], (1, 4, 4), (3,)),
    "lstm": (lambda: [LSTM(3, 5, return_sequences=True), RNN(5, 4), Dense(4, 2)], (6, 3), (2,)),
    "transformer": (lambda: [Embedding(7, 8), PositionalEncoding(10, 8),
                             TransformerBlock(8, 2, 16, causal=True),
                             Residual([LayerNorm(8), MultiHeadAttention(8, 4)]),
                             Dense(8, 7)], (5,), (5, 7)),
    "residual_mlp": (lambda: [Dense(3, 4), Residual([Dense(4, 4), Tanh(), Dense(4, 4)]),
                              Dense(4, 1)], (3,), (1,)),
}


def make_input(name, shape, rng):
    if name == "transformer":
        return rng.integers(0, 7, size=(2, *shape))
    return rng.normal(size=(2, *shape))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_architecture_saves_and_loads_with_identical_predictions(name, tmp_path):
    make, in_shape, out_shape = MODELS[name]
    model = Sequential(make(), seed=0)
    X = make_input(name, in_shape, np.random.default_rng(1))
    y_hat = model.predict(X)
    assert y_hat.shape == (2, *out_shape)
    model.save(tmp_path / "model.npz")
    loaded = Sequential.load(tmp_path / "model.npz")
    assert repr(loaded) == repr(model)
    np.testing.assert_allclose(loaded.predict(X), y_hat, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_architecture_summary_lists_output_shapes_and_counts(name):
    make, in_shape, out_shape = MODELS[name]
    model = Sequential(make(), seed=0)
    text = model.summary(input_shape=in_shape)
    assert str(("batch", *out_shape)).replace("'", "") in text
    assert f"total params: {model.num_params():,}" in text


def test_sequential_seed_redraws_inner_layers_of_residual_blocks():
    a = Sequential(MODELS["resnet"][0](), seed=5)
    b = Sequential(MODELS["resnet"][0](), seed=5)
    for la, lb in zip(a.layers, b.layers, strict=True):
        for key in la.params:
            np.testing.assert_array_equal(la.params[key], lb.params[key])


def test_residual_batchnorm_statistics_survive_training_save_and_load(tmp_path):
    rng = np.random.default_rng(2)
    X, y = rng.normal(1.0, 2.0, size=(64, 2, 4, 4)), rng.integers(0, 3, size=64)
    model = Sequential([Residual([Conv2D(2, 2, 3, padding=1), BatchNorm(2), ReLU()]),
                        Flatten(), Dense(32, 3)], seed=0)
    model.compile("adam", "cross_entropy")
    model.fit(X, y, epochs=2, batch_size=16, verbose=0)
    assert not np.allclose(model.layers[0].state["1.running_mean"], 0.0)
    model.save(tmp_path / "bn.npz")
    loaded = Sequential.load(tmp_path / "bn.npz")
    np.testing.assert_allclose(loaded.predict(X), model.predict(X), rtol=1e-12)
