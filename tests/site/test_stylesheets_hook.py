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
