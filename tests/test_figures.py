"""The figure registry: every figure is shown on a page, renders, repeats itself, stays small.

The pages are read from their Markdown sources (no build needed): a page shows a figure by
writing ``![alt](figures/NAME.svg)`` (or ``.png``) at any depth. Every figure is rendered in
this process with ``glassnet_site.figures.render_bytes`` and compared byte for byte with the files
the build renders in its own process (``python -m glassnet_site.figures``, cached on the library
hash; rendered here into a temporary directory when no build has cached them), so the check
covers seeded training as well as deterministic drawing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from glassnet_site import cache
from glassnet_site.figures import VARIANTS, all_figures, render_bytes
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
