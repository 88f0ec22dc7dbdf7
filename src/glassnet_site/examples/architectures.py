"""Small models trained once per figure build and shared by the Architectures figures.

Every function here is cached with ``functools.cache``: the CNN, the recurrent nets, the
Transformer and the GAN are each trained once, however many figures and facts use them. They
are deliberately tiny (seconds on one core), so the numbers they produce illustrate an idea;
they are not benchmarks.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from glassnet import layers as L
from glassnet.data import digits_split, make_memory_task, make_ring
from glassnet.losses import softmax_cross_entropy
from glassnet.model import Sequential
from glassnet.optimizers import Adam
from glassnet_site.threads import one_thread

# --- a small CNN on the 8x8 digits -------------------------------------------------------

# --8<-- [start:digits_cnn]
def make_digits_cnn(seed: int = 0) -> Sequential:
    """Eight 3x3 filters, ReLU, 2x2 max pooling, then a dense layer to the ten classes."""
    return Sequential([
        L.Conv2D(1, 8, kernel_size=3, padding=1),   # (batch, 8, 8, 8)
        L.ReLU(),
        L.MaxPool2D(2),                             # (batch, 8, 4, 4)
        L.Flatten(),                                # (batch, 128)
        L.Dense(8 * 4 * 4, 10),                     # (batch, 10) logits
    ], seed=seed)
# --8<-- [end:digits_cnn]


@cache
def digits_cnn():
    """The CNN trained for a few epochs; returns ``(model, test_accuracy)``."""
    X_train, _, X_test, y_train, _, y_test = digits_split(images=True)
    model = make_digits_cnn()
    model.compile(Adam(CNN_LR), "cross_entropy")
    with one_thread():
        model.fit(X_train, y_train, epochs=CNN_EPOCHS, batch_size=CNN_BATCH, verbose=0)
        accuracy = model.evaluate(X_test, y_test)["accuracy"]
    return model, accuracy


CNN_EPOCHS, CNN_LR, CNN_BATCH = 8, 0.01, 64


# --- remembering one bit over a distance: RNN against LSTM -------------------------------

MEMORY_DISTANCES = (5, 10, 15, 20, 25)
MEMORY_SEEDS = (0, 1, 2, 3, 4)
MEMORY_SOLVED = 0.9  # a run whose test accuracy reaches this has solved its distance
MEMORY_STEPS, MEMORY_BATCH, MEMORY_NOISE, MEMORY_HIDDEN = 60, 128, 2.0, 16


@cache
def memory_accuracy(cell: str, distance: int, seed: int) -> float:
    """Test accuracy of an ``"RNN"`` or ``"LSTM"`` trained on one distance for a fixed budget."""
    rng = np.random.default_rng(seed)
    H = MEMORY_HIDDEN
    model = Sequential([getattr(L, cell)(2, H), L.Dense(H, 2)], seed=seed)
    model.compile(Adam(0.02, clipnorm=1.0), "cross_entropy")
    with one_thread():
        for _ in range(MEMORY_STEPS):
            model.train_on_batch(*make_memory_task(MEMORY_BATCH, distance, MEMORY_NOISE, rng))
        return model.evaluate(*make_memory_task(1000, distance, MEMORY_NOISE, rng))["accuracy"]


def memory_curves() -> dict[str, np.ndarray]:
    """Accuracy ``(seeds, distances)`` for each cell type."""
    return {cell: np.array([[memory_accuracy(cell, d, s) for d in MEMORY_DISTANCES]
                            for s in MEMORY_SEEDS]) for cell in ("RNN", "LSTM")}


# --- a one-block Transformer that reverses sequences -------------------------------------

VOCAB, SEQ_LEN, MODEL_DIM, NUM_HEADS = 8, 8, 16, 2
REVERSAL_STEPS = 150


def make_reverser(rng) -> list:
    """Embedding, positional encoding, one Transformer block, and a readout to the vocabulary."""
    return [L.Embedding(VOCAB, MODEL_DIM, rng=rng), L.PositionalEncoding(SEQ_LEN, MODEL_DIM),
            L.TransformerBlock(MODEL_DIM, NUM_HEADS, 2 * MODEL_DIM, rng=rng),
            L.Dense(MODEL_DIM, VOCAB, rng=rng)]


def run(layers, x, training: bool = False) -> np.ndarray:
    """Forward pass through a list of layers."""
    for layer in layers:
        x = layer.forward(x, training=training)
    return x


# --8<-- [start:reversal_step]
def reversal_step(layers, optimizer, x) -> float:
    """One Adam step on a batch of token sequences ``x`` ``(batch, T)``; target: ``x`` reversed."""
    for layer in layers:
        layer.zero_grad()
    logits = run(layers, x, training=True)                  # (batch, T, VOCAB)
    target = x[:, ::-1]                                     # position t must output x[T-1-t]
    loss, dlogits = softmax_cross_entropy(logits.reshape(-1, VOCAB), target.reshape(-1))
    dout = dlogits.reshape(logits.shape)
    for layer in reversed(layers):
        dout = layer.backward(dout)
    optimizer.step(layers)
    return loss
# --8<-- [end:reversal_step]


@cache
def reversal_transformer():
    """Train the reverser; returns ``(layers, losses, test_accuracy, example)``.

    ``example`` is one test sequence ``(1, T)``; after the call the block's
    ``attention_weights`` hold the attention of the last forward pass on it.
    """
    rng = np.random.default_rng(0)
    layers, optimizer = make_reverser(rng), Adam(0.01)
    with one_thread():
        losses = [reversal_step(layers, optimizer, rng.integers(0, VOCAB, size=(64, SEQ_LEN)))
                  for _ in range(REVERSAL_STEPS)]
        x_test = rng.integers(0, VOCAB, size=(1000, SEQ_LEN))
        accuracy = float(np.mean(run(layers, x_test).argmax(-1) == x_test[:, ::-1]))
    return layers, losses, accuracy, x_test[:1]


def reversal_attention() -> np.ndarray:
    """Attention ``(heads, T, T)`` of the trained reverser on its example sequence."""
    layers, _, _, example = reversal_transformer()
    run(layers, example)
    return layers[2].attention_weights[0].copy()


# --- a GAN on a ring of eight Gaussians --------------------------------------------------

RING_MODES, RING_RADIUS, RING_STD = 8, 2.0, 0.05
GAN_STEPS, GAN_RECORD_EVERY, GAN_HIDDEN, GAN_RECORD_N = 800, 50, 48, 400
# A sample is on a mode within MODE_NEAR_STDS standard deviations of its centre; a mode is
# covered when it holds at least MODE_MIN_SHARE of the samples.
MODE_NEAR_STDS, MODE_MIN_SHARE = 5, 0.02


@cache
def ring_data() -> np.ndarray:
    """2,000 points from the ring of eight Gaussians, shape ``(2000, 2)``."""
    return make_ring(2000, n_modes=RING_MODES, radius=RING_RADIUS, std=RING_STD, seed=0)[0]


@cache
def ring_gan():
    """Train the GAN on the ring; returns its ``glassnet.gan.GANHistory``."""
    from glassnet.gan import GAN, make_discriminator, make_generator

    # --8<-- [start:ring_gan]
    G = make_generator(noise_dim=2, hidden=GAN_HIDDEN, seed=1)     # noise (n, 2) -> points
    D = make_discriminator(hidden=GAN_HIDDEN, seed=2)              # points -> one logit
    gan = GAN(G, D, noise_dim=2, lr=5e-3, seed=0)                  # Adam, beta1 = 0.5
    with one_thread():
        return gan.fit(ring_data(), steps=GAN_STEPS, batch_size=128,
                       record_every=GAN_RECORD_EVERY, n_record=GAN_RECORD_N)
    # --8<-- [end:ring_gan]


def ring_centres() -> np.ndarray:
    """The eight mode centres ``(8, 2)``."""
    angles = 2 * np.pi * np.arange(RING_MODES) / RING_MODES
    return RING_RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def mode_coverage(samples: np.ndarray, near: float = MODE_NEAR_STDS * RING_STD,
                  min_share: float = MODE_MIN_SHARE):
    """How well ``samples`` ``(n, 2)`` cover the ring: ``(modes hit, share near a mode)``.

    A sample is near a mode when it lies within ``near`` of its centre (by default
    ``MODE_NEAR_STDS`` standard deviations); a mode counts as hit when it holds at least
    ``min_share`` of the samples.
    """
    dist = np.linalg.norm(samples[:, None] - ring_centres()[None], axis=-1)  # (n, 8)
    close = dist.min(axis=1) < near
    counts = np.bincount(dist.argmin(axis=1)[close], minlength=RING_MODES)
    return int(np.sum(counts >= min_share * len(samples))), float(close.mean())
