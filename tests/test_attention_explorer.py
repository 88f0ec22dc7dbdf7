"""The attention explorer's data: the page's trained Transformer, head by head, on the sample.

The exported weights are checked against attention recomputed here from the model's own
parameters (the embeddings, each block's LayerNorm and query and key projections), not read
back from the attribute the export uses; each row is a causal distribution.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from glassnet_site.examples import language as lm
from glassnet_site.figures import language as lf
from glassnet_site.interactive import attention as attn

pytestmark = pytest.mark.slow
HALF = 0.5 * 10 ** -attn.DIGITS   # the largest error rounding to DIGITS decimals makes


@pytest.fixture(scope="module")
def data():
    return json.loads(json.dumps(attn.attention_data()))   # exactly what the page fetches


def recomputed_attention() -> np.ndarray:
    """``(blocks, heads, T, T)`` attention of the trained model on the sample, step by step."""
    model = lm.transformer_run().model
    ids = attn.sample_ids()[None]
    x = model.layers[1].forward(model.layers[0].forward(ids))   # tokens, then positions
    out = []
    for block in model.layers[2:]:
        if not hasattr(block, "attention_weights"):
            break
        norm, mha = block.layers["attn"].layers["0"], block.layers["attn"].layers["1"]
        h = norm.forward(x).astype(float)
        T = ids.shape[1]
        q, k = ((h[0] @ mha.params[key]).reshape(T, mha.num_heads, -1).transpose(1, 0, 2)
                for key in ("W_q", "W_k"))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
        scores[:, np.triu(np.ones((T, T), bool), k=1)] = -np.inf
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        out.append(e / e.sum(axis=-1, keepdims=True))
        x = block.forward(x)
    return np.stack(out)


def test_exported_weights_equal_glassnets_attention_on_the_sample(data):
    expected = recomputed_attention()
    assert (data["blocks"], data["heads"]) == expected.shape[:2]
    assert data["text"] == attn.SAMPLE and len(data["weights"][0][0]) == len(attn.SAMPLE)
    for b, block in enumerate(data["weights"]):
        for h, rows in enumerate(block):
            for t, row in enumerate(rows):
                np.testing.assert_allclose(row, expected[b, h, t, :t + 1], rtol=0,
                                           atol=HALF + 1e-5)


def test_each_row_sums_to_one_and_is_zero_after_its_position(data):
    W = attn.attention_run()["weights"]
    T = W.shape[-1]
    assert np.all(W[..., np.triu(np.ones((T, T), bool), k=1)] == 0)
    np.testing.assert_allclose(W.sum(axis=-1), 1.0, atol=1e-5)
    for block in data["weights"]:
        for rows in block:
            assert [len(row) for row in rows] == list(range(1, T + 1))   # nothing after t
            for row in rows:
                assert abs(sum(row) - 1) <= len(row) * HALF + 1e-9


def test_top_predictions_are_the_models_most_probable_next_characters(data):
    model, vocab = lm.transformer_run().model, lm.corpus()[0]
    scores = np.asarray(model.predict(attn.sample_ids()[None]), dtype=float)[0]
    best = np.argsort(-scores, axis=1)[:, :attn.TOP]
    assert [[c for c, _ in row] for row in data["top"]] == [
        [vocab.decode([int(i)]) for i in row] for row in best]
    assert all(row[0][1] >= row[1][1] >= row[2][1] for row in data["top"])


def test_a_sample_outside_the_held_out_text_is_refused(monkeypatch):
    monkeypatch.setattr(attn, "SAMPLE", "x" * lm.CONTEXT)
    with pytest.raises(ValueError, match="not in the held-out text"):
        attn.sample_ids()
    monkeypatch.setattr(attn, "SAMPLE", "she then")
    with pytest.raises(ValueError, match="must be 32 characters"):
        attn.sample_ids()


# --- the page's "What to try" -------------------------------------------------------------


def test_what_to_try_every_head_leans_most_on_the_character_before_far_above_even():
    T = len(attn.SAMPLE)
    before = lf.head_shares(1)
    for offset in [0, *range(2, T)]:
        assert np.all(before > lf.head_shares(offset)), offset
    assert np.all(before > 3 * lf.even_share(T, 1))


def test_what_to_try_no_head_puts_more_weight_on_the_position_itself_than_before_it():
    assert np.all(lf.head_shares(0) < lf.head_shares(1))


def test_what_to_try_head_1_at_the_y_of_darcy_looks_back_to_the_m_of_mr():
    assert attn.SAMPLE.endswith("Mr. Darcy") and lf.LAST == len(attn.SAMPLE) - 1
    back = lf.heaviest_offset(lf.LAST)
    assert attn.SAMPLE[lf.LAST - back:].startswith("Mr.")


def test_what_to_try_head_1_is_the_head_of_the_figure_above(monkeypatch):
    assert attn.attention_run()["weights"].shape[0] == 1   # one block: the figure's last
    monkeypatch.setattr(lf, "ATTENTION_SAMPLE", attn.SAMPLE)
    np.testing.assert_allclose(lf.head_attention(), attn.attention_run()["weights"][0, 0],
                               atol=1e-6)
