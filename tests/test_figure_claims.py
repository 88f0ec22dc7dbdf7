"""The claims the Training and Architectures pages make about their figures hold.

A page quotes computed numbers through ``[[fact:...]]``, but its sentences also make
comparisons ("L2 and dropout beat no regularisation", "the LSTM remembers longer") that no
fact checks. These tests call the same cached model functions the figures use, so they
assert on exactly the runs the reader sees. Run in the same process as
``tests/test_figures.py``, the models are trained once for both. A sentence about one run
("in this run", a figure's caption) is checked on that run; a sentence about a method
("batch normalisation keeps the gradient", "the best rate grows with the batch size") is
checked on several seeds, the figure's seed 0 among them.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from glassnet.data import digits_split
from glassnet.layers import Conv2D
from glassnet_site.examples import architectures as am
from glassnet_site.examples import deep as dm
from glassnet_site.examples import training as tm
from glassnet_site.figures import gans
from glassnet_site.figures import playground as pg
from glassnet_site.interactive import gan as explorer
from glassnet_site.interactive import playground

pytestmark = pytest.mark.slow

_NONE, _L2, _DROPOUT = tm.REGULARISED
_NEURON, _SMALL, _DEEP = tm.CAPACITY


def at_seed(fn, *args, seed: int = 0):
    """``fn(*args)`` for seed 0, called exactly as the figures call it so that the cached run
    is shared with them (a cache tells ``fn(x)`` from ``fn(x, 0)``); else ``fn(*args, seed)``."""
    return fn(*args, seed) if seed else fn(*args)


def accuracies(name: str) -> tuple[float, float]:
    """(training, validation) accuracy of one run of the overfitting comparison."""
    if name == "early stopping":
        return tm.moons_accuracies(tm.early_stopping_run()[0])
    return tm.moons_accuracies(tm.regularised_run(name)[0])


# --- data.md -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_digits_validation_loss_starts_below_the_training_loss(seed):
    # The training loss is averaged while the weights change; validation is measured after.
    # The page gives this as the reason, so it must not hang on the figure's seed.
    history = (tm.digits_run() if seed == 0 else tm.digits_run(seed=seed))[1].history
    assert all(v < t for v, t in zip(history["val_loss"][:3], history["loss"][:3], strict=True))


def test_digits_validation_loss_hardly_improves_over_the_second_half():
    history = tm.digits_run()[1].history
    half = len(history["loss"]) // 2
    assert history["val_loss"][-1] > 0.8 * history["val_loss"][half - 1]
    assert history["loss"][-1] < 0.5 * history["loss"][half - 1]


def test_digits_validation_loss_ends_above_training_loss():
    history = tm.digits_run()[1].history
    assert history["val_loss"][-1] > 2 * history["loss"][-1]


def test_digits_network_classifies_most_test_digits():
    y_true, y_pred, _ = tm.digits_test_predictions()
    assert np.mean(y_true == y_pred) > 0.93


# --- hyperparameters.md ------------------------------------------------------------------
# The heatmap is seed 0. The page reads lessons about the learning rate and the batch size
# from it, so each is checked on several seeds of the whole sweep (about five seconds each).

SWEEP_SEEDS = tm.SWEEP_SEEDS


@pytest.mark.parametrize("seed", SWEEP_SEEDS)
def test_sweep_largest_rate_with_small_batches_kills_relus_without_diverging(seed):
    dead, units, train_loss = at_seed(tm.sweep_cell, 8, 1.0, seed=seed)
    assert np.isfinite(train_loss).all() and max(train_loss) < 5   # no blow-up
    assert dead >= 0.9 * units                                      # almost every unit off
    assert at_seed(tm.sweep_cell, 8, 0.1, seed=seed)[0] <= 0.1 * units  # a good cell keeps them


@pytest.mark.parametrize("seed", SWEEP_SEEDS)
def test_sweep_learning_rate_spans_the_whole_range_of_outcomes(seed):
    # The page: the learning rate spans the whole range; at every batch size it moves the
    # accuracy by most of the grid's range.
    scores = at_seed(tm.sweep, seed=seed)
    full = scores.max() - scores.min()
    assert np.all(scores.max(axis=1) - scores.min(axis=1) > 0.6 * full)


@pytest.mark.parametrize("seed", SWEEP_SEEDS)
def test_sweep_smallest_lr_with_largest_batch_has_barely_started(seed):
    scores = at_seed(tm.sweep, seed=seed)
    assert scores[tm.SWEEP_BATCHES.index(128), tm.SWEEP_LRS.index(0.003)] < 0.3
    assert scores.max() > 0.9


@pytest.mark.parametrize("seed", SWEEP_SEEDS)
def test_sweep_lr_one_collapses_with_batch_8_but_not_with_larger_batches(seed):
    at_lr_one = at_seed(tm.sweep, seed=seed)[:, tm.SWEEP_LRS.index(1.0)]
    assert at_lr_one[0] < 0.25
    assert np.all(at_lr_one[1:] > 0.6)


@pytest.mark.parametrize("seed", SWEEP_SEEDS)
def test_sweep_good_cells_run_along_a_diagonal(seed):
    # The two corners off the diagonal: at the smallest rate, larger batches do worse; at
    # the largest, batches of 8 do worst. And the best rate never falls as batches grow.
    scores = at_seed(tm.sweep, seed=seed)
    assert scores[0, 0] > scores[1:, 0].max()
    assert scores[0, -1] == scores[:, -1].min()
    best_lr = [tm.SWEEP_LRS[j] for j in scores.argmax(axis=1)]
    assert best_lr[-1] >= best_lr[0]


def test_sweep_best_learning_rate_grows_with_batch_size_over_the_seeds():
    # In one run two neighbouring rates can swap places (seed 3: 0.3, 1, 0.3); averaged
    # over the seeds, the best rate grows with the batch size.
    mean = np.mean([at_seed(tm.sweep, seed=seed) for seed in SWEEP_SEEDS], axis=0)
    best_lr = [tm.SWEEP_LRS[j] for j in mean.argmax(axis=1)]
    assert best_lr == sorted(best_lr) and best_lr[-1] > best_lr[0]


def test_sweep_figure_run_is_worst_in_its_top_right_cell():
    # The alt text of the figure (seed 0): the top-right cell (batch 8, the largest rate)
    # collapses; in this run it is the worst of all. On other seeds the smallest rate with
    # the largest batch can score lower still, so the page does not say so in general.
    scores = tm.sweep()
    assert scores.argmin() == np.ravel_multi_index((0, len(tm.SWEEP_LRS) - 1), scores.shape)


# --- decision-boundaries.md --------------------------------------------------------------


def _boundary_line(probability, points):
    """Direction (degrees) and RMS distance from the best straight line of the points where
    the probability is within 0.03 of one half."""
    near = points[np.abs(np.ravel(probability) - 0.5) < 0.03]
    _, s, vt = np.linalg.svd(near - near.mean(axis=0), full_matrices=False)
    return np.degrees(np.arctan2(vt[0, 1], vt[0, 0])) % 180, s[1] / np.sqrt(len(near))


def test_boundary_turns_while_nearly_straight_then_bends():
    # The caption: the boundary turns while it is still nearly straight, and bends later.
    epochs, probabilities = tm.boundary_snapshots()
    _, _, points = tm.grid()
    line = {e: _boundary_line(p, points) for e, p in zip(epochs, probabilities, strict=True)}
    (turn_a, bend_a), (turn_b, bend_b) = line[epochs[1]], line[epochs[2]]
    assert bend_a < 0.15 and bend_b < 0.15 and abs(turn_a - turn_b) > 15
    assert line[epochs[3]][1] > 0.3


# The capacity figure is seed 0; its lessons about the three sizes of network are checked
# on five seeds (each seed trains the three networks, one or two seconds in all).

CAPACITY_SEEDS = range(5)


def capacity_accuracies(name: str, seed: int) -> tuple[float, float]:
    return tm.moons_accuracies(at_seed(tm.capacity_run, name, seed=seed)[0])


@pytest.mark.parametrize("seed", CAPACITY_SEEDS)
def test_capacity_training_accuracy_grows_with_capacity(seed):
    train = [capacity_accuracies(name, seed)[0] for name in tm.CAPACITY]
    assert train == sorted(train)
    assert train[-1] > 0.9


@pytest.mark.parametrize("seed", CAPACITY_SEEDS)
def test_capacity_small_mlp_generalises_best(seed):
    val = {name: capacity_accuracies(name, seed)[1] for name in tm.CAPACITY}
    assert val[_SMALL] > max(val[_NEURON], val[_DEEP])


def test_capacity_small_mlp_generalises_best_by_a_margin_in_the_figures_run():
    val = {name: capacity_accuracies(name, 0)[1] for name in tm.CAPACITY}
    assert val[_SMALL] > val[_NEURON] + 0.03
    assert val[_SMALL] > val[_DEEP] + 0.05


@pytest.mark.parametrize("seed", CAPACITY_SEEDS)
def test_capacity_deep_mlp_does_about_as_well_as_a_single_neuron_on_new_data(seed):
    # The page: no better in the figure's run, within a few points either way on other seeds.
    neuron_val, deep_val = (capacity_accuracies(name, seed)[1] for name in (_NEURON, _DEEP))
    assert abs(deep_val - neuron_val) < 0.05
    if seed == 0:
        assert deep_val <= neuron_val


def test_capacity_deep_mlp_does_no_better_than_a_single_neuron_on_average():
    gaps = [capacity_accuracies(_DEEP, seed)[1] - capacity_accuracies(_NEURON, seed)[1]
            for seed in CAPACITY_SEEDS]
    assert np.mean(gaps) <= 0


@pytest.mark.parametrize("seed", CAPACITY_SEEDS)
def test_capacity_deep_mlp_gap_is_large_and_neuron_gap_is_small(seed):
    neuron_train, neuron_val = capacity_accuracies(_NEURON, seed)
    deep_train, deep_val = capacity_accuracies(_DEEP, seed)
    assert deep_train - deep_val > 0.2
    assert abs(neuron_train - neuron_val) < 0.1


# --- overfitting.md ----------------------------------------------------------------------


@pytest.mark.parametrize("remedy", ["early stopping", _L2, _DROPOUT])
def test_regularisation_lowers_training_and_raises_validation_accuracy(remedy):
    # Pins this one run ("in this run" on the page); it is not a rule across seeds.
    none_train, none_val = accuracies(_NONE)
    train, val = accuracies(remedy)
    assert train < none_train
    assert val > none_val + 0.05


def test_early_stopping_keeps_an_undertrained_nearly_linear_network():
    stopper = tm.early_stopping_run()[2]
    assert stopper.best_epoch + 1 <= 20                   # full batch: one step per epoch
    early_train, early_val = accuracies("early stopping")
    neuron_train, neuron_val = tm.moons_accuracies(tm.capacity_run(_NEURON)[0])
    assert abs(early_val - neuron_val) < 0.05
    assert abs(early_train - neuron_train) < 0.05


def test_overfit_validation_loss_climbs_after_its_minimum():
    val_loss = np.array(tm.regularised_run(_NONE)[1].history["val_loss"])
    best = int(val_loss.argmin())
    assert best < len(val_loss) // 10
    assert val_loss[-1] > 3 * val_loss[best]


def test_overfit_validation_accuracy_levels_off_early_and_drops_after_a_few_dozen_epochs():
    # The alt text: validation accuracy levels off early and drops after a few dozen epochs.
    val = np.array(tm.regularised_run(_NONE)[1].history["val_accuracy"])
    peak = int(val.argmax())
    assert 10 <= peak <= 60 and val[10] > val[peak] - 0.02
    assert val[-1] < val[peak] - 0.05


@pytest.mark.parametrize("remedy", [_L2, _DROPOUT])
def test_l2_and_dropout_validation_accuracy_keeps_improving(remedy):
    # The alt text: the L2 and dropout networks keep improving (no fall like the plain one).
    val = np.array(tm.regularised_run(remedy)[1].history["val_accuracy"])
    assert val[-1] > val[50] + 0.03 and val[-1] > val.max() - 0.02


def test_early_stopping_best_epoch_precedes_the_stop_by_the_patience():
    _, history, stopper = tm.early_stopping_run()
    assert stopper.best_epoch < stopper.stopped_epoch
    assert stopper.stopped_epoch - stopper.best_epoch == tm.PATIENCE
    assert len(history.epoch) == stopper.stopped_epoch + 1


def test_early_stopping_restores_the_best_epoch():
    model, history, stopper = tm.early_stopping_run()
    _, _, X_val, y_val = tm.moons()
    restored = model.evaluate(X_val, y_val)["loss"]
    np.testing.assert_allclose(restored, history.history["val_loss"][stopper.best_epoch],
                               rtol=1e-9)


def test_l2_packs_weights_near_zero_and_dropout_lies_in_between():
    def mean_abs(name):
        dense = [layer for layer in tm.regularised_run(name)[0].layers
                 if "W" in layer.params][:-1]
        return np.mean(np.abs(np.concatenate([layer.params["W"].ravel() for layer in dense])))
    assert mean_abs(_L2) < 0.2 * mean_abs(_NONE)
    assert mean_abs(_L2) < mean_abs(_DROPOUT) < mean_abs(_NONE)


# --- vanishing-gradients.md --------------------------------------------------------------
# The figures show seed 0. What the page says about sigmoid, ReLU, Xavier, He, batch
# normalisation and residual connections is about the methods, so each claim is checked on
# other seeds too: five for the networks at initialisation (a fraction of a second each),
# three for the trained deep networks (a few seconds each).

INIT_SEEDS = range(5)
DEEP_SEEDS = (0, 1, 2)


@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_sigmoid_xavier_gradient_vanishes_across_depth(seed):
    norms = at_seed(dm.init_gradient_norms, seed=seed)["sigmoid, Xavier"]
    assert norms[0] / norms[-1] < 1e-6
    assert np.all(np.diff(np.log(norms)) > 0)  # rising steadily towards the output


@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_sigmoid_xavier_gradient_shrinks_about_four_times_per_layer(seed):
    # Xavier assumes slope 1 at zero; sigmoid's is 1/4, so about 4 per layer remains.
    from glassnet_site.figures.vanishing import sigmoid_shrink_per_layer
    assert 3.0 < at_seed(sigmoid_shrink_per_layer, seed=seed) < 5.5


@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_relu_he_gradient_stays_within_an_order_of_magnitude(seed):
    norms = np.array(at_seed(dm.init_gradient_norms, seed=seed)["ReLU, He"])
    assert norms.max() / norms.min() < 10


@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_relu_gradient_is_flat_at_every_scale_and_doubled_he_is_huge_at_every_layer(seed):
    # The alt text: every ReLU line stays flat; the page: with weights twice the He scale
    # every layer's gradient is equally, enormously too large.
    norms = {label: np.array(n) for label, n in at_seed(dm.init_gradient_norms, seed=seed).items()}
    for label in ("ReLU, Xavier", "ReLU, He", "ReLU, He, weights ×2"):
        assert norms[label].max() / norms[label].min() < 10, label
    assert norms["ReLU, He, weights ×2"].min() > 1e3 * norms["ReLU, He"].max()


@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_relu_xavier_gradient_is_small_and_doubled_he_explodes(seed):
    norms = at_seed(dm.init_gradient_norms, seed=seed)
    he_first = norms["ReLU, He"][0]
    assert norms["ReLU, Xavier"][0] < 0.1 * he_first
    assert norms["ReLU, He, weights ×2"][0] > 1e3 * he_first


@pytest.mark.parametrize("seed", DEEP_SEEDS)
def test_plain_deep_sigmoid_network_stays_at_chance(seed):
    history = at_seed(dm.deep_run, "plain", seed=seed)[1].history
    assert history["val_accuracy"][-1] < 0.2
    assert history["loss"][-1] > 0.95 * np.log(10)


@pytest.mark.parametrize("seed", DEEP_SEEDS)
@pytest.mark.parametrize("kind", ["batchnorm", "residual"])
def test_batchnorm_and_residual_beat_the_plain_deep_network(kind, seed):
    plain = at_seed(dm.deep_run, "plain", seed=seed)[1].history["val_accuracy"][-1]
    assert at_seed(dm.deep_run, kind, seed=seed)[1].history["val_accuracy"][-1] > plain + 0.6


@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_batchnorm_does_not_raise_the_sigmoid_slope_but_keeps_the_spread(seed):
    plain, bn = (at_seed(dm.sigmoid_layer_stats, kind, seed=seed)
                 for kind in ("plain", "batchnorm"))
    # The plain sigmoids already sit in their steep middle (the maximum slope is 0.25) ...
    assert min(plain["slope"]) > 0.2
    # ... and batch normalisation does not steepen them.
    assert max(bn["slope"][1:]) <= min(plain["slope"][1:])
    # What it changes is the spread across images: about four times less per plain layer,
    spread = np.array(plain["spread"])
    assert np.all((spread[1:] / spread[:-1] > 0.15) & (spread[1:] / spread[:-1] < 0.35))
    # With batch normalisation each sigmoid's input has unit spread, so its output keeps a
    # spread of about 0.2 (about its slope) at every layer instead of shrinking.
    assert np.all((np.array(bn["spread"][1:]) > 0.15) & (np.array(bn["spread"][1:]) < 0.25))


@pytest.mark.parametrize("seed", INIT_SEEDS)
def test_batchnorm_keeps_the_gradient_the_same_size_at_every_layer(seed):
    X_train, _, _, y_train, _, _ = tm.digits_split()
    grads = {kind: dm.gradient_norms(dm.deep_sigmoid(kind, seed), X_train[:256],
                                     y_train[:256])
             for kind in ("plain", "batchnorm")}
    assert min(grads["plain"]) < 1e-5 * max(grads["plain"])
    assert min(grads["batchnorm"]) > 0.1 * max(grads["batchnorm"])


@pytest.mark.parametrize("seed", DEEP_SEEDS)
def test_residual_network_starts_with_a_larger_loss_and_ends_below_plain(seed):
    plain = at_seed(dm.deep_run, "plain", seed=seed)[1].history["loss"]
    residual = at_seed(dm.deep_run, "residual", seed=seed)[1].history["loss"]
    assert residual[0] > 3 * plain[0]
    assert residual[-1] < 0.2 * plain[-1]


# --- cnn.md, rnn.md, transformers.md, gans.md -------------------------------------------


def test_cnn_classifies_held_out_digits():
    _, accuracy = am.digits_cnn()
    assert accuracy > 0.92


def test_cnn_is_less_accurate_than_the_dense_digits_network_with_fewer_parameters():
    cnn, cnn_accuracy = am.digits_cnn()
    y_test, y_pred, _ = tm.digits_test_predictions()
    assert len(y_test) == len(digits_split(images=True)[5])   # one test set for both
    assert cnn_accuracy < np.mean(y_pred == y_test)
    assert cnn.num_params() < tm.digits_run()[0].num_params()


def test_cnn_feature_maps_some_respond_much_more_weakly_than_others():
    from glassnet_site.figures import cnn as cnn_figures

    assert cnn_figures.weakest_map_share() < 0.5


def test_dense_equivalent_has_the_output_of_the_cnns_first_convolution():
    from glassnet_site.figures import cnn as cnn_figures

    conv = Conv2D(**cnn_figures.SAME_CONV)
    first = am.make_digits_cnn().layers[0]
    assert (conv.kernel_size, conv.padding, conv.stride) == (
        first.kernel_size, first.padding, first.stride)
    n_out = int(np.prod(conv.output_shape((1, 8, 8))))
    assert cnn_figures._dense_equivalent().params["W"].shape == (64, n_out)


def test_more_lstm_runs_than_rnn_runs_solve_the_long_distances():
    from glassnet_site.figures.rnn import solved_runs

    assert len(am.MEMORY_SEEDS) >= 5
    for distance in (20, 25):
        assert solved_runs("LSTM", distance) > solved_runs("RNN", distance)


def test_memory_short_distances_are_solved_by_every_run():
    curves = am.memory_curves()
    for cell in ("RNN", "LSTM"):
        assert np.all(curves[cell][:, :2] > 0.95)


def test_lstm_curve_never_below_rnn_curve():
    curves = am.memory_curves()
    assert np.all(curves["LSTM"].mean(axis=0) >= curves["RNN"].mean(axis=0))


def test_reverser_learns_and_attends_to_the_mirror_position():
    _, _, accuracy, example = am.reversal_transformer()
    A = am.reversal_attention()                                   # (heads, T, T)
    T = example.shape[1]
    assert accuracy > 0.95
    np.testing.assert_array_equal(A[0].argmax(axis=1), np.arange(T)[::-1])
    assert np.mean(A[1].argmax(axis=1) == np.arange(T)[::-1]) > 0.5   # "for most positions"
    assert np.mean(A[:, np.arange(T), np.arange(T)[::-1]] > 0.5) > 0.8


def test_gan_covers_more_modes_late_than_early():
    coverage = np.array([am.mode_coverage(x) for _, x in am.ring_gan().snapshots])
    half = len(coverage) // 2
    assert coverage[half:, 0].mean() > coverage[:half, 0].mean() + 2
    assert coverage[-1, 0] >= 4
    assert coverage[:, 1].max() < 0.6


def test_gan_mode_count_falls_by_two_or_more_at_least_twice():
    from glassnet_site.figures import gans

    assert gans.mode_count_drops(by=2) >= 2


def test_gan_most_samples_are_off_mode_at_the_end_after_a_higher_share_earlier():
    share = np.array([am.mode_coverage(x)[1] for _, x in am.ring_gan().snapshots])
    assert share[-1] < 0.5
    step, best = gans.best_on_mode_share()
    assert best == share.max() and best > share[-1] + 0.03
    assert step < am.GAN_STEPS


def _first_step_with_six_modes(kind: str, seed: int) -> int:
    from glassnet.gan import GAN, make_discriminator, make_generator

    gan = GAN(make_generator(hidden=am.GAN_HIDDEN, seed=10 * seed + 1),
              make_discriminator(hidden=am.GAN_HIDDEN, seed=10 * seed + 2), lr=5e-3,
              seed=10 * seed, generator_loss=kind)
    # Recorded and counted as the explorer's runs are: every EVERY steps, on all the
    # GAN_RECORD_N points of the page's figure.
    history = gan.fit(am.ring_data(), steps=am.GAN_STEPS, record_every=explorer.EVERY,
                      n_record=am.GAN_RECORD_N)
    return next((step for step, x in history.snapshots if am.mode_coverage(x)[0] >= 6),
                am.GAN_STEPS + 1)


def test_gan_explorer_non_saturating_loss_covers_six_modes_first_over_seeds():
    # The explorer's run, and three more seeds of the same settings: the "what to try" list
    # says the non-saturating generator first covers six modes earlier.
    from glassnet_site.figures import gans

    assert gans.first_step_with("non_saturating") < gans.first_step_with("saturating")
    for seed in (1, 2, 3):
        assert (_first_step_with_six_modes("non_saturating", seed)
                < _first_step_with_six_modes("saturating", seed)), seed


def test_gan_explorer_counts_modes_on_the_figures_points():
    # The explorer's mode counts are the figure's at the steps both record.
    from glassnet_site.figures import gans

    run = gans.explorer_run("non_saturating")
    counts = dict(zip(run["steps"].tolist(), explorer.coverage(run), strict=True))
    common = [(step, x) for step, x in am.ring_gan().snapshots if step in counts]
    assert len(common) == 8  # every 100 steps
    for step, x in common:
        assert counts[step] == am.mode_coverage(x), step


def test_gan_explorer_saturating_arrows_are_shorter_on_rejected_samples_non_saturating_longer():
    from glassnet_site.figures import gans

    rejected, accepted = gans.arrow_lengths("saturating")
    assert rejected < 0.75 * accepted
    rejected, accepted = gans.arrow_lengths("non_saturating")
    assert rejected > 1.25 * accepted


def test_gan_explorer_discriminator_never_rejects_the_samples_wholesale():
    from glassnet_site.figures import gans

    for kind in ("non_saturating", "saturating"):
        assert gans.lowest_mean_verdict(kind) > 0.15
        assert gans.most_confidently_rejected(kind) < 0.5


def test_gan_explorer_discriminator_loss_stays_far_from_zero_in_both_runs():
    from glassnet_site.figures import gans

    for kind in ("non_saturating", "saturating"):
        assert gans.late_d_loss(kind) > 0.5
        assert np.min(gans.explorer_run(kind)["d_loss"][-200:]) > 0.2


# --- playground.md -----------------------------------------------------------------------


# Each test reads the combinations from the tip it checks (pg.LINE, pg.DEPTH, ...), the
# same ones the page names and quotes.


@pytest.mark.parametrize("dataset", pg.LINE.data)
def test_playground_no_hidden_layer_is_near_chance_and_four_units_solve_it(dataset):
    (act,), (lr,) = pg.LINE.act, pg.LINE.lr
    none, four = pg.LINE.net
    assert not playground.NETWORKS[none] and playground.NETWORKS[four] == (4,)
    assert pg.val_accuracy(dataset, none, act, lr) < 0.6
    assert pg.val_accuracy(dataset, four, act, lr) >= 0.95


def test_playground_spirals_depth_helps_with_tanh_and_changes_little_with_relu():
    (data,), (lr,), (one, three) = pg.DEPTH.data, pg.DEPTH.lr, pg.DEPTH.net
    assert pg.DEPTH.act == ("tanh", "relu")
    assert len(playground.NETWORKS[one]) == 1 and len(playground.NETWORKS[three]) == 3
    shallow, deep = (pg.val_accuracy(data, n, "relu", lr) for n in (one, three))
    assert abs(deep - shallow) <= 0.05
    shallow, deep = (pg.val_accuracy(data, n, "tanh", lr) for n in (one, three))
    assert deep - shallow >= 0.04


def test_playground_facts_quote_only_runs_the_reader_can_select():
    with pytest.raises(ValueError, match="not one of the playground's choices"):
        pg.run("moons", "8-8-8", "relu", 0.05)


def test_playground_tips_name_only_choices_the_reader_can_select():
    with pytest.raises(ValueError, match="lr 0.05 is not one of the playground's choices"):
        pg.Tip("rate", data=("moons",), net=("8-8-8",), act=("relu",), lr=(0.05,))
    for tip in pg.TIPS:
        for combo in product(tip.data, tip.net, tip.act, tip.lr, tip.reg):
            assert playground.Combo(*combo) in playground.all_combos()
    # The page's choice names are the controls' (the browser test reads the controls).
    assert {key: set(names) for key, names in pg.LABELS.items()} == {
        key: set(choices) for key, choices in pg.OFFERED.items()}


def test_playground_tips_leave_the_regularisation_as_the_page_says():
    # "Leave the regularisation at [[fact:pg_tips_reg]] until the last tip."
    assert all(tip.reg == pg.LINE.reg for tip in pg.TIPS[:-1]) and len(pg.LINE.reg) == 1
    assert pg.TIPS[-1] is pg.REG and len(pg.REG.reg) > 1


def test_playground_smallest_learning_rate_is_slow_not_stuck_and_largest_overshoots():
    moons = (*pg.RATE.data, *pg.RATE.net, *pg.RATE.act)
    assert pg.RATE.lr == tuple(sorted(pg.RATE.lr))  # "from the first up to the last"
    smallest, middle, _, largest = pg.RATE.lr
    slow, mid, fast = (pg.val_accuracy(*moons, lr) for lr in (smallest, middle, largest))
    assert 0.85 <= slow < mid
    assert fast < mid
    assert pg.loss_rises(*moons, largest) > 5 * pg.loss_rises(*moons, middle)


def test_playground_sigmoid_first_epochs_are_almost_flat_unlike_relu_and_tanh():
    (data,), (net,), (lr,) = pg.SLOPE.data, pg.SLOPE.net, pg.SLOPE.lr
    assert pg.SLOPE.act == ("relu", "tanh", "sigmoid")

    def drop(act):
        return pg.loss_at(0, data, net, act, lr) - pg.loss_at(pg.SLOW_START, data, net, act, lr)
    assert drop("sigmoid") < 0.05
    assert min(drop("relu"), drop("tanh")) > 0.3


def test_playground_blobs_validation_loss_climbs_without_regularisation_and_with_dropout():
    # The page: none and dropout climb far above their lowest; L2 ends near its lowest;
    # dropout ends below none.
    blobs = (*pg.REG.data, *pg.REG.net, *pg.REG.act, *pg.REG.lr)
    assert pg.REG.reg == ("none", "l2", "dropout")
    end = {reg: pg.run(*blobs, reg)["val_loss"][-1] for reg in pg.REG.reg}
    best = {reg: np.nanmin(pg.run(*blobs, reg)["val_loss"]) for reg in end}
    assert end["none"] > 5 * best["none"] and end["dropout"] > 5 * best["dropout"]
    assert end["l2"] < 1.5 * best["l2"]
    assert end["dropout"] < end["none"]
    accuracies = [pg.val_accuracy(*blobs, reg) for reg in end]
    assert max(accuracies) - min(accuracies) <= 0.05
