r"""Data of the GAN explorer: the ring GAN of the GAN page, trained with either generator loss.

Both runs use the page's settings (``examples.architectures``: the ring, the networks, the
seeds, Adam's learning rate) and differ only in ``GAN(generator_loss=...)``. The loop is
``GAN.fit``'s, drawing the same random numbers, so the non-saturating run is the page's run
step for step (a test checks it). Every ``EVERY`` steps it records the generated points of one
fixed noise batch, the discriminator's $\sigma(D(x))$ on a grid and at those points, and
``GAN.generator_push`` at a handful of them: the direction the generator's loss asks each to
move. Modes are counted on all the recorded points, as in the page's figure; the explorer draws
the first ``SAMPLES`` of them.
"""

from __future__ import annotations

import base64
from functools import cache

import numpy as np

from glassnet.gan import GAN, make_discriminator, make_generator
from glassnet_site.examples import architectures as ring
from glassnet_site.threads import one_thread

EVERY = 20            # steps between snapshots
SAMPLES = 150         # generated points drawn per snapshot (the first of the page's fixed batch)
ARROWS = 12           # of those, how many carry an arrow
GRID = 28             # the discriminator's field, GRID x GRID cells over the box
BOX = 3.0             # the plot shows [-BOX, BOX] in both directions
LOSSES = {"non_saturating": "non-saturating, \u2212ln \u03c3(D(G(z)))",
          "saturating": "saturating, ln(1 \u2212 \u03c3(D(G(z))))"}


def grid_points(n: int = GRID, box: float = BOX) -> np.ndarray:
    """Centres of the field's cells, row by row from the top: ``(n * n, 2)``."""
    centres = (np.arange(n) + 0.5) / n * 2 * box - box
    X, Y = np.meshgrid(centres, centres[::-1])
    return np.stack([X.ravel(), Y.ravel()], axis=1)


def train_run(generator_loss: str, steps: int = ring.GAN_STEPS, every: int = EVERY) -> dict:
    r"""One run of the ring GAN with ``generator_loss``, recorded every ``every`` steps.

    Returns float arrays: ``steps`` (snapshots,), ``samples`` (snapshots, GAN_RECORD_N, 2),
    ``field`` (snapshots, GRID * GRID) of $\sigma(D(x))$, ``verdict`` (snapshots,
    GAN_RECORD_N) of $\sigma(D(x))$ at the samples, ``push`` (snapshots, ARROWS, 2), and
    ``d_loss``, ``g_loss`` (steps,) of every step.
    """
    G = make_generator(noise_dim=2, hidden=ring.GAN_HIDDEN, seed=1)
    D = make_discriminator(hidden=ring.GAN_HIDDEN, seed=2)
    gan = GAN(G, D, noise_dim=2, lr=5e-3, seed=0, generator_loss=generator_loss)
    X, grid = ring.ring_data(), grid_points()
    z_fixed = gan.noise(ring.GAN_RECORD_N)  # as GAN.fit draws it
    rec = {"steps": [], "samples": [], "field": [], "verdict": [], "push": []}
    d_losses, g_losses = [], []

    def record(step):
        points = G.forward(z_fixed)
        rec["steps"].append(step)
        rec["samples"].append(points)
        rec["field"].append(1 / (1 + np.exp(-D.forward(grid)[:, 0])))
        rec["verdict"].append(1 / (1 + np.exp(-D.forward(points)[:, 0])))
        rec["push"].append(gan.generator_push(points[:ARROWS]))

    with one_thread():
        record(0)
        for step in range(1, steps + 1):
            batch = X[gan.rng.integers(0, X.shape[0], size=128)]
            d_loss, g_loss = gan.train_step(batch)
            d_losses.append(d_loss)
            g_losses.append(g_loss)
            if step % every == 0 or step == steps:
                record(step)
    out = {key: np.array(value) for key, value in rec.items()}
    return {**out, "d_loss": np.array(d_losses), "g_loss": np.array(g_losses)}


@cache
def cached_run(generator_loss: str) -> dict:
    """``train_run(generator_loss)`` with the defaults, once per process (figures and data
    share it). Treat the arrays as read-only."""
    return train_run(generator_loss)


def coverage(run: dict) -> list[tuple[int, float]]:
    """``(modes covered, share on a mode)`` of every snapshot, by the page's measure and on
    all the recorded points, as the page's figure counts them."""
    return [ring.mode_coverage(s) for s in run["samples"]]


def window_mean(values: np.ndarray, every: int = EVERY) -> np.ndarray:
    """Mean of each snapshot's preceding ``every`` steps (the first snapshot: step 1)."""
    means = [values[0]] + [values[max(0, s - every):s].mean()
                           for s in range(every, len(values) + 1, every)]
    if len(values) % every:
        means.append(values[len(values) - len(values) % every:].mean())
    return np.array(means)


def _b64(field: np.ndarray) -> str:
    """The field's probabilities as bytes 0..255, base64: compact and exact enough to paint."""
    return base64.b64encode(np.rint(field * 255).astype(np.uint8).tobytes()).decode()


def gan_data() -> dict:
    """Both runs, for the explorer's JSON (coordinates in hundredths, as integers)."""
    runs = {}
    for kind, label in LOSSES.items():
        run = cached_run(kind)
        cover = coverage(run)
        runs[kind] = {
            "label": label,
            "samples": np.rint(run["samples"][:, :SAMPLES] * 100).astype(int).tolist(),
            "push": np.round(run["push"], 2).tolist(),
            "field": [_b64(f) for f in run["field"]],
            "d_loss": np.round(window_mean(run["d_loss"]), 3).tolist(),
            "g_loss": np.round(window_mean(run["g_loss"]), 3).tolist(),
            "modes": [m for m, _ in cover],
            "on_mode": [round(s, 3) for _, s in cover],
        }
    steps = [int(s) for s in cached_run("saturating")["steps"]]
    real = np.rint(ring.ring_data()[:300] * 100).astype(int).tolist()
    return {"steps": steps, "every": EVERY, "box": BOX, "grid": GRID, "real": real,
            "runs": runs}

