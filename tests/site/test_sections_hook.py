"""The sections hook wraps each top-level second-level section, and nothing else."""

from __future__ import annotations

import importlib.util

import pytest
from _site import ROOT

_spec = importlib.util.spec_from_file_location("sections_hook", ROOT / "docs/hooks/sections.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)


def test_wrap_sections_wraps_each_top_level_h2_up_to_the_next():
    html = ('<p>Intro</p>\n<h2 id="a">A</h2>\n<p>one<br>two</p>\n'
            '<h2 id="b">B</h2><div><p>three</p></div>')
    assert hook.wrap_sections(html) == (
        '<p>Intro</p>\n<section class="gn-section"><h2 id="a">A</h2>\n<p>one<br>two</p>\n'
        '</section><section class="gn-section"><h2 id="b">B</h2><div><p>three</p></div>'
        '</section>')


@pytest.mark.parametrize("html", [
    "<p>No headings at all</p>",
    '<div class="admonition"><h2>Inside a block</h2><p>text</p></div>',
    '<details><summary>S</summary><h2>Folded</h2></details><h3 id="c">C</h3>',
])
def test_wrap_sections_leaves_pages_without_a_top_level_h2_alone(html):
    assert hook.wrap_sections(html) == html


def test_wrap_sections_splits_only_at_top_level_headings():
    html = '<h2 id="a">A</h2><div><h2>nested</h2><img src="x.svg" alt=""></div><h2 id="b">B</h2>'
    wrapped = hook.wrap_sections(html)
    assert wrapped.count('<section class="gn-section">') == 2
    assert '<div><h2>nested</h2><img src="x.svg" alt=""></div></section>' in wrapped
