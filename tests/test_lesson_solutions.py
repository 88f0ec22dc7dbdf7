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
