"""The figure registry: every figure is shown on a page, renders, repeats itself, stays small.

The pages are read from their Markdown sources (no build needed): a page shows a figure by
writing ``![alt](figures/NAME.svg)`` (or ``.png``) at any depth. Every figure is rendered in
this process with ``glassnet_site.figures.render_bytes`` and compared byte for byte with the files
the build renders in its own process (``python -m glassnet_site.figures``, cached on the library
hash; rendered here into a temporary directory when no build has cached them), so the check
covers seeded training as well as deterministic drawing.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pytest
from PIL import Image

from glassnet_site import cache
from glassnet_site.figures import VARIANTS, all_figures, render_bytes
from glassnet_site.figures.registry import PNG_TEXT_SIZES, PNG_WIDTH, svg_text_sizes
from glassnet_site.threads import single_threaded_env

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FIGURE_USE = re.compile(r"\]\((?:\.\./)*figures/(?P<name>\w+)\.(?P<ext>svg|png)\)")
LIMIT_BYTES = 150 * 1024
TARGET_BYTES = 60 * 1024
SPECS = all_figures()


def pages_showing() -> dict[tuple[str, str], list[str]]:
    """``(name, extension)`` of every figure reference in docs/, with the pages that make it."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(DOCS.rglob("*.md")):
        page = str(path.relative_to(DOCS))
        for match in FIGURE_USE.finditer(path.read_text(encoding="utf-8")):
            found.setdefault((match["name"], match["ext"]), []).append(page)
    return found


SHOWN = pages_showing()


@pytest.mark.parametrize("name", SPECS)
def test_figure_is_shown_on_a_page(name):
    assert any(shown == name for shown, _ in SHOWN), (
        f"figure {name!r} is registered but no page under docs/ shows it")


@pytest.mark.parametrize("reference", sorted(SHOWN), ids=lambda ref: ".".join(ref))
def test_figure_shown_on_a_page_is_registered(reference):
    name, ext = reference
    pages = ", ".join(SHOWN[reference])
    assert name in SPECS, f"{pages} show figures/{name}.{ext}, which is not registered"
    assert SPECS[name].fmt == ext, (
        f"{pages} show figures/{name}.{ext}, but it is rendered as .{SPECS[name].fmt}")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The figures as the build renders them, in a separate process."""
    out = cache.CACHE / "figures" / cache.library_hash()[:16]
    if (out / "manifest.json").exists():
        return out
    out = tmp_path_factory.mktemp("figures")
    subprocess.run([sys.executable, "-m", "glassnet_site.figures", "--out", str(out)], check=True,
                   capture_output=True, env=single_threaded_env())
    return out


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], bytes]:
    """Both variants of every registered figure, rendered once for this module."""
    return {(name, variant): render_bytes(spec, variant)
            for name, spec in SPECS.items() for variant in VARIANTS}


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_figure_renders_in_both_variants(rendered, name):
    magic = {"svg": b"<svg", "png": b"\x89PNG\r\n\x1a\n"}[SPECS[name].fmt]
    light, dark = rendered[name, "light"], rendered[name, "dark"]
    for variant, data in (("light", light), ("dark", dark)):
        assert magic in data[:1024], f"{name} ({variant}) is not a {SPECS[name].fmt} file"
    assert light != dark, f"{name}: the dark variant is identical to the light one"


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_figure_renders_byte_identical_in_another_process(rendered, built, name):
    for variant in VARIANTS:
        path = built / SPECS[name].filename(variant)
        assert path.read_bytes() == rendered[name, variant], (
            f"{name} ({variant}) differs between this render and the build's")


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_figure_file_is_under_the_size_limit(rendered, name):
    for variant in VARIANTS:
        size = len(rendered[name, variant])
        assert size < LIMIT_BYTES, f"{name} ({variant}) is {size / 1024:.0f} KB, limit 150 KB"
        if size > TARGET_BYTES:
            warnings.warn(f"figure {name} ({variant}) is {size / 1024:.0f} KB, above the "
                          "60 KB target", stacklevel=1)


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for name, spec in SPECS.items() if spec.fmt == "png"])
def test_png_figure_records_its_text_sizes(name):
    # The browser test measures a PNG's text from these chunks; an SVG's it reads directly.
    spec = SPECS[name]
    svg = io.BytesIO()
    with matplotlib.rc_context(VARIANTS["light"].rc()):
        fig = spec.fn(VARIANTS["light"], layout="narrow")
        fig.savefig(svg, format="svg")
    chunks = Image.open(io.BytesIO(render_bytes(spec, "light", "narrow"))).text
    recorded = [float(size) for size in chunks[PNG_TEXT_SIZES].split()]
    assert recorded == sorted(svg_text_sizes(svg.getvalue())) and recorded
    assert float(chunks[PNG_WIDTH]) == pytest.approx(fig.get_figwidth() * 72)


SVG_NS, XLINK = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}href"
MARKER_FILL = re.compile(r"fill:\s*(#[0-9A-Fa-f]{6})")


def marker_shape(d: str) -> str:
    """``"circle"``, ``"square"`` or ``"other"``: the shape of a matplotlib marker's path."""
    if "C" in d:  # circles are drawn with Bézier curves, the other markers with lines
        return "circle"
    corners = [(float(x), float(y)) for x, y in re.findall(r"[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)", d)]
    sides = {abs(c) for corner in corners for c in corner}
    upright = all(abs(x) == abs(y) for x, y in corners)  # not a diamond (its corners on axes)
    return "square" if len(corners) == 4 and len(sides) == 1 and upright else "other"


def class_shapes_misused(svg: bytes, style) -> list[str]:
    """Markers drawn in a class's colour with the other class's shape."""
    root = ET.fromstring(svg)
    paths = {p.get("id"): p.get("d") for p in root.iter(f"{SVG_NS}path") if p.get("id")}
    wrong = {style.class_colour(0).lower(): "square", style.class_colour(1).lower(): "circle"}
    found = set()
    for use in root.iter(f"{SVG_NS}use"):
        d, fill = paths.get(use.get(XLINK, "")[1:]), MARKER_FILL.search(use.get("style", ""))
        if d and fill and wrong.get(fill[1].lower()) == marker_shape(d):
            found.add(f"{marker_shape(d)}s in {fill[1]}")
    return sorted(found)


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for name, spec in SPECS.items() if spec.fmt == "svg"])
def test_figure_markers_keep_the_class_convention(built, name):
    # Class 0 is the first colour with circles and class 1 the second with squares (see
    # test_class_convention.py); a figure never draws one class's colour in the other's shape.
    spec = SPECS[name]
    for layout in spec.layouts:
        for variant in VARIANTS:
            svg = (built / spec.filename(variant, layout)).read_bytes()
            misused = class_shapes_misused(svg, VARIANTS[variant])
            assert not misused, (f"{spec.filename(variant, layout)} draws {misused}: class 0 "
                                 "is circles in the first colour, class 1 squares in the second")
