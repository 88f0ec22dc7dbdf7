"""Sequential: the Keras workflow, learning real tasks, reproducibility, saving, errors."""

import numpy as np
import pytest

from glassnet import Sequential
from glassnet.data import load_digits, make_moons, make_xor, train_test_split
from glassnet.gradcheck import THRESHOLD, check_model
from glassnet.layers import BatchNorm, Dense, Dropout, ReLU, Sigmoid, Tanh
from glassnet.losses import MSE, BinaryCrossEntropy, CrossEntropy
from glassnet.optimizers import SGD, Adam


def mlp(n_in=2, hidden=16, n_out=2, seed=0, dtype=np.float64, dropout=0.0):
    layers = [Dense(n_in, hidden), ReLU()]
    layers += [Dropout(dropout)] if dropout else []
    return Sequential(layers + [Dense(hidden, n_out)], seed=seed, dtype=dtype)


def compiled(model, lr=0.01):
    return model.compile(Adam(lr), CrossEntropy())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_model_learns_xor_with_2_4_1_network(seed):
    X, y = make_xor(4, noise=0.0, shuffle=False)
    model = Sequential([Dense(2, 4), Tanh(), Dense(4, 1), Sigmoid()], seed=seed)
    model.compile(Adam(0.05), BinaryCrossEntropy())
    model.fit(X, y.astype(float), epochs=500, batch_size=4, verbose=0)
    assert model.evaluate(X, y.astype(float))["accuracy"] == 1.0


@pytest.mark.slow
def test_model_reaches_97_percent_on_moons():
    X, y = make_moons(1000, noise=0.1, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    model = compiled(mlp(hidden=32))
    model.fit(X_train, y_train, epochs=60, batch_size=32, verbose=0)
    assert model.evaluate(X_test, y_test)["accuracy"] >= 0.97


@pytest.mark.slow
def test_model_reaches_97_percent_on_digits():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    model = compiled(mlp(n_in=64, hidden=64, n_out=10), lr=3e-3)
    model.fit(X_train, y_train, epochs=40, batch_size=32, verbose=0)
    assert model.evaluate(X_test, y_test)["accuracy"] >= 0.97


@pytest.mark.parametrize("n_classes", [2, 5, 10])
def test_model_initial_crossentropy_is_near_ln_c(n_classes, rng):
    X, y = rng.standard_normal((500, 20)), rng.integers(0, n_classes, 500)
    model = compiled(Sequential([Dense(20, 64, init="he_normal"), ReLU(),
                                 Dense(64, n_classes, init="normal")], seed=0))
    assert model.evaluate(X, y)["loss"] == pytest.approx(np.log(n_classes), rel=0.1)


def test_model_overfits_a_tiny_batch(rng):
    X, y = rng.standard_normal((8, 10)), rng.integers(0, 3, 8)
    model = compiled(mlp(n_in=10, hidden=32, n_out=3), lr=0.02)
    for _ in range(200):
        model.train_on_batch(X, y)
    assert model.evaluate(X, y)["loss"] < 1e-3


def test_model_gradients_match_finite_differences(rng):
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 4, 5)
    model = Sequential([Dense(3, 6), Tanh(), BatchNorm(6), Dense(6, 4)], seed=3)
    model.compile(SGD(0.1), CrossEntropy())
    assert max(check_model(model, X, y, training=True).values()) < THRESHOLD


def fit_run(seed, dtype=np.float64):
    X, y = make_moons(200, noise=0.2, seed=0)
    model = compiled(mlp(seed=seed, dtype=dtype, dropout=0.2))
    history = model.fit(X, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0)
    return model, history


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_model_same_seed_same_weights_and_history(dtype):
    (m1, h1), (m2, h2) = fit_run(7, dtype), fit_run(7, dtype)
    assert h1.history == h2.history
    for a, b in zip(m1.get_weights(), m2.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_model_different_seeds_differ():
    (m1, h1), (m2, h2) = fit_run(1), fit_run(2)
    assert h1.history["loss"] != h2.history["loss"]
    assert not np.array_equal(m1.get_weights()[0], m2.get_weights()[0])


def test_model_history_has_keras_keys():
    _, history = fit_run(0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.epoch == [0, 1, 2]
    assert all(len(v) == 3 for v in history.history.values())


def test_model_float32_trains_in_float32(rng):
    model, _ = fit_run(0, np.float32)
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert model.predict(rng.standard_normal((3, 2))).dtype == np.float32


@pytest.mark.parametrize(("y", "n_out", "loss"), [
    (np.array([0, 1, 1, 0]), 2, CrossEntropy()),
    (np.eye(2)[[0, 1, 1, 0]], 2, CrossEntropy()),
    (np.array([[0.0], [1.0], [1.0], [0.0]]), 1, BinaryCrossEntropy(from_logits=True)),
])
def test_model_accuracy_handles_labels_one_hot_and_binary(y, n_out, loss, rng):
    model = Sequential([Dense(2, n_out)], seed=0).compile(SGD(0.1), loss)
    model.layers[0].params["W"][:] = 0.0
    model.layers[0].params["b"][:] = [-1.0, 1.0] if n_out == 2 else [1.0]  # Always class 1.
    assert model.evaluate(np.zeros((4, 2)), y)["accuracy"] == 0.5


def test_model_predict_in_batches_matches_one_pass(rng):
    model, X = mlp(), rng.standard_normal((10, 2))
    np.testing.assert_allclose(model.predict(X, batch_size=3), model.predict(X), rtol=1e-12)


def test_model_save_and_load_round_trip(tmp_path, rng):
    model = Sequential([Dense(3, 5), BatchNorm(5), ReLU(), Dropout(0.1), Dense(5, 2)], seed=4,
                       dtype=np.float32)
    model.compile(Adam(), CrossEntropy())
    model.fit(rng.standard_normal((20, 3)), rng.integers(0, 2, 20), epochs=2, verbose=0)
    model.save(tmp_path / "model.npz")
    loaded = Sequential.load(tmp_path / "model.npz")
    assert repr(loaded) == repr(model)
    X = rng.standard_normal((4, 3))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_model_set_weights_rejects_wrong_shapes():
    model = mlp()
    weights = model.get_weights()
    with pytest.raises(ValueError, match="expected 4 arrays"):
        model.set_weights(weights[:3])
    with pytest.raises(ValueError, match="array 0 should have shape"):
        model.set_weights([w.T for w in weights])


def test_model_summary_lists_layers_shapes_and_total(capsys):
    text = Sequential([Dense(784, 128), ReLU(), Dense(128, 10)]).summary()
    assert "Dense(784, 128)  (batch, 128)" in text
    assert "total params: 101,770" in text
    assert capsys.readouterr().out.strip() == text


def test_model_verbose_prints_about_ten_lines_on_long_runs(capsys, rng):
    model = compiled(mlp())
    model.fit(rng.standard_normal((8, 2)), rng.integers(0, 2, 8), epochs=100, verbose=1)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("epoch 100/100  loss ")


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"batch_size": 0}, ValueError, "batch_size to be an integer >= 1"),
    ({"epochs": 0}, ValueError, "epochs to be an integer >= 1"),
    ({"validation_split": 1.0}, ValueError, "validation_split"),
])
def test_model_fit_rejects_bad_settings(kwargs, error, match, rng):
    model = compiled(mlp())
    with pytest.raises(error, match=match):
        model.fit(rng.standard_normal((8, 2)), rng.integers(0, 2, 8), verbose=0, **kwargs)


@pytest.mark.parametrize(("X", "y", "error", "match"), [
    (np.zeros((0, 2)), np.zeros(0, int), ValueError, "dataset is empty"),
    (np.zeros((4, 2)), np.zeros(3, int), ValueError, "X has 4 rows but y has shape"),
    (np.zeros((4, 3)), np.zeros(4, int), ValueError, "expected 2 features"),
    (np.zeros((4, 2)), np.array([0, 1, 2, 0]), ValueError, r"labels must be in \[0, 2\)"),
    (np.zeros((4, 2)), np.array([0.0, 1.0, 1.0, 0.0]), TypeError, "integer class labels"),
    (np.full((4, 2), np.nan), np.zeros(4, int), ValueError, "NaN"),
])
def test_model_fit_rejects_bad_data(X, y, error, match):
    with pytest.raises(error, match=match):
        compiled(mlp()).fit(X, y, verbose=0)


def test_model_fit_before_compile_is_an_error(rng):
    with pytest.raises(RuntimeError, match=r"Sequential.fit: call compile\(optimizer, loss\)"):
        mlp().fit(rng.standard_normal((4, 2)), np.zeros(4, int))


def test_model_rejects_non_layers():
    with pytest.raises(TypeError, match="expected Layer objects"):
        Sequential([Dense(2, 2), np.tanh])


def test_model_mse_regression_learns_a_line(rng):
    X = rng.uniform(-1, 1, (64, 1))
    model = Sequential([Dense(1, 1)], seed=0).compile(SGD(0.1), MSE(), metrics=[])
    history = model.fit(X, 3 * X[:, 0] - 1, epochs=50, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 1e-6
    np.testing.assert_allclose(model.layers[0].params["W"], [[3.0]], atol=1e-3)
