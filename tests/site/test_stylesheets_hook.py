"""The stylesheets hook links one file of the site's own CSS, with its URLs rebased."""

from __future__ import annotations

import importlib.util
import re

import pytest
from _site import ROOT

_spec = importlib.util.spec_from_file_location("stylesheets_hook",
                                               ROOT / "docs/hooks/stylesheets.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)


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
    bundle = (site / hook.BUNDLE).read_text(encoding="utf-8")
    for source in ("assets/_mkdocstrings.css", "assets/katex/katex.min.css",
                   "assets/stylesheets/glassnet.css", "assets/stylesheets/interactive.css"):
        assert f"/* {source} */" in bundle
    fonts = re.findall(r"url\(([^)'\"]+\.woff2)\)", bundle)
    assert fonts and all((site / "assets/stylesheets" / font).resolve().is_file()
                         for font in fonts)


def test_drop_switching_rule_drops_only_the_rules_for_the_attribute():
    css = ("a{color:red}[data-md-color-switching] *,[data-md-color-switching] :after"
           "{transition-duration:0s!important}@media screen{b{color:blue}}")
    assert hook.drop_switching_rule(css) == "a{color:red}@media screen{b{color:blue}}"


def test_drop_switching_rule_fails_when_the_theme_no_longer_has_it():
    with pytest.raises(hook.PluginError, match=r"no rule for \[data-md-color-switching\]"):
        hook.drop_switching_rule("a{color:red}")


def test_built_palette_stylesheet_leaves_the_switch_to_the_sites_own_rule(site):
    palettes = list((site / "assets/stylesheets").glob("palette.*.min.css"))
    assert len(palettes) == 1
    palette = palettes[0].read_text(encoding="utf-8")
    assert "data-md-color-switching" not in palette
    assert "[data-md-color-scheme=slate]" in palette  # the rest of the palettes is kept
    bundle = (site / hook.BUNDLE).read_text(encoding="utf-8")
    assert re.search(r"\.gn-palette-switching \*[^{]*\{\s*transition-duration: 0s !important",
                     bundle)
