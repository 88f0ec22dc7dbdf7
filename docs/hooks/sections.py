"""Build hook: wrap each second-level section of a Markdown page in ``<section>``.

The pages are long and dense: a page of equations is several thousand elements of KaTeX
HTML. The stylesheet gives each section ``content-visibility: auto``, so the browser styles,
lays out and paints only the sections near the screen. Material restyles the whole document
several times while its bundle starts, and on a phone that work was most of the time a page
kept the main thread busy. Lesson pages get the same treatment per notebook cell, in CSS
alone (``.jp-Cell``).

A section runs from a top-level ``<h2>`` to the next one; the introduction before the first
``<h2>`` stays outside, since it is what the reader sees first.
"""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _TopLevelHeadings(HTMLParser):
    """Collects the offsets of ``<h2>`` start tags that sit at the top level of a fragment."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.depth, self.offsets = 0, []
        self._line_starts = [0]
        for line in text.splitlines(keepends=True):
            self._line_starts.append(self._line_starts[-1] + len(line))
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "h2" and self.depth == 0:
            line, column = self.getpos()
            self.offsets.append(self._line_starts[line - 1] + column)
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        pass  # <tag/>: opens and closes at once

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.depth = max(0, self.depth - 1)


def wrap_sections(html: str) -> str:
    """``html`` with each run from a top-level ``<h2>`` to the next in ``<section>``."""
    offsets = _TopLevelHeadings(html).offsets
    if not offsets:
        return html
    bounds = [*offsets, len(html)]
    parts = [html[:offsets[0]]]
    for start, end in itertools.pairwise(bounds):
        parts.append(f'<section class="gn-section">{html[start:end]}</section>')
    return "".join(parts)


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return html
    return wrap_sections(html)
