"""Figures and facts for the recurrent-networks page: the unrolled RNN, the LSTM cell and
what each can remember."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from glassnet import layers
from glassnet.layers import RNN
from glassnet_site.examples import architectures as models

from .layout import NARROW_WIDTH, is_narrow, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, MARKERS, Style
from .vanishing import scientific


def _box(ax, xy, text, style: Style, colour=None, size=(1.3, 0.8), linestyle="-", fs=10):
    """A rounded box centred at ``xy`` with ``text`` inside."""
    w, h = size
    ax.add_patch(FancyBboxPatch((xy[0] - w / 2, xy[1] - h / 2), w, h,
                                boxstyle="round,pad=0.05,rounding_size=0.12",
                                facecolor="none", edgecolor=colour or style.fg,
                                linewidth=1.8, linestyle=linestyle))
    ax.text(*xy, text, ha="center", va="center", fontsize=fs, color=style.fg)


def _op(ax, xy, symbol, style: Style, r=0.24):
    """A small circle holding an element-wise operation such as a product or a sum."""
    ax.add_patch(Circle(xy, r, facecolor="none", edgecolor=style.fg, linewidth=1.5))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=11, color=style.fg)


def _arrow(ax, start, end, style: Style, colour=None, linestyle="-", rad=0.0, head=True):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>" if head else "-",
                                 mutation_scale=11, color=colour or style.fg,
                                 linewidth=1.4, linestyle=linestyle,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0))


def _canvas(figsize, xlim, ylim):
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


# Time steps drawn in the unrolled picture, and the x position of each step's cell.
UNROLLED_STEPS = (1, 2, 3, 4)


def rnn_unrolled(style: Style, layout: str = "wide") -> Figure:
    """A recurrent cell drawn folded (with its loop) and unrolled over four time steps.

    Wide, time runs left to right; narrow (a phone), top to bottom.
    """
    if is_narrow(layout):
        return _rnn_unrolled_narrow(style)
    fig, ax = _canvas((7.8, 3.0), (-0.6, 12.2), (-0.5, 4.3))
    fwd, back = style.series[0], style.series[1]
    _box(ax, (0.6, 2.0), "RNN", style, colour=fwd)
    _arrow(ax, (0.6, 0.4), (0.6, 1.6), style)
    _arrow(ax, (0.6, 2.4), (0.6, 3.6), style)
    ax.text(0.6, 0.15, "$x_t$", ha="center", va="center")
    ax.text(0.6, 3.85, "$h_t$", ha="center", va="center")
    _arrow(ax, (1.25, 2.2), (-0.05, 2.2), style, colour=fwd, rad=1.4)
    ax.text(-0.35, 2.9, "$W_h$", ha="center", va="center", fontsize=9, color=style.muted)
    ax.text(2.3, 2.0, "=", ha="center", va="center", fontsize=18)
    xs = [3.6 + 2.4 * (k - 1) for k in UNROLLED_STEPS]
    for k, x in zip(UNROLLED_STEPS, xs, strict=True):
        _box(ax, (x, 2.0), "tanh", style, colour=fwd)
        _arrow(ax, (x, 0.4), (x, 1.6), style)
        _arrow(ax, (x, 2.4), (x, 3.6), style)
        ax.text(x, 0.15, f"$x_{k}$", ha="center", va="center")
        ax.text(x, 3.85, f"$h_{k}$", ha="center", va="center")
    for x0, x1 in zip([2.75, *xs[:-1]], xs, strict=True):
        start = x0 + (0.65 if x0 in xs else 0.0)
        _arrow(ax, (start, 2.15), (x1 - 0.65, 2.15), style, colour=fwd)
        if x0 in xs:
            ax.text((start + x1 - 0.65) / 2, 2.45, "$W_h$", ha="center", fontsize=9,
                    color=style.muted)
        _arrow(ax, (x1 - 0.65, 1.8), (start, 1.8), style, colour=back, linestyle="--")
    ax.text(2.75, 1.55, "$h_0 = 0$", ha="left", va="top", fontsize=9, color=style.muted)
    ax.text(xs[-1] + 0.8, 1.2, "gradient flows back\nthrough every step\n(dashed)",
            ha="left", va="center", fontsize=8.5, color=back)
    return fig


def _rnn_unrolled_narrow(style: Style) -> Figure:
    """The picture of ``rnn_unrolled`` with time running down, for a phone's column."""
    fig, ax = _canvas((NARROW_WIDTH, 5.9), (-0.2, 5.6), (-0.55, 8.6))
    fwd, back = style.series[0], style.series[1]
    # The folded cell: x_t in from the left, h_t out to the right, the loop below.
    _box(ax, (2.4, 7.9), "RNN", style, colour=fwd)
    _arrow(ax, (1.0, 7.9), (1.75, 7.9), style)
    _arrow(ax, (3.05, 7.9), (3.8, 7.9), style)
    ax.text(0.75, 7.9, "$x_t$", ha="right", va="center")
    ax.text(4.05, 7.9, "$h_t$", ha="left", va="center")
    _arrow(ax, (2.7, 7.5), (2.1, 7.5), style, colour=fwd, rad=-1.6)
    # Labels with a subscript are 10 pt here: a subscript is 70% of its label's size.
    ax.text(3.05, 7.05, "$W_h$", ha="left", va="center", fontsize=10, color=style.muted)
    ax.text(2.4, 6.5, "=", ha="center", va="center", fontsize=18)
    ys = [5.1 - 1.55 * (k - 1) for k in UNROLLED_STEPS]
    for k, y in zip(UNROLLED_STEPS, ys, strict=True):
        _box(ax, (2.4, y), "tanh", style, colour=fwd)
        _arrow(ax, (1.0, y), (1.75, y), style)
        _arrow(ax, (3.05, y), (3.8, y), style)
        ax.text(0.75, y, f"$x_{k}$", ha="right", va="center")
        ax.text(4.05, y, f"$h_{k}$", ha="left", va="center")
    for y0, y1 in zip([ys[0] + 1.0, *ys[:-1]], ys, strict=True):
        start = y0 - (0.4 if y0 in ys else 0.0)
        _arrow(ax, (2.55, start), (2.55, y1 + 0.4), style, colour=fwd)
        if y0 in ys:
            ax.text(2.75, (start + y1 + 0.4) / 2, "$W_h$", va="center", fontsize=10,
                    color=style.muted)
        _arrow(ax, (2.25, y1 + 0.4), (2.25, start), style, colour=back, linestyle="--")
    ax.text(2.1, ys[0] + 1.0, "$h_0 = 0$", ha="right", va="center", fontsize=10,
            color=style.muted)
    ax.text(2.4, ys[-1] - 0.6, "gradient flows back through every\nstep (dashed)",
            ha="center", va="top", fontsize=8.5, color=back)
    return fig


# Gates in glassnet's order, with their activation and where they are drawn.
GATES = (("i", "σ", 4.3), ("f", "σ", 2.7), ("g", "tanh", 6.0), ("o", "σ", 7.6))


def lstm_cell(style: Style, layout: str = "wide") -> Figure:
    """The LSTM cell: three gates and a candidate read [x_t, h_{t-1}] and update the cell c.

    Wide, the cell state runs left to right; narrow (a phone), top to bottom.
    """
    if is_narrow(layout):
        return _lstm_cell_narrow(style)
    fig, ax = _canvas((7.6, 4.4), (-0.3, 11.0), (-0.4, 6.0))
    cell_y, gate_y, bus_y = 5.0, 2.4, 1.0
    # The input bus: h_{t-1} from the left, x_t from below, feeding every gate.
    ax.plot([0.6, 7.6], [bus_y, bus_y], color=style.fg, linewidth=1.4)
    ax.text(0.1, bus_y, "$h_{t-1}$", ha="right", va="center")
    _arrow(ax, (0.15, bus_y), (0.6, bus_y), style, head=False)
    ax.text(1.6, -0.25, "$x_t$", ha="center", va="center")
    _arrow(ax, (1.6, 0.0), (1.6, bus_y), style, head=False)
    for k, (name, act, x) in enumerate(GATES):
        _arrow(ax, (x, bus_y), (x, gate_y - 0.4), style)
        _box(ax, (x, gate_y), f"${name}_t$  {act}", style, colour=style.series[k],
             size=(1.25, 0.8), linestyle=LINESTYLES[k], fs=9)
    # The cell state runs along the top: forget, then add.
    ax.text(0.1, cell_y, "$c_{t-1}$", ha="right", va="center")
    _arrow(ax, (0.15, cell_y), (2.46, cell_y), style)
    _op(ax, (2.7, cell_y), "×", style)
    _arrow(ax, (2.7, gate_y + 0.4), (2.7, cell_y - 0.24), style, colour=style.series[1])
    _op(ax, (5.25, 3.75), "×", style)
    _arrow(ax, (4.3, gate_y + 0.4), (5.05, 3.6), style, colour=style.series[0])
    _arrow(ax, (6.0, gate_y + 0.4), (5.45, 3.6), style, colour=style.series[2])
    _op(ax, (5.25, cell_y), "+", style)
    _arrow(ax, (2.94, cell_y), (5.01, cell_y), style)
    _arrow(ax, (5.25, 3.99), (5.25, cell_y - 0.24), style)
    _arrow(ax, (5.49, cell_y), (10.2, cell_y), style)
    ax.text(10.3, cell_y, "$c_t$", ha="left", va="center")
    # The output: tanh of the new cell state, scaled by the output gate.
    _box(ax, (8.6, 4.0), "tanh", style, size=(0.9, 0.55), fs=9)
    _arrow(ax, (8.6, cell_y), (8.6, 4.28), style)
    _op(ax, (8.6, 2.9), "×", style)
    _arrow(ax, (8.6, 3.72), (8.6, 3.14), style)
    _arrow(ax, (8.23, gate_y + 0.1), (8.4, 2.76), style, colour=style.series[3])
    _arrow(ax, (8.84, 2.9), (10.2, 2.9), style)
    ax.text(10.3, 2.9, "$h_t$", ha="left", va="center")
    ax.text(2.7, 5.5, "forget", ha="center", fontsize=8.5, color=style.muted)
    ax.text(5.25, 5.5, "write", ha="center", fontsize=8.5, color=style.muted)
    ax.text(9.1, 2.45, "read", ha="center", fontsize=8.5, color=style.muted)
    return fig


def _lstm_cell_narrow(style: Style) -> Figure:
    """The cell of ``lstm_cell`` turned a quarter: inputs at the top, outputs at the bottom.

    Each wide position ``(x, y)`` is drawn at ``(y, -x)``; the boxes keep their shape.
    """
    fig, ax = _canvas((NARROW_WIDTH, 5.9), (-0.9, 6.3), (-10.9, 0.6))
    cell_x, gate_x, bus_x = 5.0, 2.4, 1.0
    edge = gate_x + 0.625  # the right side of a gate's box
    ax.plot([bus_x, bus_x], [-0.6, -7.6], color=style.fg, linewidth=1.4)
    ax.text(bus_x, 0.0, "$h_{t-1}$", ha="center", va="bottom")
    _arrow(ax, (bus_x, -0.15), (bus_x, -0.6), style, head=False)
    ax.text(-0.3, -1.6, "$x_t$", ha="right", va="center")
    _arrow(ax, (-0.2, -1.6), (bus_x, -1.6), style, head=False)
    for k, (name, act, y) in enumerate(GATES):
        _arrow(ax, (bus_x, -y), (gate_x - 0.625, -y), style)
        # 10 pt, not 9: the subscript (70% of it) stays above 9 CSS px on a phone.
        _box(ax, (gate_x, -y), f"${name}_t$  {act}", style, colour=style.series[k],
             size=(1.25, 0.8), linestyle=LINESTYLES[k], fs=10)
    ax.text(cell_x, 0.0, "$c_{t-1}$", ha="center", va="bottom")
    _arrow(ax, (cell_x, -0.15), (cell_x, -2.46), style)
    _op(ax, (cell_x, -2.7), "×", style)
    _arrow(ax, (edge, -2.7), (cell_x - 0.24, -2.7), style, colour=style.series[1])
    _op(ax, (3.75, -5.25), "×", style)
    _arrow(ax, (edge, -4.3), (3.6, -5.05), style, colour=style.series[0])
    _arrow(ax, (edge, -6.0), (3.6, -5.45), style, colour=style.series[2])
    _op(ax, (cell_x, -5.25), "+", style)
    _arrow(ax, (cell_x, -2.94), (cell_x, -5.01), style)
    _arrow(ax, (3.99, -5.25), (cell_x - 0.24, -5.25), style)
    _arrow(ax, (cell_x, -5.49), (cell_x, -10.2), style)
    ax.text(cell_x, -10.3, "$c_t$", ha="center", va="top")
    _box(ax, (4.0, -8.6), "tanh", style, size=(0.9, 0.55), fs=9)
    _arrow(ax, (cell_x, -8.6), (4.45, -8.6), style)
    _op(ax, (2.9, -8.6), "×", style)
    _arrow(ax, (3.55, -8.6), (3.14, -8.6), style)
    _arrow(ax, (2.55, -8.0), (2.76, -8.4), style, colour=style.series[3])
    _arrow(ax, (2.9, -8.84), (2.9, -10.2), style)
    ax.text(2.9, -10.3, "$h_t$", ha="center", va="top")
    ax.text(cell_x + 0.35, -2.7, "forget", va="center", fontsize=8.5, color=style.muted)
    ax.text(cell_x + 0.35, -5.25, "write", va="center", fontsize=8.5, color=style.muted)
    ax.text(2.55, -9.1, "read", ha="right", va="center", fontsize=8.5, color=style.muted)
    return fig


def rnn_vs_lstm(style: Style, layout: str = "wide") -> Figure:
    """Test accuracy on the remember-the-first-sign task against the distance to remember."""
    curves = models.memory_curves()
    d = np.array(models.MEMORY_DISTANCES)
    fig, (ax,) = panels(layout, size=(6.4, 3.4), panel_height=3.2)
    for k, (cell, acc) in enumerate(curves.items()):
        ax.plot(d, acc.mean(axis=0), color=style.series[k], linestyle=LINESTYLES[k],
                marker=MARKERS[k], label=f"{cell} (mean of {len(acc)} runs)")
        for run in acc:
            ax.scatter(d, run, color=style.series[k], marker=MARKERS[k], s=14, alpha=0.45,
                       linewidths=0)
    ax.axhline(0.5, color=style.muted, linewidth=1.0, linestyle=":")
    ax.text(d[0], 0.52, "chance", color=style.muted, fontsize=9)
    ax.set_xlabel("distance to remember (time steps)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0.4, 1.05)
    ax.set_xticks(d)
    ax.legend(loc="center left")
    return fig


def _memory_data() -> dict:
    """Test accuracy of every run: its cell type, distance to remember and seed."""
    rows = {"cell": [], "distance": [], "seed": [], "accuracy": []}
    for cell, acc in models.memory_curves().items():  # acc: (seeds, distances)
        for seed, run in zip(models.MEMORY_SEEDS, acc, strict=True):
            rows["cell"] += [cell] * len(run)
            rows["distance"] += list(models.MEMORY_DISTANCES)
            rows["seed"] += [seed] * len(run)
            rows["accuracy"] += list(run)
    return rows


def solved_runs(cell: str, distance: int) -> int:
    """How many runs of ``cell`` reach ``MEMORY_SOLVED`` test accuracy at ``distance``."""
    acc = models.memory_curves()[cell][:, models.MEMORY_DISTANCES.index(distance)]
    return int(np.sum(acc >= models.MEMORY_SOLVED))


def _memory_params(cell: str) -> str:
    H = models.MEMORY_HIDDEN
    return f"{getattr(layers, cell)(2, H).num_params() + layers.Dense(H, 2).num_params():,}"


def _mean_accuracy(cell: str, distance: int) -> str:
    acc = models.memory_curves()[cell]
    return f"{acc[:, models.MEMORY_DISTANCES.index(distance)].mean():.0%}"


FIGURES = (
    FigureSpec("rnn_unrolled", rnn_unrolled,
               "A recurrent cell folded and unrolled over four time steps"),
    FigureSpec("lstm_cell", lstm_cell,
               "The LSTM cell with its input, forget and output gates and its candidate"),
    FigureSpec("rnn_vs_lstm", rnn_vs_lstm,
               "RNN against LSTM: test accuracy against the distance to remember",
               data=_memory_data),
)

FACTS = (
    Fact("memory_steps", lambda: str(models.MEMORY_STEPS), "Adam steps per memory-task run"),
    Fact("memory_batch", lambda: str(models.MEMORY_BATCH), "Sequences per memory-task batch"),
    Fact("memory_hidden", lambda: str(models.MEMORY_HIDDEN), "Hidden units of each memory model"),
    Fact("memory_noise", lambda: f"{models.MEMORY_NOISE:g}",
         "Standard deviation of the distracting noise"),
    Fact("memory_runs", lambda: str(len(models.MEMORY_SEEDS)), "Seeds per point"),
    Fact("memory_solved", lambda: f"{models.MEMORY_SOLVED:.0%}",
         "Test accuracy at which a memory run counts as solved"),
    *(Fact(f"memory_{cell.lower()}_solved_{d}", lambda cell=cell, d=d: str(solved_runs(cell, d)),
           f"{cell} runs that solve distance {d}")
      for cell in ("RNN", "LSTM") for d in (15, 20, 25)),
    *(Fact(f"memory_{cell.lower()}_params", lambda cell=cell: _memory_params(cell),
           f"Parameters of the {cell} memory model, readout included")
      for cell in ("RNN", "LSTM")),
    Fact("rnn_10_32_params", lambda: f"{RNN(10, 32).num_params():,}",
         "Parameters of RNN(10, 32)"),
    Fact("memory_rnn_10", lambda: _mean_accuracy("RNN", 10), "RNN accuracy at distance 10"),
    Fact("rnn_bound_20", lambda: f"{0.9 ** 20:.2f}",
         "Bound on the gradient from 20 steps back when W_h's largest singular value is 0.9"),
    Fact("rnn_bound_100", lambda: scientific(0.9 ** 100),
         "Bound on the gradient from 100 steps back when W_h's largest singular value is 0.9"),
)
