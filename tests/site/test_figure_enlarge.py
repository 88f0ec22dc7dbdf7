"""Tap to enlarge: the "Full-size figure" link beside a dense figure, on a 390 px phone.

A figure still dense in its narrow layout (a heat map, a grid of small images) has a link to
its full-size file, which a reader opens and zooms. On every page that has one, the link
must be reachable with the Tab key from the top of the page, show that it has the focus,
have an accessible name a screen reader reads out (computed by Chromium, through the
accessibility tree), be large enough to tap (44 by 44 CSS px), and open with Enter the
figure's full-size (wide) file.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from _browser import AXE, AXE_JS, assert_fits_phone, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
TARGET_PX = 44
MAX_TABS = 400
NAME = re.compile(r"^Full-size figure\b")
FULL_SIZE_HREF = re.compile(r"/figures/[A-Za-z0-9_]+\.(svg|png)$")

FOCUSED_JS = """() => {
  const el = document.activeElement, box = el.getBoundingClientRect();
  return {enlarge: el.matches("a.gn-figure-enlarge"), visible: el.matches(":focus-visible"),
          outline: getComputedStyle(el).outlineStyle, href: el.href || "",
          box: [box.left, box.top, box.width, box.height],
          viewport: [innerWidth, innerHeight]};
}"""


def pages_with_enlarge_links(site) -> list[str]:
    pages = []
    for path in site_pages(site):
        html = site / (path + "index.html" if path.endswith("/") or not path else path)
        if "gn-figure-enlarge" in html.read_text(encoding="utf-8"):
            pages.append(path)
    return pages


@pytest.fixture(scope="module")
def phone_tab(browser, served):
    context = browser.new_context(proxy={"server": served.proxy}, viewport=PHONE,
                                  color_scheme="light", reduced_motion="reduce",
                                  is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_full_size_links_exist(site):
    assert pages_with_enlarge_links(site), "no page links a figure to its full-size file"


def test_full_size_links_have_an_accessible_name(phone_tab, served, site):
    missing = []
    for path in pages_with_enlarge_links(site):
        phone_tab.goto(served.url + path, wait_until="load")
        links = phone_tab.locator("a.gn-figure-enlarge")
        named = phone_tab.get_by_role("link", name=NAME)
        # The accessibility tree's own names: the link's role and name as a reader hears it.
        snapshots = [links.nth(i).aria_snapshot() for i in range(links.count())]
        if named.count() != links.count() or not all(
                re.search(r'link "Full-size figure: [^"]+"', s) for s in snapshots):
            missing.append(f"{path}: {snapshots}")
    assert not missing, "full-size links without a name that says what they open:\n" + \
        "\n".join(missing)


def test_full_size_links_work_by_keyboard_on_a_phone(phone_tab, served, site):
    problems = []
    for path in pages_with_enlarge_links(site):
        phone_tab.goto(served.url + path, wait_until="load")
        focused = None
        for _ in range(MAX_TABS):
            phone_tab.keyboard.press("Tab")
            focused = phone_tab.evaluate(FOCUSED_JS)
            if focused["enlarge"]:
                break
        if not focused or not focused["enlarge"]:
            problems.append(f"{path}: no full-size link after {MAX_TABS} presses of Tab")
            continue
        left, top, width, height = focused["box"]
        if not focused["visible"] or focused["outline"] == "none":
            problems.append(f"{path}: the focused link shows no focus ring")
        if width < TARGET_PX or height < TARGET_PX:
            problems.append(f"{path}: the link is {width:.0f} x {height:.0f} px, under "
                            f"{TARGET_PX} x {TARGET_PX}")
        if (left < -1 or top < -1 or left + width > PHONE["width"] + 1
                or top + height > PHONE["height"] + 1):
            problems.append(f"{path}: the focused link is outside the screen at {focused['box']}")
        href = focused["href"]
        with phone_tab.expect_response(lambda r, href=href: r.url == href) as opened:
            phone_tab.keyboard.press("Enter")
        response = opened.value
        phone_tab.wait_for_url(href)
        url = urlsplit(href).path
        if not FULL_SIZE_HREF.search(url) or response.status != 200 or not \
                response.headers.get("content-type", "").startswith("image/"):
            problems.append(f"{path}: Enter opened {url} ({response.status}, "
                            f"{response.headers.get('content-type')}), not a full-size figure")
    assert not problems, "\n".join(problems)


def test_the_links_under_a_figure_are_targets_a_fingertip_can_tell_apart(phone_tab, served,
                                                                         site):
    # Lighthouse's target-size audit (WCAG 2.5.8), as it runs on a phone: the data link under
    # a dense figure, once a line of small text, sat too close to the full-size link above it.
    for path in pages_with_enlarge_links(site):
        phone_tab.goto(served.url + path, wait_until="load")
        assert_fits_phone(phone_tab, "a.gn-figure-enlarge, a.gn-figure-data")
        phone_tab.add_script_tag(content=AXE.read_text())
        assert phone_tab.evaluate(AXE_JS, [None, ["target-size"], "article"]) == [], path
