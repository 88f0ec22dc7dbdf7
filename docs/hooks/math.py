"""Build hook: render every formula with KaTeX at build time and serve KaTeX's CSS and fonts.

Markdown pages mark math with ``pymdownx.arithmatex`` (generic mode); lesson pages carry the
``$...$`` of their Markdown cells. Both become KaTeX HTML here, so no page loads math
JavaScript and nothing comes from a CDN. Rendered formulas are cached across builds.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
RENDERER = Path(__file__).with_name("katex_render.cjs")
CACHE_FILE = ROOT / ".cache" / "katex.json"

# arithmatex (generic) output: \( ... \) in spans and \[ ... \] in divs.
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL)
# Lesson pages: $$...$$ and $...$ inside rendered Markdown cells (never inside code).
NB_MARKDOWN = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)',
    re.DOTALL)
# Inline math may wrap onto the next line of the cell, as Markdown allows, but not across
# a blank line (a new paragraph).
NB_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)((?:[^$\n]|\n(?!\s*\n))+?)(?<!\s)\$",
                     re.DOTALL)
CODE = re.compile(r"(<code.*?</code>|<pre.*?</pre>)", re.DOTALL)
# A heading with math reaches the navigation, the table of contents and the header as plain
# text: ``\(...\)`` from arithmatex, ``$...$`` from a lesson. Those titles are rendered too.
TITLE = re.compile(r'(<(?:span|div) class="md-ellipsis">)(.*?)(</(?:span|div)>)', re.DOTALL)
TITLE_MATH = re.compile(r"\\\((.+?)\\\)|(?<![\\$])\$(?!\s)([^$]+?)(?<!\s)\$", re.DOTALL)

_cache: dict[str, str] = {}


def _katex_version() -> str:
    package = KATEX_DIST.parent / "package.json"
    if not package.exists():
        raise PluginError("KaTeX is not installed: run `npm ci` in the repository root "
                          "(`make serve` and `make build` do it for you)")
    return json.loads(package.read_text())["version"]


def _key(tex: str, display: bool) -> str:
    return hashlib.sha256(f"{_katex_version()}|{display}|{tex}".encode()).hexdigest()


def render_all(items: list[tuple[str, bool]]) -> list[str]:
    """Render ``(tex, display)`` pairs to HTML, calling Node once for all cache misses."""
    if not _cache and CACHE_FILE.exists():
        _cache.update(json.loads(CACHE_FILE.read_text()))
    missing = [(t, d) for t, d in dict.fromkeys(items) if _key(t, d) not in _cache]
    if missing:
        payload = json.dumps([{"tex": t, "display": d} for t, d in missing])
        proc = subprocess.run(["node", str(RENDERER)], input=payload, capture_output=True,
                              text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise PluginError(proc.stderr.strip() or "KaTeX renderer failed")
        for (t, d), out in zip(missing, json.loads(proc.stdout), strict=True):
            _cache[_key(t, d)] = out
    return [_cache[_key(t, d)] for t, d in items]


def _strip_delimiters(body: str) -> tuple[str, bool]:
    tex = html.unescape(body).strip()
    if tex.startswith("\\[") and tex.endswith("\\]"):
        return tex[2:-2].strip(), True
    if tex.startswith("\\(") and tex.endswith("\\)"):
        return tex[2:-2].strip(), False
    raise PluginError(f"unexpected arithmatex output: {body[:80]!r}")


def render_markdown_page(output: str) -> str:
    """Replace arithmatex spans and divs with KaTeX HTML."""
    matches = list(ARITHMATEX.finditer(output))
    if not matches:
        return output
    rendered = iter(render_all([_strip_delimiters(m["body"]) for m in matches]))
    return ARITHMATEX.sub(lambda m: next(rendered), output)


def _render_cell(cell_html: str) -> str:
    """Render the ``$`` math of one Markdown cell, leaving code spans alone."""
    parts = CODE.split(cell_html)
    for i in range(0, len(parts), 2):  # even indices are outside code
        found = list(NB_MATH.finditer(parts[i]))
        if not found:
            continue
        items = [(html.unescape(m[1] if m[1] is not None else m[2]).strip(), m[1] is not None)
                 for m in found]
        rendered = iter(render_all(items))
        parts[i] = NB_MATH.sub(lambda _m, it=rendered: next(it), parts[i])
    return "".join(parts)


def render_titles(output: str) -> str:
    """Render the math in navigation and table-of-contents titles."""
    def title(match: re.Match) -> str:
        found = list(TITLE_MATH.finditer(match[2]))
        if not found:
            return match[0]
        rendered = iter(render_all([(html.unescape(m[1] or m[2]).strip(), False)
                                    for m in found]))
        return match[1] + TITLE_MATH.sub(lambda _m: next(rendered), match[2]) + match[3]
    return TITLE.sub(title, output)


def render_lesson_page(output: str) -> str:
    """Render math in the Markdown cells of an executed lesson."""
    return NB_MARKDOWN.sub(lambda m: m[1] + _render_cell(m[2]) + m[3], output)


def on_files(files, config):
    """Serve KaTeX's stylesheet and its woff2 fonts from the site itself."""
    _katex_version()
    css = (KATEX_DIST / "katex.min.css").read_text()
    # Every browser that runs the site reads woff2; drop the woff and ttf fallbacks.
    css = re.sub(r",url\(fonts/[^)]+\.woff\) format\(\"woff\"\)", "", css)
    css = re.sub(r",url\(fonts/[^)]+\.ttf\) format\(\"truetype\"\)", "", css)
    files.append(File.generated(config, "assets/katex/katex.min.css", content=css))
    for font in sorted((KATEX_DIST / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"assets/katex/fonts/{font.name}",
                                    abs_src_path=str(font)))
    return files


# The two fonts that nearly every formula uses. KaTeX's stylesheet declares its fonts with
# font-display: block, so a paragraph with math stays unfinished until they arrive; asked
# for only once the stylesheet is parsed, they arrived last, and the paragraph's final
# paint (often the page's largest) and a small reflow came that much later.
PRELOADED_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")
FIRST_STYLESHEET = re.compile(r'^([ \t]*)<link rel="stylesheet"', re.MULTILINE)


def preload_fonts(output: str, page_url: str) -> str:
    """Ask for KaTeX's main fonts before the stylesheets, on pages that show math."""
    if 'class="katex' not in output:
        return output
    fonts = [get_relative_url(f"assets/katex/fonts/{font}", page_url) for font in PRELOADED_FONTS]
    links = [f'<link rel="preload" href="{font}" as="font" type="font/woff2" crossorigin>'
             for font in fonts]
    return FIRST_STYLESHEET.sub(lambda m: "".join(m[1] + link + "\n" for link in links) + m[0],
                                output, count=1)


def on_post_page(output, page, config):
    if page.file.src_uri.startswith("lessons/"):
        output = render_lesson_page(output)
    return preload_fonts(render_titles(render_markdown_page(output)), page.url)


def on_post_build(config):
    if _cache:
        CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
        CACHE_FILE.write_text(json.dumps(_cache, sort_keys=True))

