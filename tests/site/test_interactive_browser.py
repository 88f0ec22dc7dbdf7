"""The interactive figures in headless Chromium: the playground, the explorers, the
backpropagation stepper, the GAN explorer and the attention explorer.

Each test opens a page in a fresh tab (its own cache), works the controls as a reader does,
and checks that the picture changes, that the state survives a shared URL, that the numbers
are glassnet's, and that nothing fails or leaves the site.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from _browser import PHONE_WIDTH, assert_fits_phone, new_context, watch

from glassnet import activations
from glassnet.perceptron import perceptron_predict

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAYGROUND = "training/playground/"
# Bytes, compressed, that the first view loads, everything included.
FIRST_VIEW_BUDGET = 300 * 1024
RUN_BUDGET = 60 * 1024          # bytes for each further combination
SHARED = {"data": "spirals", "net": "8-8", "act": "tanh", "lr": "0.3", "reg": "l2",
          "epoch": "45"}


class Events:
    def __init__(self):
        self.console_errors, self.failed_requests, self.outside_requests = [], [], []
        self.requests = []


@pytest.fixture
def tab(browser, served):
    """A fresh tab reading the site through the test server, its events in ``tab.events``."""
    context = new_context(browser, served)
    page = context.new_page()
    page.events = Events()
    watch(page, served.origin, lambda: page.events)
    yield page
    context.close()


def clean(tab) -> None:
    """Assert that the tab logged no error and requested nothing outside the site."""
    events = tab.events
    assert events.console_errors == [] and events.failed_requests == []
    assert events.outside_requests == []


def open_playground(tab, served, query: str = ""):
    tab.goto(served.url + PLAYGROUND + query, wait_until="load")
    tab.wait_for_selector(".gn-playground[data-run]:not([aria-busy])")


def canvas_pixels(tab, selector: str = ".gn-boundary") -> str:
    return tab.eval_on_selector(selector, "c => c.toDataURL()")


def set_value(tab, selector: str, value) -> None:
    """Set a control's value and fire the events a reader's change fires."""
    tab.eval_on_selector(selector, """(el, v) => { el.value = v;
        el.dispatchEvent(new Event("input", {bubbles: true}));
        el.dispatchEvent(new Event("change", {bubbles: true})); }""", str(value))


def control(tab, key: str) -> str:
    """Selector of the playground's control for ``key`` (its id starts gn-pg-KEY)."""
    return f".gn-playground [id^='gn-pg-{key}-']"


# --- the playground -----------------------------------------------------------------

def test_playground_controls_change_the_picture(tab, served):
    open_playground(tab, served)
    before, curves = canvas_pixels(tab), tab.inner_html(".gn-curves")
    tab.select_option(control(tab, "data"), "spirals")
    tab.wait_for_selector(".gn-playground[data-run^='spirals_']")
    assert canvas_pixels(tab) != before and tab.inner_html(".gn-curves") != curves
    at_end = canvas_pixels(tab)
    set_value(tab, control(tab, "epoch"), 2)
    assert canvas_pixels(tab) != at_end
    units = tab.locator(".gn-unit canvas")
    assert units.count() == 8
    clean(tab)


def test_playground_url_round_trips_the_state(tab, served):
    query = "?" + "&".join(f"{k}={v}" for k, v in SHARED.items())
    open_playground(tab, served, query)
    for key in ("data", "net", "act", "lr", "reg"):
        assert tab.input_value(control(tab, key)) == SHARED[key]
    status = tab.inner_text(".gn-status")
    assert "spirals" in status and "Epoch 45 of 150" in status and "tanh" in status
    assert tab.get_attribute(".gn-playground", "data-run") == "spirals_8-8_tanh_0.3_l2"
    tab.select_option(control(tab, "reg"), "dropout")
    tab.wait_for_selector(".gn-playground[data-run$='_dropout']")
    shared = tab.url
    assert parse_qs(urlsplit(shared).query)["reg"] == ["dropout"]
    status = tab.inner_text(".gn-status")
    tab.goto(shared, wait_until="load")
    tab.wait_for_selector(".gn-playground[data-run$='_dropout']:not([aria-busy])")
    assert tab.inner_text(".gn-status") == status
    clean(tab)


def test_playground_works_from_the_keyboard(tab, served):
    open_playground(tab, served)
    tab.focus(control(tab, "data"))
    dataset = tab.input_value(control(tab, "data"))
    tab.keyboard.press("ArrowDown")
    tab.wait_for_function("d => document.querySelector('.gn-playground').dataset.run"
                          ".split('_')[0] !== d", arg=dataset)
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id").startswith("gn-pg-net-")
    tab.focus(control(tab, "epoch"))
    before = tab.inner_text(".gn-epoch")
    tab.keyboard.press("Home")
    assert tab.inner_text(".gn-epoch") != before and tab.inner_text(".gn-epoch").startswith("0 ")
    tab.focus(".gn-play")
    tab.keyboard.press("Enter")
    assert tab.inner_text(".gn-play") == "Pause"
    tab.wait_for_function("document.querySelector('.gn-epoch').textContent.split(' ')[0] !== '0'")
    tab.keyboard.press("Space")
    assert tab.inner_text(".gn-play") == "Play"
    outline = tab.eval_on_selector(".gn-play", "b => getComputedStyle(b).outlineStyle")
    assert outline != "none"
    clean(tab)


def test_playground_first_view_and_each_run_stay_light(tab, served):
    start = served.bytes_sent
    open_playground(tab, served)
    tab.wait_for_load_state("networkidle")
    first_view = served.bytes_sent - start
    runs = [u for u in tab.events.requests if u.endswith(".bin")]
    assert len(runs) == 1, runs  # one combination loaded, not the grid
    assert first_view < FIRST_VIEW_BUDGET, f"{first_view / 1024:.0f} KB"
    for value in ("spirals", "xor"):
        start = served.bytes_sent
        tab.select_option(control(tab, "data"), value)
        tab.wait_for_selector(f".gn-playground[data-run^='{value}_']")
        assert served.bytes_sent - start < RUN_BUDGET
    clean(tab)


def test_playground_redraws_in_the_dark_palette_and_fits_a_phone(tab, served):
    open_playground(tab, served)
    light = canvas_pixels(tab)
    tab.click("label[for='__palette_1']")
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    tab.wait_for_function("l => document.querySelector('.gn-boundary').toDataURL() !== l",
                          arg=light)
    tab.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    tab.wait_for_timeout(200)
    assert_fits_phone(tab)
    clean(tab)


def test_playground_starts_after_instant_navigation(tab, served):
    tab.goto(served.url + "training/decision-boundaries/", wait_until="networkidle")
    tab.evaluate("window.__notReloaded = true")
    tab.click("article a[href$='playground/']")
    tab.wait_for_selector(".gn-playground[data-run]:not([aria-busy])")
    assert tab.evaluate("window.__notReloaded === true")
    tab.go_back()
    tab.wait_for_function("!document.querySelector('.gn-playground')")
    clean(tab)


# --- the explorers ------------------------------------------------------------------

def near(tab, selector: str) -> None:
    """Scroll an explorer into view, as a reader does: its data waits until it is near."""
    tab.locator(selector).scroll_into_view_if_needed()


def test_neuron_explorer_answers_as_glassnet_perceptron(tab, served, site):
    data = json.loads((site / "interactive" / "neuron.json").read_text())
    tab.goto(served.url + "foundations/perceptron/", wait_until="load")
    near(tab, ".gn-explorer[data-explorer='neuron']")
    tab.wait_for_selector(".gn-explorer[data-explorer='neuron'] .gn-point")
    before = tab.inner_html(".gn-explorer[data-explorer='neuron'] svg")
    w, b = data["check"]["w"], data["check"]["b"]
    for key, value in (("w1", w[0]), ("w2", w[1]), ("b", b)):
        set_value(tab, f"[id^='gn-neuron-{key}-']", value)
    answers = tab.eval_on_selector_all(".gn-point", "ps => ps.map(p => Number(p.dataset.pred))")
    expected = perceptron_predict(np.array(data["X"]), np.array(w), b)
    assert answers == expected.tolist() == data["check"]["y_hat"]
    assert tab.inner_html(".gn-explorer[data-explorer='neuron'] svg") != before
    numbers = tab.inner_text(".gn-explorer[data-explorer='neuron'] .gn-numbers")
    z = float(np.array(data["X"][0]) @ np.array(w) + b)
    assert f"= {z:.2f}".replace("-", "\u2212") in numbers
    clean(tab)


def test_activation_explorer_reads_glassnet_values(tab, served):
    tab.goto(served.url + "foundations/activations/", wait_until="load")
    root = ".gn-explorer[data-explorer='activation']"
    near(tab, root)
    tab.wait_for_selector(f"{root} .gn-marker")
    before = tab.inner_html(f"{root} svg")
    tab.select_option(f"{root} select", "tanh")
    tab.focus(f"{root} input[type=range]")
    for _ in range(5):
        tab.keyboard.press("ArrowRight")
    assert tab.inner_html(f"{root} svg") != before
    z = float(tab.get_attribute(f"{root} input[type=range]", "aria-valuetext").split("= ")[1])
    f, df = activations.tanh(z), activations.tanh_grad(z)
    text = tab.inner_text(f"{root} .gn-numbers")
    assert f"f(z) = {f:.4f}" in text and f"f\u2032(z) = {df:.4f}" in text
    clean(tab)


def test_descent_explorer_draws_each_optimizer_and_learning_rate(tab, served):
    tab.goto(served.url + "foundations/optimizers/", wait_until="load")
    root = ".gn-explorer[data-explorer='descent']"
    near(tab, root)
    tab.wait_for_selector(f"{root} .gn-path")
    path = tab.get_attribute(f"{root} .gn-path", "points")
    tab.select_option(f"{root} select", "adam")
    assert tab.get_attribute(f"{root} .gn-path", "points") != path
    lrs = json.loads(tab.evaluate("fetch('../../interactive/descent.json')"
                                  ".then(r => r.text())"))["lrs"]
    tab.select_option(f"{root} select", "sgd")
    set_value(tab, f"{root} [id^='gn-gd-lr-']", lrs.index(0.2))
    assert "diverged" in tab.inner_text(f"{root} .gn-numbers")
    set_value(tab, f"{root} [id^='gn-gd-lr-']", lrs.index(0.05))
    assert "diverged" not in tab.inner_text(f"{root} .gn-numbers")
    clean(tab)


# --- the backpropagation stepper and the GAN explorer -------------------------------------

BACKPROP = "foundations/backpropagation/"
GAN = "architectures/gans/"
LANGUAGE = "architectures/language-models/"


def open_near(tab, served, page: str, name: str) -> str:
    """Open ``page``, scroll its ``name`` explorer into view (its data loads only then) and
    wait until it is drawn; returns the explorer's selector."""
    root = f".gn-explorer[data-explorer='{name}']"
    tab.goto(served.url + page, wait_until="load")
    tab.locator(root).scroll_into_view_if_needed()
    tab.wait_for_selector(f"{root}[data-step]")
    return root


def first_view_bytes(tab, served, page: str) -> int:
    start = served.bytes_sent
    tab.goto(served.url + page, wait_until="load")
    tab.wait_for_load_state("networkidle")
    return served.bytes_sent - start


@pytest.mark.parametrize("page, name", [(BACKPROP, "backprop"), (GAN, "gan"),
                                        (LANGUAGE, "attention")])
def test_explorer_data_waits_for_the_reader_and_the_first_view_stays_light(tab, served, page,
                                                                           name):
    first_view = first_view_bytes(tab, served, page)
    assert first_view < FIRST_VIEW_BUDGET, f"{first_view / 1024:.0f} KB"
    assert not [u for u in tab.events.requests if u.endswith(f"/{name}.json")]
    root = f".gn-explorer[data-explorer='{name}']"
    tab.locator(root).scroll_into_view_if_needed()
    tab.wait_for_selector(f"{root}[data-step]")
    assert [u for u in tab.events.requests if u.endswith(f"/{name}.json")]
    clean(tab)


def test_backprop_stepper_steps_through_glassnets_numbers(tab, served, site):
    data = json.loads((site / "interactive" / "backprop.json").read_text())
    root = open_near(tab, served, BACKPROP, "backprop")
    picture = tab.inner_html(f"{root} svg")
    assert tab.get_attribute(root, "data-step") == "0"
    tab.click(f"{root} button:has-text('Next')")
    assert tab.get_attribute(root, "data-step") == "1"
    assert tab.inner_html(f"{root} svg") != picture
    text = tab.inner_text(f"{root} .gn-numbers")
    assert data["steps"][1]["text"] in text
    tab.keyboard.press("ArrowRight")  # the focus is on Next
    assert tab.get_attribute(root, "data-step") == "2"
    picture = tab.inner_html(f"{root} svg")
    tab.click(f"{root} button:has-text('Back')")
    assert tab.get_attribute(root, "data-step") == "1"
    assert tab.inner_html(f"{root} svg") != picture
    tab.keyboard.press("End")
    last = len(data["steps"]) - 1
    assert tab.get_attribute(root, "data-step") == str(last)
    assert data["steps"][-1]["text"] in tab.inner_text(f"{root} .gn-numbers")
    # The graph keeps the forward pass's loss at the last step (its text gives the new one).
    loss = next(s["value"] for s in data["steps"] if s["phase"] == "forward" and s["target"] == "L")
    assert tab.text_content(f"{root} [data-node=L] .gn-node-value") == f"{loss:.4f}"
    tab.keyboard.press("Home")
    outlined = tab.eval_on_selector_all(f"{root} .gn-current", "gs => gs.map(g => g.dataset.node)")
    assert sorted(outlined) == ["x1", "x2"]  # the start step is about the example's inputs
    # Every backward step shows its gradient as the product of the numbers it prints.
    for index, step in enumerate(data["steps"]):
        if index:
            tab.keyboard.press("ArrowRight")
        if step["phase"] == "backward" and step["terms"]:
            assert tab.get_attribute(root, "data-step") == str(index)
            shown = tab.inner_text(f"{root} .gn-numbers")
            assert step["text"] in shown
            grads = tab.eval_on_selector_all(f"{root} .gn-node-grad",
                                             "ts => ts.map(t => t.textContent)")
            if step["target"] in ("y_hat", "a1", "a2", "z1", "z2", "x1", "x2"):
                assert f"{step['value']:.4f}".replace("-", "\u2212") in grads
    picture = tab.inner_html(f"{root} svg")
    tab.click(f"{root} button:has-text('Start over')")
    assert tab.get_attribute(root, "data-step") == "0"
    assert tab.inner_html(f"{root} svg") != picture
    clean(tab)


def test_gan_explorer_controls_change_the_picture(tab, served):
    root = open_near(tab, served, GAN, "gan")
    canvas = f"{root} canvas"
    at_end, chart = canvas_pixels(tab, canvas), tab.inner_html(f"{root} svg")
    assert tab.get_attribute(root, "data-kind") == "non_saturating"
    tab.click(f"{root} .gn-toggle label >> nth=1")
    assert tab.get_attribute(root, "data-kind") == "saturating"
    assert canvas_pixels(tab, canvas) != at_end and tab.inner_html(f"{root} svg") != chart
    before = canvas_pixels(tab, canvas)
    set_value(tab, f"{root} input[type=range]", 10)
    assert tab.get_attribute(root, "data-step") == "200"
    assert canvas_pixels(tab, canvas) != before
    assert "Step 200 of 800" in tab.inner_text(f"{root} .gn-numbers")
    before = canvas_pixels(tab, canvas)
    tab.click(f"{root} .gn-play")
    assert tab.inner_text(f"{root} .gn-play") == "Pause"
    numbers = f"{root} .gn-numbers"
    at_start = tab.inner_text(numbers)
    assert "Step 0 of 800" in at_start and tab.get_attribute(numbers, "aria-live") == "off"
    # The page asks the reader to watch the count of modes while Play runs: the text below
    # the picture follows the replay, showing the current step and a changed count.
    modes = re.search(r"cover \d+ of", at_start).group(0)
    tab.wait_for_function("""([r, modes]) => {
        const root = document.querySelector(r);
        const text = root.querySelector(".gn-numbers").textContent;
        return root.querySelector(".gn-play").textContent === "Pause"
          && text.includes(`Step ${root.dataset.step} of`) && !text.includes(modes);
      }""", arg=[root, modes])
    tab.click(f"{root} .gn-play")
    assert canvas_pixels(tab, canvas) != before
    assert tab.get_attribute(numbers, "aria-live") == "polite"
    clean(tab)


def test_gan_explorer_from_the_keyboard_in_both_palettes_and_on_a_phone(tab, served):
    root = open_near(tab, served, GAN, "gan")
    tab.focus(f"{root} input[type=radio] >> nth=0")
    tab.keyboard.press("ArrowRight")  # radio groups move with the arrow keys
    assert tab.get_attribute(root, "data-kind") == "saturating"
    tab.focus(f"{root} input[type=range]")
    tab.keyboard.press("Home")
    assert tab.get_attribute(root, "data-step") == "0"
    light = canvas_pixels(tab, f"{root} canvas")
    tab.click("label[for='__palette_1']")
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    tab.wait_for_function("([r, l]) => document.querySelector(r + ' canvas').toDataURL() !== l",
                          arg=[root, light])
    tab.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    tab.wait_for_timeout(200)
    assert_fits_phone(tab, f"{root} button, {root} input[type=range], {root} .gn-toggle label")
    clean(tab)


def test_backprop_stepper_fits_a_phone_with_fingertip_buttons(tab, served):
    tab.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    root = open_near(tab, served, BACKPROP, "backprop")
    assert_fits_phone(tab, f"{root} button", count=3)
    labels = tab.eval_on_selector_all(f"{root} button", "bs => bs.map(b => b.ariaLabel)")
    assert all(labels)
    assert tab.get_attribute(f"{root} .gn-numbers", "aria-live") == "polite"
    clean(tab)


@pytest.mark.parametrize("start, link, name", [
    ("foundations/losses/", "backpropagation/", "backprop"),
    ("architectures/applications/", "gans/", "gan"),
    ("reference/glossary/", "language-models/", "attention"),
])
def test_explorers_mount_after_instant_navigation_and_leave_cleanly(tab, served, start, link,
                                                                    name):
    tab.goto(served.url + start, wait_until="networkidle")
    tab.evaluate("window.__notReloaded = true")
    tab.locator(f"article a[href$='{link}']").first.click()
    root = f".gn-explorer[data-explorer='{name}']"
    tab.wait_for_selector(root)
    tab.locator(root).scroll_into_view_if_needed()
    tab.wait_for_selector(f"{root}[data-step]")
    assert tab.evaluate("window.__notReloaded === true")
    tab.go_back()
    tab.wait_for_function(f"!document.querySelector(\"{root}\")")
    tab.go_forward()
    tab.wait_for_selector(root)
    tab.locator(root).scroll_into_view_if_needed()
    tab.wait_for_selector(f"{root}[data-step]")
    assert tab.locator(root).count() == 1
    clean(tab)


# --- the attention explorer ---------------------------------------------------------------

def cell_colours(tab, root: str) -> list[str]:
    return tab.eval_on_selector_all(f"{root} .gn-attn-cell",
                                    "cs => cs.map(c => c.style.background)")


def test_attention_explorer_position_and_head_change_the_picture_and_the_text(tab, served,
                                                                             site):
    data = json.loads((site / "interactive" / "attention.json").read_text())
    root = open_near(tab, served, LANGUAGE, "attention")
    numbers = f"{root} .gn-numbers"
    last = len(data["text"]) - 1
    assert tab.get_attribute(root, "data-step") == str(last)
    picture, text = cell_colours(tab, root), tab.inner_text(numbers)
    tab.click(f"{root} .gn-attn-cell >> nth=5")
    assert tab.get_attribute(root, "data-step") == "5"
    assert cell_colours(tab, root) != picture and tab.inner_text(numbers) != text
    assert "(position 6)" in tab.inner_text(numbers)
    # Masked cells (after the position) keep the background; the rest follow the weights.
    colours = cell_colours(tab, root)
    assert len(set(colours[6:])) == 1
    picture, text = colours, tab.inner_text(numbers)
    tab.click(f"{root} fieldset:has-text('Head') label >> nth=1")
    assert tab.get_attribute(root, "data-head") == "2"
    assert cell_colours(tab, root) != picture and tab.inner_text(numbers) != text
    row = data["weights"][0][1][5]
    best = int(np.argmax(row))
    assert f"Block 1, head 2, at '{data['text'][5]}' (position 6)" in tab.inner_text(numbers)
    assert f"(position {best + 1}, {row[best]:.2f})" in tab.inner_text(numbers)
    # The line names the three heaviest, so keyboard and touch users can read them too.
    second, third = sorted(range(len(row)), key=lambda k: (-row[k], k))[1:3]
    assert (f"then '{data['text'][second].replace(' ', '␣')}' (position {second + 1}, "
            f"{row[second]:.2f}) and '{data['text'][third].replace(' ', '␣')}' "
            f"(position {third + 1}, {row[third]:.2f})") in tab.inner_text(numbers)
    guess = data["top"][5][0]
    assert f"'{guess[0]}' {guess[1]:.2f}" in tab.inner_text(f"{root} .gn-attn-guesses")
    # The arrow keys move the position; the weight shows on the focused cell.
    tab.focus(f"{root} .gn-attn-cell >> nth=5")
    tab.keyboard.press("ArrowRight")
    assert tab.get_attribute(root, "data-step") == "6"
    assert tab.evaluate("document.activeElement.getAttribute('aria-checked')") == "true"
    shown = tab.inner_text(f"{root} .gn-attn-cell >> nth=6")
    assert f"{data['weights'][0][1][6][6]:.2f}" in shown
    tab.keyboard.press("Home")
    assert tab.get_attribute(root, "data-step") == "0"
    assert tab.get_attribute(numbers, "aria-live") == "polite"
    clean(tab)


def test_attention_explorer_redraws_in_the_dark_palette_and_fits_a_phone(tab, served):
    root = open_near(tab, served, LANGUAGE, "attention")
    light = cell_colours(tab, root)
    tab.click("label[for='__palette_1']")
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    tab.wait_for_function(
        "([r, l]) => JSON.stringify([...document.querySelectorAll(r + ' .gn-attn-cell')]"
        ".map(c => c.style.background)) !== l", arg=[root, json.dumps(light)])
    tab.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    tab.wait_for_timeout(200)
    assert_fits_phone(tab, f"{root} .gn-attn-cell, {root} .gn-toggle label")
    clean(tab)
