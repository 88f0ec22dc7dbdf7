"""Every lesson's exercise solutions exist, sit in tagged cells, and give the right answers.

The solutions are loaded with :func:`_lessons.solutions`, which runs only the lesson's
definitions, not its training and plotting cells. Each solution ``solution_k`` of lesson
``NN_topic`` is checked by a test named ``test_solution_NN_k_<behaviour>`` in this file or in
another ``tests/test_lesson_solutions*.py``; the first tests below enforce that.
"""

from __future__ import annotations

import ast

import numpy as np
import pytest
from _lessons import LESSONS, ROOT, cell_header_of, solution_numbers, solutions

from glassnet import gradcheck

SOLUTION_HEADER = '# %% tags=["solution"]'


def _check_names() -> set[str]:
    names = set()
    for path in (ROOT / "tests").glob("test_lesson_solutions*.py"):
        names |= {node.name for node in ast.parse(path.read_text()).body
                  if isinstance(node, ast.FunctionDef)}
    return names


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_has_two_to_four_exercise_solutions(lesson):
    numbers = solution_numbers(lesson)
    assert 2 <= len(numbers) <= 4
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_solutions_sit_in_cells_tagged_solution(lesson):
    for k in solution_numbers(lesson):
        assert cell_header_of(lesson, f"solution_{k}") == SOLUTION_HEADER, f"solution_{k}"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_every_solution_has_a_check(lesson):
    names = _check_names()
    number = lesson.stem[:2]
    missing = [k for k in solution_numbers(lesson)
               if not any(n.startswith(f"test_solution_{number}_{k}_") for n in names)]
    assert missing == [], f"no test_solution_{number}_<k>_... for solutions {missing}"


# --- lesson 01: the perceptron ----------------------------------------------------------

TRUTH_TABLE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


@pytest.mark.parametrize("gate, expected", [("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0])])
def test_solution_01_1_learns_or_and_nand(gate, expected):
    ns = solutions("01_perceptron")
    w, b, epochs = ns["solution_1"]()[gate]
    assert np.array_equal((TRUTH_TABLE @ w + b > 0).astype(int), expected)
    assert 1 <= epochs < 50


def test_solution_01_2_learning_rate_only_scales_the_weights():
    runs = solutions("01_perceptron")["solution_2"]()
    (w0, b0, m0), *others = [(w / lr, b / lr, m) for lr, (w, b, m) in runs.items()]
    assert len(runs) >= 3 and m0[-1] == 0
    for w, b, mistakes in others:
        assert mistakes == m0
        np.testing.assert_allclose(w, w0, rtol=1e-12)
        assert b == pytest.approx(b0, rel=1e-12)


def test_solution_01_3_product_feature_makes_xor_separable():
    w, b, mistakes = solutions("01_perceptron")["solution_3"]()
    lifted = np.c_[TRUTH_TABLE, TRUTH_TABLE[:, 0] * TRUTH_TABLE[:, 1]]
    assert np.array_equal((lifted @ w + b > 0).astype(int), [0, 1, 1, 0])
    assert mistakes[-1] == 0


# --- lesson 02: activation functions ----------------------------------------------------


def test_solution_02_1_softplus_is_stable_and_its_slope_is_the_sigmoid():
    from glassnet import activations as act

    softplus, z, slope = solutions("02_activations")["solution_1"]()
    with np.errstate(over="raise"):
        values = softplus(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(values, [0.0, np.log(2.0), 1000.0], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(softplus(z), act.softplus(z), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(slope, act.sigmoid(z), atol=1e-6)


def test_solution_02_2_tanh_is_a_rescaled_sigmoid():
    gap, tanh_slope, sigmoid_slope = solutions("02_activations")["solution_2"]()
    assert gap < 1e-12
    assert tanh_slope == pytest.approx(1.0, abs=1e-12)
    assert sigmoid_slope == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("sizes", [(2, 16, 16, 1), (3, 5, 4), (4, 4)])
def test_solution_02_3_collapsed_layer_matches_the_linear_stack(sizes):
    from glassnet import Sequential, layers

    stack = [layers.Dense(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    model = Sequential(stack, seed=3)
    for layer in stack:  # Non-zero biases, so that the bias formula is tested too.
        layer.params["b"][:] = np.random.default_rng(4).standard_normal(layer.n_out)
    W, b = solutions("02_activations")["solution_3"](stack)
    assert W.shape == (sizes[0], sizes[-1]) and b.shape == (sizes[-1],)
    x = np.random.default_rng(5).standard_normal((7, sizes[0]))
    np.testing.assert_allclose(x @ W + b, model.predict(x), rtol=1e-12, atol=1e-12)


# --- lesson 03: the forward pass --------------------------------------------------------


def test_solution_03_1_counts_parameters_three_ways_alike():
    by_hand, by_formula, by_glassnet = solutions("03_forward_pass")["solution_1"]()
    assert by_hand == by_formula == by_glassnet == 10_405


@pytest.mark.parametrize("batch", [1, 7])
def test_solution_03_2_loop_forward_matches_glassnet(batch):
    X = np.random.default_rng(batch).standard_normal((batch, 3))
    ours, theirs = solutions("03_forward_pass")["solution_2"](X)
    assert ours.shape == theirs.shape == (batch, 1)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert not np.allclose(ours, 0.5, atol=1e-3)  # Random weights, not a constant output.


def test_solution_03_3_column_convention_is_the_transpose():
    rows, columns = solutions("03_forward_pass")["solution_3"]()
    assert rows.shape == (6, 4) and columns.shape == (4, 6)
    np.testing.assert_allclose(rows, columns.T, rtol=1e-12, atol=1e-12)


# --- lesson 04: loss functions ----------------------------------------------------------


def test_solution_04_1_softmax_is_unchanged_by_a_shift():
    stable, naive = solutions("04_losses")["solution_1"]()
    assert set(stable) == set(naive) == {-1000.0, 0.0, 1000.0}
    for probs in stable.values():
        assert np.isfinite(probs).all()
        np.testing.assert_allclose(probs, stable[0.0], rtol=1e-12)
    np.testing.assert_allclose(stable[0.0].sum(), 1.0, rtol=1e-12)


def test_solution_04_1_naive_softmax_fails_only_for_the_large_shifts():
    # The reason the solution gives: e^(z + c) overflows for c = 1000 and underflows to 0
    # for c = -1000, so both give NaN; without a shift the naive version is right.
    stable, naive = solutions("04_losses")["solution_1"]()
    assert np.isnan(naive[1000.0]).all() and np.isnan(naive[-1000.0]).all()
    np.testing.assert_allclose(naive[0.0], stable[0.0], rtol=1e-12)


@pytest.mark.parametrize("z", [[[0.0, -800.0]], [[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]])
def test_solution_04_2_log_softmax_is_finite_and_matches_logsumexp(z):
    ours, reference, _ = solutions("04_losses")["solution_2"](np.array(z))
    assert np.isfinite(ours).all()
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.exp(ours).sum(axis=1), 1.0, rtol=1e-12)


def test_solution_04_2_naive_log_of_softmax_underflows_to_minus_infinity():
    _, _, naive = solutions("04_losses")["solution_2"](np.array([[0.0, -800.0]]))
    assert naive[0, 1] == -np.inf


def test_solution_04_3_squared_error_vanishes_on_a_confident_mistake():
    z, ce, se = solutions("04_losses")["solution_3"]()
    wrong = np.argmin(z)  # z = -10 with true class 1: a confident mistake.
    assert ce[wrong] == pytest.approx(-1.0, abs=1e-4)
    assert abs(se[wrong]) < 1e-3 * abs(ce[wrong])
    # The reason: squared error's push is cross-entropy's times 2 sigma'(z), at every z.
    sigmoid = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(se, ce * 2 * sigmoid * (1 - sigmoid), rtol=1e-12)


# --- lesson 05: backpropagation by hand -------------------------------------------------


@pytest.mark.parametrize("number", [1, 2])
def test_solution_05_1_and_2_gradients_pass_the_check(number):
    errors = solutions("05_backprop")[f"solution_{number}"]()[0]
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    assert max(errors.values()) < gradcheck.THRESHOLD


def _sigmoid_network_loss(ns, X, labels, params):
    """The loss of a sigmoid-hidden-layer network, written here independently of the lesson."""
    h = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    return ns["loss_and_dlogits"](h @ params["W2"] + params["b2"], labels)[0]


def test_solution_05_1_gradients_are_those_of_a_sigmoid_network():
    # The solution checks itself against its own forward pass; a solution that kept tanh in
    # both would pass that, so compare its gradients with this file's sigmoid network.
    ns = solutions("05_backprop")
    _, grads, (X, labels, params) = ns["solution_1"]()
    for name in params:
        numeric = gradcheck.numerical_gradient(
            lambda _: _sigmoid_network_loss(ns, X, labels, params), params[name])
        assert gradcheck.relative_error(grads[name], numeric) < gradcheck.THRESHOLD, name


def test_solution_05_1_sigmoid_backward_differs_from_tanh_backward():
    # Negative control: the tanh backward pass must fail the check on a sigmoid network,
    # otherwise the check in solution_1 could not tell the two apart.
    ns = solutions("05_backprop")
    rng = np.random.default_rng(0)
    X, labels = rng.standard_normal((6, 2)), rng.integers(0, 3, size=6)
    params = ns["init_params"](2, 4, 3, rng)
    a1 = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    z2 = a1 @ params["W2"] + params["b2"]
    grads = ns["backward"](ns["loss_and_dlogits"](z2, labels)[1], {"X": X, "a1": a1}, params)
    numeric = gradcheck.numerical_gradient(
        lambda _: _sigmoid_network_loss(ns, X, labels, params), params["W1"])
    assert gradcheck.relative_error(grads["W1"], numeric) > 1e-2


@pytest.mark.parametrize("lam", [0.1, 0.5])
def test_solution_05_2_penalty_adds_lambda_w_to_weight_gradients_only(lam):
    # The reason the solution gives: d/dW of (lam / 2) ||W||^2 is lam W, and biases are not
    # penalised. A solution that ignored lam in loss and gradient alike would pass its own
    # check, but not this one.
    solution_2 = solutions("05_backprop")["solution_2"]
    errors, with_penalty, params = solution_2(lam=lam)
    _, without, _ = solution_2(lam=0.0)
    assert max(errors.values()) < gradcheck.THRESHOLD
    for name in ("W1", "W2"):
        np.testing.assert_allclose(with_penalty[name] - without[name], lam * params[name],
                                   rtol=1e-10, atol=1e-15)
    for name in ("b1", "b2"):
        np.testing.assert_array_equal(with_penalty[name], without[name])


def test_solution_05_3_batch_gradient_is_the_mean_of_single_gradients():
    batch, single = solutions("05_backprop")["solution_3"]()
    assert batch.shape == (2, 4) and np.abs(batch).max() > 1e-3
    np.testing.assert_allclose(batch, single, rtol=1e-10, atol=1e-15)


# --- lesson 06: gradient descent, momentum and Adam --------------------------------------


def test_solution_06_1_largest_stable_learning_rate_is_two_over_the_curvature():
    ns = solutions("06_gradient_descent")
    found = ns["solution_1"]()
    # From below: a rate above 2 / lambda_max = 0.1 diverges and must not be the answer.
    assert 0.1 - 1e-6 < found <= 0.1
    # The reason: just above the limit the steep coordinate grows every step; just below
    # it shrinks.
    assert ns["grows"](0.1 + 1e-4) and not ns["grows"](0.1 - 1e-4)


@pytest.mark.parametrize("lr, mu", [(0.05, 0.6), (0.02, 0.9)])
def test_solution_06_2_nesterov_matches_glassnet(lr, mu):
    ours, theirs = solutions("06_gradient_descent")["solution_2"](num_steps=60, lr=lr, mu=mu)
    assert ours.shape == (61, 2)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert np.linalg.norm(ours[-1]) < 0.1 * np.linalg.norm(ours[0])


def test_solution_06_3_bias_correction_makes_the_first_step_lr_long():
    corrected, uncorrected = solutions("06_gradient_descent")["solution_3"](lr=0.3)
    np.testing.assert_allclose(corrected, 0.3, rtol=1e-6)
    np.testing.assert_allclose(uncorrected, 0.3 * 0.1 / np.sqrt(0.001), rtol=1e-6)


# --- lesson 07: your first network --------------------------------------------------------


def test_solution_07_1_one_hidden_unit_fails_where_sixteen_succeed():
    accuracies = solutions("07_first_network")["solution_1"](widths=(1, 16))
    assert accuracies[1] < 0.8
    assert accuracies[16] >= 0.95


def test_solution_07_2_logistic_regression_trails_the_network():
    accuracy = solutions("07_first_network")["solution_2"]()
    assert 0.75 <= accuracy < 0.95


def test_solution_07_3_same_seed_same_weights_other_seed_other_weights():
    first, again, other = solutions("07_first_network")["solution_3"]()
    assert len(first) == len(again) == len(other) == 6
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))
