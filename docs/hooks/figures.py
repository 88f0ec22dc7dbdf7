"""Build hook: render the figure registry and add the files to the site in memory.

The work happens in ``python -m glassnet_site.figures`` (run in a subprocess, because MkDocs
does not reload hook modules under ``mkdocs serve``), which caches each figure and fact on its
own inputs (see ``glassnet_site.cache``); this hook reads that cache and checks that every
figure a page references exists.

Pages write ``![alt](figures/NAME.svg)`` at any depth; the hook turns that into the light
and dark variants (Material's ``#only-light`` / ``#only-dark``) with their pixel size. A
figure drawn in a narrow layout too becomes, in each palette, a ``<picture>`` whose source
gives phones the narrow file, so a phone never downloads the wide one.
A number in prose is written ``[[fact:NAME]]`` and replaced by the value the same run of
``glassnet_site.figures`` computed, so no page types a number the library did not produce.
The marker ``[[figure-index]]`` becomes a table of every registered figure: its title, the
function that draws it and the pages that show it (found in the pages' Markdown sources).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from glassnet_site import cache, rebuild
from glassnet_site.threads import single_threaded_env

FACT_REF = re.compile(r"\[\[fact:(?P<name>[A-Za-z0-9_]+)\]\]")
FIGURE_REF = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?:\.\./)*figures/(?P<name>[A-Za-z0-9_]+)\.(?P<ext>svg|png)\)"
    r"(?P<attrs>\{[^}]*\})?")
# Looser than FIGURE_REF: alt text may still hold [[fact:...]] markers when sources are scanned.
FIGURE_USE = re.compile(r"\]\((?:\.\./)*figures/(?P<name>[A-Za-z0-9_]+)\.(?:svg|png)\)")
FIGURE_INDEX = "[[figure-index]]"

_state: dict = {}


FIGURES_CACHE = cache.CACHE / "figures"




def _complete(index: Path) -> dict | None:
    """The index's content if it exists and every figure it lists is still cached."""
    if not index.exists():
        return None
    listing = json.loads(index.read_text())
    if not all((FIGURES_CACHE / entry["dir"] / "entry.json").exists()
               for entry in listing["figures"]):
        return None
    return listing


def build_figures() -> dict:
    """Every figure's manifest row (with the directory holding its files) and every fact,
    rendering or computing only those whose inputs changed.

    Each figure and fact is cached on its own key (``glassnet_site.cache.key``); an index
    named by the hash of all of ``src/`` lists them, so a build that finds the library as
    the last one left it starts no process at all.
    """
    library = rebuild.unchanged("library", cache.library_hash)[:16]
    index = FIGURES_CACHE / "index" / f"index-{library}.json"
    inputs = FIGURES_CACHE / "inputs" / f"inputs-{library}.json"
    listing = _complete(index)
    if listing is not None:
        if not inputs.exists():  # what the listing was made from, for the reuse below
            _write(inputs, rebuild.unchanged("figure-inputs", rebuild.figure_inputs))
        return listing
    # An edit to a module no figure or fact depends on: an earlier listing made from the
    # same figure inputs is this one too (rebuild.figure_inputs), and no process is started.
    current = rebuild.unchanged("figure-inputs", rebuild.figure_inputs)
    listing = _reused(current)
    if listing is not None:
        _write(index, listing)
        _write(inputs, current)
        return listing
    start = time.perf_counter()
    # One run renders what is missing, computes the missing facts and writes the index, so
    # the figures and facts always describe the same registry. Entries are written under a
    # private name and renamed when complete: concurrent builds never see a half-written one.
    proc = subprocess.run([sys.executable, "-m", "glassnet_site.figures",
                           "--cache", str(FIGURES_CACHE), "--index", str(index)],
                          capture_output=True, text=True, cwd=cache.ROOT,
                          env=single_threaded_env())
    if proc.returncode != 0:
        raise PluginError(f"rendering the figures failed:\n{proc.stderr}")
    _write(inputs, current)
    for part, keep in (("figure", 4), ("fact", 4), ("index", 8), ("inputs", 8)):
        cache.evict_stale(FIGURES_CACHE / part, keep)
    summary = proc.stderr.strip().splitlines()[-1]
    print(f"INFO    -  Figures: {summary} in {time.perf_counter() - start:.1f} s")
    return json.loads(index.read_text())


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
        listing = _complete(index)
        if listing is not None:
            cache.touch(index)
            cache.touch(path)
            return listing
    return None


def _write(path: Path, data: dict) -> None:
    """Write JSON under a private name and rename it: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"computing-{os.getpid()}-{path.name}")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, path)


def on_files(files, config):
    listing = build_figures()
    _state["figures"] = {entry["name"]: entry for entry in listing["figures"]}
    _state["facts"] = listing["facts"]
    _state["shown_on"] = _pages_showing_figures(files)
    for entry in listing["figures"]:
        for path in sorted((FIGURES_CACHE / entry["dir"]).iterdir()):
            if path.suffix in (".svg", ".png", ".csv"):
                files.append(File.generated(config, f"figures/{path.name}",
                                            abs_src_path=str(path)))
    return files


def _replace(match: re.Match, page) -> str:
    name, ext = match["name"], match["ext"]
    figure = _state["figures"].get(name)
    if figure is None:
        known = ", ".join(_state["figures"])
        raise PluginError(f"{page.file.src_uri} references figure '{name}', which is not "
                          f"registered in glassnet_site.figures (known: {known})")
    if figure["fmt"] != ext:
        raise PluginError(f"{page.file.src_uri} references figures/{name}.{ext}, but figure "
                          f"'{name}' is rendered as .{figure['fmt']}")
    if match["attrs"]:
        raise PluginError(f"{page.file.src_uri}: figure '{name}' has attributes "
                          f"{match['attrs']}; the figure hook sets a figure's attributes itself")
    prefix = "../" * page.file.src_uri.count("/")
    # Raw HTML is not rewritten by MkDocs as Markdown links are: its URLs are relative to the
    # page's URL (architectures/cnn/ with directory URLs), not to its source file.
    html_base = "../" * page.url.count("/") + "figures/"
    pictures = "".join(picture(figure, html_base, match["alt"], palette)
                       for palette in ("light", "dark"))
    if figure.get("enlarge"):
        pictures += "\n" + enlarge_link(figure, html_base)
    if figure.get("data"):
        pictures += (f"\n[Data behind this figure (CSV)]({prefix}figures/{name}.csv)"
                     "{ .gn-figure-data download }")
    return pictures


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


# Below this viewport width, figures drawn in a narrow layout (360 CSS px) show it instead of
# the wide one: phones held upright, up to the largest (430 px) with room to spare.
NARROW_MEDIA = "(max-width: 480px)"


def picture(figure: dict, base: str, alt: str, palette: str) -> str:
    """The HTML of one palette's figure: an ``<img>`` of the wide file, with its size and
    Material's ``#only-light`` / ``#only-dark`` marker, inside a ``<picture>`` whose
    ``<source>`` gives narrow screens the narrow file, also with its size.

    A dense figure gets a text link to its full-size file beside it (see ``_replace``), which
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


# Inside a list, a line that starts with a number, a full stop and a space starts a new
# numbered item (Python-Markdown's rule; in a paragraph, or with "1)", it starts none).
LIST_START = re.compile(r"[ \t]*\d+\. ")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+\.)[ \t]")


def _fact(match: re.Match, page) -> str:
    try:
        value = _state["facts"][match["name"]]
    except KeyError:
        raise PluginError(f"{page.file.src_uri} quotes fact '{match['name']}', which is not "
                          "registered in glassnet_site.figures") from None
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    blank = text.rfind("\n\n", 0, match.start())
    block_start = blank + 2 if blank >= 0 else 0
    if (not text[line_start:match.start()].strip() and line_start > block_start
            and LIST_ITEM.match(text, block_start)
            and LIST_START.match(value + text[match.end():match.end() + 2])):
        raise PluginError(
            f"{page.file.src_uri}: fact '{match['name']}' ({value}) starts a line of a list "
            "item and is followed by '. ', which Markdown reads as a new numbered item; "
            "reflow the paragraph so the fact is not first on its line")
    return value


def _pages_showing_figures(files) -> dict[str, list[tuple[str, str]]]:
    """For every figure name, the (path, title) of each Markdown page that shows it."""
    shown_on: dict[str, list[tuple[str, str]]] = {}
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md") or file.abs_src_path is None:
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, flags=re.MULTILINE)
        for name in dict.fromkeys(m["name"] for m in FIGURE_USE.finditer(text)):
            shown_on.setdefault(name, []).append(
                (file.src_uri, title[1].strip() if title else file.src_uri))
    return shown_on


def figure_index(page) -> str:
    """The figure index as a Markdown table, with links relative to ``page``."""
    prefix = "../" * page.file.src_uri.count("/")
    rows = ["| figure | what it shows | drawn by | shown on |", "|---|---|---|---|"]
    for name, figure in _state["figures"].items():
        pages = ", ".join(f"[{title}]({prefix}{uri})"
                          for uri, title in _state["shown_on"].get(name, []))
        title = figure["title"].replace("|", "\\|")
        rows.append(f"| `{name}` | {title} | `{figure['function']}` | {pages or 'none'} |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if FIGURE_INDEX in markdown:
        markdown = markdown.replace(FIGURE_INDEX, figure_index(page))
    markdown = FACT_REF.sub(lambda m: _fact(m, page), markdown)
    return FIGURE_REF.sub(lambda m: _replace(m, page), markdown)


def on_serve(server, config, builder):
    """Rebuild when the library or a lesson changes, not only when docs/ does."""
    for package in cache.PACKAGES:
        server.watch(str(cache.package_dir(package)))
    server.watch(str(cache.ROOT / "lessons"))
    return server
