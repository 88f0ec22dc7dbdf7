"""Build hook: serve the site's own stylesheets as one file, beside Material's two.

Every page needs KaTeX's stylesheet, glassnet's two and the one mkdocstrings adds. As four
files they are four requests the browser must finish before it paints anything, each a round
trip on a slow phone connection. This hook links one file instead and writes it after the
build from the four, in their order, with each relative ``url(...)`` (KaTeX's fonts)
rewritten for its new place.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

BUNDLE = "assets/stylesheets/site.css"
URL = re.compile(r"""url\((["']?)(?![a-z]+:|/|#)([^"')]+)\1\)""")
_sources: list[str] = []


def rebase_urls(css: str, source: str, target: str) -> str:
    """Rewrite the relative ``url()`` references of ``css`` at ``source`` for ``target``."""
    source_dir, target_dir = posixpath.dirname(source), posixpath.dirname(target)

    def rebase(match: re.Match) -> str:
        path = posixpath.normpath(posixpath.join(source_dir, match[2]))
        return f"url({match[1]}{posixpath.relpath(path, target_dir)}{match[1]})"

    return URL.sub(rebase, css)


@event_priority(-100)  # after mkdocstrings has added its stylesheet to the list
def on_config(config):
    _sources[:] = [str(sheet) for sheet in config.extra_css]
    config.extra_css = [BUNDLE]
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    parts = []
    for source in _sources:
        path = site / source
        if not path.is_file():
            raise PluginError(f"stylesheets hook: extra_css lists {source!r}, which the "
                              f"build did not write to {site}")
        css = path.read_text(encoding="utf-8")
        parts.append(f"/* {source} */\n" + rebase_urls(css, source, BUNDLE))
    (site / BUNDLE).write_text("\n".join(parts), encoding="utf-8")
