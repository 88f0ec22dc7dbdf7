"""The interactive figures on a 390 px phone: one column, controls a finger can use, text a
reader can read.

Every page with a playground or an explorer is opened at 390 by 844 CSS px, as a touch
device. In each interactive figure: every control (a select, a slider, a button, a link) is
at least 44 by 44 CSS px (WCAG 2.5.5); no two of its plots (a canvas or an SVG wider than a
thumbnail) sit side by side; and the text of its SVG plots, at the scale the page draws
them, is at least 9 CSS px. Thumbnails (the playground's hidden units) may share a row.
"""

from __future__ import annotations

import pytest
from _browser import site_pages, wait_for_interactive

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
TARGET_PX, MIN_TEXT_PX, PLOT_PX = 44, 9.0, 150
INTERACTIVE = ".gn-playground, .gn-explorer"

INSPECT_JS = """([selector, plotPx]) => [...document.querySelectorAll(selector)].map(root => {
  const shown = el => el.checkVisibility() && el.getBoundingClientRect().width > 0;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.getAttribute("aria-label") ? `[${el.getAttribute("aria-label")}]` : "");
  const controls = [...root.querySelectorAll("select, input, button, a[href], textarea")]
    .filter(shown).map(el => {
      // A radio button or checkbox is tapped through its label, which toggles it.
      const target = (el.type === "radio" || el.type === "checkbox") && el.labels?.length
        ? el.labels[0] : el;
      const box = target.getBoundingClientRect();
      return {name: name(el), width: box.width, height: box.height};
    });
  const plots = [...root.querySelectorAll("canvas, svg")].filter(shown)
    .filter(el => el.getBoundingClientRect().width >= plotPx)
    .map(el => { const b = el.getBoundingClientRect();
                 return {name: name(el), top: b.top, bottom: b.bottom, left: b.left}; });
  const texts = [...root.querySelectorAll("svg text")].filter(t => t.textContent.trim())
    .map(t => ({text: t.textContent.trim().slice(0, 20),
                px: parseFloat(getComputedStyle(t).fontSize) *
                    Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b)}));
  return {figure: root.className + (root.dataset.explorer ? ":" + root.dataset.explorer : ""),
          controls, plots, texts};
})"""


def interactive_pages(site) -> list[str]:
    pages = []
    for path in site_pages(site):
        html = site / (path + "index.html" if path.endswith("/") or not path else path)
        text = html.read_text(encoding="utf-8")
        if 'class="gn-playground' in text or 'class="gn-explorer' in text:
            pages.append(path)
    return pages


@pytest.fixture(scope="module")
def figures(browser, served, site) -> list[tuple[str, dict]]:
    """``(page, what INSPECT_JS found)`` for every interactive figure, at 390 px."""
    pages = interactive_pages(site)
    assert pages, "no page with an interactive figure was found"
    context = browser.new_context(proxy={"server": served.proxy}, viewport=PHONE,
                                  color_scheme="light", reduced_motion="reduce",
                                  is_mobile=True, has_touch=True)
    page, found = context.new_page(), []
    try:
        for path in pages:
            page.goto(served.url + path, wait_until="networkidle")
            wait_for_interactive(page, INTERACTIVE)
            found += [(path, figure) for figure in
                      page.evaluate(INSPECT_JS, [INTERACTIVE, PLOT_PX])]
    finally:
        context.close()
    return found


def test_interactive_controls_are_44_px_on_a_phone(figures):
    small = [f"{path} {figure['figure']}: {c['name']} is {c['width']:.0f} x {c['height']:.0f}"
             for path, figure in figures for c in figure["controls"]
             if c["width"] < TARGET_PX - 0.5 or c["height"] < TARGET_PX - 0.5]
    assert sum(len(figure["controls"]) for _, figure in figures), "no control was found"
    assert not small, f"controls under {TARGET_PX} x {TARGET_PX} CSS px:\n" + "\n".join(small)


def test_interactive_plots_are_one_column_on_a_phone(figures):
    side_by_side = []
    for path, figure in figures:
        plots = figure["plots"]
        for i, a in enumerate(plots):
            for b in plots[i + 1:]:
                if a["top"] < b["bottom"] - 1 and b["top"] < a["bottom"] - 1:
                    side_by_side.append(f"{path} {figure['figure']}: {a['name']} beside "
                                        f"{b['name']}")
    assert sum(len(figure["plots"]) for _, figure in figures), "no plot was found"
    assert not side_by_side, "plots side by side on a phone:\n" + "\n".join(side_by_side)


def test_interactive_plot_text_is_at_least_9_px_on_a_phone(figures):
    small = sorted({f"{path} {figure['figure']}: {t['text']!r} at {t['px']:.1f} px"
                    for path, figure in figures for t in figure["texts"]
                    if t["px"] < MIN_TEXT_PX - 0.05})
    assert not small, f"plot text under {MIN_TEXT_PX} CSS px at 390 px:\n" + "\n".join(small)
