"""Figures and facts for the training-time, hardware and transfer-learning page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from glassnet.cost import count_macs
from glassnet_site.examples import transfer as tr

from .layout import is_narrow, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style

_STARTS = (("transfer", "frozen features from digits 0-4, new head"),
           ("scratch", "the same network from scratch"))


def transfer_curves(style: Style, layout: str = "wide") -> Figure:
    """Validation accuracy on the digits 5-9 per epoch: transfer against scratch, per seed."""
    fig, (ax,) = panels(layout, size=(7.0, 3.0), panel_height=3.0)
    for i, (start, label) in enumerate(_STARTS):
        for j, seed in enumerate(tr.SEEDS):
            val = tr.few_label_run(start, seed)[1].history["val_accuracy"]
            epochs = np.arange(1, len(val) + 1)
            ax.plot(epochs, val, color=style.series[i], linestyle=LINESTYLES[i],
                    marker=MARKERS[i], markevery=(3 * j, 8), markersize=5,
                    label=label if j == 0 else None)
    ax.set_xlabel("epoch (on the few labels)")
    ax.set_ylabel("validation accuracy, digits 5-9")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def _curves_data() -> dict:
    """Validation accuracy per epoch, for each start and seed."""
    rows = {"start": [], "seed": [], "epoch": [], "val_accuracy": []}
    for start, _ in _STARTS:
        for seed in tr.SEEDS:
            val = tr.few_label_run(start, seed)[1].history["val_accuracy"]
            rows["start"] += [start] * len(val)
            rows["seed"] += [seed] * len(val)
            rows["epoch"] += list(range(1, len(val) + 1))
            rows["val_accuracy"] += list(val)
    return rows


def layer_costs(style: Style, layout: str = "wide") -> Figure:
    """Forward multiply-adds per digit, layer by layer, for the CNN of the page."""
    model = tr.make_cnn(0)
    counts = count_macs(model, (1, 8, 8))
    names = [layer.name for layer in model.layers]
    narrow = is_narrow(layout)
    fig, (ax,) = panels(layout, size=(7.0, 2.8), panel_height=3.9)
    # Narrow: each layer's name above its bar, so the bars get the phone's whole width.
    y = np.arange(len(names))[::-1] * (1.6 if narrow else 1)
    ax.barh(y, counts, color=style.series[0])
    small = 8.5 if narrow else 8  # at least 11 CSS px on a phone
    for yi, count, name in zip(y, counts, names, strict=True):
        ax.text(count, yi, f" {count:,}", va="center", fontsize=small, color=style.fg)
        if narrow:
            ax.text(0, yi + 0.5, name, va="bottom", fontsize=small, color=style.fg)
    if narrow:
        ax.set_ylim(-0.7, y.max() + 1.4)
    ax.set_yticks([] if narrow else y, [] if narrow else names, fontsize=small)
    ax.set_xlabel("multiply-adds per example (forward pass)")
    ax.set_xlim(0, max(counts) * 1.25)
    return fig


def _costs_data() -> dict:
    model = tr.make_cnn(0)
    return {"layer": [layer.name for layer in model.layers],
            "forward_macs": count_macs(model, (1, 8, 8))}


def _accuracy_fact(start: str, seed: int | None = None):
    def fact() -> str:
        seeds = tr.SEEDS if seed is None else (seed,)
        return f"{np.mean([tr.final_accuracy(start, s) for s in seeds]):.1%}"
    return fact


def _frozen_model():
    return tr.transfer_model(tr.pretrained(0)[0], 0)


FIGURES = (
    FigureSpec("transfer_curves", transfer_curves,
               "Transfer learning against training from scratch on a few labels",
               data=_curves_data),
    FigureSpec("layer_costs", layer_costs,
               "Multiply-adds per layer of a small CNN", data=_costs_data),
)

FACTS = (
    Fact("tl_labels_per_class", lambda: f"{tr.LABELS_PER_CLASS}",
         "Labelled examples per new digit"),
    Fact("tl_few_labels", lambda: f"{len(tr.splits(0)['new_few'][1])}",
         "Labelled examples of the new digits in all"),
    Fact("tl_old_train", lambda: f"{len(tr.splits(0)['old_train'][1]):,}",
         "Training examples of the digits 0-4"),
    Fact("tl_new_val", lambda: f"{len(tr.splits(0)['new_val'][1])}",
         "Validation examples of the digits 5-9"),
    Fact("tl_pretrain_epochs", lambda: f"{tr.PRETRAIN_EPOCHS}", "Pre-training epochs"),
    Fact("tl_epochs", lambda: f"{tr.FEW_LABEL_EPOCHS}", "Epochs on the few labels"),
    Fact("tl_seeds", lambda: f"{len(tr.SEEDS)}", "Seeds of the comparison"),
    Fact("tl_pretrain_val", lambda: f"{tr.pretrained(0)[1]:.1%}",
         "Validation accuracy of the pre-trained CNN on the digits 0-4"),
    Fact("tl_transfer_val", _accuracy_fact("transfer"),
         "Final validation accuracy on 5-9, transfer, mean over seeds"),
    Fact("tl_scratch_val", _accuracy_fact("scratch"),
         "Final validation accuracy on 5-9, from scratch, mean over seeds"),
    Fact("tl_total_params", lambda: f"{_frozen_model().num_params():,}",
         "Parameters of the CNN"),
    Fact("tl_trainable_params", lambda: f"{_frozen_model().num_params(trainable=True):,}",
         "Trainable parameters after freezing the feature layers"),
    Fact("cost_forward_macs", lambda: f"{tr.forward_macs():,}",
         "Forward multiply-adds per digit, CNN"),
    Fact("cost_step_macs", lambda: f"{tr.step_macs():,}",
         "Multiply-adds per digit of one training step, CNN"),
    Fact("cost_throughput", lambda: f"{tr.throughput():,.0f}",
         "Training examples per second of the CNN on the build machine, one thread"),
    Fact("cost_gflops", lambda: f"{2 * tr.step_macs() * tr.throughput() / 1e9:.2f}",
         "Achieved GFLOP/s while training the CNN on the build machine"),
)
