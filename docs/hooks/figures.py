"""Build hook: the figures and facts of ``glassnet_site.figure_pages`` in the site.

Registers every figure's files under ``figures/`` and hands each page's Markdown to
``FigurePages.rewrite``, which fills in its figures, facts and figure index; a wrong
reference fails the build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from glassnet_site import figure_pages
from glassnet_site.figure_pages import FigureError, FigurePages

_state: dict = {}


def on_files(files, config):
    try:
        found = figure_pages.listing()
    except FigureError as error:
        raise PluginError(str(error)) from None
    sources = [(file.src_uri, Path(file.abs_src_path).read_text(encoding="utf-8"))
               for file in files.documentation_pages()
               if file.src_uri.endswith(".md") and file.abs_src_path is not None]
    _state["pages"] = FigurePages.from_listing(found, sources)
    for uri, path in figure_pages.files(found):
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown, page, config, files):
    try:
        return _state["pages"].rewrite(markdown, page.file.src_uri, page.url)
    except FigureError as error:
        raise PluginError(str(error)) from None

