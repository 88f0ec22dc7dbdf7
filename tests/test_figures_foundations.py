"""The numbers the Foundations pages quote: each agrees with an independent computation."""

import numpy as np
import pytest

from glassnet_site.figures import backprop, network, optimization, perceptron


def test_backprop_worked_example_matches_numpy_by_hand():
    ex = backprop.worked_example()
    z1 = backprop.X @ backprop.W1 + backprop.B1
    a1 = 1.0 / (1.0 + np.exp(-z1))
    y_hat = a1 @ backprop.W2 + backprop.B2
    dy_hat = 2.0 * (y_hat - backprop.Y)          # MSE of one output, one example
    dz1 = (dy_hat @ backprop.W2.T) * a1 * (1.0 - a1)
    np.testing.assert_allclose(ex["loss"], ((y_hat - backprop.Y) ** 2).item(), atol=1e-12)
    np.testing.assert_allclose(ex["dW2"], a1.T @ dy_hat, atol=1e-12)
    np.testing.assert_allclose(ex["dW1"], backprop.X.T @ dz1, atol=1e-12)
    np.testing.assert_allclose(ex["dx"], (dz1 @ backprop.W1.T)[0], atol=1e-12)


def test_walk_table_says_yes_only_for_sun_and_free_time_without_cold():
    rows = perceptron._walk_table().splitlines()[2:]
    yes = [row for row in rows if "yes" in row]
    assert len(rows) == 8
    assert yes == ["| 1 | 0 | 1 | $2$ | yes (1) |"]


def test_mlp_param_count_matches_the_formula():
    widths = network.MLP_WIDTHS
    expected = sum((n_in + 1) * n_out for n_in, n_out in zip(widths[:-1], widths[1:], strict=True))
    assert network.mlp().num_params() == expected
    assert f"total params: {expected:,}" in network._mlp_summary()


@pytest.mark.parametrize(("lr", "diverges"), [(0.02, False), (0.2, False), (0.52, True)])
def test_bowl_diverges_exactly_above_two_over_the_steepest_curvature(lr, diverges):
    path = optimization.trajectory(optimization.optimizers.SGD(lr=lr), optimization.BOWL,
                                   optimization.BOWL_START, 20)
    grows = optimization.bowl_loss(path[-1]) > optimization.bowl_loss(path[0])
    assert grows == diverges == (lr > 2.0 / optimization.BOWL.max())


def test_gradient_check_figure_separates_right_from_wrong():
    errors = dict(backprop.gradient_errors())
    wrong = errors.pop("wrong on purpose: sigmoid")
    assert max(errors.values()) < backprop.THRESHOLD
    assert wrong > 1e-2
