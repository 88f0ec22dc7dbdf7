"""The built site in headless Chromium: every page, as a reader on a desk or a phone sees it.

Each page is opened once as a first visit (see ``page_reports``); the tests below each check
one property on every page and report every page that fails, with the reason.
"""

from __future__ import annotations

import pytest
from _browser import RAW_MATH_JS, SIGNATURE_JS, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE_BUDGET = 600 * 1024  # bytes transferred on a first view, compressed, everything included


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
