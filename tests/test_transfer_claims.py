"""The claims of the training-time page about its transfer-learning runs hold, seed by seed.

The tests call the same cached runs as the figure and the facts, so they assert on the
curves the reader sees.
"""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cost import count_macs
from glassnet_site.examples import transfer as tr

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("seed", tr.SEEDS)
def test_transfer_pretrained_cnn_recognises_the_old_digits(seed):
    assert tr.pretrained(seed)[1] > 0.95


@pytest.mark.parametrize("seed", tr.SEEDS)
def test_transfer_and_scratch_both_exceed_85_percent_from_few_labels(seed):
    assert tr.final_accuracy("transfer", seed) > 0.85
    assert tr.final_accuracy("scratch", seed) > 0.85


@pytest.mark.parametrize("seed", tr.SEEDS)
def test_transfer_frozen_features_do_not_beat_scratch_on_these_digits(seed):
    """The page's honest finding: features of 0-4 help no more than training every layer."""
    assert tr.final_accuracy("scratch", seed) >= tr.final_accuracy("transfer", seed)


def test_transfer_frozen_feature_layers_are_unchanged_by_training():
    model = tr.few_label_run("transfer", 0)[0]
    source = tr.pretrained(0)[0]
    for new, old in zip(model.layers[:tr.FEATURE_LAYERS], source.layers, strict=False):
        for key in new.params:
            assert np.array_equal(new.params[key], old.params[key])
    assert model.num_params(trainable=True) == 16 * 2 * 2 * 5 + 5


def test_transfer_step_costs_three_forward_passes():
    assert tr.step_macs() == 3 * tr.forward_macs()


@pytest.mark.parametrize("seed", tr.SEEDS)
def test_transfer_runs_rise_more_slowly_than_scratch(seed):
    """The figure's alt text: over the first ten epochs the scratch curve lies above."""
    curves = [tr.few_label_run(start, seed)[1].history["val_accuracy"][:10]
              for start in ("transfer", "scratch")]
    assert np.mean(curves[1]) > np.mean(curves[0])


def test_transfer_cnn_convolutions_carry_almost_all_multiply_adds():
    counts = count_macs(tr.make_cnn(0), (1, 8, 8))
    assert (counts[0] + counts[3]) / sum(counts) > 0.95
    assert max(counts) == counts[3]
