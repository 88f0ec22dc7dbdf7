"""glassnet_site.theme and docs/overrides: the site's changes to Material, each where it
means to and no further.

The palette stylesheet and bundle as the theme module writes them (and the bundle's source
map with it), the version check, and in Chromium: the search index held back until search is
used, and a start-up that leaves the root element and the head as the override set them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import pytest
from _site import ROOT

from glassnet_site import theme as hook

THEME = Path(material.__file__).parent / "templates"


def theme_and_built(site: Path, pattern: str) -> tuple[str, str]:
    """The text of the theme's file matching ``pattern``, and of the site's copy of it."""
    (source,) = THEME.glob(pattern)
    return (source.read_text(encoding="utf-8"),
            (site / source.relative_to(THEME)).read_text(encoding="utf-8"))


def test_drop_switching_rule_drops_only_the_rules_for_the_attribute():
    css = ("a{color:red}[data-md-color-switching] *,[data-md-color-switching] :after"
           "{transition-duration:0s!important}@media screen{b{color:blue}}")
    assert hook.drop_switching_rule(css) == "a{color:red}@media screen{b{color:blue}}"


def test_drop_switching_rule_fails_when_the_theme_no_longer_has_it():
    with pytest.raises(hook.ThemeError, match=r"no rule for \[data-md-color-switching\]"):
        hook.drop_switching_rule("a{color:red}")


def test_built_palette_stylesheet_leaves_the_switch_to_the_sites_own_rule(site):
    palettes = list((site / "assets/stylesheets").glob("palette.*.min.css"))
    assert len(palettes) == 1
    palette = palettes[0].read_text(encoding="utf-8")
    assert "data-md-color-switching" not in palette
    assert "[data-md-color-scheme=slate]" in palette  # the rest of the palettes is kept
    assert palette.endswith(hook.PALETTE_RULES)
    assert re.search(r"\.gn-palette-switching \*[^{]*\{transition-duration:0s!important",
                     palette)


def test_replace_padded_keeps_the_length_and_fails_when_the_text_is_not_there_once():
    assert hook.replace_padded("a;let o=f();b", "let o=f();", "o={};") == "a;o={};     b"
    for text in ("a;b", "let o=f();let o=f();"):
        with pytest.raises(hook.ThemeError, match="expected 'let o=f\\(\\);' once"):
            hook.replace_padded(text, "let o=f();", "o={};")


def test_built_bundle_adds_no_color_scheme_meta_and_keeps_its_lines_below_the_hint(site):
    original, js = theme_and_built(site, hook.BUNDLE)
    assert hook.COLOR_SCHEME_META[0] in original and hook.COLOR_SCHEME_META[0] not in js
    assert 'name:"color-scheme"' not in js
    assert js.startswith(hook.COMPILE_HINT)
    js = js.removeprefix(hook.COMPILE_HINT)
    assert len(js) == len(original) and js.count("\n") == original.count("\n")


def test_shift_source_map_moves_every_mapping_one_line_down():
    shifted = json.loads(hook.shift_source_map('{"version":3,"mappings":"AAAA;CAAC","names":[]}'))
    assert shifted == {"version": 3, "mappings": ";AAAA;CAAC", "names": []}


def test_built_bundle_source_map_has_the_line_the_compile_hint_adds(site):
    original, built = map(json.loads, theme_and_built(site, hook.BUNDLE + ".map"))
    assert built["mappings"] == ";" + original["mappings"]
    assert {**built, "mappings": original["mappings"]} == original


@pytest.mark.parametrize(("css", "expected"), [
    ("a{src:url(fonts/K.woff2)}", "a{src:url(../katex/fonts/K.woff2)}"),
    ("a{src:url('fonts/K.woff2')}", "a{src:url('../katex/fonts/K.woff2')}"),
    ('a{b:url("../img/x.png")}', 'a{b:url("../img/x.png")}'),
])
def test_rebase_urls_points_relative_urls_at_the_same_files(css, expected):
    assert hook.rebase_urls(css, "assets/katex/katex.min.css",
                            "assets/stylesheets/site.css") == expected


@pytest.mark.parametrize("url", ["'data:image/svg+xml;utf8,<svg/>'", "https://a.b/c.png",
                                 "/abs/x.png", "#mask"])
def test_rebase_urls_leaves_absolute_and_data_urls_alone(url):
    css = f"a{{b:url({url})}}"
    assert hook.rebase_urls(css, "assets/katex/katex.min.css", "assets/x/y.css") == css


def test_built_pages_link_materials_stylesheets_and_one_of_the_site(site):
    html = (site / "foundations" / "losses" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert [link.rsplit("/", 1)[1].split(".")[0] for link in links] == ["main", "palette",
                                                                        "site"]
    bundle = (site / hook.STYLESHEET_BUNDLE).read_text(encoding="utf-8")
    for source in ("assets/_mkdocstrings.css", "assets/katex/katex.min.css",
                   "assets/stylesheets/glassnet.css", "assets/stylesheets/interactive.css"):
        assert f"/* {source} */" in bundle
    fonts = re.findall(r"url\(([^)'\"]+\.woff2)\)", bundle)
    assert fonts and all((site / "assets/stylesheets" / font).resolve().is_file()
                         for font in fonts)


def test_check_material_accepts_the_checked_version_and_its_templates():
    hook.check_material(THEME)  # the installed theme is the one the changes were made for


def test_check_material_fails_on_another_version_or_a_changed_template(tmp_path):
    with pytest.raises(hook.ThemeError, match="checked against 9"):
        hook.check_material(THEME, version="9.9.0")
    for name in hook.TEMPLATE_DIGESTS:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((THEME / name).read_bytes())
    (tmp_path / "partials/search.html").write_text("<div>changed</div>")
    with pytest.raises(hook.ThemeError, match="partials/search.html is not the one"):
        hook.check_material(tmp_path)


def test_pyproject_bounds_material_to_the_checked_version():
    text = (ROOT / "pyproject.toml").read_text()
    assert f'"mkdocs-material=={hook.MATERIAL_VERSION}"' in text


# --- In the browser ------------------------------------------------------------------

def in_browser(test):
    """Marks a test that opens the built site in Chromium (slow, like test_browser.py's)."""
    return pytest.mark.browser(pytest.mark.slow(test))


# What a reader types, the page they want, and how far down the results it may be (lessons
# and other pages that teach the same word rank close to it).
SEARCH_TERM, SEARCH_TARGET, SEARCH_TOP = "backpropagation", "foundations/backpropagation/", 3


@in_browser
def test_browser_first_view_leaves_the_search_index_until_search_is_used(page_reports):
    fetched = [path for path, report in page_reports.items()
               if any(u.endswith("search_index.json") for u in report.requests)]
    assert fetched == []


@in_browser
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


@in_browser
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
