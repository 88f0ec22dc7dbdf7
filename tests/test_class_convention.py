"""One convention for two classes, everywhere: class 0 in the first series colour with
circles, class 1 in the second series colour with squares.

It is defined once, in ``glassnet_site.figures.style`` (``Style.class_colour``,
``CLASS_MARKERS``). The figures draw classes through the helpers of ``_foundation_draw``
(``scatter_classes``, ``shade_regions``), and the interactive figures read the colours from
``interactive.css`` (``--gn-class0``, ``--gn-class1``). This file checks the definition, the
helpers and the stylesheet; ``test_figures.py`` checks the markers of every rendered figure
and ``tests/site/test_class_convention.py`` what the interactive figures draw in a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from glassnet_site.figures._foundation_draw import scatter_classes, shade_regions
from glassnet_site.figures.style import CLASS_MARKERS, VARIANTS

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "docs" / "assets" / "stylesheets" / "interactive.css"
# Material's scheme names for the two palettes.
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("variant", VARIANTS)
def test_class_colours_are_the_first_two_series_colours(variant):
    style = VARIANTS[variant]
    assert [style.class_colour(k) for k in (0, 1)] == list(style.series[:2])
    assert CLASS_MARKERS == ("o", "s")


@pytest.mark.parametrize("variant", VARIANTS)
def test_scatter_classes_draws_class_0_as_circles_and_class_1_as_squares(variant):
    style = VARIANTS[variant]
    ax = Figure().subplots()
    X, y = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]]), np.array([1, 0, 1])
    scatter_classes(ax, X, y, style)
    drawn = {(to_hex(line.get_color()), line.get_marker(), len(line.get_xdata()))
             for line in ax.lines}
    assert drawn == {(to_hex(style.series[0]), "o", 1), (to_hex(style.series[1]), "s", 2)}


@pytest.mark.parametrize("variant", VARIANTS)
def test_shade_regions_tints_each_class_in_its_colour(variant):
    style = VARIANTS[variant]
    ax = Figure().subplots()
    shade_regions(ax, lambda P: (P[:, 0] > 0).astype(int), (-1, 1), (-1, 1), style, n=8)
    tints = [to_hex(colour) for colour in ax.collections[0].get_cmap().colors]
    assert tints == [to_hex(style.series[0]), to_hex(style.series[1])]


def css_class_colours(css: str) -> dict[str, dict[str, str]]:
    """``{scheme: {"--gn-class0": colour, ...}}`` from the rules that name a scheme."""
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        for scheme in re.findall(r'data-md-color-scheme="(\w+)"', selectors):
            found.setdefault(scheme, {}).update(
                re.findall(r"(--gn-class\d)\s*:\s*(#[0-9A-Fa-f]{6})", body))
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_interactive_css_class_colours_are_the_figures(variant):
    style = VARIANTS[variant]
    colours = css_class_colours(CSS.read_text(encoding="utf-8"))[SCHEMES[variant]]
    assert {name: colour.lower() for name, colour in colours.items()} == {
        "--gn-class0": style.class_colour(0).lower(),
        "--gn-class1": style.class_colour(1).lower()}
