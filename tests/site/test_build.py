"""The strict build: every page, figure, lesson and asset the site needs is in it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _site import ROOT, nav_paths, page_html

FIGURE_REF = re.compile(r"\]\((?:\.\./)*figures/([A-Za-z0-9_]+)\.(svg|png)\)")


class _Refs(HTMLParser):
    """Collects the URLs a page loads (not the links a reader may follow)."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "icon",
                                                  "modulepreload"):
            self.loads.append(attrs.get("href", ""))
        if tag == "img":
            self.images.append(attrs)


def parse(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_build_every_nav_entry_exists(site, mkdocs_config):
    missing = [src for src in nav_paths(mkdocs_config["nav"])
               if not page_html(site, src).exists()]
    assert missing == []


def test_build_every_referenced_figure_exists_in_both_variants(site):
    pages = (ROOT / "docs").rglob("*.md")
    refs = {m[0] for md in pages for m in FIGURE_REF.findall(md.read_text())}
    assert refs, "no page references a figure"
    for name in refs:
        variants = [p for p in (site / "figures").glob(f"{name}*.*")
                    if p.stem in (name, f"{name}-dark") and p.suffix in (".svg", ".png")]
        assert len(variants) == 2, f"figure {name}: found {variants}"


def test_build_pages_load_nothing_from_outside_the_site(site):
    outside = {str(p.relative_to(site)): url for p in html_pages(site)
               for url in parse(p).loads if re.match(r"^(https?:)?//", url)}
    assert outside == {}


def test_build_images_have_alt_text(site):
    bare = [(str(p.relative_to(site)), img.get("src")) for p in html_pages(site)
            for img in parse(p).images if not (img.get("alt") or "").strip()]
    assert bare == []


def test_build_images_reserve_their_size(site):
    """Width and height on every image, so that nothing moves when it loads."""
    unsized = [(str(p.relative_to(site)), img.get("src")) for p in html_pages(site)
               for img in parse(p).images
               if not all((img.get(k) or "").isdigit() for k in ("width", "height"))]
    assert unsized == []


def test_build_pages_show_no_sphinx_roles(site):
    """Docstrings are Markdown: a Sphinx role such as :class:`Layer` would show as typed."""
    roles = re.compile(r":(?:class|mod|meth|func|attr|data|obj):`")
    shown = [str(p.relative_to(site)) for p in html_pages(site) if roles.search(p.read_text())]
    assert shown == []


def test_build_math_is_rendered_at_build_time(site):
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        assert 'class="arithmatex"' not in text, page
        assert "mathjax" not in text.lower(), page
    assert (site / "assets/katex/katex.min.css").exists()
    fonts = list((site / "assets/katex/fonts").glob("*.woff2"))
    assert len(fonts) >= 10
    css = (site / "assets/katex/katex.min.css").read_text()
    assert all((site / "assets/katex" / url).exists()
               for url in re.findall(r"url\((fonts/[^)]+)\)", css))


def test_build_activations_page_shows_rendered_math(site):
    text = (site / "foundations/activations/index.html").read_text(encoding="utf-8")
    assert 'class="katex-display"' in text
    # TeX may remain in the MathML annotation and in code (a docstring), nowhere else.
    assert "\\frac" not in re.sub(r"<annotation.*?</annotation>|<code.*?</code>", "", text,
                                   flags=re.S)


def test_build_search_index_lists_every_page(site, mkdocs_config):
    index = json.loads((site / "search/search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for src in nav_paths(mkdocs_config["nav"]):
        url = page_html(site, src).parent.relative_to(site).as_posix() + "/"
        assert (url if url != "./" else "") in locations, src


@pytest.mark.parametrize("lesson", sorted(p.stem for p in (ROOT / "lessons").glob("[0-9]*.py")))
def test_build_lesson_page_is_executed(site, lesson):
    page = site / "lessons" / lesson / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "jp-OutputArea-output" in text, "no executed output on the page"
    assert "Traceback" not in text
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in text
    notebook = json.loads((site / "lessons" / lesson / f"{lesson}.ipynb").read_text())
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert outputs, "the downloadable notebook carries no outputs"
    assert not any("--8<--" in "".join(c["source"]) for c in notebook["cells"])
    plots = list(page.parent.glob("plot-*.png"))
    assert plots and all(p.name in text for p in plots)
