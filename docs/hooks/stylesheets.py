"""Build hook: serve the site's own stylesheets as one file, beside Material's two.

Every page needs KaTeX's stylesheet, glassnet's two and the one mkdocstrings adds. As four
files they are four requests the browser must finish before it paints anything, each a round
trip on a slow phone connection. This hook links one file instead and writes it after the
build from the four, in their order, with each relative ``url(...)`` (KaTeX's fonts)
rewritten for its new place.

It also drops one rule from Material's palette stylesheet: the one that stops transitions
while ``data-md-color-switching`` is set on the body. Material's bundle sets and removes that
attribute at every start-up, not only on a palette switch, and the rule's ``*`` makes each of
the two changes restyle the whole page. The theme override marks a real switch with a class of
its own, and glassnet.css holds transitions back under that class.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

BUNDLE = "assets/stylesheets/site.css"
PALETTE = "assets/stylesheets/palette.*.min.css"
SWITCHING_RULE = re.compile(r"[^{}]*\[data-md-color-switching\][^{}]*\{[^{}]*\}")
URL = re.compile(r"""url\((["']?)(?![a-z]+:|/|#)([^"')]+)\1\)""")
_sources: list[str] = []


def rebase_urls(css: str, source: str, target: str) -> str:
    """Rewrite the relative ``url()`` references of ``css`` at ``source`` for ``target``."""
    source_dir, target_dir = posixpath.dirname(source), posixpath.dirname(target)

    def rebase(match: re.Match) -> str:
        path = posixpath.normpath(posixpath.join(source_dir, match[2]))
        return f"url({match[1]}{posixpath.relpath(path, target_dir)}{match[1]})"

    return URL.sub(rebase, css)


def drop_switching_rule(css: str) -> str:
    """``css`` without the rules that select ``[data-md-color-switching]``."""
    kept, dropped = SWITCHING_RULE.subn("", css)
    if not dropped:
        raise PluginError("stylesheets hook: Material's palette stylesheet has no rule for "
                          "[data-md-color-switching] to drop; has the theme changed it?")
    return kept


def theme_file(config, pattern: str) -> tuple[Path, Path]:
    """The theme's file matching ``pattern``, and its path inside the site."""
    for directory in config.theme.dirs:
        found = sorted(Path(directory).glob(pattern))
        if len(found) == 1:
            return found[0], found[0].relative_to(directory)
    raise PluginError(f"stylesheets hook: expected one file {pattern} in the theme "
                      f"({', '.join(config.theme.dirs)})")


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
    # From the theme's own copy, so that a rebuild that has not copied it again (`mkdocs
    # serve --dirty`) still finds the rule.
    source, path = theme_file(config, PALETTE)
    (site / path).write_text(drop_switching_rule(source.read_text(encoding="utf-8")),
                             encoding="utf-8")
