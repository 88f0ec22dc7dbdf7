"""Tests of glassnet_site.interactive: the data the site's interactive figures replay."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest

from glassnet import activations, layers, losses, optimizers
from glassnet.model import Sequential
from glassnet.perceptron import perceptron_predict
from glassnet_site.interactive import backprop, explorers, gan, packing, playground
from glassnet_site.interactive.__main__ import main, manifest
from glassnet_site.interactive.playground import Combo, Grid

TINY = Grid(epochs=12, snapshots=(0, 3, 12), size=8, hidden_size=4)


# --- packing ----------------------------------------------------------------------------

@pytest.mark.parametrize("lo, hi", [(0.0, 1.0), (-1.0, 1.0), (-3.5, 250.0)])
def test_quantize_round_trip_within_half_a_step(rng, lo, hi):
    values = rng.uniform(lo, hi, size=(5, 7))
    restored = packing.dequantize(packing.quantize(values, lo, hi), lo, hi)
    assert np.max(np.abs(restored - values)) <= (hi - lo) / 510 + 1e-12


@pytest.mark.parametrize("levels", [1, 31, 255])
def test_quantize_with_fewer_levels_stays_within_half_a_step(rng, levels):
    values = rng.uniform(-1.0, 1.0, size=(4, 9))
    q = packing.quantize(values, -1.0, 1.0, levels)
    assert q.max() <= levels
    restored = packing.dequantize(q, -1.0, 1.0, levels)
    assert np.max(np.abs(restored - values)) <= 1.0 / levels + 1e-12


@pytest.mark.parametrize("levels", [0, 256, 31.0])
def test_quantize_rejects_levels_a_byte_cannot_hold(levels):
    with pytest.raises(ValueError, match="levels an integer from 1 to 255"):
        packing.quantize([0.5], 0.0, 1.0, levels)


def test_quantize_clips_to_the_range_and_keeps_the_ends():
    q = packing.quantize([-5.0, 0.0, 1.0, 7.0], 0.0, 1.0)
    assert q.dtype == np.uint8 and q.tolist() == [0, 0, 255, 255]


def test_quantize_rejects_an_empty_range():
    with pytest.raises(ValueError, match="hi > lo"):
        packing.quantize([0.5], 1.0, 1.0)


def test_delta_encode_round_trips_and_compresses_smooth_rows(rng):
    q = rng.integers(0, 256, size=(3, 4, 50), dtype=np.uint8)
    assert np.array_equal(packing.delta_decode(packing.delta_encode(q)), q)
    ramp = np.tile(np.arange(0, 200, 4, dtype=np.uint8), (6, 1))
    assert set(packing.delta_encode(ramp)[:, 1:].ravel().tolist()) == {4}


def test_pack_round_trips_arrays_and_meta(rng):
    arrays = {"prob": rng.integers(0, 256, (2, 6, 6), dtype=np.uint8),
              "loss": rng.standard_normal(9).astype(np.float32),
              "epochs": np.arange(3, dtype=np.int32)}
    restored, meta = packing.unpack(packing.pack(arrays, {"key": "x", "n": 3}, delta=("prob",)))
    assert meta == {"key": "x", "n": 3}
    for name, arr in arrays.items():
        assert restored[name].dtype == arr.dtype and np.array_equal(restored[name], arr)


@pytest.mark.parametrize("bad, error", [(np.zeros(3, np.float64), TypeError)])
def test_pack_rejects_other_dtypes(bad, error):
    with pytest.raises(error, match="float64"):
        packing.pack({"a": bad}, {})


def test_unpack_rejects_other_files():
    import zlib
    with pytest.raises(ValueError, match="not a glassnet interactive file"):
        packing.unpack(zlib.compress(b"PNG!rest"))


# --- the playground grid ----------------------------------------------------------------

def test_combos_cover_the_grid_and_share_runs_without_a_hidden_layer():
    combos = playground.all_combos()
    assert len(combos) == 5 * 5 * 3 * 4 * 3 == len(set(combos))
    unique = playground.unique_combos()
    assert len(unique) == len(combos) - 5 * 4 * (3 * 3 - 2)
    assert Combo("xor", "0", "tanh", 0.1, "dropout").canonical() == \
        Combo("xor", "0", "linear", 0.1, "none")
    assert Combo("xor", "4", "tanh", 0.1, "dropout").canonical().activation == "tanh"


@pytest.mark.parametrize("name", list(playground.DATASETS))
def test_dataset_is_standardised_and_inside_its_view(name):
    X, y, X_val, y_val, half = playground.dataset(name, TINY)
    assert X.shape == (TINY.n_train, 2) and X_val.shape == (TINY.n_val, 2)
    assert y.shape == (TINY.n_train, 1) and set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=1e-5)
    assert np.abs(X).max() < half and np.abs(X_val).max() < half


def test_grid_points_run_row_by_row_from_the_top_left():
    points = playground.grid_points(2.0, 4)
    assert points.shape == (16, 2)
    np.testing.assert_allclose(points[0], [-1.5, 1.5])
    np.testing.assert_allclose(points[3], [1.5, 1.5])
    np.testing.assert_allclose(points[-1], [1.5, -1.5])


@pytest.mark.parametrize("network, units", [("0", 0), ("4", 4), ("8-8-8", 8)])
def test_train_combo_shapes(network, units):
    arrays, meta = playground.train_combo(Combo("moons", network, "tanh", 0.1, "l2"), TINY)
    S = len(TINY.snapshots)
    assert arrays["train_loss"].shape == arrays["val_loss"].shape == (TINY.epochs + 1,)
    assert arrays["prob"].shape == (S, TINY.size ** 2)
    assert arrays["train_acc"].shape == arrays["val_acc"].shape == (S,)
    depth = len(playground.NETWORKS[network])
    assert sorted(k for k in arrays if k.startswith("hidden")) == [
        f"hidden{number}" for number in range(1, depth + 1)]
    for number in range(1, depth + 1):
        assert arrays[f"hidden{number}"].shape == (S, units, TINY.hidden_size ** 2)
        assert arrays[f"scale{number}"].shape == (S, units)
        assert np.abs(arrays[f"hidden{number}"]).max() <= 1.0 + 1e-6
    assert meta["diverged"] is None and np.isfinite(arrays["val_loss"]).all()


def test_train_combo_is_reproducible_from_its_seed():
    combo = Combo("xor", "4", "relu", 0.3, "dropout")
    first = playground.encode(*playground.train_combo(combo, TINY), TINY)
    again = playground.encode(*playground.train_combo(combo, TINY), TINY)
    assert first == again


def test_train_combo_replays_what_glassnet_computes():
    combo = Combo("circles", "8", "tanh", 0.3, "none")
    arrays, _ = playground.train_combo(combo, TINY)
    X, y, X_val, y_val, half = playground.dataset("circles", TINY)
    model = playground.build_model(combo, TINY)
    for _ in range(TINY.epochs):
        model.train_on_batch(X, y)
    logits = model.predict(playground.grid_points(half, TINY.size))[:, 0]
    np.testing.assert_allclose(arrays["prob"][-1], 1 / (1 + np.exp(-logits)), atol=1e-6)
    val = model.loss.forward(model.predict(X_val), y_val)
    np.testing.assert_allclose(arrays["val_loss"][-1], val, rtol=1e-6)


def test_hidden_grid_levels_put_a_unit_at_rest_on_a_byte_of_its_own():
    """A unit at its resting value decodes to exactly rest (no tint either way), and the
    bytes just above and below it decode to either side."""
    levels = Grid().hidden_levels
    q = packing.quantize(np.array([-1e-9, 0.0, 1e-9, -1.0, 1.0]), -1.0, 1.0, levels)
    decoded = packing.dequantize(q, -1.0, 1.0, levels)
    assert decoded[1] == 0.0 and decoded[0] == decoded[2] == 0.0
    assert decoded[3] == -1.0 and decoded[4] == 1.0


@pytest.mark.parametrize("combo", [Combo("moons", "8-8-8", "sigmoid", 0.3, "dropout"),
                                   Combo("spirals", "4", "relu", 1.0, "l2"),
                                   Combo("xor", "8-8", "tanh", 0.1, "none")])
def test_exported_hidden_grids_are_glassnets_activations_of_the_snapshot(combo):
    """Every hidden layer's squares in a run's file, decoded as the page's script decodes
    them, equal the activations glassnet computes from the network's weights at that
    snapshot (untrained, and after the last epoch), within half a quantisation step."""
    grid = Grid(epochs=12, snapshots=(0, 12), size=8, hidden_size=6)
    restored, meta = packing.unpack(playground.encode(*playground.train_combo(combo, grid), grid))
    X, y, _, _, half = playground.dataset(combo.dataset, grid)
    points = playground.grid_points(half, grid.hidden_size).astype(np.float64)
    act = {"relu": activations.relu, "tanh": activations.tanh,
           "sigmoid": activations.sigmoid}[combo.activation]
    rest = playground.ACTIVATIONS[combo.activation][2]
    model = playground.build_model(combo, grid)
    depth = len(playground.NETWORKS[combo.network])
    assert meta["layers"] == depth
    trained = 0
    for shot, epoch in enumerate(grid.snapshots):
        for _ in range(epoch - trained):  # the same full-batch steps as the run
            model.train_on_batch(X, y)
        trained = epoch
        h = points
        dense = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
        for number, layer in enumerate(dense[:-1], start=1):
            h = act(h @ layer.params["W"].astype(np.float64) + layer.params["b"])
            q = restored[f"hidden{number}"][shot]  # (units, side, side), rows from the top
            scale = restored[f"hidden_scale{number}"][shot]
            decoded = packing.dequantize(q, -1.0, 1.0, grid.hidden_levels)
            decoded = decoded.reshape(len(scale), -1).T * scale + rest  # (points, units)
            step = scale / grid.hidden_levels  # half a step of the [-1, 1] range, times scale
            assert np.all(np.abs(decoded - h) <= step + 1e-5), (shot, number)
            np.testing.assert_allclose(scale, np.abs(h - rest).max(axis=0), rtol=1e-5)


def test_playground_default_bends_its_boundary_to_the_data():
    """The first view teaches: in the epochs shown, the default network fits the moons well
    and its boundary is not a straight line (logistic regression on the same points, at any
    learning rate of the grid, scores clearly lower, and no line matches the boundary)."""
    from sklearn.linear_model import LogisticRegression

    default = playground.DEFAULT
    assert default in playground.all_combos() and playground.NETWORKS[default.network]
    arrays, meta = playground.train_combo(default)
    assert meta["diverged"] is None
    assert arrays["val_acc"][-1] >= 0.95
    linear = max(playground.train_combo(Combo(default.dataset, "0", "linear", lr, "none"))[0]
                 ["val_acc"][-1] for lr in playground.LEARNING_RATES)
    assert arrays["val_acc"][-1] > linear + 0.05
    _, _, _, _, half = playground.dataset(default.dataset)
    points = playground.grid_points(half, Grid().size)
    side = arrays["prob"][-1] > 0.5
    best_line = LogisticRegression(C=1e6, max_iter=5000).fit(points, side)
    assert best_line.score(points, side) < 0.95


def test_train_combo_reports_a_divergence_and_freezes_the_picture():
    arrays, meta = playground.train_combo(Combo("xor", "8-8-8", "relu", 1e4, "none"), TINY)
    assert meta["diverged"] is not None and 0 < meta["diverged"] <= TINY.epochs
    assert np.isnan(arrays["val_loss"][meta["diverged"]:]).all()
    assert np.isfinite(arrays["val_loss"][:meta["diverged"]]).all()
    assert np.isfinite(arrays["prob"]).all()


def test_encode_round_trips_within_quantisation_and_stays_small():
    grid = Grid()
    arrays, meta = playground.train_combo(Combo("spirals", "8-8-8", "tanh", 0.3, "none"), grid)
    blob = playground.encode(arrays, meta, grid)
    restored, restored_meta = packing.unpack(blob)
    assert restored_meta == {**meta, "layers": 3} and len(blob) < 70_000
    prob = packing.dequantize(restored["prob"], 0.0, 1.0).reshape(arrays["prob"].shape)
    assert np.max(np.abs(prob - arrays["prob"])) <= 1 / 510 + 1e-9
    np.testing.assert_allclose(restored["val_loss"], arrays["val_loss"], rtol=1e-6)


# --- the explorers ----------------------------------------------------------------------

def test_neuron_data_check_is_what_the_perceptron_answers():
    data = explorers.neuron_data()
    X, check = np.array(data["X"]), data["check"]
    assert X.shape == (len(data["y"]), 2) and np.abs(X).max() < data["range"]
    assert check["y_hat"] == perceptron_predict(X, np.array(check["w"]), check["b"]).tolist()
    start = perceptron_predict(X, np.array(data["start"]["w"]), data["start"]["b"])
    assert np.mean(start == np.array(data["y"])) >= 0.95


def test_activation_curves_are_glassnet_samples():
    data = explorers.activation_curves()
    z = np.array(data["z"])
    assert z[0] == -5.0 and z[-1] == 5.0 and len(z) == 201
    np.testing.assert_allclose(data["functions"]["tanh"]["f"], activations.tanh(z), atol=5e-6)
    np.testing.assert_allclose(data["functions"]["sigmoid"]["df"],
                               activations.sigmoid_grad(z), atol=5e-6)
    np.testing.assert_allclose(data["functions"]["leaky_relu"]["f"],
                               activations.leaky_relu(z, 0.1), atol=5e-6)


class _Weights:
    """The smallest object ``Optimizer.step`` accepts: one layer's params and grads."""

    def __init__(self, start):
        self.params = {"w": np.array(start, dtype=np.float64)}
        self.grads = {"w": np.zeros(2)}


def _stepped_path(optimizer, num_steps):
    layer = _Weights(explorers.START)
    path = [layer.params["w"].copy()]
    for _ in range(num_steps):
        layer.grads["w"] = explorers.valley_grad(layer.params["w"])
        optimizer.step([layer])
        path.append(layer.params["w"].copy())
    return np.array(path)


@pytest.mark.parametrize("name", list(explorers.DESCENT_OPTIMIZERS))
@pytest.mark.parametrize("lr", [0.01, 0.05, 0.3])
def test_descent_paths_equal_glassnet_optimizer_runs(name, lr):
    make = explorers.DESCENT_OPTIMIZERS[name][1]
    path = explorers.descent_path(make(lr), 100)
    if len(path) == 101:  # a diverged path is cut short; compare what it kept
        np.testing.assert_allclose(path, _stepped_path(make(lr), 100), rtol=1e-12, atol=1e-14)
    else:
        np.testing.assert_allclose(path, _stepped_path(make(lr), len(path) - 1), rtol=1e-12)


@pytest.mark.parametrize("lr", [0.01, 0.05, 0.09])
def test_descent_sgd_path_follows_the_closed_form(lr):
    path = explorers.descent_path(optimizers.SGD(lr), 50)
    t = np.arange(51)[:, None]
    expected = np.array(explorers.START) * (1 - lr * explorers.CURVATURE) ** t
    np.testing.assert_allclose(path, expected, rtol=1e-10, atol=1e-14)


def test_descent_path_is_cut_when_it_diverges():
    path = explorers.descent_path(optimizers.SGD(0.11), 100)  # |1 - 0.11 * 20| > 1
    assert len(path) < 101 and np.abs(path[-1]).max() >= explorers.ESCAPE


def test_descent_data_lists_every_optimizer_and_learning_rate():
    data = explorers.descent_data(num_steps=20)
    assert set(data["optimizers"]) == set(explorers.DESCENT_OPTIMIZERS)
    for run in data["optimizers"].values():
        assert len(run["paths"]) == len(run["loss"]) == len(explorers.DESCENT_LRS)
        assert all(len(p) == len(v) for p, v in zip(run["paths"], run["loss"], strict=True))
    assert all(level["lines"] for level in data["contours"])


def test_main_writes_the_explorers_data(tmp_path):
    assert main(["--out", str(tmp_path), "--only", "explorers"]) == 0
    for name in ("neuron", "activations", "descent", "backprop", "gan", "digits",
                 "attention"):
        assert json.loads((tmp_path / f"{name}.json").read_text())
    assert not (tmp_path / "playground").exists()


def test_manifest_maps_every_combination_a_reader_can_pick_to_a_run():
    spec = manifest(TINY)
    runs = set(spec["runs"])
    for data, net, act, lr, reg in itertools.product(spec["datasets"], spec["networks"],
                                                    spec["activations"], spec["lrs"],
                                                    spec["regs"]):
        key = "_".join([data, net, act, f"{lr:g}", reg])  # as the page's script joins them
        assert spec["shared"].get(key, key) in runs, key
    assert set(spec["shared"].values()) <= runs and not set(spec["shared"]) & runs


# --- the backpropagation stepper ----------------------------------------------------------

def _glassnet_example(lr: float):
    """The page's 2-2-1 example run through a glassnet Sequential, independently of the
    stepper: forward, backward, one SGD step and the loss after it."""
    from glassnet_site.figures.backprop import B1, B2, W1, W2, X, Y

    model = Sequential([layers.Dense(2, 2), layers.Sigmoid(), layers.Dense(2, 1)])
    model.layers[0].params.update(W=W1.copy(), b=B1.copy())
    model.layers[2].params.update(W=W2.copy(), b=B2.copy())
    mse = losses.MSE()
    model.zero_grad()
    y_hat = model.forward(X)
    loss = mse.forward(y_hat, Y)
    dx = model.backward(mse.backward())
    d1, sig, d2 = model.layers
    out = {"z1": d1.forward(X)[0], "a1": sig.forward(d1.forward(X))[0], "y_hat": y_hat[0, 0],
           "loss": loss, "dx": dx[0], "dW1": d1.grads["W"].copy(), "db1": d1.grads["b"].copy(),
           "dW2": d2.grads["W"][:, 0].copy(), "db2": d2.grads["b"][0]}
    d_out = mse.backward()  # dL/dy_hat, the gradient the loss hands back
    out["dy_hat"] = d_out[0, 0]
    out["da1"] = d_out[0, 0] * W2[:, 0]
    out["dz1"] = d1.grads["b"].copy()  # one example: dL/db1 = delta_1
    optimizers.SGD(lr).step(model.layers)
    out["new"] = {"w": model.layers[0].params["W"], "b": model.layers[0].params["b"],
                  "v": model.layers[2].params["W"][:, 0], "c": model.layers[2].params["b"][0]}
    out["new_loss"] = mse.forward(model.forward(X), Y)
    return out


def test_backprop_stepper_numbers_are_glassnets_forward_and_backward():
    data = backprop.stepper_data()
    ex = _glassnet_example(data["lr"])
    expected = {"forward": {"z1": ex["z1"][0], "z2": ex["z1"][1], "a1": ex["a1"][0],
                            "a2": ex["a1"][1], "y_hat": ex["y_hat"], "L": ex["loss"]},
                "backward": {"L": 1.0, "y_hat": ex["dy_hat"], "c": ex["db2"],
                             "v1": ex["dW2"][0], "v2": ex["dW2"][1], "a1": ex["da1"][0],
                             "a2": ex["da1"][1], "z1": ex["dz1"][0], "z2": ex["dz1"][1],
                             "b1": ex["db1"][0], "b2": ex["db1"][1], "x1": ex["dx"][0],
                             "x2": ex["dx"][1],
                             **{f"w{i + 1}{j + 1}": ex["dW1"][i, j] for i in range(2)
                                for j in range(2)}}}
    seen = {"forward": set(), "backward": set()}
    for step in data["steps"]:
        if step["phase"] in expected:
            assert step["value"] == pytest.approx(expected[step["phase"]][step["target"]],
                                                  rel=1e-12, abs=1e-15), step
            seen[step["phase"]].add(step["target"])
    assert seen == {phase: set(values) for phase, values in expected.items()}
    new = ex["new"]
    after = {**{f"w{i + 1}{j + 1}": new["w"][i, j] for i in range(2) for j in range(2)},
             "b1": new["b"][0], "b2": new["b"][1], "v1": new["v"][0], "v2": new["v"][1],
             "c": new["c"]}
    for key, (_, grad, updated) in data["params"].items():
        assert updated == pytest.approx(after[key], rel=1e-12)
        assert grad == pytest.approx(expected["backward"][key], rel=1e-12)
    assert data["steps"][-1]["value"] == pytest.approx(ex["new_loss"], rel=1e-12)
    assert data["new_loss"] < ex["loss"]


def test_backprop_stepper_shown_products_multiply_out():
    steps = [s for s in backprop.stepper_data()["steps"] if s["phase"] == "backward"]
    assert len(steps) == 17
    # "The inputs are the only nodes with two paths to the loss" (the page's list).
    assert {s["target"] for s in steps if len(s["terms"]) == 2} == {"x1", "x2"}
    for step in steps:
        if not step["terms"]:  # dL/dL = 1
            continue
        exact = sum(local * up for local, up in step["terms"])
        assert exact == pytest.approx(step["value"], rel=1e-12, abs=1e-15), step["text"]
        # The four-decimal numbers a reader sees multiply out to the shown result, up to
        # the rounding of the factors.
        shown = sum(round(local, 4) * round(up, 4) for local, up in step["terms"])
        assert abs(shown - round(step["value"], 4)) <= 2e-4, step["text"]
        for local, up in step["terms"]:
            assert backprop.num(local) in step["text"] and backprop.num(up) in step["text"]
        assert step["text"].count(" = ") >= 2 and backprop.num(step["value"]) in step["text"]


def test_backprop_stepper_shown_update_lines_add_up():
    # "old − lr × gradient = new" in four-decimal figures: right up to the rounding.
    data = backprop.stepper_data()
    (update,) = [s for s in data["steps"] if s["phase"] == "update" and s["target"] == "params"]
    number = r"(\u2212?\d+\.\d+)"
    lines = re.findall(rf"{number} \u2212 {data['lr']:g} \u00d7 \(?{number}\)? = {number}",
                       update["text"])
    assert len(lines) == len(data["params"]) == 9
    for line in lines:
        old, grad, new = (float(v.replace("\u2212", "-")) for v in line)
        assert abs(old - data["lr"] * grad - new) <= 1e-4 + 1e-12, line


def test_backprop_stepper_local_derivatives_are_the_chain_rules():
    r = backprop.run()
    np.testing.assert_allclose(r["slope"], r["a1"] * (1 - r["a1"]), rtol=1e-12)
    np.testing.assert_allclose(r["dz1"], r["slope"] * r["da1"], rtol=1e-12)


# --- the GAN explorer ----------------------------------------------------------------------

@pytest.mark.slow
def test_gan_explorer_non_saturating_run_is_the_pages_run():
    from glassnet_site.examples import architectures as ring

    run, page = gan.cached_run("non_saturating"), ring.ring_gan()
    np.testing.assert_array_equal(run["d_loss"], page.d_loss)
    np.testing.assert_array_equal(run["g_loss"], page.g_loss)
    steps, common = list(run["steps"]), 0
    for step, samples in page.snapshots:
        if step in steps:  # every 100 steps: both record there
            np.testing.assert_array_equal(run["samples"][steps.index(step)],
                                          samples)
            common += 1
    assert common == 8


@pytest.mark.slow
def test_gan_explorer_runs_differ_only_in_the_generator_loss():
    ns, sat = gan.cached_run("non_saturating"), gan.cached_run("saturating")
    np.testing.assert_array_equal(ns["samples"][0], sat["samples"][0])  # same start
    assert not np.allclose(ns["samples"][-1], sat["samples"][-1])
    assert np.all(sat["g_loss"] <= 0) and np.all(ns["g_loss"] >= 0)  # ln(1 - s) vs -ln s


@pytest.mark.slow
def test_gan_explorer_data_is_compact_and_consistent():
    data = gan.gan_data()
    text = json.dumps(data, separators=(",", ":"))
    import gzip

    assert len(gzip.compress(text.encode())) < 150 * 1024
    n = len(data["steps"])
    assert data["steps"][0] == 0 and data["steps"][-1] == 800 and n == 800 // gan.EVERY + 1
    for run in data["runs"].values():
        assert len(run["samples"]) == len(run["field"]) == len(run["push"]) == n
        assert len(run["d_loss"]) == len(run["g_loss"]) == len(run["modes"]) == n
        assert len(base64_bytes(run["field"][0])) == data["grid"] ** 2


def base64_bytes(text: str) -> bytes:
    import base64

    return base64.b64decode(text)


def test_gan_grid_points_run_row_by_row_from_the_top_left():
    points = gan.grid_points(4, 2.0)
    assert points[0].tolist() == [-1.5, 1.5] and points[3].tolist() == [1.5, 1.5]
    assert points[-1].tolist() == [1.5, -1.5]


def test_gan_window_mean_averages_each_snapshots_preceding_steps():
    values = np.arange(1, 11, dtype=float)  # steps 1..10
    assert gan.window_mean(values, every=4).tolist() == [1.0, 2.5, 6.5, 9.5]
