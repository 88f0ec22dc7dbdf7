"""Build hook: changes to Material's own assets, so that its start-up does not restyle the
whole page and costs the main thread less.

Material's bundle starts once the page has been laid out. On a long page of mathematics
(4,000 to 6,500 elements, most of them KaTeX's) every change that touches the whole document
costs a few hundred milliseconds on a slow phone, and two of them have no effect a reader
sees:

- its palette component marks every start-up as a palette switch, setting and removing
  ``data-md-color-switching`` on the body, on which a ``*`` rule in the palette stylesheet
  depends (to hold transitions back during a switch). The rule is dropped; the theme override
  marks a real switch with a class of its own, and glassnet.css holds transitions back under
  it;
- it adds a ``<meta name="color-scheme">`` for the palette shown, and the browser restyles
  the whole document when a color-scheme meta element is added or changed. The element is no
  longer added; glassnet.css gives the root element the dark colour scheme under the dark
  palette instead, which is what the meta element did (scrollbars, the canvas).

It also checks that the bundle still reads the ``content.lazy`` feature flag that mkdocs.yml
sets (mount each code block as it scrolls into view), which Material does not document: if a
new version drops it, the build fails rather than quietly mounting every block at start-up.

The bundle also gains V8's compile hint as its first line, ``//# allFunctionsCalledOnLoad``
(Chromium 136 and later; other engines read a comment): nearly all of the bundle runs as the
page starts, and with the hint V8 compiles every function on a background thread while the
file streams in, instead of stopping the main thread to compile each one as it is first
called. Measured with a 4x CPU slowdown (the median of five to eight loads of each of four
pages), the main thread's script time fell by 30 to 130 ms, a quarter on average.

The changes are made to the theme's copies of the files, written over the site's, and each
must find exactly what it replaces: if a new version of Material changes either file, the
build fails and says which change no longer applies. Within its lines the bundle keeps its
columns (the replacement is padded with spaces), and its source map gains the one line the
hint adds, so the map stays right.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

PALETTE = "assets/stylesheets/palette.*.min.css"
BUNDLE = "assets/javascripts/bundle.*.min.js"
SWITCHING_RULE = re.compile(r"[^{}]*\[data-md-color-switching\][^{}]*\{[^{}]*\}")
LAZY_FLAG = '"content.lazy"'
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"
COLOR_SCHEME_META = ('let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
                     "let o={};")


def drop_switching_rule(css: str) -> str:
    """``css`` without the rules that select ``[data-md-color-switching]``."""
    kept, dropped = SWITCHING_RULE.subn("", css)
    if not dropped:
        raise PluginError("material_assets hook: Material's palette stylesheet has no rule for "
                          "[data-md-color-switching] to drop; has the theme changed it?")
    return kept


def replace_padded(text: str, old: str, new: str) -> str:
    """``text`` with its one ``old`` replaced by ``new``, padded with spaces to its length."""
    if len(new) > len(old) or text.count(old) != 1:
        raise PluginError(f"material_assets hook: expected {old!r} once in Material's "
                          f"bundle, found it {text.count(old)} times; has the theme changed it?")
    return text.replace(old, new.ljust(len(old)))


def check_lazy_flag(js: str, features: list[str]) -> str:
    """``js`` as it is, once it is known to read the ``content.lazy`` flag if it is set."""
    if "content.lazy" in features and LAZY_FLAG not in js:
        raise PluginError("material_assets hook: mkdocs.yml sets the content.lazy feature, but "
                          "Material's bundle no longer reads it; remove it from mkdocs.yml "
                          "(and gn-code-blocks.js) or find what replaced it")
    return js


def add_compile_hint(js: str) -> str:
    """``js`` with V8's hint to compile all its functions eagerly as its first line."""
    return COMPILE_HINT + js


def shift_source_map(source_map: str) -> str:
    """The source map of a script that has gained one line at its top."""
    data = json.loads(source_map)
    data["mappings"] = ";" + data["mappings"]
    return json.dumps(data, separators=(",", ":"))


def theme_file(config, pattern: str) -> tuple[Path, Path]:
    """The theme's file matching ``pattern``, and its path inside the site."""
    for directory in config.theme.dirs:
        found = sorted(Path(directory).glob(pattern))
        if len(found) == 1:
            return found[0], found[0].relative_to(directory)
    raise PluginError(f"material_assets hook: expected one file {pattern} in the theme "
                      f"({', '.join(config.theme.dirs)})")


def on_post_build(config):
    # From the theme's own copies, so that a rebuild that has not copied them again
    # (`mkdocs serve --dirty`) still finds what it replaces.
    site, features = Path(config.site_dir), config.theme.get("features", [])

    def bundle(js: str) -> str:
        return add_compile_hint(replace_padded(check_lazy_flag(js, features), *COLOR_SCHEME_META))

    for pattern, change in ((PALETTE, drop_switching_rule), (BUNDLE, bundle),
                            (BUNDLE + ".map", shift_source_map)):
        source, path = theme_file(config, pattern)
        (site / path).write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
