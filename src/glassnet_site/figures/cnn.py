"""Figures and facts for the convolutional-networks page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import ConnectionPatch, Rectangle

from glassnet.data import digits_split
from glassnet.layers import AvgPool2D, Conv2D, Dense, MaxPool2D
from glassnet.layers.conv import col2im, conv_output_size
from glassnet_site.examples import architectures as models
from glassnet_site.examples import training as tm
from glassnet_site.interactive import digits as explorer

from . import _data
from .layout import NARROW_WIDTH, is_narrow, panels
from .registry import Fact, FigureSpec
from .style import LINESTYLES, Style

# A vertical-edge kernel: positive on the left column, negative on the right.
EDGE_KERNEL = np.array([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])
WINDOW = (2, 1)  # (row, column) of the output cell the convolution figure follows


def _example_digit() -> tuple[np.ndarray, int]:
    """The first test image ``(1, 8, 8)`` and its label."""
    _, _, X_test, _, _, y_test = digits_split(images=True)
    return X_test[0], int(y_test[0])


def _image(ax, img, style: Style, cmap: str = "gray_r", vmin=0.0, vmax=1.0):
    """Show a small matrix as square cells, framed, without ticks; returns the image."""
    image = ax.imshow(img, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="none")
    # The image fills its axes exactly, so it needs no clip; a clip path here gets an SVG id
    # that depends on what was drawn earlier in the process, breaking reproducible output.
    image.set_clip_on(False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(style.muted)
    return image


def _annotate(ax, image, values, fmt: str = "{:.1f}", size: float = 7) -> None:
    """Write each value in its cell, in black or white depending on the cell's lightness."""
    for (r, c), v in np.ndenumerate(values):
        red, green, blue, _ = image.to_rgba(v)
        light_cell = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
        ax.text(c, r, fmt.format(v).replace("+0", "0").replace("-0.0", "0.0"), ha="center",
                va="center", fontsize=size, color="#1f2328" if light_cell else "#ffffff")


def _edge_map() -> tuple[np.ndarray, np.ndarray]:
    """The example digit ``(1, 8, 8)`` and its feature map ``(6, 6)`` under EDGE_KERNEL."""
    digit, _ = _example_digit()
    conv = Conv2D(1, 1, 3)
    conv.params["W"][0, 0], conv.params["b"][:] = EDGE_KERNEL, 0.0
    return digit, conv.forward(digit[None])[0, 0]


def _learned_maps() -> np.ndarray:
    """The ReLU response ``(8, 8, 8)`` of each learned filter to the example digit."""
    model, _ = models.digits_cnn()
    digit, _ = _example_digit()
    return model.layers[1].forward(model.layers[0].forward(digit[None]))[0]


def weakest_map_share() -> float:
    """The weakest feature map's peak as a share of the strongest map's, for the example digit."""
    peaks = _learned_maps().max(axis=(1, 2))
    return float(peaks.min() / peaks.max())


def convolution(style: Style, layout: str = "wide") -> Figure:
    """An 8x8 digit, a 3x3 vertical-edge kernel and the 6x6 feature map it produces."""
    digit, fmap = _edge_map()
    r, c = WINDOW
    fig, (ax_in, ax_k, ax_out) = panels(layout, 3, size=(7.6, 3.0), width_ratios=[8, 3.6, 6],
                                        narrow_ratios=[8, 3.6, 6], panel_height=2.1)
    _image(ax_in, digit[0], style)
    ax_in.set_title("input x (8×8)")
    image = _image(ax_k, EDGE_KERNEL, style, cmap=style.diverging, vmin=-1.6, vmax=1.6)
    _annotate(ax_k, image, EDGE_KERNEL, fmt="{:+.0f}", size=9)
    ax_k.set_title("kernel W (3×3)")
    bound = np.abs(fmap).max()
    image = _image(ax_out, fmap, style, cmap=style.diverging, vmin=-bound, vmax=bound)
    _annotate(ax_out, image, fmap, size=8.5 if is_narrow(layout) else 6.5)
    ax_out.set_title("feature map z (6×6)")
    colour = style.series[1]
    ax_in.add_patch(Rectangle((c - 0.5, r - 0.5), 3, 3, fill=False, edgecolor=colour,
                              linewidth=2.4))
    ax_out.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor=colour,
                               linewidth=2.4))
    fig.add_artist(ConnectionPatch((c + 2.5, r - 0.5), (c - 0.5, r - 0.5), "data", "data",
                                   axesA=ax_in, axesB=ax_out, color=colour, linestyle="--",
                                   arrowstyle="->", linewidth=1.4))
    return fig


def cnn_filters(style: Style, layout: str = "wide") -> Figure:
    """The eight 3x3 filters of the trained digit CNN, on one shared colour scale."""
    model, _ = models.digits_cnn()
    W = model.layers[0].params["W"][:, 0]                   # (8, 3, 3)
    bound = np.abs(W).max()
    fig, axes = panels(layout, len(W), size=(7.0, 1.6), narrow_columns=4, panel_height=1.05)
    for k, (ax, w) in enumerate(zip(axes, W, strict=True)):
        _image(ax, w, style, cmap=style.diverging, vmin=-bound, vmax=bound)
        ax.set_title(f"filter {k + 1}", fontsize=9)
    image = axes[-1].get_images()[0]
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    return fig


def feature_maps(style: Style, layout: str = "wide") -> Figure:
    """One test digit and the ReLU response of each learned filter to it."""
    digit, label = _example_digit()
    maps = _learned_maps()  # (8, 8, 8)
    # Wide: the digit beside two rows of four maps. Narrow: the digit above them.
    if is_narrow(layout):
        fig = Figure(figsize=(NARROW_WIDTH, 4.0), layout="constrained")
        grid = fig.add_gridspec(3, 4)
        ax_in = fig.add_subplot(grid[0, 1:3])
        first_row, first_column = 1, 0
    else:
        fig = Figure(figsize=(7.6, 3.4), layout="constrained")
        grid = fig.add_gridspec(2, 5)
        ax_in = fig.add_subplot(grid[:, 0])
        first_row, first_column = 0, 1
    _image(ax_in, digit[0], style)
    ax_in.set_title(f"input: a {label}")
    top = maps.max()
    for k in range(len(maps)):
        ax = fig.add_subplot(grid[first_row + k // 4, first_column + k % 4])
        _image(ax, maps[k], style, cmap=style.sequential, vmin=0.0, vmax=top)
        ax.set_title(f"map {k + 1}", fontsize=9)
    return fig


def _pool_patch() -> np.ndarray:
    """A 4x4 patch of a real feature map: the busiest map of the trained CNN on the test
    digit, around its strongest response."""
    maps = _learned_maps()
    k = int(np.argmax(maps.reshape(len(maps), -1).std(axis=1)))  # the busiest map
    r, c = np.unravel_index(np.argmax(maps[k]), maps[k].shape)
    r, c = min(max(r - 1, 0), 4), min(max(c - 1, 0), 4)
    return maps[k, r:r + 4, c:c + 4]


def pooling(style: Style, layout: str = "wide") -> Figure:
    """A 4x4 feature map, 2x2 max pooling and 2x2 average pooling of it."""
    patch = _pool_patch()
    pooled = {"max pooling": MaxPool2D(2).forward(patch[None, None])[0, 0],
              "average pooling": AvgPool2D(2).forward(patch[None, None])[0, 0]}
    top = patch.max()
    fig, axes = panels(layout, 3, size=(7.2, 2.9), width_ratios=[4, 2.4, 2.4],
                       narrow_columns=2, panel_height=2.1)
    image = _image(axes[0], patch, style, cmap=style.sequential, vmin=0.0, vmax=top)
    _annotate(axes[0], image, patch, fmt="{:.2f}", size=9 if is_narrow(layout) else 8)
    axes[0].set_title("feature map (4×4)")
    for w, (r, c) in enumerate([(0, 0), (0, 2), (2, 0), (2, 2)]):
        axes[0].add_patch(Rectangle((c - 0.45, r - 0.45), 1.9, 1.9, fill=False,
                                    edgecolor=style.series[w], linestyle=LINESTYLES[w],
                                    linewidth=2.0))
    for ax, (title, out) in zip(axes[1:], pooled.items(), strict=True):
        image = _image(ax, out, style, cmap=style.sequential, vmin=0.0, vmax=top)
        _annotate(ax, image, out, fmt="{:.2f}", size=9)
        for w, (r, c) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
            ax.add_patch(Rectangle((c - 0.45, r - 0.45), 0.9, 0.9, fill=False,
                                   edgecolor=style.series[w], linestyle=LINESTYLES[w],
                                   linewidth=2.0))
        ax.set_title(f"{title}\n2×2, stride 2")
    return fig


def _matrices(named: dict, key: str = "panel") -> dict:
    """Several small matrices ``{name: (rows, columns)}`` stacked in long format."""
    return _data.stack({name: _data.heatmap(M) for name, M in named.items()}, key=key)


def _convolution_data() -> dict:
    digit, fmap = _edge_map()
    return _matrices({"input": digit[0], "kernel": EDGE_KERNEL, "feature_map": fmap})


def _filters_data() -> dict:
    W = models.digits_cnn()[0].layers[0].params["W"][:, 0]  # (8, 3, 3)
    return _matrices({f"filter {k + 1}": w for k, w in enumerate(W)}, key="filter")


def _maps_data() -> dict:
    digit, _ = _example_digit()
    named = {"input": digit[0], **{f"map {k + 1}": m for k, m in enumerate(_learned_maps())}}
    return _matrices(named)


def _pooling_data() -> dict:
    patch = _pool_patch()
    return _matrices({"feature_map": patch,
                      "max_pooling": MaxPool2D(2).forward(patch[None, None])[0, 0],
                      "average_pooling": AvgPool2D(2).forward(patch[None, None])[0, 0]})


def receptive_field(layers) -> int:
    """Side of the input square one output unit sees, for ``(kernel, stride)`` pairs in order.

    Each layer widens the field by ``(kernel - 1)`` times the product of the earlier strides.
    """
    field, jump = 1, 1
    for kernel, stride in layers:
        field += (kernel - 1) * jump
        jump *= stride
    return field


def windows_per_pixel(size: int, kernel: int, padding: int) -> np.ndarray:
    """How many windows of a stride-1 ``kernel x kernel`` convolution each pixel of a
    ``size x size`` image takes part in, with ``padding`` zeros around it, ``(size, size)``.

    Each window adds one to every pixel it covers: ``col2im`` of all-ones columns.
    """
    out = conv_output_size(size, kernel, 1, padding)
    padded = (1, 1, size + 2 * padding, size + 2 * padding)
    counts = col2im(np.ones((1, 1, kernel, kernel, out, out)), padded, 1)[0, 0]
    return counts[padding:padding + size, padding:padding + size]


def _windows_fact(row: int, column: int):
    return lambda: str(int(windows_per_pixel(8, 3, 1)[row, column]))


def _dense_params_for_photo(side: int = 224, channels: int = 3, maps: int = 8) -> str:
    """Parameters of a dense layer from a colour photo to ``maps`` maps of the same size,
    in billions (computed, not built: the layer would not fit in memory)."""
    n_in, n_out = side * side * channels, side * side * maps
    return f"{(n_in * n_out + n_out) / 1e9:,.0f} billion"


# The convolution the parameter count compares with a dense layer: the first layer of the
# page's CNN, whose padding keeps the 8x8 size.
SAME_CONV = dict(in_channels=1, out_channels=8, kernel_size=3, padding=1)


def _dense_equivalent() -> Dense:
    """A dense layer with the same input (8x8 pixels) and output as ``SAME_CONV``."""
    n_out = int(np.prod(Conv2D(**SAME_CONV).output_shape((1, 8, 8))))
    return Dense(8 * 8, n_out)


def _cnn_vs_mlp_param_ratio() -> str:
    return f"{tm.digits_run()[0].num_params() / models.digits_cnn()[0].num_params():.1f}"


FIGURES = (
    FigureSpec("convolution", convolution,
               "A 3×3 edge kernel sliding over a digit and the feature map it makes",
               data=_convolution_data),
    FigureSpec("cnn_filters", cnn_filters, "The eight 3×3 filters a small CNN learned on digits",
               data=_filters_data),
    FigureSpec("feature_maps", feature_maps, "What each learned filter responds to in one digit",
               data=_maps_data),
    FigureSpec("pooling", pooling, "Max and average pooling of a real 4×4 feature map",
               data=_pooling_data),
)

def _tall_share() -> str:
    """Share of the training digits with ink in every one of their eight rows."""
    X_train = digits_split(images=True)[0][:, 0]                 # (n, 8, 8)
    return f"{np.mean(np.all(X_train.sum(axis=2) > 0, axis=1)):.0%}"


def _first_picks_right() -> str:
    """How many of the explorer's first-of-each-class test digits its network gets right."""
    p, y = explorer.heldout_probabilities()
    first = explorer.picks()[:10]
    return str(int(np.sum(p[first].argmax(axis=1) == y[first])))


def _hardest(key: str, percent: bool = False):
    return lambda: (f"{explorer.hardest_pick()[key]:.1%}" if percent
                    else str(explorer.hardest_pick()[key]))


FACTS = (
    Fact("digit_explorer_picks", lambda: str(len(explorer.picks())),
         "Test digits the digit explorer offers"),
    Fact("digit_explorer_hardest_count", lambda: str(explorer.HARDEST),
         "Hardest test digits among those the digit explorer offers"),
    Fact("digit_explorer_significant", lambda: str(explorer.SIGNIFICANT),
         "Significant digits the digit explorer keeps of each weight"),
    Fact("digit_explorer_first_right", _first_picks_right,
         "First-of-each-class test digits the explorer's network classifies correctly"),
    Fact("digit_explorer_blank_class", lambda: str(int(explorer.blank_probabilities().argmax())),
         "The class the digit explorer's network gives an empty canvas"),
    Fact("digit_explorer_blank_prob", lambda: f"{explorer.blank_probabilities().max():.0%}",
         "The probability of that class for an empty canvas"),
    Fact("digit_explorer_hardest_number", _hardest("number"),
         "Number of the offered test digit whose class gets the lowest probability"),
    Fact("digit_explorer_hardest_label", _hardest("label"), "Its true class"),
    Fact("digit_explorer_hardest_p_label", _hardest("p_label", percent=True),
         "The probability the network gives its true class"),
    Fact("digit_explorer_hardest_predicted", _hardest("predicted"),
         "The class the network predicts for it"),
    Fact("digit_explorer_hardest_p_predicted", _hardest("p_predicted", percent=True),
         "The probability of that prediction"),
    Fact("digits_ink_all_rows", _tall_share,
         "Share of the training digits with ink in all eight rows"),
    Fact("cnn_test_accuracy", lambda: f"{models.digits_cnn()[1]:.1%}",
         "Test accuracy of the small CNN on the 8x8 digits"),
    Fact("cnn_weakest_map_share", lambda: f"{weakest_map_share():.0%}",
         "Peak of the weakest feature map as a share of the strongest's, one digit"),
    Fact("cnn_epochs", lambda: str(models.CNN_EPOCHS), "Epochs the small CNN trains for"),
    Fact("cnn_num_params", lambda: f"{models.digits_cnn()[0].num_params():,}",
         "Parameters of the whole small CNN"),
    Fact("cnn_test_size", lambda: f"{len(digits_split()[5]):,}",
         "Test images of the digits split"),
    Fact("cnn_lr", lambda: f"{models.CNN_LR:g}", "Adam learning rate of the small CNN"),
    Fact("cnn_batch", lambda: str(models.CNN_BATCH), "Batch size of the small CNN"),
    Fact("digits_mlp_num_params", lambda: f"{tm.digits_run()[0].num_params():,}",
         "Parameters of the dense digits network"),
    Fact("cnn_vs_mlp_param_ratio", _cnn_vs_mlp_param_ratio,
         "How many times more parameters the dense digits network has than the small CNN"),
    Fact("conv_same_out", lambda: str(Conv2D(**SAME_CONV).output_shape((1, 8, 8))[-1]),
         "Side of the maps Conv2D(1, 8, 3, padding=1) makes from an 8x8 image"),
    Fact("conv_layer_params", lambda: f"{Conv2D(**SAME_CONV).num_params():,}",
         "Parameters of Conv2D(1, 8, 3, padding=1): eight 3x3 kernels and eight biases"),
    Fact("dense_equivalent_params", lambda: f"{_dense_equivalent().num_params():,}",
         "Parameters of a dense layer from 64 pixels to 8 maps of 8x8"),
    Fact("conv_vs_dense_ratio",
         lambda: f"{_dense_equivalent().num_params() / Conv2D(**SAME_CONV).num_params():,.0f}",
         "How many times more parameters the dense layer needs"),
    Fact("dense_photo_params", _dense_params_for_photo,
         "Parameters of a dense layer from a 224x224 colour photo to 8 maps of 224x224"),
    Fact("conv_3_8_3_params", lambda: f"{Conv2D(3, 8, 3, padding=1).num_params():,}",
         "Parameters of Conv2D(3, 8, 3, padding=1)"),
    Fact("conv_out_28_5_s1_p0", lambda: str(conv_output_size(28, 5, 1, 0)),
         "Output size for n=28, k=5, s=1, p=0"),
    Fact("conv_out_28_3_s1_p1", lambda: str(conv_output_size(28, 3, 1, 1)),
         "Output size for n=28, k=3, s=1, p=1"),
    Fact("conv_out_28_3_s2_p1", lambda: str(conv_output_size(28, 3, 2, 1)),
         "Output size for n=28, k=3, s=2, p=1"),
    Fact("conv_out_8_3_s1_p0", lambda: str(conv_output_size(8, 3, 1, 0)),
         "Output size for n=8, k=3, s=1, p=0"),
    Fact("conv_3_16_3_params", lambda: f"{Conv2D(3, 16, 3).num_params():,}",
         "Parameters of Conv2D(3, 16, 3)"),
    Fact("conv_out_32_5", lambda: str(conv_output_size(32, 5, 1, 0)),
         "Output size for n=32, k=5, s=1, p=0"),
    Fact("pool_out_28_2", lambda: str(conv_output_size(conv_output_size(32, 5, 1, 0), 2, 2, 0)),
         "Side after 2x2 pooling with stride 2 of the 28x28 map"),
    Fact("receptive_field_conv_pool", lambda: str(receptive_field([(3, 1), (2, 2)])),
         "Receptive field of a unit after a 3x3 convolution and 2x2 pooling"),
    Fact("receptive_field_two_conv", lambda: str(receptive_field([(3, 1), (3, 1)])),
         "Receptive field after two stacked 3x3 convolutions"),
    Fact("conv_windows_corner", _windows_fact(0, 0),
         "Windows of a 3x3 convolution with padding 1 that a corner pixel takes part in"),
    Fact("conv_windows_edge", _windows_fact(0, 3),
         "Windows of a 3x3 convolution with padding 1 that an edge pixel takes part in"),
    Fact("conv_windows_interior", _windows_fact(3, 3),
         "Windows of a 3x3 convolution with padding 1 that an interior pixel takes part in"),
    Fact("receptive_field_deep", lambda: str(receptive_field([(3, 1), (2, 2)] * 3)),
         "Receptive field after three rounds of 3x3 convolution and 2x2 pooling"),
)
