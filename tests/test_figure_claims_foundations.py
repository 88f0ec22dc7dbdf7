"""The claims the Foundations pages make about their figures and runs hold.

A page quotes computed numbers through ``[[fact:...]]``, but some of its sentences also say
what a run shows ("it converged", "three of the four corners", "it never settles") that no
fact checks on its own. These tests call the same cached functions the figures use, so
they assert on exactly the runs the reader sees.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from glassnet import layers, losses
from glassnet.perceptron import perceptron_predict
from glassnet_site.examples import foundations as fm
from glassnet_site.figures import losses as losses_figures
from glassnet_site.figures import optimization as optimization_figures
from glassnet_site.figures import perceptron as perceptron_figures

DOCS = Path(__file__).resolve().parents[1] / "docs"

pytestmark = pytest.mark.slow


# --- perceptron.md ---------------------------------------------------------------------


def test_perceptron_on_blobs_converges_so_its_last_epoch_is_clean():
    # "training stops after the first epoch without a single mistake ... stopped after
    # N epochs": true only if the run converged before running out of epochs.
    result = fm.perceptron_on_blobs()
    X, y = fm.blobs()
    assert result.converged and result.mistakes[-1] == 0
    assert np.all(perceptron_predict(X, result.w, result.b) == y)


def test_perceptron_learning_figure_has_four_distinct_panels():
    # The alt text describes four panels: start, after 1 mistake, after a few, the end.
    assert len(fm.perceptron_on_blobs().path) - 1 >= 3


def test_perceptron_on_xor_makes_mistakes_in_every_epoch():
    result = fm.perceptron_on_xor()
    assert not result.converged and min(result.mistakes) > 0


def test_best_straight_line_on_xor_gets_three_of_four_corners():
    assert perceptron_figures.best_line_xor_accuracy() == 0.75


def test_best_line_search_finds_a_perfect_line_on_separable_clusters(monkeypatch):
    # Control: on data a line separates, the same search must report 100%.
    monkeypatch.setattr(fm, "xor_data", fm.blobs)
    assert perceptron_figures.best_line_xor_accuracy() == 1.0


def test_walk_weights_in_the_prose_are_those_of_the_figures():
    text = (DOCS / "foundations" / "perceptron.md").read_text()
    typed = re.search(r"\$w_1 = (-?\d+)\$, \$w_2 = (-?\d+)\$, \$w_3 = (-?\d+)\$", text)
    assert typed, "the walk weights are no longer written as $w_1 = ...$"
    assert [float(v) for v in typed.groups()] == list(perceptron_figures.WALK_W)
    assert f"$b = {perceptron_figures.WALK_B:g}$" in text


# --- what-is-a-neural-network.md -------------------------------------------------------


def test_moons_network_does_well_on_held_out_moons():
    X, y = fm.moons_test_data()
    assert fm.accuracy(fm.predict_classes(fm.moons_mlp())(X), y) > 0.9


# --- losses.md -------------------------------------------------------------------------


def test_confidently_wrong_squared_error_stalls_while_cross_entropy_pushes():
    curves = losses_figures.loss_curves()
    worst = np.argmin(curves["p"])
    assert curves["abs_dse_dz"][worst] < 0.01 * curves["abs_dce_dz"][worst]
    assert curves["abs_dse_dz"].max() < 0.3 < curves["abs_dce_dz"].max()


def test_clipped_softmax_cross_entropy_barely_pushes_a_confident_mistake():
    # The page: clipping keeps the loss finite, but the gradient reaching the logits through
    # the saturated softmax is practically zero; from logits the push is about 1.
    logits, label = np.array([[0.0, -30.0, 5.0]]), np.array([1])
    softmax, clipped = layers.Softmax(), losses.CrossEntropy(from_logits=False)
    loss = clipped.forward(softmax.forward(logits), label)
    through_softmax = softmax.backward(clipped.backward())
    fused = losses.CrossEntropy()
    fused.forward(logits, label)
    assert loss == pytest.approx(-np.log(losses.EPS))
    assert np.abs(through_softmax).max() < 1e-6
    assert fused.backward()[0, 1] == pytest.approx(-1.0, abs=1e-6)


def test_untrained_digits_network_starts_at_ln_10_or_up_to_a_few_tenths_above():
    first = np.array(losses_figures.initial_digits_losses())
    assert np.all(first > np.log(10) - 0.05) and np.all(first < np.log(10) + 0.5)


@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_averaged_over_the_labels_is_never_below_ln_c(seed):
    # The page: averaged over the C labels, unequal logits never give less than ln C.
    rng = np.random.default_rng(seed)
    for C, scale in zip((2, 10, 100), (0.01, 1.0, 3.0), strict=True):
        logits = rng.standard_normal((200, C)) * scale
        mean_over_labels = np.mean([losses.CrossEntropy().forward(logits, np.full(200, k))
                                    for k in range(C)])
        assert mean_over_labels >= np.log(C) - 1e-12


# --- optimizers.md ---------------------------------------------------------------------


def test_ravine_rmsprop_falls_fastest_sgd_steadily_momentum_and_adam_with_oscillations():
    # The alt text: RMSProp falls fastest, plain SGD steadily but slowly, momentum and Adam
    # with oscillations.
    curves = [0.5 * np.sum(optimization_figures.RAVINE * path**2, axis=1)
              for path in optimization_figures.ravine_paths()]
    sgd, momentum, rmsprop, adam = curves
    for step in range(5, len(rmsprop), 5):
        assert rmsprop[step] < min(sgd[step], momentum[step], adam[step])
    assert np.all(np.diff(sgd) < 0) and sgd[-1] == max(c[-1] for c in curves)
    assert np.sum(np.diff(momentum) > 0) >= 10 and np.sum(np.diff(adam) > 0) >= 10


def test_momentum_keeps_swinging_across_the_ravine_after_sgd_has_settled():
    # The page: over steps 40 to 60 plain SGD stays on the floor, momentum still swings.
    sgd, momentum = optimization_figures.late_swing(0), optimization_figures.late_swing(1)
    assert sgd < 1e-3 and momentum > 10 * sgd + 0.05


def test_descent_explorer_momentum_faster_below_lesson_rate_slower_above_then_alone_converges():
    # optimizers.md: at lesson 6's rate momentum 0.9 first gets below 1e-3 a little sooner;
    # at smaller rates it is much faster; just above, slower; higher, where plain descent
    # no longer converges (eta >= 2/c, c = 20), momentum 0.9 still does.
    opt = optimization_figures
    lesson = opt.LESSON_LR
    momentum, sgd = opt.settle_step("momentum", lesson), opt.settle_step("sgd", lesson)
    assert momentum < sgd <= momentum + 15
    momentum_losses, sgd_losses = opt.explorer_losses("momentum"), opt.explorer_losses("sgd")
    for lr in (lr for lr in momentum_losses if lr < lesson):
        assert momentum_losses[lr][-1] < sgd_losses[lr][-1] / 10, lr
    slower, alone = opt.momentum_slower_rates(), opt.momentum_only_rates()
    assert slower and alone and max(slower) < min(alone)
    assert all(lr >= 2 / 20 for lr in alone)
    assert all(opt.converges("sgd", lr) for lr in slower)


def test_minibatch_more_and_noisier_steps_make_faster_progress_per_epoch_in_this_run():
    # The alt text, of the figure's one run at its hand-picked rates: full batches fall
    # smoothly, mini-batches faster with small wiggles, single examples fastest and jitter.
    runs = optimization_figures.minibatch_runs()
    batch, mini, single = (runs[label] for label, _, _ in optimization_figures.MINIBATCH_RUNS)

    def at_epoch_ends(run):
        epochs, curve = run
        return curve[np.isclose(epochs, np.round(epochs))]

    assert np.all(at_epoch_ends(single) < at_epoch_ends(mini))
    assert np.all(at_epoch_ends(mini) < at_epoch_ends(batch))
    assert np.all(np.diff(batch[1]) < 0)
    assert 0 < np.sum(np.diff(mini[1]) > 0) < 0.2 * len(mini[1])
    assert np.sum(np.diff(single[1]) > 0) > 0.25 * len(single[1])
