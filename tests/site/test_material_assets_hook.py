"""The material-assets hook changes Material's palette stylesheet and bundle (and the bundle's
source map with it), and only where it means to, and checks that the bundle reads the
undocumented feature flag the site sets."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import material
import pytest
from _site import ROOT, load_mkdocs_config

_spec = importlib.util.spec_from_file_location("material_assets_hook",
                                               ROOT / "docs/hooks/material_assets.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)
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
    with pytest.raises(hook.PluginError, match=r"no rule for \[data-md-color-switching\]"):
        hook.drop_switching_rule("a{color:red}")


def test_built_palette_stylesheet_leaves_the_switch_to_the_sites_own_rule(site):
    palettes = list((site / "assets/stylesheets").glob("palette.*.min.css"))
    assert len(palettes) == 1
    palette = palettes[0].read_text(encoding="utf-8")
    assert "data-md-color-switching" not in palette
    assert "[data-md-color-scheme=slate]" in palette  # the rest of the palettes is kept
    bundle = (site / "assets/stylesheets/site.css").read_text(encoding="utf-8")
    assert re.search(r"\.gn-palette-switching \*[^{]*\{\s*transition-duration: 0s !important",
                     bundle)


def test_replace_padded_keeps_the_length_and_fails_when_the_text_is_not_there_once():
    assert hook.replace_padded("a;let o=f();b", "let o=f();", "o={};") == "a;o={};     b"
    for text in ("a;b", "let o=f();let o=f();"):
        with pytest.raises(hook.PluginError, match="expected 'let o=f\\(\\);' once"):
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


def test_check_lazy_flag_fails_only_when_the_flag_is_set_and_not_read():
    reads = 'code$=V("content.lazy")?lazy:now'
    assert hook.check_lazy_flag(reads, ["content.lazy"]) == reads
    assert hook.check_lazy_flag("now", ["content.code.copy"]) == "now"
    with pytest.raises(hook.PluginError, match="no longer reads it"):
        hook.check_lazy_flag("now", ["content.code.copy", "content.lazy"])


def test_site_sets_the_lazy_flag_its_bundle_reads(site):
    features = load_mkdocs_config()["theme"]["features"]
    (bundle,) = (site / "assets/javascripts").glob("bundle.*.min.js")
    assert "content.lazy" in features
    assert hook.LAZY_FLAG in bundle.read_text(encoding="utf-8")
