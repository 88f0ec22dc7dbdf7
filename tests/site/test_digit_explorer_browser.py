"""The digit explorer of the CNN page in headless Chromium.

The browser runs the forward pass of the CNN glassnet trained (``gn-cnn.js``); these tests
feed that module fixed inputs and compare every layer's output with glassnet's, reduce
bitmaps as the UCI digits were made, and work the explorer as a reader does: with a mouse,
a finger and the keyboard, on a desktop and a phone, in both palettes.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from _browser import AXE, AXE_JS, WCAG_TAGS, assert_fits_phone, new_context, watch
from test_interactive_browser import Events, clean

from glassnet.activations import softmax
from glassnet_site.examples.architectures import make_digits_cnn
from glassnet_site.interactive import digits

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "architectures/cnn/"
ROOT = ".gn-explorer[data-explorer='digits']"
FIRST_VIEW_BUDGET = 300 * 1024  # bytes, compressed, the page's first view transfers
PARITY = 1e-6


def _tab(browser, served, **options):
    context = new_context(browser, served, **options)
    page = context.new_page()
    page.events = Events()
    watch(page, served.origin, lambda: page.events)
    return context, page


@pytest.fixture
def tab(browser, served):
    context, page = _tab(browser, served)
    yield page
    context.close()


@pytest.fixture
def data(site) -> dict:
    return json.loads((site / "interactive" / "digits.json").read_text())


def open_explorer(tab, served):
    tab.goto(served.url + PAGE, wait_until="load")
    tab.locator(ROOT).scroll_into_view_if_needed()
    tab.wait_for_selector(f"{ROOT}[data-prediction]")


def module(tab, served, name: str) -> str:
    """A JavaScript expression importing one of the site's modules."""
    return f"import('{served.url}assets/javascripts/{name}')"


def glassnet_model(data: dict):
    """The CNN rebuilt in glassnet from the weights the browser loaded."""
    model = make_digits_cnn()
    for layer, spec in zip(model.layers, data["layers"], strict=False):
        if "W" in spec:
            layer.params["W"][...] = np.reshape(spec["W"], spec["shape"])
            layer.params["b"][...] = spec["b"]
    return model


def pixels(tab, selector: str) -> str:
    return tab.eval_on_selector(selector, "c => c.toDataURL()")


def picture(tab) -> dict:
    """Everything the explorer draws: the pad, the input, every map, the bars."""
    return {"pad": pixels(tab, f"{ROOT} .gn-digits-pad"),
            "seen": pixels(tab, f"{ROOT} .gn-digits-seen"),
            "maps": tab.eval_on_selector_all(f"{ROOT} .gn-digits-map",
                                             "cs => cs.map(c => c.toDataURL())"),
            "bars": tab.inner_html(f"{ROOT} .gn-digits-bars"),
            "status": tab.inner_text(f"{ROOT} .gn-digits-status")}


def test_digit_explorer_forward_pass_equals_glassnet_layer_by_layer(tab, served, data):
    rng = np.random.default_rng(0)
    inputs = [np.array(d["counts"]) / data["max_count"] for d in data["digits"]]
    inputs += [np.zeros(64), np.ones(64), *rng.uniform(0, 1, size=(4, 64))]
    X = np.array(inputs).reshape(-1, 1, 8, 8)
    tab.goto(served.url + PAGE, wait_until="load")
    got = tab.evaluate(f"""async ([layers, inputs]) => {{
        const {{forward}} = await {module(tab, served, "gn-cnn.js")};
        return inputs.map(x => forward(layers, {{data: Float64Array.from(x), shape: [1, 8, 8]}})
            .map(out => ({{data: Array.from(out.data), shape: out.shape}})));
    }}""", [data["layers"], X.reshape(len(X), -1).tolist()])
    expected = digits.layer_outputs(glassnet_model(data), X)
    assert len(got[0]) == len(expected) == len(data["layers"])
    for k, want in enumerate(expected):
        assert got[0][k]["shape"] == list(want.shape[1:]), data["layers"][k]["type"]
        browser_out = np.array([g[k]["data"] for g in got])
        np.testing.assert_allclose(browser_out, want.reshape(len(X), -1), rtol=0, atol=PARITY,
                                   err_msg=data["layers"][k]["type"])
    np.testing.assert_allclose(expected[-1], softmax(expected[-2]), atol=1e-15)
    clean(tab)


def test_digit_explorer_reduces_a_bitmap_as_the_uci_digits_were_made(tab, served):
    rng = np.random.default_rng(1)
    bitmap = (rng.uniform(size=(32, 32)) < 0.3).astype(int)
    counts = rng.integers(0, 17, size=64)
    tab.goto(served.url + PAGE, wait_until="load")
    reduced, round_trip = tab.evaluate(f"""async ([bitmap, counts]) => {{
        const {{reduce, halftone}} = await {module(tab, served, "gn-digits.js")};
        return [reduce(bitmap), reduce(halftone(counts))];
    }}""", [bitmap.ravel().tolist(), counts.tolist()])
    assert reduced == bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3)).ravel().tolist()
    assert round_trip == counts.tolist()
    clean(tab)


def test_digit_explorer_drawing_picking_and_clear_change_the_picture(tab, served, data):
    open_explorer(tab, served)
    blank = picture(tab)
    blank_class = int(np.argmax(digits.blank_probabilities()))
    assert "empty canvas" in blank["status"]
    assert tab.get_attribute(ROOT, "data-prediction") == str(blank_class)
    box = tab.locator(f"{ROOT} .gn-digits-pad").bounding_box()
    tab.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.15)
    tab.mouse.down()
    for t in np.linspace(0.15, 0.85, 12):
        tab.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * t)
    tab.mouse.up()
    drawn = picture(tab)
    assert all(drawn[key] != blank[key] for key in ("pad", "seen", "maps", "bars", "status"))
    assert "Your drawing" in drawn["status"]
    hardest = digits.hardest_pick()
    tab.click(f"{ROOT} .gn-digits-pick >> nth={hardest['number'] - 1}")
    picked = picture(tab)
    assert picked["maps"] != drawn["maps"] and picked["pad"] != drawn["pad"]
    assert tab.get_attribute(ROOT, "data-prediction") == str(hardest["predicted"])
    assert f"handwritten {hardest['label']}: the network predicts {hardest['predicted']}" \
        in picked["status"]
    tab.click(f"{ROOT} button:text-is('Clear')")
    assert picture(tab) == blank
    clean(tab)


def test_digit_explorer_draws_and_erases_from_the_keyboard(tab, served):
    open_explorer(tab, served)
    tab.focus(f"{ROOT} .gn-digits-pad")
    before = picture(tab)
    tab.keyboard.press("Space")
    dot = picture(tab)
    assert dot["seen"] != before["seen"] and "Your drawing" in dot["status"]
    for _ in range(4):
        tab.keyboard.press("Shift+ArrowDown")
    line = picture(tab)
    assert line["seen"] != dot["seen"] and line["maps"] != dot["maps"]
    for _ in range(4):
        tab.keyboard.press("Delete")
        tab.keyboard.press("ArrowUp")
    tab.keyboard.press("Delete")
    assert picture(tab)["seen"] == before["seen"]
    clean(tab)


def test_digit_explorer_draws_with_a_finger(browser, served):
    context, tab = _tab(browser, served, has_touch=True)
    try:
        open_explorer(tab, served)
        pad = f"{ROOT} .gn-digits-pad"
        assert tab.eval_on_selector(pad, "c => getComputedStyle(c).touchAction") == "none"
        before = picture(tab)
        box = tab.locator(pad).bounding_box()
        tab.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert picture(tab)["seen"] != before["seen"]
        clean(tab)
    finally:
        context.close()


def test_digit_explorer_data_waits_for_the_reader_and_the_first_view_stays_light(tab, served):
    start = served.bytes_sent
    tab.goto(served.url + PAGE, wait_until="load")
    tab.wait_for_load_state("networkidle")
    first_view = served.bytes_sent - start
    assert first_view < FIRST_VIEW_BUDGET, f"{first_view / 1024:.0f} KB"
    assert not any(u.endswith("digits.json") for u in tab.events.requests)
    tab.locator(ROOT).scroll_into_view_if_needed()
    tab.wait_for_selector(f"{ROOT}[data-prediction]")
    assert sum(u.endswith("digits.json") for u in tab.events.requests) == 1
    clean(tab)


def test_digit_explorer_fits_a_phone_in_both_palettes_with_labelled_controls(tab, served):
    tab.set_viewport_size({"width": 390, "height": 844})
    open_explorer(tab, served)
    assert_fits_phone(tab, f"{ROOT} button, {ROOT} .gn-digits-pad", count=2 + 12 + 1,
                      measure="offset")
    tab.add_script_tag(content=AXE.read_text())
    assert tab.evaluate(AXE_JS, [WCAG_TAGS, None, ROOT]) == []
    light = picture(tab)
    tab.click("label[for='__palette_1']")
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    tab.wait_for_function("p => document.querySelector('.gn-digits-pad').toDataURL() !== p",
                          arg=light["pad"])
    assert picture(tab)["maps"] != light["maps"]
    assert tab.evaluate(AXE_JS, [WCAG_TAGS, None, ROOT]) == []
    clean(tab)


def test_digit_explorer_starts_after_instant_navigation(tab, served):
    tab.goto(served.url + "architectures/applications/", wait_until="networkidle")
    tab.evaluate("window.__notReloaded = true")
    tab.click("article a[href$='cnn/']")
    tab.wait_for_selector(ROOT)
    tab.locator(ROOT).scroll_into_view_if_needed()
    tab.wait_for_selector(f"{ROOT}[data-prediction]")
    assert tab.evaluate("window.__notReloaded === true")
    tab.go_back()
    tab.wait_for_function("!document.querySelector('.gn-explorer')")
    clean(tab)
