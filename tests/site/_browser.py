"""Headless Chromium for the site tests: finding it, launching it, and inspecting one page.

The distribution's Chromium is driven through Playwright (``executable_path``): Playwright's
own browser download does not work everywhere. The flags keep Chromium from calling home,
and a host-resolver rule makes any request outside 127.0.0.1 fail instead of leaving the
machine, so a page that reaches for a CDN is caught without the test touching the network.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from _site import ROOT

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
QUIET_FLAGS = (
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-default-apps", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)
INSTALL_HINT = (
    "No Chromium found for the browser tests. Install the distribution's package "
    "(`apt-get install chromium` on Debian or Ubuntu; .ci/run does this when it can), or "
    "point CHROME_PATH at a Chromium or Chrome binary. To skip the browser tests on "
    "purpose, set GLASSNET_SKIP_BROWSER=1.")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 375
DESKTOP = {"width": 1280, "height": 900}
# The smallest control a fingertip hits reliably, in CSS px (WCAG 2.5.5, Apple's and
# Material's guidelines).
FINGERTIP = 44

_WIDTHS_JS = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
_SIZES_JS = {
    "box": "els => els.map(e => { const r = e.getBoundingClientRect(); "
           "return [r.width, r.height]; })",
    "offset": "els => els.map(e => [e.offsetWidth, e.offsetHeight])",
}


def assert_fits_phone(page, controls: str | None = None, count: int | None = None,
                      measure: str = "box") -> None:
    """The page, at the width it now has, does not scroll sideways; every element matching
    ``controls`` (``count`` of them, if given) is at least ``FINGERTIP`` px each way, as
    drawn (``measure="box"``) or as laid out before transforms (``"offset"``, whole px)."""
    scroll, client = page.evaluate(_WIDTHS_JS)
    assert scroll <= client, f"the page scrolls sideways: {scroll} px of content in {client} px"
    if controls is None:
        return
    sizes = page.eval_on_selector_all(controls, _SIZES_JS[measure])
    assert sizes, f"no control matches {controls!r}"
    if count is not None:
        assert len(sizes) == count, f"{len(sizes)} controls match {controls!r}, not {count}"
    small = [size for size in sizes if min(size) < FINGERTIP]
    assert not small, f"controls smaller than {FINGERTIP} px: {small}"


def find_chromium() -> str | None:
    """Path of the Chromium to drive: ``CHROME_PATH`` if set, else the first on ``PATH``."""
    if os.environ.get("CHROME_PATH"):
        return os.environ["CHROME_PATH"]
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def chromium_flags() -> list[str]:
    """Command-line flags: quiet, and without the sandbox when run as root (as in CI)."""
    return [*QUIET_FLAGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]


# ---------------------------------------------------------------------------------------
# What the page itself reports, evaluated in the browser.

# Text nodes that still carry TeX delimiters, outside code (where they are legitimate).
RAW_MATH_JS = r"""() => {
  const skip = "pre, code, kbd, samp, script, style, textarea, .katex, .md-search";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest(skip)) continue;
    const m = n.textContent.match(/.{0,30}(\$|\\\(|\\\[|\\begin).{0,30}/s);
    if (m) found.push(m[0].replace(/\s+/g, " "));
  }
  return found;
}"""

# Every image, with whether the current palette shows it and whether it loaded.
IMAGES_JS = """() => [...document.images].map(img => ({
  src: img.getAttribute("src"), alt: (img.getAttribute("alt") || "").trim(),
  shown: getComputedStyle(img).display !== "none",
  loaded: img.complete && img.naturalWidth > 0}))"""

# Lazy images load only when scrolled to; a reader who reads the page loads them all.
LOAD_SHOWN_IMAGES_JS = """async () => {
  const shown = [...document.images].filter(i => getComputedStyle(i).display !== "none");
  shown.forEach(i => { i.loading = "eager"; });
  await Promise.all(shown.map(i => i.complete ? null :
    new Promise(r => { i.addEventListener("load", r); i.addEventListener("error", r); })));
  await document.fonts.ready;
}"""

# Elements sticking out to the right of a phone-wide viewport, outside a box that scrolls or
# clips them (a code block, a table, display math). The off-canvas drawers are not content.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const contains = el => getComputedStyle(el).overflowX !== "visible";
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].slice(0, 2).map(c => "." + c).join("");
  const bad = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".md-sidebar, .md-search")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    let contained = false;
    for (let p = el.parentElement; p && p !== document.body && !contained; p = p.parentElement)
      contained = contains(p) && p.getBoundingClientRect().right <= width + 1;
    if (!contained) bad.push(el);
  }
  const outermost = bad.filter(el => !bad.some(o => o !== el && o.contains(el)));
  return outermost.slice(0, 5).map(el =>
    `${name(el)} ends at ${Math.round(el.getBoundingClientRect().right)} px ` +
    `("${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40)}")`);
}"""

# A structural fingerprint of the content: how many of each element it holds after scripts
# ran. Instant navigation must produce the same as a full load (math, widgets, buttons).
SIGNATURE_JS = """() => {
  const counts = {};
  for (const el of document.querySelectorAll(".md-content *")) {
    const key = el.tagName.toLowerCase();
    counts[key] = (counts[key] || 0) + 1;
  }
  return {title: document.title, counts};
}"""

AXE_JS = """async ([tags, rules, scope]) => {
  const options = rules ? {runOnly: {type: "rule", values: rules}}
                        : {runOnly: {type: "tag", values: tags}};
  const context = scope === "document" ? document : {include: [[scope]]};
  const result = await axe.run(context, {...options, resultTypes: ["violations"]});
  return result.violations.map(v =>
    `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" "))
      .join("; ")}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`);
}"""

DARK_TOGGLE = "label[for='__palette_1']"


@dataclass
class PageReport:
    """What one first view of a page showed (light palette, desktop, then phone, then dark)."""

    path: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    raw_math: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    dark_scheme: str = ""
    dark_images: list[dict] = field(default_factory=list)
    dark_axe: list[str] = field(default_factory=list)
    transferred: int = 0
    signature: dict = field(default_factory=dict)


def new_context(browser, server, **options):
    """A fresh profile (cache, storage) reading the site through ``server``, light, desktop."""
    return browser.new_context(proxy={"server": server.proxy}, viewport=DESKTOP,
                               color_scheme="light", reduced_motion="reduce", **options)


class Inspector:
    """One tab that opens pages as a first visit (HTTP cache off) and records what it sees.

    Reusing one tab with the cache disabled is as strict as a fresh profile per page, and
    several times faster. Events are recorded into the report of the page being inspected.
    """

    def __init__(self, browser, server):
        self.server = server
        self.axe_source = AXE.read_text()
        self.context = new_context(browser, server)
        self.page = self.context.new_page()
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.report = PageReport("")
        watch(self.page, server.origin, lambda: self.report)

    def inspect(self, path: str) -> PageReport:
        """Open ``path`` and record everything the tests check about it."""
        self.report = report = PageReport(path)
        page, before = self.page, self.server.bytes_sent
        page.goto(self.server.url + path, wait_until="load")
        page.evaluate(LOAD_SHOWN_IMAGES_JS)
        page.wait_for_load_state("networkidle")  # scripts, data and fonts fetched after the load
        report.transferred = self.server.bytes_sent - before
        report.signature = page.evaluate(SIGNATURE_JS)  # after the page's scripts settled
        report.raw_math = page.evaluate(RAW_MATH_JS)
        report.images = page.evaluate(IMAGES_JS)
        page.add_script_tag(content=self.axe_source)
        report.axe = page.evaluate(AXE_JS, [WCAG_TAGS, None, "document"])
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        report.overflow = page.evaluate(OVERFLOW_JS)
        page.set_viewport_size(DESKTOP)
        self._switch_to_dark(report)
        page.evaluate("localStorage.clear(); sessionStorage.clear()")  # next page: light
        return report

    def _switch_to_dark(self, report: PageReport) -> None:
        """Click the palette toggle; record which images show and the contrast in the dark."""
        self.page.click(DARK_TOGGLE)
        report.dark_scheme = self.page.evaluate(
            "document.body.getAttribute('data-md-color-scheme')")
        self.page.evaluate(LOAD_SHOWN_IMAGES_JS)
        report.dark_images = self.page.evaluate(IMAGES_JS)
        # The header, navigation and footer are the same on every page: their dark contrast
        # is checked on the home page, and only the content elsewhere (a third of the time).
        scope = "document" if report.path == "" else ".md-content"
        report.dark_axe = self.page.evaluate(AXE_JS, [None, ["color-contrast"], scope])

    def close(self) -> None:
        self.context.close()


def watch(page, origin: str, current) -> None:
    """Record console errors, failed requests and requests leaving ``origin``.

    ``current()`` returns the report to record into (the page being inspected).
    """
    def on_console(msg):
        if msg.type == "error":
            current().console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    def on_response(response):
        if response.status >= 400:
            current().failed_requests.append(f"{response.status} {response.url}")

    def on_request(request):
        current().requests.append(request.url)
        if not request.url.startswith((origin, "data:", "blob:")):
            current().outside_requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: current().console_errors.append(f"uncaught: {exc}"))
    page.on("requestfailed", lambda r: current().failed_requests.append(
        f"{r.failure} {r.url}"))
    page.on("response", on_response)
    page.on("request", on_request)


def site_pages(site: Path) -> list[str]:
    """URL paths (relative to the site root) of every HTML page of a built site."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return paths


# Explorers fetch their data only as they come near the screen, as a reader scrolls to them,
# and build their controls once it has loaded.
_SCROLL_JS = """async selector => {
  for (const root of document.querySelectorAll(selector)) {
    root.scrollIntoView();
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  window.scrollTo(0, 0);
}"""
_READY_JS = """selector => [...document.querySelectorAll(selector)]
  .every(root => root.querySelector("select, input, button"))"""


def wait_for_interactive(page, selector: str) -> None:
    """Scroll to every interactive figure matching selector, then wait for its controls."""
    page.evaluate(_SCROLL_JS, selector)
    # Each explorer fetches and draws its data once near the screen; on a loaded machine a
    # page with several of them can take longer than Playwright's default 30 s.
    page.wait_for_function(_READY_JS, arg=selector, timeout=90_000)
