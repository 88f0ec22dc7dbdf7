"""Figure text a reader can read: measured in Chromium on a phone (390 px) and a desktop.

On screen, a figure's text is as large as its font size in the file times the scale the page
shows the file at: for an SVG, ``font-size`` (in the SVG's user units, points for matplotlib)
times the rendered width over the ``viewBox`` width; that is the font size in CSS px times
rendered width over intrinsic width. Every figure a page shows, in the light palette, is
measured as the browser lays it out, from the file it chose (``currentSrc``): on a phone that
is the narrow layout, where a figure has one.

On a 390 px phone, the smallest text of a converted figure must be at least 9 CSS px and its
median text at least 11 CSS px. On a 1280 px desktop no figure may get smaller than it was
before the narrow layouts existed. A first view on a phone fetches only ``-narrow`` files of
the converted figures, never their wide (desktop) files.
"""

from __future__ import annotations

import re
import statistics
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _browser import LOAD_SHOWN_IMAGES_JS, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE, DESKTOP = 390, 1280
MIN_PX, MEDIAN_PX = 9.0, 11.0

# The figures drawn in a narrow layout: the phone thresholds hold for exactly these, and
# test_converted_figures_are_the_ones_with_a_narrow_layout keeps the list honest.
CONVERTED = frozenset({
    "activation_derivatives", "activations", "attention_weights", "batchnorm",
    "boundary_evolution", "capacity", "cnn_filters", "convolution", "digits_confusion",
    "digits_mistakes", "digits_samples", "feature_maps", "gan_training", "gradient_check",
    "gradient_descent_lr", "hero", "hidden_features", "hyperparameter_sweep",
    "linear_collapse", "loss_functions", "minibatch_noise", "optimizers",
    "overfitting_boundary", "overfitting_curves", "perceptron_boundary",
    "perceptron_learning", "pooling", "positional_encoding", "regularization", "residual",
    "rnn_vs_lstm", "softmax", "training_curves", "transfer_curves", "vanishing_gradients",
    "xor",
})

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
}

# (smallest, median) on a 390 px phone, on that same build, of the figures not converted yet:
# they may not get worse while they wait.
PHONE_BEFORE: dict[str, tuple[float, float]] = {
    "computational_graph": (4.0, 5.2), "lstm_cell": (4.1, 5.8), "network": (5.9, 7.1),
    "neuron": (5.8, 8.2), "rnn_unrolled": (4.0, 5.7),
}

FIGURE_SRC = re.compile(r"/figures/(?P<name>[A-Za-z0-9_]+?)(?P<narrow>-narrow)?(?:-dark)?"
                        r"\.(?P<ext>svg|png)(?:#.*)?$")
FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)px")

SHOWN_FIGURES_JS = """() => [...document.images]
  .filter(i => i.currentSrc.includes("/figures/") && getComputedStyle(i).display !== "none")
  .map(i => ({src: i.currentSrc, width: i.getBoundingClientRect().width}))"""


def text_sizes(svg: bytes) -> list[float]:
    """The font size, in the SVG's user units, of every run of text in a matplotlib SVG."""
    root = ET.fromstring(svg)
    sizes = []

    def walk(element, inherited):
        match = FONT_SIZE.search(element.get("style", ""))
        size = float(match[1]) if match else inherited
        if element.text and element.text.strip() and size is not None:
            sizes.append(size)
        for child in element:
            walk(child, size)

    walk(root, None)
    return sizes


def view_box_width(svg: bytes) -> float:
    return float(ET.fromstring(svg).get("viewBox").split()[2])


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
                if match is None or match["ext"] != "svg":
                    continue
                data = (site / src[len(server.prefix):]).read_bytes()
                scale = shown["width"] / view_box_width(data)
                sizes = [size * scale for size in text_sizes(data)]
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
    converted = {name: size for name, size in sizes.items() if name in CONVERTED}
    assert converted, "no converted figure was measured on a phone"
    bad = sorted(((name, (low, mid)) for name, (low, mid) in converted.items()
                  if low < MIN_PX - 0.05 or mid < MEDIAN_PX - 0.05), key=lambda r: r[1])
    assert not bad, (f"figure text too small at {PHONE} px (smallest < {MIN_PX} px or "
                     f"median < {MEDIAN_PX} px), worst first:\n{_report(bad)}")


def test_figure_text_on_a_phone_not_converted_yet_is_no_smaller_than_before(phone):
    sizes, _ = phone
    worse = sorted(((name, sizes[name]) for name in PHONE_BEFORE if name in sizes
                    and (sizes[name][0] < PHONE_BEFORE[name][0] - 0.05
                         or sizes[name][1] < PHONE_BEFORE[name][1] - 0.05)),
                   key=lambda r: r[1])
    assert not worse, f"figure text smaller than before at {PHONE} px:\n{_report(worse)}"


def test_figure_text_on_a_desktop_is_no_smaller_than_before(desktop):
    sizes, _ = desktop
    missing = sorted(set(DESKTOP_BEFORE) - set(sizes))
    assert not missing, f"figures no longer measured on a desktop: {missing}"
    worse = sorted(((name, sizes[name]) for name, (low, mid) in DESKTOP_BEFORE.items()
                    if sizes[name][0] < low - 0.05 or sizes[name][1] < mid - 0.05),
                   key=lambda r: r[1])
    assert not worse, (f"figure text smaller than before at {DESKTOP} px, worst first "
                       f"(before: {_report((n, DESKTOP_BEFORE[n]) for n, _ in worse)}):\n"
                       f"{_report(worse)}")


def test_a_phone_fetches_only_the_narrow_files_of_converted_figures(phone):
    _, fetched = phone
    assert fetched, "no figure was fetched on a phone"
    wide = sorted({url for url in fetched if (m := FIGURE_SRC.search(urlsplit(url).path))
                   and m["name"] in CONVERTED and not m["narrow"]})
    assert not wide, f"a first view at {PHONE} px fetched desktop files:\n" + "\n".join(wide)


def test_converted_figures_are_the_ones_with_a_narrow_layout(site):
    narrow = {m["name"] for p in (site / "figures").iterdir()
              if (m := FIGURE_SRC.search("/figures/" + p.name)) and m["narrow"]}
    assert narrow == CONVERTED, (
        f"drawn narrow but not in CONVERTED: {sorted(narrow - CONVERTED)}; in CONVERTED but "
        f"not drawn narrow: {sorted(CONVERTED - narrow)}")
