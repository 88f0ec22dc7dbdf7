"""The claims of the training-time page about its transfer-learning runs hold, over seeds.

The tests call the same cached runs as the figure and the facts, so they assert on the
curves the reader sees. Each seed draws its own labelled images and initial weights.
"""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cost import count_macs
from glassnet_site.examples import transfer as tr
from glassnet_site.figures import transfer as tf

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("seed", tr.SEEDS)
def test_transfer_pretrained_cnn_recognises_the_old_digits(seed):
    assert tr.pretrained(seed)[1] > 0.95


@pytest.mark.parametrize("per_class", tr.LABELS)
def test_transfer_frozen_features_end_behind_scratch_at_every_label_count(per_class):
    """Mean over the seeds, down to one label per digit."""
    assert tr.mean_final_accuracy("scratch", per_class) > tr.mean_final_accuracy("transfer",
                                                                                per_class)


@pytest.mark.parametrize("per_class", [k for k in tr.LABELS if k > min(tr.LABELS)])
def test_transfer_frozen_features_end_behind_scratch_beyond_the_seed_spread_above_one_label(
        per_class):
    """Beyond the fewest labels the gap exceeds the standard deviation of the seed-by-seed
    differences; with the fewest, the page says it is within it."""
    mean, spread = tf.gap_to_scratch("transfer", per_class)
    assert -mean > spread
    fewest_mean, fewest_spread = tf.gap_to_scratch("transfer", min(tr.LABELS))
    assert -fewest_mean < fewest_spread
    assert tf.beyond_spread("transfer") == len(tr.LABELS) - 1


def test_transfer_frozen_behind_fact_counts_every_label_count():
    assert tf.frozen_behind() == len(tr.LABELS)


@pytest.mark.parametrize("per_class", tr.LABELS)
def test_transfer_fine_tuned_and_scratch_differ_within_the_seed_spread_at_every_label_count(
        per_class):
    """At the same learning rate, fine-tuning and training from scratch end level: the mean
    of the seed-by-seed differences is smaller than their standard deviation."""
    mean, spread = tf.gap_to_scratch("fine-tune", per_class)
    assert abs(mean) < spread


def test_transfer_fine_tune_within_fact_counts_every_label_count():
    assert tf.within_spread("fine-tune") == len(tr.LABELS)


def test_transfer_fine_tuning_trails_scratch_with_the_fewest_labels_and_leads_with_the_most():
    """The signs of the two mean differences the page quotes."""
    assert tf.gap_to_scratch("fine-tune", min(tr.LABELS))[0] < 0
    assert tf.gap_to_scratch("fine-tune", max(tr.LABELS))[0] > 0


def test_transfer_every_start_learns_the_new_digits_from_few_labels():
    for start in tr.STARTS:
        assert tr.mean_final_accuracy(start) > 0.6   # chance is 20%


def test_transfer_more_labels_help_every_start():
    for start in tr.STARTS:
        finals = [tr.mean_final_accuracy(start, k) for k in tr.LABELS]
        assert finals == sorted(finals)


def test_transfer_curves_from_scratch_rise_fastest():
    """The figure's alt text: over the first ten epochs the scratch curve lies above both."""
    early = {start: np.mean([tr.few_label_run(start, seed)[1].history["val_accuracy"][:10]
                             for seed in tr.SEEDS]) for start in tr.STARTS}
    assert early["scratch"] > max(early["transfer"], early["fine-tune"])


@pytest.mark.parametrize("per_class", tr.LABELS)
def test_transfer_pretrained_features_separate_the_new_digits_worse_than_raw_pixels(per_class):
    assert tf.nearest_mean("features", per_class) < tf.nearest_mean("pixels", per_class)


@pytest.mark.parametrize("per_class", tr.LABELS)
def test_transfer_pretrained_features_separate_the_new_digits_worse_than_untrained_ones(
        per_class):
    """Pre-training on 0-4, not the network's shape, made the features worse for 5-9."""
    assert tf.nearest_mean("features", per_class) < tf.nearest_mean("random", per_class)


def test_transfer_frozen_feature_layers_are_unchanged_by_training():
    model = tr.few_label_run("transfer", 0)[0]
    source = tr.pretrained(0)[0]
    for new, old in zip(model.layers[:tr.FEATURE_LAYERS], source.layers, strict=False):
        for key in new.params:
            assert np.array_equal(new.params[key], old.params[key])
    assert model.num_params(trainable=True) == 16 * 2 * 2 * 5 + 5


def test_transfer_fine_tuned_feature_layers_do_change():
    model = tr.few_label_run("fine-tune", 0)[0]
    source = tr.pretrained(0)[0]
    assert not np.array_equal(model.layers[0].params["W"], source.layers[0].params["W"])


def test_transfer_step_costs_three_forward_passes_less_the_first_input_gradient():
    first = count_macs(tr.make_cnn(0), (1, 8, 8))[0]
    assert tr.step_macs() == 3 * tr.forward_macs() - first


def test_transfer_frozen_step_costs_the_forward_pass_and_the_head_weight_gradient():
    assert tr.step_macs(tr.frozen_model()) == tr.forward_macs() + 16 * 2 * 2 * 5


def test_transfer_frozen_network_trains_faster_than_scratch_and_than_without_skipping():
    """Measured side by side (interleaved, best of five): the page says "faster", with the
    factors as facts, and below the ratio of multiply-adds, since the work the count leaves
    out remains. No margin beyond "faster": the factor itself is the page's fact."""
    speed = tr.throughputs()
    assert speed["frozen"] > speed["frozen, no skipping"]
    assert speed["frozen"] > speed["scratch"]
    assert speed["frozen"] / speed["scratch"] < tr.step_macs() / tr.step_macs(tr.frozen_model())


def test_transfer_cnn_convolutions_carry_almost_all_multiply_adds():
    counts = count_macs(tr.make_cnn(0), (1, 8, 8))
    assert (counts[0] + counts[3]) / sum(counts) > 0.95
    assert max(counts) == counts[3]
