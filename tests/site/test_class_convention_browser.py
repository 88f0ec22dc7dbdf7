"""The interactive figures draw the two classes as the figures do: class 0 in ``--gn-class0``
(the first series colour) with circles, class 1 in ``--gn-class1`` with squares.

Every page with an interactive figure is opened in both palettes. What its canvases draw is
recorded by wrapping the 2D context (a point is a path of one ``arc`` or one ``rect``, then
``fill`` or ``stroke``); what its SVGs draw is read from their ``circle`` and ``rect``
elements. Every small mark in a class colour must have that class's shape. The colours
themselves are checked against ``figures/style.py`` in ``tests/test_class_convention.py``.
"""

from __future__ import annotations

import pytest
from _browser import site_pages, wait_for_interactive

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INTERACTIVE = ("gn-playground", "gn-explorer")
MARK_PX = 20  # larger shapes are backgrounds and regions, not points

RECORD_CANVAS_JS = """(() => {
  const P = CanvasRenderingContext2D.prototype, marks = window.gnMarks = [];
  let shapes = [];
  const wrap = (name, before) => {
    const original = P[name];
    P[name] = function (...args) { before.call(this, args); return original.apply(this, args); };
  };
  wrap("beginPath", () => { shapes = []; });
  wrap("arc", (a) => shapes.push({shape: "circle", size: 2 * a[2]}));
  wrap("ellipse", (a) => shapes.push({shape: "ellipse", size: 2 * Math.max(a[2], a[3])}));
  wrap("rect", (a) => shapes.push({shape: "square",
                                   size: Math.max(Math.abs(a[2]), Math.abs(a[3]))}));
  wrap("fill", function () { marks.push({colour: String(this.fillStyle), shapes}); });
  wrap("stroke", function () { marks.push({colour: String(this.strokeStyle), shapes}); });
})();"""

# Small marks of the interactive figures, and the class colours of the page's palette.
MARKS_JS = """(limit) => {
  const css = getComputedStyle(document.body);
  const classes = [0, 1].map(k => css.getPropertyValue(`--gn-class${k}`).trim().toLowerCase());
  const marks = window.gnMarks.filter(m => m.shapes.length === 1 && m.shapes[0].size <= limit)
    .map(m => ({colour: m.colour.toLowerCase(), shape: m.shapes[0].shape, where: "canvas"}));
  for (const el of document.querySelectorAll(
      ".gn-playground svg circle, .gn-playground svg rect, .gn-explorer svg circle, " +
      ".gn-explorer svg rect")) {
    const box = el.getBBox();
    if (Math.max(box.width, box.height) > limit) continue;
    marks.push({colour: (el.getAttribute("fill") || "").trim().toLowerCase(),
                shape: el.tagName === "circle" ? "circle" : "square", where: "svg"});
  }
  return {classes, marks};
}"""


def interactive_pages(site) -> list[str]:
    pages = []
    for path in site_pages(site):
        html = site / (path + "index.html" if path.endswith("/") or not path else path)
        if any(f'class="{name}' in html.read_text(encoding="utf-8") for name in INTERACTIVE):
            pages.append(path)
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_interactive_figures_draw_class_0_as_circles_and_class_1_as_squares(
        browser, served, site, scheme):
    pages = interactive_pages(site)
    assert pages, "no page with an interactive figure was found"
    context = browser.new_context(proxy={"server": served.proxy}, color_scheme=scheme,
                                  viewport={"width": 1280, "height": 900},
                                  reduced_motion="reduce")
    context.add_init_script(RECORD_CANVAS_JS)
    page, wrong, counted = context.new_page(), [], {0: 0, 1: 0}
    try:
        for path in pages:
            page.goto(served.url + path, wait_until="networkidle")
            wait_for_interactive(page, ".gn-playground, .gn-explorer")
            page.wait_for_timeout(300)  # the first frame after the data arrived
            found = page.evaluate(MARKS_JS, MARK_PX)
            shapes = {found["classes"][0]: "circle", found["classes"][1]: "square"}
            for mark in found["marks"]:
                if mark["colour"] in shapes:
                    k = found["classes"].index(mark["colour"])
                    counted[k] += 1
                    if mark["shape"] != shapes[mark["colour"]]:
                        wrong.append(f"{path} ({mark['where']}): a {mark['shape']} in the "
                                     f"colour of class {k}")
    finally:
        context.close()
    assert counted[0] and counted[1], f"no points of both classes were drawn: {counted}"
    assert not wrong, "\n".join(sorted(set(wrong)))
