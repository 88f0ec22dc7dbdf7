"""The figure registry: every figure is shown on a page, renders, repeats itself, stays small.

The pages are read from their Markdown sources (no build needed): a page shows a figure by
writing ``![alt](figures/NAME.svg)`` (or ``.png``) at any depth. Rendering happens in this
process with ``glassnet.figures.render_bytes``, once per figure and variant for the whole
module (``make test`` runs the suite with one BLAS thread, which is faster for the small
models the figures train). The second render of the reproducibility test reuses the models
the figure modules cache in memory, so it checks that the *drawing* is deterministic (no
dates, random ids or unseeded draws); that training is seeded is covered by the capability
tests and by the build, which renders in a fresh process.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from glassnet.figures import VARIANTS, all_figures, render_bytes

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FIGURE_USE = re.compile(r"\]\((?:\.\./)*figures/(?P<name>\w+)\.(?P<ext>svg|png)\)")
LIMIT_BYTES = 150 * 1024
TARGET_BYTES = 60 * 1024
SPECS = all_figures()
# Known, not yet fixed: the SVG of `pooling` depends on what was drawn before it in the same
# process (one of its artists is clipped by a path in one render and by a rectangle in the
# next, which changes a clip-path id). The build renders in a fixed order, so the site is
# reproducible; `--only pooling` may not match it. Not strict: it does not fail every time.
ORDER_DEPENDENT = {"pooling"}


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
@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason="SVG clip ids depend on render order"))
    if name in ORDER_DEPENDENT else name for name in SPECS])
def test_figure_renders_byte_identical_twice(rendered, name):
    for variant in VARIANTS:
        again = render_bytes(SPECS[name], variant)
        assert again == rendered[name, variant], f"{name} ({variant}) differs between renders"


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_figure_file_is_under_the_size_limit(rendered, name):
    for variant in VARIANTS:
        size = len(rendered[name, variant])
        assert size < LIMIT_BYTES, f"{name} ({variant}) is {size / 1024:.0f} KB, limit 150 KB"
        if size > TARGET_BYTES:
            warnings.warn(f"figure {name} ({variant}) is {size / 1024:.0f} KB, above the "
                          "60 KB target", stacklevel=1)
