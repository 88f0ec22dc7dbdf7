"""Figures and facts on the site's pages: the cached listing, and the Markdown they become.

``listing`` returns every registered figure (its manifest row, with the cache directory
holding its files) and every fact. The work happens in ``python -m glassnet_site.figures``,
run in a subprocess (under ``mkdocs serve`` nothing imported is reloaded, so the figure code
must run in a fresh process to be the code as edited), which
caches each figure and fact on its own inputs (``glassnet_site.cache.key``); an index named
by the hash of ``src/`` lists them, so a build that finds the library as the last one left it
starts no process at all, and one whose edit touched no figure's inputs reuses an earlier
listing (``rebuild.figure_inputs``).

``FigurePages`` rewrites a page's Markdown with that listing:

* ``![alt](figures/NAME.svg)``, at any depth, becomes the light and dark variants (Material's
  ``#only-light`` / ``#only-dark``) with their pixel size. A figure drawn in a narrow layout
  too becomes, in each palette, a ``<picture>`` whose source gives phones the narrow file, so
  a phone never downloads the wide one.
* ``[[fact:NAME]]`` becomes the value the same run computed, so no page types a number the
  library did not produce.
* ``[[figure-index]]`` becomes a table of every registered figure: its title, the function
  that draws it and the pages that show it (found in the pages' Markdown sources).

A reference to a figure or fact that is not registered raises ``FigureError``, which the
build hook (``docs/hooks/figures.py``) reports as a failed build.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from glassnet_site import cache, rebuild
from glassnet_site.threads import single_threaded_env

FIGURES_CACHE = cache.CACHE / "figures"
KEEP = {"figure": 4, "fact": 4, "index": 8, "inputs": 8}  # entries kept of each part

FACT_REF = re.compile(r"\[\[fact:(?P<name>[A-Za-z0-9_]+)\]\]")
FIGURE_REF = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?:\.\./)*figures/(?P<name>[A-Za-z0-9_]+)\.(?P<ext>svg|png)\)"
    r"(?P<attrs>\{[^}]*\})?")
# Looser than FIGURE_REF: alt text may still hold [[fact:...]] markers when sources are scanned.
FIGURE_USE = re.compile(r"\]\((?:\.\./)*figures/(?P<name>[A-Za-z0-9_]+)\.(?:svg|png)\)")
FIGURE_INDEX = "[[figure-index]]"

# Below this viewport width, figures drawn in a narrow layout (360 CSS px) show it instead of
# the wide one: phones held upright, up to the largest (430 px) with room to spare.
NARROW_MEDIA = "(max-width: 480px)"

# Inside a list, a line that starts with a number, a full stop and a space starts a new
# numbered item (Python-Markdown's rule; in a paragraph, or with "1)", it starts none).
LIST_START = re.compile(r"[ \t]*\d+\. ")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+\.)[ \t]")


class FigureError(Exception):
    """A page refers to a figure or fact wrongly, or rendering the figures failed."""


# --- the listing -----------------------------------------------------------------------------

def listing() -> dict:
    """Every figure's manifest row (with the directory holding its files) and every fact,
    rendering or computing only those whose inputs changed."""
    library = rebuild.unchanged("library", cache.library_hash)[:16]
    index = FIGURES_CACHE / "index" / f"index-{library}.json"
    inputs = FIGURES_CACHE / "inputs" / f"inputs-{library}.json"
    found = _complete(index)
    if found is not None:
        if not inputs.exists():  # what the listing was made from, for the reuse below
            _write_json(inputs, rebuild.unchanged("figure-inputs", rebuild.figure_inputs))
        return found
    # An edit to a module no figure or fact depends on: an earlier listing made from the
    # same figure inputs is this one too (rebuild.figure_inputs), and no process is started.
    current = rebuild.unchanged("figure-inputs", rebuild.figure_inputs)
    found = _reused(current)
    if found is not None:
        _write_json(index, found)
        _write_json(inputs, current)
        return found
    start = time.perf_counter()
    # One run renders what is missing, computes the missing facts and writes the index, so
    # the figures and facts always describe the same registry.
    proc = subprocess.run([sys.executable, "-m", "glassnet_site.figures",
                           "--cache", str(FIGURES_CACHE), "--index", str(index)],
                          capture_output=True, text=True, cwd=cache.ROOT,
                          env=single_threaded_env())
    if proc.returncode != 0:
        raise FigureError(f"rendering the figures failed:\n{proc.stderr}")
    _write_json(inputs, current)
    for part, keep in KEEP.items():
        cache.evict_stale(FIGURES_CACHE / part, keep)
    summary = proc.stderr.strip().splitlines()[-1]
    print(f"INFO    -  Figures: {summary} in {time.perf_counter() - start:.1f} s")
    return json.loads(index.read_text())


def files(found: dict) -> Iterator[tuple[str, Path]]:
    """The site path (``figures/NAME.svg``, ...) and cached file of every figure's files."""
    for entry in found["figures"]:
        for path in sorted((FIGURES_CACHE / entry["dir"]).iterdir()):
            if path.suffix in (".svg", ".png", ".csv"):
                yield f"figures/{path.name}", path


def _complete(index: Path) -> dict | None:
    """The index's content if it exists and every figure it lists is still cached."""
    if not index.exists():
        return None
    found = json.loads(index.read_text())
    if not all((FIGURES_CACHE / entry["dir"] / "entry.json").exists()
               for entry in found["figures"]):
        return None
    return found


def _reused(current: dict) -> dict | None:
    """The complete listing of an earlier index whose figure inputs were ``current``."""
    directory = FIGURES_CACHE / "inputs"
    if not directory.is_dir():
        return None
    for path in sorted(directory.glob("inputs-*.json"), key=lambda p: -p.stat().st_mtime):
        try:
            if json.loads(path.read_text()) != current:
                continue
        except (OSError, ValueError):
            continue
        index = FIGURES_CACHE / "index" / f"index-{path.stem.removeprefix('inputs-')}.json"
        found = _complete(index)
        if found is not None:
            cache.touch(index)
            cache.touch(path)
            return found
    return None


def _write_json(path: Path, data: dict) -> None:
    cache.write_atomic(path, json.dumps(data, indent=1))


# --- the pages -------------------------------------------------------------------------------

@dataclass
class FigurePages:
    """Rewrites pages' Markdown with a ``listing()``; ``shown_on`` maps each figure's name to
    the (source path, title) of the pages that show it, for the figure index."""

    figures: dict[str, dict]
    facts: dict[str, str]
    shown_on: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_listing(cls, found: dict, sources: Iterable[tuple[str, str]] = ()) -> FigurePages:
        """``sources``: the (path, Markdown text) of every page, to find where figures show."""
        return cls({entry["name"]: entry for entry in found["figures"]}, found["facts"],
                   pages_showing_figures(sources))

    def rewrite(self, markdown: str, src_uri: str, url: str) -> str:
        """``markdown`` of the page at ``src_uri`` (its source path) and ``url`` (its URL,
        relative to the site) with its figures, facts and figure index filled in."""
        if FIGURE_INDEX in markdown:
            markdown = markdown.replace(FIGURE_INDEX, self.figure_index(src_uri))
        markdown = FACT_REF.sub(lambda m: self._fact(m, src_uri), markdown)
        return FIGURE_REF.sub(lambda m: self._figure(m, src_uri, url), markdown)

    def _figure(self, match: re.Match, src_uri: str, url: str) -> str:
        name, ext = match["name"], match["ext"]
        figure = self.figures.get(name)
        if figure is None:
            known = ", ".join(self.figures)
            raise FigureError(f"{src_uri} references figure '{name}', which is not "
                              f"registered in glassnet_site.figures (known: {known})")
        if figure["fmt"] != ext:
            raise FigureError(f"{src_uri} references figures/{name}.{ext}, but figure "
                              f"'{name}' is rendered as .{figure['fmt']}")
        if match["attrs"]:
            raise FigureError(f"{src_uri}: figure '{name}' has attributes {match['attrs']}; "
                              "the build sets a figure's attributes itself")
        prefix = "../" * src_uri.count("/")
        # Raw HTML is not rewritten by MkDocs as Markdown links are: its URLs are relative to
        # the page's URL (architectures/cnn/ with directory URLs), not to its source file.
        html_base = "../" * url.count("/") + "figures/"
        pictures = "".join(picture(figure, html_base, match["alt"], palette)
                           for palette in ("light", "dark"))
        if figure.get("enlarge"):
            pictures += "\n" + enlarge_link(figure, html_base)
        if figure.get("data"):
            pictures += (f"\n[Data behind this figure (CSV)]({prefix}figures/{name}.csv)"
                         "{ .gn-figure-data download }")
        return pictures

    def _fact(self, match: re.Match, src_uri: str) -> str:
        try:
            value = self.facts[match["name"]]
        except KeyError:
            raise FigureError(f"{src_uri} quotes fact '{match['name']}', which is not "
                              "registered in glassnet_site.figures") from None
        if starts_numbered_item(match, value):
            raise FigureError(
                f"{src_uri}: fact '{match['name']}' ({value}) starts a line of a list item "
                "and is followed by '. ', which Markdown reads as a new numbered item; "
                "reflow the paragraph so the fact is not first on its line")
        return value

    def figure_index(self, src_uri: str) -> str:
        """The figure index as a Markdown table, with links relative to the page."""
        prefix = "../" * src_uri.count("/")
        rows = ["| figure | what it shows | drawn by | shown on |", "|---|---|---|---|"]
        for name, figure in self.figures.items():
            pages = ", ".join(f"[{title}]({prefix}{uri})"
                              for uri, title in self.shown_on.get(name, []))
            title = figure["title"].replace("|", "\\|")
            rows.append(f"| `{name}` | {title} | `{figure['function']}` | {pages or 'none'} |")
        return "\n".join(rows)


def starts_numbered_item(match: re.Match, value: str) -> bool:
    """Whether ``value``, put in place of the fact marker ``match``, would start a new
    numbered item: the marker is first on a continuation line of a list item and the value
    with what follows reads as ``12. ``."""
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    blank = text.rfind("\n\n", 0, match.start())
    block_start = blank + 2 if blank >= 0 else 0
    return bool(not text[line_start:match.start()].strip() and line_start > block_start
                and LIST_ITEM.match(text, block_start)
                and LIST_START.match(value + text[match.end():match.end() + 2]))


def pages_showing_figures(sources: Iterable[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """For every figure name, the (path, title) of each Markdown page that shows it."""
    shown_on: dict[str, list[tuple[str, str]]] = {}
    for src_uri, text in sources:
        title = re.search(r"^# (.+)$", text, flags=re.MULTILINE)
        for name in dict.fromkeys(m["name"] for m in FIGURE_USE.finditer(text)):
            shown_on.setdefault(name, []).append(
                (src_uri, title[1].strip() if title else src_uri))
    return shown_on


def enlarge_link(figure: dict, base: str) -> str:
    """The link from a dense figure to its full-size (wide, light) file, to open and zoom.

    Its visible text is "Full-size figure"; its accessible name, which starts with that text,
    adds the figure's title, so that a screen reader's list of links tells two such links on
    a page apart. The light file: a browser shows an SVG on its own on white, where the light
    palette's ink reads.
    """
    label = html.escape(f"Full-size figure: {figure['title']}", quote=True)
    return (f'<a class="gn-figure-enlarge" href="{base}{figure["name"]}.{figure["fmt"]}" '
            f'aria-label="{label}">Full-size figure</a>')


def picture(figure: dict, base: str, alt: str, palette: str) -> str:
    """The HTML of one palette's figure: an ``<img>`` of the wide file, with its size and
    Material's ``#only-light`` / ``#only-dark`` marker, inside a ``<picture>`` whose
    ``<source>`` gives narrow screens the narrow file, also with its size.

    A dense figure gets a text link to its full-size file beside it (``enlarge_link``), which
    keyboard and screen-reader users reach like any link; the picture itself is no link, as
    a link around the palette that is hidden would have no accessible name.
    """
    name, ext = figure["name"], figure["fmt"]
    suffix = "" if palette == "light" else f"-{palette}"
    width, height = figure["size"]
    img = (f'<img src="{base}{name}{suffix}.{ext}#only-{palette}" '
           f'alt="{html.escape(alt, quote=True)}" width="{width}" height="{height}" '
           'loading="lazy">')
    if not figure.get("narrow"):
        return img
    n_width, n_height = figure["narrow_size"]
    source = (f'<source media="{NARROW_MEDIA}" srcset="{base}{name}-narrow{suffix}.{ext}" '
              f'width="{n_width}" height="{n_height}">')
    return f'<picture class="gn-figure">{source}{img}</picture>'
