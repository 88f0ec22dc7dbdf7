"""The built site in headless Chromium: every page, as a reader on a desk or a phone sees it.

Each page is opened once as a first visit (see ``page_reports``); the tests below each check
one property on every page and report every page that fails, with the reason.
"""

from __future__ import annotations

import pytest
from _browser import RAW_MATH_JS, SIGNATURE_JS, new_context, site_pages, watch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE_BUDGET = 600 * 1024  # bytes transferred on a first view, compressed, everything included
# What a reader types, the page they want, and how far down the results it may be (lessons
# and other pages that teach the same word rank close to it).
SEARCH_TERM, SEARCH_TARGET, SEARCH_TOP = "backpropagation", "foundations/backpropagation/", 3


def failing(problems: dict[str, list]) -> str:
    """A readable list of the pages that fail, for the assertion message."""
    lines = [f"{path or '(home)'}:\n    " + "\n    ".join(map(str, found))
             for path, found in problems.items() if found]
    return f"{len(lines)} page(s) fail:\n" + "\n".join(lines)


def check(page_reports, extract) -> None:
    problems = {path: extract(report) for path, report in page_reports.items()}
    assert not any(problems.values()), failing(problems)


def test_browser_inspects_every_page_of_the_site(site, page_reports):
    assert len(page_reports) == len(site_pages(site)) > 1
    assert "" in page_reports and "foundations/activations/" in page_reports


def test_browser_pages_load_without_console_errors(page_reports):
    check(page_reports, lambda r: r.console_errors)


def test_browser_pages_load_without_failed_requests(page_reports):
    check(page_reports, lambda r: r.failed_requests)


def test_browser_pages_request_nothing_outside_the_site(page_reports):
    check(page_reports, lambda r: r.outside_requests)


def test_browser_math_is_rendered_on_every_page(page_reports):
    check(page_reports, lambda r: [f"raw TeX in visible text: …{t}…" for t in r.raw_math])


def test_browser_images_load_and_have_alt_text(page_reports):
    def problems(report):
        return ([f"no alt text: {i['src']}" for i in report.images if not i["alt"]]
                + [f"did not load: {i['src']}" for i in report.images
                   if i["shown"] and not i["loaded"]])
    check(page_reports, problems)


def test_browser_pages_have_no_wcag21_aa_violations(page_reports):
    check(page_reports, lambda r: r.axe)


def test_browser_dark_palette_keeps_wcag_contrast(page_reports):
    check(page_reports, lambda r: r.dark_axe)


def test_browser_nothing_overflows_a_phone_screen(page_reports):
    check(page_reports, lambda r: r.overflow)


def test_browser_dark_palette_shows_dark_figures(page_reports):
    def problems(report):
        found = [] if report.dark_scheme == "slate" else [
            f"the palette toggle gave scheme {report.dark_scheme!r}, not 'slate'"]
        for light, dark in ((report.images, "light"), (report.dark_images, "dark")):
            for image in light:
                variant = image["src"].rpartition("#only-")[2]
                if variant in ("light", "dark") and (variant == dark) != image["shown"]:
                    state = "shown" if image["shown"] else "hidden"
                    found.append(f"{image['src']} is {state} in the {dark} palette")
                if variant == dark and image["shown"] and not image["loaded"]:
                    found.append(f"{image['src']} did not load in the {dark} palette")
        return found
    check(page_reports, problems)
    assert any("#only-dark" in i["src"] for r in page_reports.values() for i in r.dark_images)


def test_browser_first_view_stays_within_budget(page_reports):
    check(page_reports, lambda r: [f"{r.transferred / 1024:.0f} KB transferred"]
          if r.transferred > PAGE_BUDGET else [])
    assert all(r.transferred > 10_000 for r in page_reports.values())


def test_browser_first_view_leaves_the_search_index_until_search_is_used(page_reports):
    check(page_reports, lambda r: [u for u in r.requests if u.endswith("search_index.json")])


@pytest.fixture
def tab(browser, served):
    """A fresh desktop tab (own cache and storage), its events recorded in ``tab.report``."""
    context = new_context(browser, served)
    page = context.new_page()
    page.report = type("Events", (), {})()
    for name in ("console_errors", "failed_requests", "outside_requests", "requests"):
        setattr(page.report, name, [])
    watch(page, served.origin, lambda: page.report)
    yield page
    context.close()


def test_browser_search_finds_backpropagation_and_opens_its_page(tab, served):
    tab.goto(served.url, wait_until="networkidle")
    assert not any(u.endswith("search_index.json") for u in tab.report.requests)
    tab.click(".md-search__input")  # fetches the index
    tab.keyboard.type(SEARCH_TERM)
    results = tab.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=15_000)
    pages = results.evaluate_all("links => links.map(a => a.origin + a.pathname)")
    assert served.url + SEARCH_TARGET in pages[:SEARCH_TOP], pages
    results.nth(pages.index(served.url + SEARCH_TARGET)).click()
    tab.wait_for_url(served.url + SEARCH_TARGET + "**")
    tab.wait_for_function("() => document.title.startsWith('Backpropagation')")
    assert tab.report.console_errors == [] and tab.report.failed_requests == []


# Records changes, made once the body exists, to the root element's classes and attributes
# and to the URLs in the head: each restyles the whole page. The theme override makes the
# changes Material's bundle would make at start-up before the body is parsed.
LATE_CHANGES_JS = """
window.__lateChanges = [];
new MutationObserver(records => records.forEach(r => {
  const value = r.target.getAttribute(r.attributeName);
  const root = r.target === document.documentElement;
  const url = ["href", "src"].includes(r.attributeName) && document.head.contains(r.target);
  if (document.body && (root || url) && value !== r.oldValue)
    window.__lateChanges.push(`${r.target.nodeName} ${r.attributeName}=${value}`);
})).observe(document, {subtree: true, attributes: true, attributeOldValue: true});
"""


def test_browser_start_up_leaves_root_and_head_as_the_override_set_them(tab, served):
    """Material's start-up leaves the root and the head alone; a palette switch marks itself.

    The root element's classes come from the theme override before the body is parsed, and
    so do the head's absolute URLs; no color-scheme meta element is added (see the
    theme hook); a palette switch sets a class on the root, which holds transitions
    back, for two frames, and gives the root the dark scheme.
    """
    tab.add_init_script(script=LATE_CHANGES_JS)
    tab.goto(served.url + SEARCH_TARGET, wait_until="networkidle")
    assert tab.evaluate("document.documentElement.className") == "js js-focus-visible"
    assert tab.evaluate("""() => [...document.head.querySelectorAll('[href], [src]')]
        .every(e => /^[a-z]+:/.test(e.getAttribute('href') || e.getAttribute('src')))""")
    assert tab.evaluate("window.__lateChanges") == []
    tab.click("label[for='__palette_1']")
    tab.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    tab.wait_for_function("!document.documentElement.classList.contains('gn-palette-switching')")
    assert tab.evaluate("window.__lateChanges") == [
        "HTML class=js js-focus-visible gn-palette-switching", "HTML class=js js-focus-visible"]
    # The dark scheme reaches the root (scrollbars, canvas) without a color-scheme meta element.
    assert tab.evaluate("getComputedStyle(document.documentElement).colorScheme") == "dark"
    assert tab.evaluate("document.querySelector('meta[name=color-scheme]')") is None
    assert tab.report.console_errors == []


# Material's code blocks that are shown (not in a closed tab or <details>).
SHOWN_BLOCKS = """[...document.querySelectorAll('.md-content pre:not(.mermaid) > code')]
    .filter(code => code.checkVisibility())"""
LAST_SHOWN_BLOCK = SHOWN_BLOCKS + ".at(-1)"
CODE_BLOCKS_JS = "() => " + SHOWN_BLOCKS + """
    .map(code => ({below: code.getBoundingClientRect().top > innerHeight,
                   wide: code.scrollWidth > code.offsetWidth,
                   tabindex: code.getAttribute('tabindex'),
                   copy: code.parentElement.querySelector('.md-code__button') !== null}))"""


def test_browser_code_blocks_mount_in_view_and_wide_ones_are_reachable_before(tab, served):
    """Material mounts a code block as it scrolls into view (content.lazy), copy button and
    all; until then gn-code-blocks.js gives a block that scrolls sideways its tabindex, so Tab
    reaches it (a pointer that hovers, as in this desktop tab: Material's own condition)."""
    tab.goto(served.url + "lessons/05_backprop/", wait_until="networkidle")
    tab.evaluate("() => new Promise(done => requestIdleCallback(done))")
    below = [block for block in tab.evaluate(CODE_BLOCKS_JS) if block["below"]]
    wide = [block for block in below if block["wide"]]
    assert len(wide) >= 2 and len(below) > len(wide), below  # both kinds, to check both
    assert not any(block["copy"] for block in below)  # not mounted yet
    assert [block["tabindex"] for block in wide] == ["0"] * len(wide)
    assert [block["tabindex"] for block in below if not block["wide"]] == [None] * (
        len(below) - len(wide))
    tab.evaluate(f"""() => {{ const last = {LAST_SHOWN_BLOCK};
        window.scrollTo(0, scrollY + last.getBoundingClientRect().top - innerHeight / 2); }}""")
    tab.wait_for_function(f"""() => {LAST_SHOWN_BLOCK}
        .parentElement.querySelector('.md-code__button') !== null""")
    last = tab.evaluate(CODE_BLOCKS_JS)[-1]  # mounted: Material now keeps its tabindex
    assert last["tabindex"] == ("0" if last["wide"] else None), last
    assert tab.report.console_errors == []


def test_browser_instant_navigation_keeps_math_and_widgets(tab, served, page_reports):
    """Click through the whole navigation without a reload; each page ends up as if loaded.

    Math, figures and interactive widgets must look the same (same elements in the
    content) after an instant navigation as after a full load, with no console error.
    """
    tab.goto(served.url, wait_until="networkidle")
    tab.evaluate("window.__notReloaded = true")
    targets = tab.evaluate("""() => [...new Set([...document.querySelectorAll(
        "nav.md-nav--primary a.md-nav__link[href]")].map(a => a.href.split("#")[0]))]""")
    targets = [t for t in targets if t.startswith(served.url) and t != tab.url]
    assert len(targets) > 5, targets
    problems = {}
    for target in targets:
        path = target[len(served.url):]
        problems[path] = _navigate(tab, target) + _compare(tab, page_reports.get(path))
    problems[""] = tab.report.console_errors + tab.report.failed_requests
    assert not any(problems.values()), failing(problems)


def _navigate(tab, target: str) -> list[str]:
    """Click the navigation link to ``target``; return what went wrong."""
    link = tab.locator("nav.md-nav--primary a.md-nav__link[href]")
    found = link.evaluate_all(
        "(links, target) => links.findIndex(a => a.href.split('#')[0] === target)", target)
    if found < 0:
        return [f"no navigation link to {target} on {tab.url}"]
    element = link.nth(found)
    if element.is_visible():
        element.click()
    else:  # inside a collapsed section: the click a reader makes after expanding it
        element.evaluate("a => a.click()")
    tab.wait_for_function("t => location.href.split('#')[0] === t", arg=target)
    return []


def _compare(tab, report) -> list[str]:
    """What differs between this instant-navigated page and its full load."""
    if report is None:
        return []
    tab.wait_for_function("t => document.title === t", arg=report.signature["title"])
    tab.wait_for_load_state("networkidle")
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    found = []
    if not tab.evaluate("window.__notReloaded === true"):
        found.append("the page reloaded instead of navigating instantly")
        tab.evaluate("window.__notReloaded = true")  # judge the next page on its own
    found += [f"raw TeX after navigation: …{t}…" for t in tab.evaluate(RAW_MATH_JS)]
    expected = report.signature["counts"]
    # Widgets finish drawing asynchronously (fetch, then decompress); give them up to 5 s.
    for _ in range(20):
        counts = tab.evaluate(SIGNATURE_JS)["counts"]
        diff = {k: (counts.get(k, 0), expected.get(k, 0)) for k in set(counts) | set(expected)
                if counts.get(k, 0) != expected.get(k, 0)}
        if not diff:
            break
        tab.wait_for_timeout(250)
    if diff:
        found.append(f"content differs from a full load (element: instant, full): {diff}")
    found += tab.report.console_errors + tab.report.failed_requests
    tab.report.console_errors, tab.report.failed_requests = [], []
    return found
