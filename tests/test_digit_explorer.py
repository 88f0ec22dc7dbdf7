"""Tests of glassnet_site.interactive.digits: the network and digits of the digit explorer."""

from __future__ import annotations

import json

import numpy as np
import pytest

from glassnet import layers as L
from glassnet.activations import softmax
from glassnet.data import digits_split
from glassnet.model import Sequential
from glassnet_site.examples import architectures as models
from glassnet_site.interactive import digits


def test_export_layers_rejects_a_layer_the_browser_cannot_run():
    model = Sequential([L.Dense(4, 3), L.Sigmoid()], seed=0)
    with pytest.raises(TypeError, match="Conv2D, ReLU, MaxPool2D, Flatten and Dense.*Sigmoid"):
        digits.export_layers(model)


def test_export_layers_writes_weights_row_major_and_ends_in_softmax():
    model = models.make_digits_cnn()
    exported = digits.export_layers(model)
    assert [layer["type"] for layer in exported] == ["conv2d", "relu", "maxpool", "flatten",
                                                     "dense", "softmax"]
    conv, dense = exported[0], exported[4]
    W = model.layers[0].params["W"]
    assert conv["shape"] == [8, 1, 3, 3] and conv["padding"] == 1 and conv["stride"] == 1
    np.testing.assert_allclose(conv["W"][1 * 9 + 2 * 3 + 1], W[1, 0, 2, 1], rtol=1e-4)
    np.testing.assert_allclose(dense["W"][5 * 10 + 7], model.layers[4].params["W"][5, 7],
                               rtol=1e-4)


def test_explorer_model_rounded_weights_keep_every_test_prediction():
    trained, _ = models.digits_cnn()
    _, _, X_test, _, _, _ = digits_split(images=True)
    rounded = digits.explorer_model()
    assert np.array_equal(rounded.predict(X_test).argmax(1), trained.predict(X_test).argmax(1))
    W = rounded.layers[4].params["W"]
    assert np.array_equal(W, digits._round(W))  # already rounded: what the JSON holds


def test_picks_are_the_first_of_each_class_then_the_hardest():
    p, y = digits.heldout_probabilities()
    picks = digits.picks()
    assert len(picks) == 10 + digits.HARDEST == len(set(picks))
    assert [int(y[i]) for i in picks[:10]] == list(range(10))
    assert all(np.flatnonzero(y == c)[0] == picks[c] for c in range(10))
    true = p[np.arange(len(y)), y]
    rest = np.delete(true, picks[:10])
    assert sorted(true[picks[10:]]) == sorted(np.sort(rest)[:digits.HARDEST])
    # The page: "the 2 test digits whose class the network finds least likely of all 360".
    assert sorted(picks[10:]) == sorted(np.argsort(true, kind="stable")[:digits.HARDEST])


def test_hardest_pick_is_the_offered_digit_with_the_least_likely_class():
    p, y = digits.heldout_probabilities()
    picks, hardest = digits.picks(), digits.hardest_pick()
    i = picks[hardest["number"] - 1]
    assert hardest["label"] == y[i] and hardest["predicted"] == p[i].argmax()
    assert hardest["p_label"] == min(p[j, y[j]] for j in picks)


def test_blank_probabilities_are_the_softmax_of_the_network_on_zeros():
    z = digits.explorer_model().predict(np.zeros((1, 1, 8, 8)))
    np.testing.assert_allclose(digits.blank_probabilities(), softmax(z)[0], atol=1e-12)


def test_digit_explorer_data_holds_counts_and_scales_and_is_small():
    data = digits.digit_explorer_data()
    text = json.dumps(data, separators=(",", ":"))
    assert len(text) < 20_000
    _, _, X_test, _, _, _ = digits_split(images=True)
    for digit in data["digits"]:
        counts = np.array(digit["counts"])
        assert counts.min() >= 0 and counts.max() <= data["max_count"]
        np.testing.assert_array_equal(counts / data["max_count"], X_test[digit["index"], 0].ravel())
    assert len(data["scales"]) == len(data["layers"]) and min(data["scales"]) > 0
    assert data["bitmap"] == data["block"] * 8
