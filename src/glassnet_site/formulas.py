"""Formulas rendered with KaTeX at build time, so that no page loads math JavaScript.

Three kinds of source reach a page, and each is rendered where it is still structured, with
no pattern matching over HTML:

- Markdown pages mark math with ``pymdownx.arithmatex`` (generic mode). The Markdown
  extension here (``MathExtension``, listed in ``mkdocs.yml``) walks the element tree that
  arithmatex made and stores each formula's KaTeX HTML in Markdown's raw-HTML stash.
- Lesson pages carry the ``$...$`` and ``$$...$$`` of their Markdown cells as text.
  ``render_soup`` replaces them in the parsed page (``glassnet_site.lessons`` parses it
  anyway), outside code.
- A heading with math reaches the table of contents as the heading's plain text, with its
  TeX delimiters: ``render_title`` renders those titles.

KaTeX runs in Node (``docs/hooks/katex_render.cjs``), once per batch of formulas that the
cache in ``.cache/katex.json`` does not hold yet.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from markdown import Extension
from markdown.treeprocessors import Treeprocessor

ROOT = Path(__file__).resolve().parents[2]
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
RENDERER = ROOT / "docs" / "hooks" / "katex_render.cjs"
CACHE_FILE = ROOT / ".cache" / "katex.json"

# TeX in a lesson's text: $$display$$ and $inline$ (not \$, no space inside the dollars).
# Inline math may wrap onto the next line, as Markdown allows, but not across a blank line
# (a new paragraph).
DOLLARS = (r"\$\$(?P<dd>.+?)\$\$"
           r"|(?<![\\$])\$(?!\s)(?P<d>(?:[^$\n]|\n(?!\s*\n))+?)(?<!\s)\$")
LESSON_TEX = re.compile(DOLLARS, re.DOTALL)
# TeX in a title: a lesson's dollars, or arithmatex's \(inline\) from a Markdown heading.
TITLE_TEX = re.compile(DOLLARS + r"|\\\((?P<p>.+?)\\\)", re.DOTALL)


class KatexError(RuntimeError):
    """KaTeX is missing or cannot render a formula."""


_cache: dict[str, str] = {}


def katex_version() -> str:
    package = KATEX_DIST.parent / "package.json"
    if not package.exists():
        raise KatexError("KaTeX is not installed: run `npm ci` in the repository root "
                         "(`make serve` and `make build` do it for you)")
    return json.loads(package.read_text())["version"]


def _key(tex: str, display: bool, version: str) -> str:
    return hashlib.sha256(f"{version}|{display}|{tex}".encode()).hexdigest()


def render_all(items: list[tuple[str, bool]]) -> list[str]:
    """KaTeX HTML of each ``(tex, display)`` pair, calling Node once for all cache misses."""
    if not _cache and CACHE_FILE.exists():
        _cache.update(json.loads(CACHE_FILE.read_text()))
    version = katex_version()  # read once, not once a formula
    missing = [(t, d) for t, d in dict.fromkeys(items) if _key(t, d, version) not in _cache]
    if missing:
        payload = json.dumps([{"tex": t, "display": d} for t, d in missing])
        proc = subprocess.run(["node", str(RENDERER)], input=payload, capture_output=True,
                              text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise KatexError(proc.stderr.strip() or "KaTeX renderer failed")
        for (t, d), out in zip(missing, json.loads(proc.stdout), strict=True):
            _cache[_key(t, d, version)] = out
    return [_cache[_key(t, d, version)] for t, d in items]


def save_cache() -> None:
    """Write the formulas rendered so far for the next build."""
    if _cache:
        CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
        CACHE_FILE.write_text(json.dumps(_cache, sort_keys=True))


def _formulas(text: str, pattern: re.Pattern, unescape: bool
              ) -> Iterator[tuple[re.Match, str, bool]]:
    for match in pattern.finditer(text):
        tex = next(group for group in match.groups() if group is not None)
        yield match, (html.unescape(tex) if unescape else tex).strip(), match["dd"] is not None


def _render(text: str, pattern: re.Pattern, escape: bool) -> str:
    """``text`` with its formulas rendered. Plain text (``escape``) has the rest escaped;
    HTML text has the formulas unescaped instead."""
    found = list(_formulas(text, pattern, unescape=not escape))
    if not found:
        return html.escape(text, quote=False) if escape else text
    rendered = render_all([(tex, display) for _, tex, display in found])
    parts, start = [], 0
    for (match, _, _), out in zip(found, rendered, strict=True):
        before = text[start:match.start()]
        parts += [html.escape(before, quote=False) if escape else before, out]
        start = match.end()
    rest = text[start:]
    parts.append(html.escape(rest, quote=False) if escape else rest)
    return "".join(parts)


def render_title(title: str) -> str:
    """A table-of-contents title (the heading's text as HTML) with its math rendered."""
    return _render(title, TITLE_TEX, escape=False)


# Markdown pages ---------------------------------------------------------------------------

class _ArithmatexProcessor(Treeprocessor):
    """Replace each element arithmatex made with its formula's KaTeX HTML."""

    def run(self, root: etree.Element) -> None:
        found = []  # (parent, index, element, tex, display)
        for parent in root.iter():
            for index, child in enumerate(parent):
                if "arithmatex" in (child.get("class") or "").split():
                    tex, display = _strip_delimiters(child.text or "")
                    found.append((parent, index, child, tex, display))
        if not found:
            return
        rendered = render_all([(tex, display) for *_, tex, display in found])
        # Replace from the last so that earlier indices stay valid.
        for (parent, index, child, _, display), out in zip(reversed(found), reversed(rendered),
                                                           strict=True):
            if display:
                # Stored as a block (a div), the raw-HTML postprocessor swaps the paragraph
                # that holds its placeholder for it whole.
                placeholder = self.md.htmlStash.store(f'<div class="gn-math">{out}</div>')
                block = etree.Element("p")
                block.text = placeholder
                block.tail = child.tail
                parent[index] = block
            else:
                placeholder = self.md.htmlStash.store(out)
                before = parent[index - 1] if index else None
                text = placeholder + (child.tail or "")
                if before is None:
                    parent.text = (parent.text or "") + text
                else:
                    before.tail = (before.tail or "") + text
                parent.remove(child)


def _strip_delimiters(text: str) -> tuple[str, bool]:
    tex = html.unescape(text).strip()
    if tex.startswith("\\[") and tex.endswith("\\]"):
        return tex[2:-2].strip(), True
    if tex.startswith("\\(") and tex.endswith("\\)"):
        return tex[2:-2].strip(), False
    raise KatexError(f"unexpected arithmatex output: {text[:80]!r}")


class MathExtension(Extension):
    """Render arithmatex's formulas with KaTeX while the page is still an element tree.

    It runs after the table of contents (priority 5), which keeps a heading's TeX as text
    for ``render_title``.
    """

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_ArithmatexProcessor(md), "glassnet_katex", 4)


def makeExtension(**kwargs) -> MathExtension:  # noqa: N802 (Python-Markdown's name)
    return MathExtension(**kwargs)


# Lesson pages -----------------------------------------------------------------------------

SKIP = {"code", "pre", "script", "style", "kbd", "samp"}


def render_soup(soup: BeautifulSoup | Tag, cells: str = "jp-RenderedMarkdown") -> None:
    """Render the ``$`` math of every text node inside elements of class ``cells``, except
    inside code."""
    for cell in soup.find_all(class_=cells):
        for node in list(cell.find_all(string=True)):
            # Exactly NavigableString: comments and the like are its subclasses. The
            # notebook's Markdown renderer leaves TeX alone, so no formula spans two nodes.
            if type(node) is NavigableString \
                    and not any(parent.name in SKIP for parent in node.parents):
                _render_node(node)


def _render_node(node: NavigableString) -> None:
    text = str(node)
    if "$" not in text:
        return
    rendered = _render(text, LESSON_TEX, escape=True)
    if rendered != html.escape(text, quote=False):
        fragment = BeautifulSoup(rendered, "html.parser")
        node.replace_with(*fragment.contents)


# Assets -----------------------------------------------------------------------------------

def stylesheet() -> str:
    """KaTeX's stylesheet, asking for woff2 fonts only (every browser that runs the site
    reads woff2)."""
    katex_version()
    css = (KATEX_DIST / "katex.min.css").read_text()
    css = re.sub(r",url\(fonts/[^)]+\.woff\) format\(\"woff\"\)", "", css)
    return re.sub(r",url\(fonts/[^)]+\.ttf\) format\(\"truetype\"\)", "", css)


def fonts() -> list[Path]:
    """KaTeX's woff2 fonts, to be served from the site itself."""
    return sorted((KATEX_DIST / "fonts").glob("*.woff2"))
