"""The list of every figure on the site, and how one is rendered to a file.

A figure is a pure function ``fn(style, layout="wide") -> matplotlib.figure.Figure``: seeded,
free of global state, never calling ``plt.show()``. A function that takes ``layout`` draws a
``"narrow"`` layout for phones as well (see ``layout.panels``); the registry renders every
layout in both palettes. Each page's module lists its figures in a ``FIGURES``
tuple; this module gathers those tuples explicitly (no registration by import side effect).
"""

from __future__ import annotations

import csv
import inspect
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import matplotlib
import numpy as np

from .layout import LAYOUTS
from .style import VARIANTS, Style

matplotlib.use("Agg")


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: its stable name, the function that draws it and its format.

    ``fmt`` is ``"svg"`` for line art and ``"png"`` for dense images (rendered at 2x).
    ``title`` is a one-line description shown on the figure index. ``data``, for a figure
    that plots data, returns the numbers behind it as equal-length columns
    ``{"name": 1-D array}``; the build publishes them as ``NAME.csv`` beside the figure.
    """

    name: str
    fn: Callable[[Style], matplotlib.figure.Figure]
    title: str
    fmt: str = "svg"
    data: Callable[[], dict[str, np.ndarray]] | None = None

    @property
    def layouts(self) -> tuple[str, ...]:
        """``("wide", "narrow")`` when the function takes a ``layout``, else ``("wide",)``."""
        takes_layout = "layout" in inspect.signature(self.fn).parameters
        return LAYOUTS if takes_layout else LAYOUTS[:1]

    def filename(self, variant: str, layout: str = "wide") -> str:
        """File name of one variant: ``NAME.svg``, ``NAME-dark.svg``, ``NAME-narrow.svg``,
        ``NAME-narrow-dark.svg``."""
        suffix = ("" if layout == "wide" else f"-{layout}") + (
            "" if variant == "light" else f"-{variant}")
        return f"{self.name}{suffix}.{self.fmt}"


# Figures still dense in their narrow layout (heat maps, grids of small images): each page
# links them to their full-size wide file, which a phone's reader can open and zoom.
ENLARGE = frozenset({"attention_weights", "cnn_filters", "convolution", "digits_confusion",
                     "digits_samples", "feature_maps", "hidden_features", "lm_attention",
                     "positional_encoding"})


@dataclass(frozen=True)
class Fact:
    """A number quoted in a page's prose, computed by the build instead of typed.

    ``fn()`` returns the text that replaces ``[[fact:NAME]]`` on a page, e.g. ``"97.8%"``.
    """

    name: str
    fn: Callable[[], str]
    title: str


def _modules():
    """The modules that define figures and facts, one per page, listed explicitly."""
    from . import activations
    from . import backprop as backprop_figures
    from . import boundaries as boundary_figures
    from . import cnn as cnn_figures
    from . import data as data_figures
    from . import digits as digit_figures
    from . import gans as gan_figures
    from . import hyperparameters as hyperparameter_figures
    from . import language as language_figures
    from . import losses as losses_figures
    from . import network as network_figures
    from . import optimization as optimization_figures
    from . import overfitting as overfitting_figures
    from . import perceptron as perceptron_figures
    from . import playground as playground_facts
    from . import rnn as rnn_figures
    from . import transfer as transfer_figures
    from . import transformers as transformer_figures
    from . import vanishing as vanishing_figures

    # In the order of the guide's pages, so the figure index reads like the guide.
    return (
        network_figures, perceptron_figures, activations, losses_figures, backprop_figures,
        optimization_figures, data_figures, hyperparameter_figures, overfitting_figures,
        vanishing_figures, boundary_figures, transfer_figures, playground_facts, digit_figures,
        cnn_figures, rnn_figures, transformer_figures, language_figures, gan_figures,
    )


def all_figures() -> dict[str, FigureSpec]:
    """Every registered figure by name, in the order the modules list them."""
    return _collect("FIGURES")


def all_facts() -> dict[str, Fact]:
    """Every registered fact by name."""
    return _collect("FACTS")


def _collect(attribute: str) -> dict:
    found: dict = {}
    for module in _modules():
        for spec in getattr(module, attribute, ()):
            if spec.name in found:
                raise ValueError(f"{attribute.lower()[:-1]} name {spec.name!r} is registered twice")
            found[spec.name] = spec
    return found


def render_bytes(spec: FigureSpec, variant: str, layout: str = "wide") -> bytes:
    """Draw one variant of a figure and return the file's bytes, identical on every run."""
    style = VARIANTS[variant]
    with matplotlib.rc_context(style.rc()):
        fig = spec.fn(style, layout=layout) if layout != "wide" else spec.fn(style)
        buffer = io.BytesIO()
        if spec.fmt == "svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        elif spec.fmt == "png":
            fig.savefig(buffer, format="png", dpi=2 * fig.dpi,
                        metadata={"Software": None, **png_text_metadata(fig)})
        else:
            raise ValueError(f"figure {spec.name!r}: unknown format {spec.fmt!r}, "
                             "expected 'svg' or 'png'")
    data = buffer.getvalue()
    return stable_ids(compact_svg(data.decode())).encode() if spec.fmt == "svg" else data


# A PNG holds pixels, not text: the build records in the file (PNG text chunks) the size of
# every run of text the figure drew, in points, and the figure's width in points, so a test
# can tell how large that text appears on a screen (size times shown width over width).
PNG_TEXT_SIZES, PNG_WIDTH = "Glassnet text sizes (pt)", "Glassnet width (pt)"
_FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)px")


def svg_text_sizes(svg: bytes) -> list[float]:
    """The font size, in the SVG's user units (points for matplotlib), of every run of text
    in a matplotlib SVG, inherited from the enclosing elements where not set."""
    sizes = []

    def walk(element, inherited):
        match = _FONT_SIZE.search(element.get("style", ""))
        size = float(match[1]) if match else inherited
        if element.text and element.text.strip() and size is not None:
            sizes.append(size)
        for child in element:
            walk(child, size)

    walk(ElementTree.fromstring(svg), None)
    return sizes


def png_text_metadata(fig) -> dict[str, str]:
    """The PNG text chunks that record a figure's text sizes and width, both in points.

    The sizes are those of the same figure saved as an SVG (matplotlib writes one text
    element per run of text, subscripts included), so a PNG is measured like an SVG.
    """
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    sizes = sorted(svg_text_sizes(svg.getvalue()))
    return {PNG_TEXT_SIZES: " ".join(f"{size:g}" for size in sizes),
            PNG_WIDTH: f"{fig.get_figwidth() * 72:g}"}


# Matplotlib writes SVG coordinates in points with six decimals; a hundredth of a point
# (under 4 micrometres) is far below what any screen shows, and the files shrink by a fifth.
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
_GEOMETRY = re.compile(r'( (?:d|x|y|width|height)=")([^"]*)"')


def _two_decimals(match: re.Match) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def compact_svg(svg: str) -> str:
    """Round the coordinates of an SVG's geometry (paths, positions, sizes) to 0.01 pt."""
    return _GEOMETRY.sub(lambda m: m.group(1) + _LONG_NUMBER.sub(_two_decimals, m.group(2))
                         + '"', svg)


_HASHED_ID = re.compile(r'id="([a-z][0-9a-f]{10})"')


def stable_ids(svg: str) -> str:
    """Rename matplotlib's hashed ids (clip paths, markers) to ``g0``, ``g1``... in order.

    Matplotlib hashes an id from the clip transform's printed floats, which can differ in the
    last digit with what the process drew before; numbered ids keep the file byte-identical.
    """
    for number, old in enumerate(dict.fromkeys(_HASHED_ID.findall(svg))):
        new = f"g{number}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"#{old})", f"#{new})")
        svg = svg.replace(f'#{old}"', f'#{new}"')
    return svg


def data_csv(spec: FigureSpec) -> str:
    """The numbers behind a figure as CSV text, formatted the same way on every run."""
    columns = {name: np.asarray(values).ravel() for name, values in spec.data().items()}
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"figure {spec.name!r}: data columns differ in length: {lengths}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")  # quotes a label that holds a comma
    writer.writerow(columns)
    for row in zip(*columns.values(), strict=True):
        writer.writerow(f"{value:.6g}" if isinstance(value, float | np.floating)
                        else str(value) for value in row)
    return out.getvalue()


def render(spec: FigureSpec, out_dir: Path) -> list[Path]:
    """Write the light and dark variants of each layout of ``spec`` into ``out_dir``; return
    their paths."""
    paths = []
    for layout in spec.layouts:
        for variant in VARIANTS:
            path = Path(out_dir) / spec.filename(variant, layout)
            path.write_bytes(render_bytes(spec, variant, layout))
            paths.append(path)
    if spec.data is not None:
        path = Path(out_dir) / f"{spec.name}.csv"
        path.write_text(data_csv(spec))
        paths.append(path)
    return paths
