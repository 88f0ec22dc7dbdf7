"""Every internal link, anchor and asset reference in the built site resolves.

The strict build checks links written in Markdown; this checks the HTML that comes out,
including the lesson pages, the navigation and what the theme and hooks add.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

EXTERNAL = ("http:", "https:", "mailto:", "javascript:", "data:", "tel:", "//")


class _Page(HTMLParser):
    """The ids a page defines and the URLs it links to or loads."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.update(v for k, v in attrs.items() if k == "id" or (tag == "a" and k == "name"))
        if tag in ("a", "link") and attrs.get("href"):
            if attrs.get("rel") not in ("canonical", "alternate"):  # the deployed address
                self.refs.append(attrs["href"])
        if tag in ("img", "script", "source") and attrs.get("src"):
            self.refs.append(attrs["src"])


def parse_site(site: Path) -> dict[str, _Page]:
    pages = {}
    for html in sorted(site.rglob("*.html")):
        page = _Page()
        page.feed(html.read_text(encoding="utf-8"))
        pages[html.relative_to(site).as_posix()] = page
    return pages


def resolve(site: Path, page: str, ref: str, prefix: str) -> tuple[str | None, str]:
    """The site file (relative path) ``ref`` on ``page`` points at, and its fragment."""
    url = urlsplit(ref)
    if url.path.startswith("/"):
        if not url.path.startswith(prefix):
            return None, url.fragment
        target = url.path[len(prefix):]
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(url.path)))
    target = "" if target == "." else target
    if target == "" or ref.split("#")[0].split("?")[0].endswith("/") or (site / target).is_dir():
        target = posixpath.join(target, "index.html")
    return target.lstrip("/"), unquote(url.fragment)


def broken_refs(site: Path, prefix: str) -> dict[str, list[str]]:
    pages, broken = parse_site(site), {}
    for name, page in pages.items():
        for ref in page.refs:
            if ref.startswith(EXTERNAL):
                continue
            if ref.startswith("#"):
                target, fragment = name, unquote(ref[1:])
            else:
                target, fragment = resolve(site, name, ref, prefix)
            if target is None or not (site / target).is_file():
                broken.setdefault(name, []).append(f"{ref}: no such file")
            elif fragment and target in pages and fragment not in pages[target].ids:
                broken.setdefault(name, []).append(f"{ref}: no id {fragment!r} in {target}")
    return broken


@pytest.fixture(scope="module")
def prefix(mkdocs_config) -> str:
    path = urlsplit(mkdocs_config.get("site_url") or "/").path
    return path if path.endswith("/") else path + "/"


def test_links_checker_reports_missing_pages_and_anchors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h1 id="top">x</h1><a href="a/">ok</a><a href="a/#here">ok</a><a href="#top">ok</a>'
        '<a href="b/">gone</a><a href="a/#nowhere">gone</a><a href="/site/a/">ok</a>'
        '<img src="missing.png"><a href="https://example.org/">outside</a>')
    (tmp_path / "a" / "index.html").write_text('<p id="here">y</p>')
    broken = broken_refs(tmp_path, "/site/")
    assert [b.split(":")[0] for b in broken["index.html"]] == ["b/", "a/#nowhere", "missing.png"]


def test_links_every_internal_link_and_anchor_resolves(site, prefix):
    broken = broken_refs(site, prefix)
    assert broken == {}, "\n".join(f"{page}: {refs}" for page, refs in broken.items())
