"""The language-model ladder of the last chapter, trained once on Pride and Prejudice.

Five models predict the next character of the same held-out text: unigram and bigram counts,
a character version of the word-window MLP of Bengio et al. (2003), an LSTM and a
decoder-only Transformer. Each trainable model gets the same recipe (Adam, a warm-up and
cosine decay, random batches from the training text) and the same budget: ``STEPS`` steps of
``TARGETS_PER_STEP`` predicted characters each. Its validation loss is recorded every
``EVAL_EVERY`` steps. Everything is seeded and cached with ``functools.cache``; the models
are tiny, so the whole ladder trains in about a minute of CPU time on one core. The numbers
illustrate the ladder; they are no benchmark.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from glassnet.data import load_text
from glassnet.language_model import CountModel, bits_per_char, lstm_lm, transformer_lm, window_mlp
from glassnet.losses import CrossEntropy
from glassnet.optimizers import Adam
from glassnet.schedules import WarmupCosine
from glassnet.sequence import SequenceCrossEntropy
from glassnet.text import CharVocab, generate, next_char_windows
from glassnet_site.threads import one_thread

TRAIN_CHARS, HELD_OUT_CHARS = 600_000, 20_000   # the held-out text is the novel's last part
CONTEXT, WINDOW = 32, 8                         # sequence models' context; the MLP's window
EVAL_EVERY = 25
LR_MAX = {"window MLP": 5e-3, "LSTM": 5e-3, "Transformer": 1e-2}   # peak learning rates
STEPS = 600                                     # training steps of every network
TARGETS_PER_STEP = 1024                         # characters predicted in every batch
# Windows per batch: each MLP window has one target, each sequence window CONTEXT targets,
# so every network predicts TARGETS_PER_STEP characters of training text per step.
BATCH = {"window MLP": TARGETS_PER_STEP, "LSTM": TARGETS_PER_STEP // CONTEXT,
         "Transformer": TARGETS_PER_STEP // CONTEXT}
PROMPT = "Elizabeth "                           # a sample's first characters
TEMPERATURES = (0.5, 1.0)
SAMPLE_CHARS = 60


@dataclass
class Run:
    """One rung of the ladder: its model, held-out bits per character and how it got there."""

    name: str
    model: object
    bpc: float
    params: int
    seconds: float = 0.0
    steps: list[int] = field(default_factory=list)       # steps at which ...
    val_bpc: list[float] = field(default_factory=list)   # ... the validation loss was taken


@cache
def corpus():
    """``(vocab, train_ids, held_out_ids)``: the whole novel's characters, split in two."""
    text = load_text()
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    return vocab, ids[:TRAIN_CHARS], ids[-HELD_OUT_CHARS:]


SCORED = slice(CONTEXT // 2, None)   # the positions of a held-out window that are scored


def held_out_windows():
    """Windows of ``CONTEXT`` characters of the held-out text, one every ``CONTEXT // 2``.

    A sequence model is scored on the last half of each window (``SCORED``), so every
    held-out character from the ``CONTEXT // 2 + 1``-th on is scored exactly once, and each
    with 17 to 32 characters of the past before it, never from a window's first few
    characters alone."""
    return next_char_windows(corpus()[2], CONTEXT, step=CONTEXT // 2)


def scored_targets() -> np.ndarray:
    """The held-out characters every model is scored on, in order: ``(n,)`` ids."""
    return held_out_windows()[1][:, SCORED].reshape(-1)


# --8<-- [start:train_lm]
def train_lm(model, X, Y, steps: int, batch_size: int, lr_max: float, evaluate,
             seed: int = 0):
    """Adam on random batches of windows, the learning rate warmed up then decayed;
    returns the steps and validation losses recorded every ``EVAL_EVERY`` steps."""
    rng = np.random.default_rng(seed)
    schedule = WarmupCosine(lr_max=lr_max, warmup_steps=steps // 10, total_steps=steps)
    recorded, losses = [], []
    for step in range(steps):
        if step % EVAL_EVERY == 0:
            recorded.append(step)
            losses.append(evaluate(model))
        model.optimizer.lr = schedule(step)
        batch = rng.integers(0, len(X), size=batch_size)
        model.train_on_batch(X[batch], Y[batch])   # teacher forcing: the true text as input
    return recorded + [steps], losses + [evaluate(model)]
# --8<-- [end:train_lm]


def _timed_training(name, model, X, Y, evaluate, final) -> Run:
    """Train ``model``; the time is CPU time (steady on a busy machine) without the
    validation passes, which are not training."""
    spent = [0.0]

    def timed_evaluate(m):
        start = time.process_time()
        value = evaluate(m)
        spent[0] += time.process_time() - start
        return value

    start = time.process_time()
    with one_thread():
        steps, val = train_lm(model, X, Y, STEPS, BATCH[name], LR_MAX[name],
                             timed_evaluate)
        seconds = time.process_time() - start - spent[0]
        bpc = final(model)
    return Run(name, model, bpc, model.num_params(), seconds, steps, val)


def _sequence_scores(model, X, Y) -> float:
    """Bits per character on the scored last half of each window of ``X``."""
    return bits_per_char(model.predict(X, batch_size=256)[:, SCORED], Y[:, SCORED])


@cache
def counts() -> dict[str, Run]:
    """The unigram and bigram, counted on the training text."""
    vocab, train, _ = corpus()
    Xv, Yv = held_out_windows()
    runs = {}
    for name, order in (("unigram", 1), ("bigram", 2)):
        model = CountModel(len(vocab), order=order, alpha=0.1).fit(train)
        params = model.log_p.size
        runs[name] = Run(name, model, _sequence_scores(model, Xv, Yv), params)
    return runs


QUICK_EVERY = 4   # the validation passes during training score every 4th held-out window


def quick_part(n: int) -> np.ndarray:
    """Which of the ``n`` scored held-out characters the validation passes during training
    score: those of every ``QUICK_EVERY``-th window, the same characters for every model."""
    per_window = CONTEXT - CONTEXT // 2
    return (np.arange(n) // per_window) % QUICK_EVERY == 0


@cache
def window_run() -> Run:
    """The window MLP: the last ``WINDOW`` characters in, the next one out."""
    vocab, train, held = corpus()
    X, Y = next_char_windows(train, WINDOW)
    Xv, Yv = mlp_held_out()
    Y = Y[:, -1]                                  # a window model predicts its last target
    model = window_mlp(len(vocab), WINDOW, dim=16, hidden=128, seed=0, dtype=np.float32)
    model.compile(Adam(), CrossEntropy(from_logits=True), metrics=[])
    part = quick_part(len(Yv))
    quick = lambda m: bits_per_char(m.predict(Xv[part]), Yv[part])   # noqa: E731
    return _timed_training("window MLP", model, X, Y, quick,
                           lambda m: bits_per_char(m.predict(Xv), Yv))


def mlp_held_out():
    """The window MLP's held-out windows and targets, ``(n, WINDOW)`` and ``(n,)``: the
    same characters the sequence models are scored on, each after its ``WINDOW``
    predecessors."""
    X, Y = next_char_windows(corpus()[2], WINDOW)
    first = CONTEXT // 2 + 1 - WINDOW            # window s predicts character s + WINDOW
    n = len(scored_targets())
    return X[first:first + n], Y[first:first + n, -1]


def _sequence_run(name: str, model) -> Run:
    _, train, _ = corpus()
    X, Y = next_char_windows(train, CONTEXT)
    Xv, Yv = held_out_windows()
    model.compile(Adam(), SequenceCrossEntropy(), metrics=[])
    quick = lambda m: _sequence_scores(m, Xv[::QUICK_EVERY], Yv[::QUICK_EVERY])  # noqa: E731
    return _timed_training(name, model, X, Y, quick, lambda m: _sequence_scores(m, Xv, Yv))


@cache
def lstm_run() -> Run:
    """The LSTM, trained on windows of ``CONTEXT`` characters."""
    vocab = corpus()[0]
    return _sequence_run("LSTM", lstm_lm(len(vocab), dim=16, hidden=96, seed=0,
                                         dtype=np.float32))


@cache
def transformer_run() -> Run:
    """The decoder-only Transformer, trained on windows of ``CONTEXT`` characters."""
    vocab = corpus()[0]
    # --8<-- [start:transformer]
    model = transformer_lm(len(vocab), context=CONTEXT, dim=48, num_heads=4, num_blocks=1,
                           seed=0, dtype=np.float32)
    # --8<-- [end:transformer]
    return _sequence_run("Transformer", model)


def ladder() -> dict[str, Run]:
    """Every rung in order, from the unigram to the Transformer."""
    return {**counts(), "window MLP": window_run(), "LSTM": lstm_run(),
            "Transformer": transformer_run()}


@cache
def sample(name: str, temperature: float) -> str:
    """``SAMPLE_CHARS`` characters written by one model after ``PROMPT``, seeded."""
    run, vocab = ladder()[name], corpus()[0]
    # Each network reads at most what it was trained on: the MLP its window, the LSTM and
    # the Transformer CONTEXT characters (the LSTM's state starts afresh for every step).
    context = {"window MLP": WINDOW, "LSTM": CONTEXT, "Transformer": CONTEXT}.get(name)
    with one_thread():
        prompt = PROMPT[-WINDOW:] if name == "window MLP" else PROMPT
        text = generate(run.model, prompt, SAMPLE_CHARS,
                        temperature=temperature, seed=0, vocab=vocab, context=context)
    return text[-SAMPLE_CHARS:]
