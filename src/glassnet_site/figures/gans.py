"""Figures and facts for the generative-adversarial-networks page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from glassnet_site.examples import architectures as models
from glassnet_site.interactive import gan as explorer

from . import _data
from .layout import NARROW_WIDTH, is_narrow
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style

# Training steps whose generated samples are drawn as panels.
GAN_PANELS = (100, 300, 500, 800)


def _snapshot(step: int) -> np.ndarray:
    return dict(models.ring_gan().snapshots)[step]


def gan_training(style: Style, layout: str = "wide") -> Figure:
    """Generated points against the real ring at four steps, and mode coverage over training."""
    real, history = models.ring_data(), models.ring_gan()
    # Wide: four snapshots in a row above the curves. Narrow: two rows of two above them.
    columns = 2 if is_narrow(layout) else len(GAN_PANELS)
    rows = len(GAN_PANELS) // columns
    figsize = (NARROW_WIDTH, 6.2) if is_narrow(layout) else (7.8, 3.9)
    fig = Figure(figsize=figsize, layout="constrained", dpi=80)  # dpi: raster scatter
    grid = fig.add_gridspec(rows + 1, columns, height_ratios=[1.35] * rows + [1])
    for k, step in enumerate(GAN_PANELS):
        ax = fig.add_subplot(grid[k // columns, k % columns])
        ax.scatter(real[:240, 0], real[:240, 1], s=6, color=style.series[0], marker=MARKERS[0],
                   linewidths=0, alpha=0.6, label="real", rasterized=True)
        fake = _snapshot(step)
        ax.scatter(fake[:, 0], fake[:, 1], s=7, color=style.series[1], marker=MARKERS[2],
                   linewidths=0, alpha=0.7, label="generated", rasterized=True)
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"step {step}", fontsize=9.5)
        if k == 0:
            ax.legend(loc="upper left", fontsize=7.5, markerscale=2.0, handletextpad=0.2,
                      borderpad=0.2)
    steps = [s for s, _ in history.snapshots]
    coverage = np.array([models.mode_coverage(x) for _, x in history.snapshots])
    ax = fig.add_subplot(grid[rows, :])
    ax.plot(steps, coverage[:, 0], color=style.series[2], linestyle=LINESTYLES[0],
            marker=MARKERS[0], markersize=4, label="modes covered (of 8)")
    ax2 = ax.twinx()
    ax2.plot(steps, 100 * coverage[:, 1], color=style.series[3], linestyle=LINESTYLES[1],
             marker=MARKERS[1], markersize=4, label="% of samples on a mode")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax.set_ylim(0, 8.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of modes
    ax2.set_ylim(0, 100)
    ax.set_xlabel("training step")
    ax.set_ylabel("modes")
    ax2.set_ylabel("% on a mode")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8)
    return fig


def _gan_data() -> dict:
    """The real points drawn, the generated points of each panel, then coverage per step."""
    # Three decimals are finer than the panels can show, and keep the file small.
    real = np.round(models.ring_data()[:240], 3)
    tables = {"real": {"x1": real[:, 0], "x2": real[:, 1]}}
    fake = np.round(np.concatenate([_snapshot(step) for step in GAN_PANELS]), 3)
    tables["generated"] = {"step": np.repeat(GAN_PANELS, len(fake) // len(GAN_PANELS)),
                           "x1": fake[:, 0], "x2": fake[:, 1]}
    snapshots = models.ring_gan().snapshots
    coverage = np.array([models.mode_coverage(x) for _, x in snapshots])
    tables["coverage"] = {"step": [s for s, _ in snapshots], "modes_covered": coverage[:, 0],
                          "share_on_a_mode": coverage[:, 1]}
    return _data.stack(tables)


def _final_coverage():
    return models.mode_coverage(models.ring_gan().snapshots[-1][1])


def _best_coverage():
    return max(models.mode_coverage(x)[0] for _, x in models.ring_gan().snapshots)


def best_on_mode_share() -> tuple[int, float]:
    """The snapshot step with the largest share of samples on a mode, and that share."""
    shares = [(models.mode_coverage(x)[1], step) for step, x in models.ring_gan().snapshots]
    share, step = max(shares)
    return step, share


# Drops in the mode count are counted once the generator covers this many modes: before
# that its samples lie on a line, and counts of 0 to 2 modes are threshold noise.
DROPS_FROM_MODES = 4


def mode_count_drops(by: int = 2) -> int:
    """How often the modes covered fall by at least ``by`` from one snapshot to the next,
    from the first snapshot that covers ``DROPS_FROM_MODES`` modes on."""
    modes = np.array([models.mode_coverage(x)[0] for _, x in models.ring_gan().snapshots])
    start = int(np.argmax(modes >= DROPS_FROM_MODES))
    return int(np.sum(np.diff(modes[start:]) <= -by))


# --- the explorer's runs: both generator losses ------------------------------------------

def explorer_run(kind: str) -> dict:
    """The GAN explorer's run with generator loss ``kind`` (``interactive.gan.cached_run``)."""
    return explorer.cached_run(kind)


def first_step_with(kind: str, modes: int = 6):
    """The first recorded step at which the run ``kind`` covers at least ``modes`` modes."""
    run = explorer_run(kind)
    covered = [m for m, _ in explorer.coverage(run)]
    return next((int(s) for s, m in zip(run["steps"], covered, strict=True) if m >= modes), None)


def late_d_loss(kind: str, steps: int = 200) -> float:
    """The discriminator's mean loss over the last ``steps`` steps of the run ``kind``."""
    return float(np.mean(explorer_run(kind)["d_loss"][-steps:]))


def snapshots_with_all(kind: str) -> int:
    """How many snapshots of the run ``kind`` cover all eight modes."""
    return sum(m == models.RING_MODES for m, _ in explorer.coverage(explorer_run(kind)))


# sigma(D(G(z))) below this: the discriminator rejects the sample with confidence.
CONFIDENT_REJECT = 0.05


def lowest_mean_verdict(kind: str) -> float:
    """The smallest, over the snapshots of the run ``kind``, of the mean sigma(D(G(z))) on
    the recorded samples: how far the discriminator ever goes towards rejecting them all."""
    return float(explorer_run(kind)["verdict"].mean(axis=1).min())


def most_confidently_rejected(kind: str) -> float:
    """The largest share, over the snapshots of the run ``kind``, of recorded samples with
    sigma(D(G(z))) below ``CONFIDENT_REJECT``."""
    return float((explorer_run(kind)["verdict"] < CONFIDENT_REJECT).mean(axis=1).max())


def arrow_lengths(kind: str) -> tuple[float, float]:
    """Median arrow length of the ringed samples, over every snapshot of the run ``kind``:
    ``(on samples D rates generated, sigma < 0.5; on samples it rates real)``."""
    run = explorer_run(kind)
    length = np.linalg.norm(run["push"], axis=2)
    rejected = run["verdict"][:, :length.shape[1]] < 0.5
    return float(np.median(length[rejected])), float(np.median(length[~rejected]))


FIGURES = (
    FigureSpec("gan_training", gan_training,
               "A GAN's samples against a ring of eight Gaussians during training",
               data=_gan_data),
)

FACTS = (
    Fact("gan_steps", lambda: f"{models.GAN_STEPS:,}", "Training steps of the ring GAN"),
    Fact("gan_final_modes", lambda: str(_final_coverage()[0]),
         "Modes covered by the ring GAN after training"),
    Fact("gan_final_on_mode", lambda: f"{_final_coverage()[1]:.0%}",
         "Share of generated samples near a mode after training"),
    Fact("gan_best_modes", lambda: str(_best_coverage()), "Most modes covered at any snapshot"),
    Fact("gan_final_off_mode", lambda: f"{1 - _final_coverage()[1]:.0%}",
         "Share of generated samples between the modes after training"),
    Fact("gan_best_on_mode", lambda: f"{best_on_mode_share()[1]:.0%}",
         "Largest share of generated samples near a mode at any snapshot"),
    Fact("gan_best_on_mode_step", lambda: f"{best_on_mode_share()[0]:,}",
         "Training step of the snapshot with the most samples on a mode"),
    Fact("gan_drops_from_modes", lambda: str(DROPS_FROM_MODES),
         "Modes covered from which drops in the mode count are counted"),
    Fact("gan_mode_drops", lambda: str(mode_count_drops()),
         "Times the modes covered fall by two or more between snapshots"),
    Fact("gan_record_n", lambda: str(models.GAN_RECORD_N), "Noise vectors drawn per snapshot"),
    Fact("gan_record_every", lambda: str(models.GAN_RECORD_EVERY), "Steps between snapshots"),
    Fact("gan_min_share", lambda: f"{models.MODE_MIN_SHARE:.0%}",
         "Share of the samples a mode must hold to count as covered"),
    Fact("gan_near_stds", lambda: str(models.MODE_NEAR_STDS),
         "Standard deviations from a centre within which a sample is on a mode"),
    Fact("gan_hidden", lambda: str(models.GAN_HIDDEN), "Hidden units per layer of G and D"),
    Fact("gan_ring_std", lambda: f"{models.RING_STD:g}", "Standard deviation of each ring mode"),
    Fact("ganx_six_ns", lambda: str(first_step_with("non_saturating")),
         "First step at which the explorer's non-saturating run covers six modes"),
    Fact("ganx_six_sat", lambda: str(first_step_with("saturating")),
         "First step at which the explorer's saturating run covers six modes"),
    Fact("ganx_all_ns", lambda: str(snapshots_with_all("non_saturating")),
         "Snapshots of the explorer's non-saturating run that cover all eight modes"),
    Fact("ganx_all_sat", lambda: str(snapshots_with_all("saturating")),
         "Snapshots of the explorer's saturating run that cover all eight modes"),
    Fact("ganx_snapshots", lambda: str(len(explorer_run("saturating")["steps"])),
         "Snapshots in each of the explorer's runs"),
    Fact("ganx_every", lambda: str(explorer.EVERY), "Steps between the explorer's snapshots"),
    Fact("ganx_d_end_ns", lambda: f"{late_d_loss('non_saturating'):.2f}",
         "The discriminator's mean loss over the last 200 steps, non-saturating run"),
    Fact("ganx_verdict_ns", lambda: f"{lowest_mean_verdict('non_saturating'):.2f}",
         "Lowest mean sigma(D(G(z))) at any snapshot, non-saturating run"),
    Fact("ganx_verdict_sat", lambda: f"{lowest_mean_verdict('saturating'):.2f}",
         "Lowest mean sigma(D(G(z))) at any snapshot, saturating run"),
    Fact("ganx_rejected_ns", lambda: f"{most_confidently_rejected('non_saturating'):.0%}",
         "Largest share of samples rejected with sigma below 0.05, non-saturating run"),
    Fact("ganx_rejected_sat", lambda: f"{most_confidently_rejected('saturating'):.0%}",
         "Largest share of samples rejected with sigma below 0.05, saturating run"),
    Fact("ganx_confident", lambda: f"{CONFIDENT_REJECT:g}",
         "sigma(D(G(z))) below which a sample counts as confidently rejected"),
    Fact("ganx_arrow_rej_ns", lambda: f"{arrow_lengths('non_saturating')[0]:.2f}",
         "Median arrow length on samples D rates generated, non-saturating run"),
    Fact("ganx_arrow_acc_ns", lambda: f"{arrow_lengths('non_saturating')[1]:.2f}",
         "Median arrow length on samples D rates real, non-saturating run"),
    Fact("ganx_arrow_rej_sat", lambda: f"{arrow_lengths('saturating')[0]:.2f}",
         "Median arrow length on samples D rates generated, saturating run"),
    Fact("ganx_arrow_acc_sat", lambda: f"{arrow_lengths('saturating')[1]:.2f}",
         "Median arrow length on samples D rates real, saturating run"),
    Fact("ganx_d_chance", lambda: f"{2 * np.log(2):.2f}",
         "The discriminator's loss (2) when it scores every point 1/2"),
    Fact("ganx_d_end_sat", lambda: f"{late_d_loss('saturating'):.2f}",
         "The discriminator's mean loss over the last 200 steps, saturating run"),
)
