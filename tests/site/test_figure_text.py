"""Figure text a reader can read: measured in Chromium on a phone (390 px) and a desktop.

On screen, a figure's text is as large as its font size in the file times the scale the page
shows the file at: for an SVG, ``font-size`` (in the SVG's user units, points for matplotlib)
times the rendered width over the ``viewBox`` width. A PNG holds pixels, so the build records
in it (PNG text chunks, see ``figures.registry.png_text_metadata``) the size in points of every
run of text the figure drew and the figure's width in points: its text is that size times
the rendered width over that width. Every figure a page shows, in the light palette, is
measured as the browser lays it out, from the file it chose (``currentSrc``): on a phone that
is the narrow layout.

On a 390 px phone, the smallest text of every figure must be at least 9 CSS px and its
median text at least 11 CSS px. On a 1280 px desktop no figure may get smaller than it was
before the narrow layouts existed. A first view on a phone fetches only ``-narrow`` files,
never a wide (desktop) one, and every figure file the site publishes has a narrow sibling.
"""

from __future__ import annotations

import io
import re
import statistics
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _browser import LOAD_SHOWN_IMAGES_JS, site_pages
from PIL import Image

from glassnet_site.figures.registry import PNG_TEXT_SIZES, PNG_WIDTH, svg_text_sizes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE, DESKTOP = 390, 1280
MIN_PX, MEDIAN_PX = 9.0, 11.0

# (smallest, median) text in CSS px of every SVG figure on a 1280 px desktop, measured on the
# build before narrow layouts existed (commit 45a292d). Desktop sizes may only grow.
DESKTOP_BEFORE: dict[str, tuple[float, float]] = {
    "activation_derivatives": (12.7, 12.7), "activations": (12.7, 12.7),
    "attention_weights": (10.3, 10.3), "batchnorm": (8.9, 12.7),
    "boundary_evolution": (9.5, 11.3), "capacity": (9.5, 11.3), "cnn_filters": (12.0, 12.0),
    "computational_graph": (7.7, 10.0), "convolution": (8.1, 8.1), "feature_maps": (11.3, 11.3),
    "gan_training": (9.1, 12.2), "gradient_check": (8.8, 11.3),
    "gradient_descent_lr": (7.7, 11.1), "hero": (7.9, 11.3), "hidden_features": (10.2, 10.2),
    "hyperparameter_sweep": (11.9, 12.6), "linear_collapse": (8.3, 11.9),
    "loss_functions": (7.3, 11.6), "lstm_cell": (7.9, 11.3), "minibatch_noise": (11.6, 12.9),
    "network": (11.2, 13.3), "neuron": (11.1, 15.9), "optimizers": (7.7, 10.0),
    "overfitting_boundary": (9.5, 11.3), "overfitting_curves": (8.9, 12.7),
    "perceptron_boundary": (9.3, 13.3), "perceptron_learning": (7.4, 10.6),
    "pooling": (10.6, 10.6), "positional_encoding": (10.6, 12.5), "regularization": (8.9, 12.7),
    "residual": (8.9, 12.7), "rnn_unrolled": (7.7, 11.0), "rnn_vs_lstm": (11.9, 13.3),
    "softmax": (10.7, 11.9), "training_curves": (8.9, 12.7), "vanishing_gradients": (9.3, 13.3),
    "xor": (8.3, 11.9),
    # Figures added since, measured on the build before their narrow layouts (commit 442fa86).
    "layer_costs": (10.7, 10.7), "lm_attention": (12.0, 12.0), "lm_ladder": (11.3, 13.3),
    "transfer_curves": (10.0, 12.5),  # redrawn with two panels after 45a292d
}
# The PNG figures on a 1280 px desktop, measured when their text sizes were first recorded.
DESKTOP_BEFORE_PNG: dict[str, tuple[float, float]] = {
    "digits_confusion": (11.1, 13.9), "digits_mistakes": (11.1, 11.1),
    "digits_samples": (13.9, 13.9),
}

FIGURE_SRC = re.compile(r"/figures/(?P<name>[A-Za-z0-9_]+?)(?P<narrow>-narrow)?(?:-dark)?"
                        r"\.(?P<ext>svg|png)(?:#.*)?$")

SHOWN_FIGURES_JS = """() => [...document.images]
  .filter(i => i.currentSrc.includes("/figures/") && getComputedStyle(i).display !== "none")
  .map(i => ({src: i.currentSrc, width: i.getBoundingClientRect().width}))"""


def shown_text_sizes(data: bytes, ext: str, width: float) -> list[float]:
    """The CSS px size of every run of text of a figure file shown ``width`` CSS px wide."""
    if ext == "svg":
        return [size * width / float(ET.fromstring(data).get("viewBox").split()[2])
                for size in svg_text_sizes(data)]
    chunks = Image.open(io.BytesIO(data)).text
    assert PNG_WIDTH in chunks and PNG_TEXT_SIZES in chunks, (
        f"a PNG figure without its text sizes (chunks {PNG_WIDTH!r}, {PNG_TEXT_SIZES!r}); "
        f"it has {sorted(chunks)}")
    scale = width / float(chunks[PNG_WIDTH])
    return [float(size) * scale for size in chunks[PNG_TEXT_SIZES].split()]


def measure(browser, server, site: Path, width: int) -> tuple[dict, list[str]]:
    """``{figure: (smallest, median) text in CSS px}`` over every page at ``width``, and the
    figure files the browser fetched."""
    context = browser.new_context(proxy={"server": server.proxy},
                                  viewport={"width": width, "height": 900},
                                  color_scheme="light", reduced_motion="reduce")
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/figures/" in r.url else None)
    found: dict[str, tuple[float, float]] = {}
    try:
        for path in site_pages(site):
            html = site / (path + "index.html" if path.endswith("/") or not path else path)
            if "figures/" not in html.read_text(encoding="utf-8"):
                continue
            page.goto(server.url + path, wait_until="load")
            page.evaluate(LOAD_SHOWN_IMAGES_JS)
            for shown in page.evaluate(SHOWN_FIGURES_JS):
                src = urlsplit(shown["src"]).path
                match = FIGURE_SRC.search(src)
                if match is None:
                    continue
                data = (site / src[len(server.prefix):]).read_bytes()
                sizes = shown_text_sizes(data, match["ext"], shown["width"])
                found[match["name"]] = (min(sizes), statistics.median(sizes))
    finally:
        context.close()
    return found, fetched


@pytest.fixture(scope="module")
def phone(browser, served, site):
    return measure(browser, served, site, PHONE)


@pytest.fixture(scope="module")
def desktop(browser, served, site):
    return measure(browser, served, site, DESKTOP)


def _report(rows) -> str:
    return "\n".join(f"  {name}: smallest {low:.1f} px, median {mid:.1f} px"
                     for name, (low, mid) in rows)


def test_figure_text_on_a_phone_is_at_least_9_px_and_11_px_median(phone):
    sizes, _ = phone
    assert sizes, "no figure was measured on a phone"
    bad = sorted(((name, (low, mid)) for name, (low, mid) in sizes.items()
                  if low < MIN_PX - 0.05 or mid < MEDIAN_PX - 0.05), key=lambda r: r[1])
    assert not bad, (f"figure text too small at {PHONE} px (smallest < {MIN_PX} px or "
                     f"median < {MEDIAN_PX} px), worst first:\n{_report(bad)}")


def test_figure_text_on_a_desktop_is_no_smaller_than_before(desktop):
    sizes, _ = desktop
    before = DESKTOP_BEFORE | DESKTOP_BEFORE_PNG
    missing = sorted(set(before) - set(sizes))
    assert not missing, f"figures no longer measured on a desktop: {missing}"
    worse = sorted(((name, sizes[name]) for name, (low, mid) in before.items()
                    if sizes[name][0] < low - 0.05 or sizes[name][1] < mid - 0.05),
                   key=lambda r: r[1])
    assert not worse, (f"figure text smaller than before at {DESKTOP} px, worst first "
                       f"(before: {_report((n, before[n]) for n, _ in worse)}):\n"
                       f"{_report(worse)}")


def test_a_phone_fetches_only_narrow_figure_files(phone):
    _, fetched = phone
    assert fetched, "no figure was fetched on a phone"
    wide = sorted({url for url in fetched
                   if (m := FIGURE_SRC.search(urlsplit(url).path)) and not m["narrow"]})
    assert not wide, f"a first view at {PHONE} px fetched desktop files:\n" + "\n".join(wide)


def test_every_figure_file_has_a_narrow_layout(site):
    files = [m for path in (site / "figures").iterdir()
             if (m := FIGURE_SRC.search("/figures/" + path.name))]
    narrow = {m["name"] for m in files if m["narrow"]}
    missing = sorted({m["name"] for m in files} - narrow)
    assert not missing, f"figures published without a narrow (phone) layout: {missing}"
