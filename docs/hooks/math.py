"""Build hook: formulas rendered with KaTeX at build time, and KaTeX's CSS and fonts served.

The work is done by ``glassnet_site.formulas``: its Markdown extension (in ``mkdocs.yml``)
renders the formulas of Markdown pages, ``glassnet_site.lessons`` those of lessons, and this
hook renders the tables of contents' titles and registers KaTeX's files.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from glassnet_site import formulas


def on_files(files, config):
    try:
        files.append(File.generated(config, "assets/katex/katex.min.css",
                                    content=formulas.stylesheet()))
    except formulas.KatexError as error:
        raise PluginError(str(error)) from None
    for font in formulas.fonts():
        files.append(File.generated(config, f"assets/katex/fonts/{font.name}",
                                    abs_src_path=str(font)))
    return files


def _render_titles(items) -> None:
    for item in items:
        item.title = formulas.render_title(item.title)
        _render_titles(item.children)


def on_page_context(context, page, config, nav):
    try:
        _render_titles(page.toc)
    except formulas.KatexError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    return context


def on_post_build(config):
    formulas.save_cache()
