"""Figures and facts for the training-time, hardware and transfer-learning page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from glassnet.cost import count_macs
from glassnet_site.examples import transfer as tr

from .layout import is_narrow, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style

_LABELS = {"transfer": "frozen features from 0-4, new head",
           "fine-tune": "features from 0-4, every layer fine-tuned",
           "scratch": "the same network from scratch"}


def transfer_curves(style: Style, layout: str = "wide") -> Figure:
    """Left: validation accuracy on the digits 5-9 per epoch, mean over seeds, for each
    start. Right: final accuracy against the number of labels per digit."""
    fig, (ax, ax2) = panels(layout, 2, size=(7.6, 3.2), panel_height=2.9)
    for i, start in enumerate(tr.STARTS):
        runs = np.array([tr.few_label_run(start, seed)[1].history["val_accuracy"]
                         for seed in tr.SEEDS])
        epochs = np.arange(1, runs.shape[1] + 1)
        ax.plot(epochs, runs.mean(axis=0), color=style.series[i], linestyle=LINESTYLES[i],
                marker=MARKERS[i], markevery=(2 * i, 6), markersize=5, label=_LABELS[start])
        finals = np.array([[tr.final_accuracy(start, seed, k) for seed in tr.SEEDS]
                           for k in tr.LABELS])                      # (labels, seeds)
        ax2.plot(tr.LABELS, finals.mean(axis=1), color=style.series[i],
                 linestyle=LINESTYLES[i], marker=MARKERS[i], markersize=5)
        for k, row in zip(tr.LABELS, finals, strict=True):
            ax2.scatter([k] * len(row), row, color=style.series[i], marker=MARKERS[i], s=12,
                        alpha=0.4, linewidths=0)
    ax.set_xlabel(f"epoch ({tr.CURVE_LABELS} labels per digit)")
    ax.set_ylabel("validation accuracy, digits 5-9")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, loc="lower right")
    ax2.set_xscale("log")
    ax2.set_xticks(tr.LABELS, [str(k) for k in tr.LABELS])
    ax2.minorticks_off()
    ax2.set_xlabel("labelled examples per digit")
    ax2.set_ylabel(f"accuracy after {tr.FEW_LABEL_EPOCHS} epochs")
    ax2.set_ylim(0, 1)
    return fig


def _curves_data() -> dict:
    """Validation accuracy per epoch, for each start, labels per digit and seed."""
    rows = {"start": [], "labels_per_digit": [], "seed": [], "epoch": [], "val_accuracy": []}
    for start in tr.STARTS:
        for k in tr.LABELS:
            for seed in tr.SEEDS:
                val = tr.few_label_run(start, seed, k)[1].history["val_accuracy"]
                rows["start"] += [start] * len(val)
                rows["labels_per_digit"] += [k] * len(val)
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


def _accuracy_fact(start: str, per_class: int = tr.CURVE_LABELS):
    return lambda: f"{tr.mean_final_accuracy(start, per_class):.0%}"


def nearest_mean(representation: str, per_class: int = tr.CURVE_LABELS) -> float:
    """``tr.nearest_mean_accuracy`` averaged over the seeds."""
    return float(np.mean([tr.nearest_mean_accuracy(representation, seed, per_class)
                          for seed in tr.SEEDS]))


def _nearest_mean_fact(representation: str):
    return lambda: f"{nearest_mean(representation):.0%}"


def frozen_behind() -> int:
    """How many of the label counts swept have the frozen features behind scratch (means)."""
    return sum(tr.mean_final_accuracy("scratch", k) > tr.mean_final_accuracy("transfer", k)
               for k in tr.LABELS)


def gap_to_scratch(start: str, per_class: int) -> tuple[float, float]:
    """``start``'s final accuracy minus scratch's, seed by seed (same labels, same seed): the
    mean of the differences and their spread (standard deviation over the seeds)."""
    diffs = [tr.final_accuracy(start, seed, per_class)
             - tr.final_accuracy("scratch", seed, per_class) for seed in tr.SEEDS]
    return float(np.mean(diffs)), float(np.std(diffs, ddof=1))


def beyond_spread(start: str) -> int:
    """How many label counts have ``start`` behind scratch, on average, by more than the
    spread."""
    return sum(-mean > spread for mean, spread in (gap_to_scratch(start, k) for k in tr.LABELS))


def within_spread(start: str) -> int:
    """How many label counts have ``start`` and scratch closer, on average, than the spread."""
    return sum(abs(mean) < spread for mean, spread in
               (gap_to_scratch(start, k) for k in tr.LABELS))


def _gap_fact(start: str, per_class: int, part: int):
    """The mean gap to scratch (signed) or its spread, in percentage points."""
    fmt = "{:+.1f}" if part == 0 else "{:.1f}"
    return lambda: fmt.format(100 * gap_to_scratch(start, per_class)[part])


def steps_per_epoch(per_class: int) -> int:
    """Optimizer steps per epoch of a few-label run: its labelled images in batches."""
    return -(-len(tr.NEW_CLASSES) * per_class // tr.FEW_LABEL_BATCH)


def _speedup(fast: str, slow: str):
    return lambda: f"{tr.throughputs()[fast] / tr.throughputs()[slow]:.1f}"


FIGURES = (
    FigureSpec("transfer_curves", transfer_curves,
               "Transfer learning against training from scratch on a few labels",
               data=_curves_data),
    FigureSpec("layer_costs", layer_costs,
               "Multiply-adds per layer of a small CNN", data=_costs_data),
)

FACTS = (
    Fact("tl_labels_per_class", lambda: f"{tr.CURVE_LABELS}",
         "Labelled examples per new digit in the plotted curves"),
    Fact("tl_labels_swept", lambda: ", ".join(str(k) for k in tr.LABELS[:-1])
         + f" and {tr.LABELS[-1]}", "Labelled examples per new digit, the sweep"),
    Fact("tl_labels_fewest", lambda: f"{min(tr.LABELS)}", "Fewest labels per new digit swept"),
    Fact("tl_labels_most", lambda: f"{max(tr.LABELS)}", "Most labels per new digit swept"),
    Fact("tl_few_labels", lambda: f"{len(tr.splits(0, tr.CURVE_LABELS)['new_few'][1])}",
         "Labelled examples of the new digits in all, plotted curves"),
    Fact("tl_old_train", lambda: f"{len(tr.splits(0)['old_train'][1]):,}",
         "Training examples of the digits 0-4"),
    Fact("tl_new_val", lambda: f"{len(tr.splits(0)['new_val'][1])}",
         "Validation examples of the digits 5-9"),
    Fact("tl_pretrain_epochs", lambda: f"{tr.PRETRAIN_EPOCHS}", "Pre-training epochs"),
    Fact("tl_epochs", lambda: f"{tr.FEW_LABEL_EPOCHS}", "Epochs on the few labels"),
    Fact("tl_lr", lambda: f"{tr.LR:g}", "Adam learning rate of pre-training and of every start"),
    Fact("tl_steps_fewest", lambda: f"{tr.FEW_LABEL_EPOCHS * steps_per_epoch(min(tr.LABELS))}",
         "Optimizer steps of a few-label run with the fewest labels"),
    Fact("tl_steps_most", lambda: f"{tr.FEW_LABEL_EPOCHS * steps_per_epoch(max(tr.LABELS))}",
         "Optimizer steps of a few-label run with the most labels"),
    Fact("tl_seeds", lambda: f"{len(tr.SEEDS)}", "Seeds (label draws and initial weights)"),
    Fact("tl_pretrain_val", lambda: f"{np.mean([tr.pretrained(s)[1] for s in tr.SEEDS]):.1%}",
         "Validation accuracy of the pre-trained CNN on the digits 0-4, mean over seeds"),
    Fact("tl_transfer_val", _accuracy_fact("transfer"),
         "Final validation accuracy on 5-9, frozen features, mean over seeds"),
    Fact("tl_fine_tune_val", _accuracy_fact("fine-tune"),
         "Final validation accuracy on 5-9, fine-tuned, mean over seeds"),
    Fact("tl_scratch_val", _accuracy_fact("scratch"),
         "Final validation accuracy on 5-9, from scratch, mean over seeds"),
    Fact("tl_transfer_val_fewest", _accuracy_fact("transfer", min(tr.LABELS)),
         "Final validation accuracy on 5-9 with the fewest labels, frozen features"),
    Fact("tl_scratch_val_fewest", _accuracy_fact("scratch", min(tr.LABELS)),
         "Final validation accuracy on 5-9 with the fewest labels, from scratch"),
    Fact("tl_fine_tune_val_fewest", _accuracy_fact("fine-tune", min(tr.LABELS)),
         "Final validation accuracy on 5-9 with the fewest labels, fine-tuned"),
    Fact("tl_fine_tune_val_most", _accuracy_fact("fine-tune", max(tr.LABELS)),
         "Final validation accuracy on 5-9 with the most labels, fine-tuned"),
    Fact("tl_scratch_val_most", _accuracy_fact("scratch", max(tr.LABELS)),
         "Final validation accuracy on 5-9 with the most labels, from scratch"),
    Fact("tl_frozen_behind", lambda: f"{frozen_behind()} of {len(tr.LABELS)}",
         "Label counts at which the frozen features end behind scratch, mean over seeds"),
    Fact("tl_frozen_beyond", lambda: f"{beyond_spread('transfer')}",
         "Label counts at which frozen features end behind scratch by more than the spread"),
    Fact("tl_fine_tune_gap_fewest", _gap_fact("fine-tune", min(tr.LABELS), 0),
         "Fine-tuned minus scratch accuracy with the fewest labels, points, mean over seeds"),
    Fact("tl_fine_tune_spread_fewest", _gap_fact("fine-tune", min(tr.LABELS), 1),
         "Standard deviation over seeds of that difference, points"),
    Fact("tl_fine_tune_gap_most", _gap_fact("fine-tune", max(tr.LABELS), 0),
         "Fine-tuned minus scratch accuracy with the most labels, points, mean over seeds"),
    Fact("tl_fine_tune_spread_most", _gap_fact("fine-tune", max(tr.LABELS), 1),
         "Standard deviation over seeds of that difference, points"),
    Fact("tl_fine_tune_within", lambda: f"{within_spread('fine-tune')} of {len(tr.LABELS)}",
         "Label counts at which fine-tuned and scratch differ by less than the seeds' spread"),
    Fact("tl_nearest_pixels", _nearest_mean_fact("pixels"),
         "Nearest-class-mean accuracy on 5-9 in raw pixels, mean over seeds"),
    Fact("tl_nearest_features", _nearest_mean_fact("features"),
         "Nearest-class-mean accuracy on 5-9 in the pretrained features, mean over seeds"),
    Fact("tl_nearest_random", _nearest_mean_fact("random"),
         "Nearest-class-mean accuracy on 5-9 in the untrained CNN's features, mean over seeds"),
    Fact("tl_total_params", lambda: f"{tr.frozen_model().num_params():,}",
         "Parameters of the CNN"),
    Fact("tl_trainable_params", lambda: f"{tr.frozen_model().num_params(trainable=True):,}",
         "Trainable parameters after freezing the feature layers"),
    Fact("tl_frozen_step_macs", lambda: f"{tr.step_macs(tr.frozen_model()):,}",
         "Multiply-adds per digit of one training step, frozen features"),
    Fact("tl_frozen_throughput", lambda: f"{tr.throughputs()['frozen']:,.0f}",
         "Training examples per second, frozen features, skipping their backward pass"),
    Fact("tl_frozen_full_throughput",
         lambda: f"{tr.throughputs()['frozen, no skipping']:,.0f}",
         "Training examples per second, frozen features, full backward pass"),
    Fact("tl_skip_speedup", _speedup("frozen", "frozen, no skipping"),
         "Speed-up of skipping the frozen layers' backward pass"),
    Fact("tl_frozen_speedup", _speedup("frozen", "scratch"),
         "Training speed of the frozen network over the network from scratch"),
    Fact("tl_macs_ratio", lambda: f"{tr.step_macs() / tr.step_macs(tr.frozen_model()):.1f}",
         "Multiply-adds of a step from scratch over a step with frozen features"),
    Fact("cost_forward_macs", lambda: f"{tr.forward_macs():,}",
         "Forward multiply-adds per digit, CNN"),
    Fact("cost_step_macs", lambda: f"{tr.step_macs():,}",
         "Multiply-adds per digit of one training step, CNN"),
    Fact("cost_first_layer_macs", lambda: f"{count_macs(tr.make_cnn(0), (1, 8, 8))[0]:,}",
         "Forward multiply-adds per digit of the CNN's first convolution"),
    Fact("cost_throughput", lambda: f"{tr.throughput():,.0f}",
         "Training examples per second of the CNN on the build machine, one thread"),
    Fact("cost_gflops", lambda: f"{2 * tr.step_macs() * tr.throughput() / 1e9:.2f}",
         "Achieved GFLOP/s while training the CNN on the build machine"),
)
