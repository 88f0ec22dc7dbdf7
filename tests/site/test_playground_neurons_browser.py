"""The playground's hidden neurons and its validation-point toggle, in headless Chromium.

Every hidden layer of the chosen network shows one square per neuron (the data is glassnet's
forward pass, checked in tests/test_interactive.py); the squares follow the epoch slider,
are enlarged by keyboard focus, by the pointer and by a tap on a phone, and the checkbox
shows or hides the validation points and says so in the text for screen readers.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from _browser import assert_fits_phone, new_context, watch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAYGROUND = "training/playground/"
DEEP = "?data=spirals&net=8-8-8&act=tanh&lr=0.3&reg=none&epoch=150"
PHONE = {"width": 390, "height": 844}
TARGET_PX = 44
ZOOM_PX = 150  # the enlarged neuron is at least this wide, on a phone too

SQUARES_JS = """() => [...document.querySelectorAll('.gn-unit')].map(cell => ({
  name: cell.getAttribute('aria-label'), tabindex: cell.tabIndex,
  pixels: cell.querySelector('canvas').toDataURL()}))"""
ZOOM_JS = """() => { const z = document.querySelector('.gn-zoom'), b = z.getBoundingClientRect();
  return {shown: !z.hidden && b.width > 0, text: z.textContent, left: b.left, right: b.right,
          top: b.top, width: z.querySelector('canvas').getBoundingClientRect().width,
          pixels: z.querySelector('canvas').toDataURL()}; }"""


class Events:
    def __init__(self):
        self.console_errors, self.failed_requests, self.outside_requests = [], [], []
        self.requests = []


def open_tab(browser, served, query: str, **options):
    context = new_context(browser, served, **options)
    page = context.new_page()
    page.events = Events()
    watch(page, served.origin, lambda: page.events)
    page.goto(served.url + PLAYGROUND + query, wait_until="load")
    page.wait_for_selector(".gn-playground[data-run]:not([aria-busy])")
    return context, page


@pytest.fixture
def deep(browser, served):
    """A desktop tab on the spirals with three hidden layers of 8 tanh units."""
    context, page = open_tab(browser, served, DEEP)
    yield page
    assert page.events.console_errors == [] and page.events.failed_requests == []
    assert page.events.outside_requests == []
    context.close()


def set_epoch(tab, index: int) -> None:
    tab.eval_on_selector(".gn-playground [id^='gn-pg-epoch-']", """(el, v) => { el.value = v;
        el.dispatchEvent(new Event("input", {bubbles: true})); }""", str(index))


def test_playground_shows_every_neuron_of_every_hidden_layer_and_follows_the_slider(deep):
    squares = deep.evaluate(SQUARES_JS)
    names = [f"Layer {layer}, neuron {unit}" for layer in (1, 2, 3) for unit in range(1, 9)]
    assert [s["name"] for s in squares] == names
    assert [s["tabindex"] for s in squares] == [0] + [-1] * 23  # one Tab stop for them all
    assert deep.locator(".gn-layer-name").all_inner_texts() == ["Layer 1", "Layer 2", "Layer 3"]
    set_epoch(deep, 2)
    early = deep.evaluate(SQUARES_JS)
    for layer in range(3):  # every layer's picture moves with the epoch
        changed = [a["pixels"] != b["pixels"] for a, b in
                   zip(squares[8 * layer:8 * layer + 8], early[8 * layer:8 * layer + 8],
                       strict=True)]
        assert any(changed), f"layer {layer + 1} did not change with the slider"
    deep.select_option(".gn-playground [id^='gn-pg-net-']", "4")
    deep.wait_for_selector(".gn-playground[data-run^='spirals_4_']")
    assert [s["name"] for s in deep.evaluate(SQUARES_JS)] == [
        f"Layer 1, neuron {unit}" for unit in range(1, 5)]
    deep.select_option(".gn-playground [id^='gn-pg-net-']", "0")
    deep.wait_for_selector(".gn-playground[data-run^='spirals_0_']")
    assert deep.evaluate(SQUARES_JS) == [] and "No hidden layer" in deep.inner_text(".gn-layers")


def test_playground_neurons_enlarge_from_the_keyboard_and_the_pointer(deep):
    assert not deep.evaluate(ZOOM_JS)["shown"]
    deep.focus(".gn-playground [id^='gn-pg-epoch-']")
    deep.keyboard.press("Tab")
    assert deep.evaluate("document.activeElement.getAttribute('aria-label')") == \
        "Layer 1, neuron 1"
    zoom = deep.evaluate(ZOOM_JS)
    assert zoom["shown"] and zoom["text"] == "Layer 1, neuron 1" and zoom["width"] >= ZOOM_PX
    outline = deep.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    for key, name in (("ArrowRight", "Layer 1, neuron 2"), ("ArrowDown", "Layer 2, neuron 2"),
                      ("ArrowDown", "Layer 3, neuron 2"), ("ArrowRight", "Layer 3, neuron 3"),
                      ("ArrowUp", "Layer 2, neuron 3"), ("End", "Layer 2, neuron 8"),
                      ("Home", "Layer 2, neuron 1"), ("ArrowRight", "Layer 2, neuron 2")):
        deep.keyboard.press(key)  # the arrow keys, Home and End move between the squares
        assert deep.evaluate(ZOOM_JS)["text"] == name, key
    # The squares are one Tab stop: Tab leaves them, Shift+Tab comes back to the last one.
    deep.keyboard.press("Tab")
    assert deep.evaluate("document.activeElement.classList.contains('gn-unit')") is False
    deep.keyboard.press("Shift+Tab")
    assert deep.evaluate("document.activeElement.getAttribute('aria-label')") == \
        "Layer 2, neuron 2"
    before = deep.evaluate(ZOOM_JS)["pixels"]
    set_epoch(deep, 1)  # the enlarged neuron follows the slider too
    assert deep.evaluate(ZOOM_JS)["pixels"] != before
    deep.keyboard.press("Escape")
    assert not deep.evaluate(ZOOM_JS)["shown"]
    deep.keyboard.press("Tab")
    deep.locator(".gn-unit").nth(20).hover()  # the pointer enlarges the square under it
    assert deep.evaluate(ZOOM_JS)["text"] == "Layer 3, neuron 5"


def test_playground_neurons_enlarge_with_a_tap_on_a_phone(browser, served):
    context, page = open_tab(browser, served, DEEP, is_mobile=True, has_touch=True)
    try:
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(200)
        square = page.locator(".gn-unit").nth(15)
        square.scroll_into_view_if_needed()
        box = square.bounding_box()
        assert box["width"] >= TARGET_PX - 0.5 and box["height"] >= TARGET_PX - 0.5
        square.tap()
        zoom = page.evaluate(ZOOM_JS)
        assert zoom["shown"] and zoom["text"] == "Layer 2, neuron 8"
        assert zoom["width"] >= ZOOM_PX and zoom["left"] >= 0 and zoom["right"] <= PHONE["width"]
        assert_fits_phone(page)
        assert page.events.console_errors == []
    finally:
        context.close()


def test_playground_validation_toggle_changes_the_picture_and_the_text(deep, served):
    checkbox = ".gn-playground [id^='gn-pg-val-']"
    assert deep.is_checked(checkbox)
    assert deep.inner_text(".gn-status").endswith("Validation points shown.")
    shown = deep.eval_on_selector(".gn-boundary", "c => c.toDataURL()")
    label = deep.locator(".gn-playground label.gn-check").bounding_box()
    assert label["width"] >= TARGET_PX and label["height"] >= TARGET_PX
    deep.click(".gn-playground label.gn-check")  # the label takes the tap
    assert not deep.is_checked(checkbox)
    assert deep.eval_on_selector(".gn-boundary", "c => c.toDataURL()") != shown
    assert deep.inner_text(".gn-status").endswith("Validation points hidden.")
    assert parse_qs(urlsplit(deep.url).query)["val"] == ["0"]
    deep.goto(deep.url, wait_until="load")  # a shared link keeps the choice
    deep.wait_for_selector(".gn-playground[data-run]:not([aria-busy])")
    assert not deep.is_checked(checkbox)
    deep.focus(checkbox)
    deep.keyboard.press("Space")
    assert deep.is_checked(checkbox)
    assert deep.eval_on_selector(".gn-boundary", "c => c.toDataURL()") == shown
