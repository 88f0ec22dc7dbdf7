"""Every change the site makes to Material for MkDocs, in one place, checked against one
version of the theme.

Material is in maintenance until its end of life; the site leans on a few of its internals,
and each workaround here names what it changes and fails the build loudly when the theme it
was checked against changes (``check_material``): the installed version must be
``MATERIAL_VERSION``, and the theme's templates that ``docs/overrides`` copies or extends must
have the content they had when the copies were made.

What the workarounds do:

1. **One stylesheet** (``bundle_stylesheets``): every page needs KaTeX's stylesheet,
   glassnet's two and mkdocstrings'. As four files they are four requests the browser must
   finish before it paints anything; the site links one file, written after the build from
   the four, in their order, with each relative ``url(...)`` rebased.
2. **No restyle of the whole page at start-up** (``drop_switching_rule``,
   ``COLOR_SCHEME_META``): Material's palette component marks every start-up as a palette
   switch, setting ``data-md-color-switching`` on the body, on which a ``*`` rule depends; and
   it adds a ``<meta name="color-scheme">``, which restyles the whole document. The rule and the
   element go; ``docs/overrides/main.html`` marks a real switch with a class of its own and
   glassnet.css gives the dark palette its colour scheme.
3. **Lazy code blocks** (``check_lazy_flag``): mkdocs.yml sets the undocumented
   ``content.lazy`` feature (mount each code block as it scrolls into view); the build fails if
   the bundle stops reading it.
4. **V8's compile hint** (``add_compile_hint``, ``shift_source_map``): the bundle starts with
   ``//# allFunctionsCalledOnLoad``, so Chromium compiles its functions on a background thread
   as it streams in; its source map gains the line. Measured with a 4x CPU slowdown (median
   of five to eight loads of each of four pages), main-thread script time fell by 30 to 130 ms.
5. **In the templates** (``docs/overrides``, checked by ``TEMPLATE_DIGESTS``): the root
   element's classes and absolute URLs set before the body is parsed, the search index held
   back until the reader reaches for search, the bundle deferred, the search dialog's
   accessible name, the progress bar's label, and the repository link without GitHub's live
   facts.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import posixpath
import re
from pathlib import Path

MATERIAL_VERSION = "9.8.1"
# sha256 (first 16 hex digits) of the theme's templates that docs/overrides copies or extends,
# as they were in MATERIAL_VERSION when the overrides were written.
TEMPLATE_DIGESTS = {
    "partials/search.html": "bfd556535abcddb9",
    "partials/source.html": "6847616d67be4920",
    "partials/progress.html": "f7596002950a7d9f",
    "base.html": "8536d352b0093623",
}
PALETTE = "assets/stylesheets/palette.*.min.css"
BUNDLE = "assets/javascripts/bundle.*.min.js"
STYLESHEET_BUNDLE = "assets/stylesheets/site.css"
SWITCHING_RULE = re.compile(r"[^{}]*\[data-md-color-switching\][^{}]*\{[^{}]*\}")
LAZY_FLAG = '"content.lazy"'
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"
COLOR_SCHEME_META = ('let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
                     "let o={};")
URL = re.compile(r"""url\((["']?)(?![a-z]+:|/|#)([^"')]+)\1\)""")


class ThemeError(Exception):
    """A workaround that no longer applies to the installed Material; the message says which."""


def check_material(templates: Path, version: str | None = None) -> None:
    """Fail unless Material is the version the workarounds were checked against."""
    version = version or importlib.metadata.version("mkdocs-material")
    if version != MATERIAL_VERSION:
        raise ThemeError(f"theme: the site's changes to Material were checked against "
                         f"{MATERIAL_VERSION}, but {version} is installed; check each one in "
                         "glassnet_site/theme.py against it, then update MATERIAL_VERSION")
    for name, digest in TEMPLATE_DIGESTS.items():
        found = hashlib.sha256((templates / name).read_bytes()).hexdigest()[:16]
        if found != digest:
            raise ThemeError(f"theme: Material's {name} is not the one docs/overrides was "
                             f"written against (sha256 {found}, expected {digest}); update the "
                             "override, then TEMPLATE_DIGESTS")


# --- 1. one stylesheet --------------------------------------------------------------------

def rebase_urls(css: str, source: str, target: str) -> str:
    """Rewrite the relative ``url()`` references of ``css`` at ``source`` for ``target``."""
    source_dir, target_dir = posixpath.dirname(source), posixpath.dirname(target)

    def rebase(match: re.Match) -> str:
        path = posixpath.normpath(posixpath.join(source_dir, match[2]))
        return f"url({match[1]}{posixpath.relpath(path, target_dir)}{match[1]})"

    return URL.sub(rebase, css)


def bundle_stylesheets(site: Path, sources: list[str]) -> None:
    """Write ``STYLESHEET_BUNDLE`` in ``site`` from the built ``sources``, in their order."""
    parts = []
    for source in sources:
        path = site / source
        if not path.is_file():
            raise ThemeError(f"theme: extra_css lists {source!r}, which the build did not "
                             f"write to {site}")
        css = path.read_text(encoding="utf-8")
        parts.append(f"/* {source} */\n" + rebase_urls(css, source, STYLESHEET_BUNDLE))
    (site / STYLESHEET_BUNDLE).write_text("\n".join(parts), encoding="utf-8")


# --- 2 to 4. Material's palette stylesheet and bundle ------------------------------------

def drop_switching_rule(css: str) -> str:
    """``css`` without the rules that select ``[data-md-color-switching]``."""
    kept, dropped = SWITCHING_RULE.subn("", css)
    if not dropped:
        raise ThemeError("theme: Material's palette stylesheet has no rule for "
                         "[data-md-color-switching] to drop; has the theme changed it?")
    return kept


def replace_padded(text: str, old: str, new: str) -> str:
    """``text`` with its one ``old`` replaced by ``new``, padded with spaces to its length."""
    if len(new) > len(old) or text.count(old) != 1:
        raise ThemeError(f"theme: expected {old!r} once in Material's bundle, found it "
                         f"{text.count(old)} times; has the theme changed it?")
    return text.replace(old, new.ljust(len(old)))


def check_lazy_flag(js: str, features: list[str]) -> str:
    """``js`` as it is, once it is known to read the ``content.lazy`` flag if it is set."""
    if "content.lazy" in features and LAZY_FLAG not in js:
        raise ThemeError("theme: mkdocs.yml sets the content.lazy feature, but Material's "
                         "bundle no longer reads it; remove it from mkdocs.yml (and "
                         "gn-code-blocks.js) or find what replaced it")
    return js


def add_compile_hint(js: str) -> str:
    """``js`` with V8's hint to compile all its functions eagerly as its first line."""
    return COMPILE_HINT + js


def shift_source_map(source_map: str) -> str:
    """The source map of a script that has gained one line at its top."""
    data = json.loads(source_map)
    data["mappings"] = ";" + data["mappings"]
    return json.dumps(data, separators=(",", ":"))


def theme_file(theme_dirs: list[str], pattern: str) -> tuple[Path, Path]:
    """The theme's file matching ``pattern``, and its path inside the site."""
    for directory in theme_dirs:
        found = sorted(Path(directory).glob(pattern))
        if len(found) == 1:
            return found[0], found[0].relative_to(directory)
    raise ThemeError(f"theme: expected one file {pattern} in the theme ({', '.join(theme_dirs)})")


def patch_material_assets(site: Path, theme_dirs: list[str], features: list[str]) -> None:
    """Write the changed palette stylesheet, bundle and source map over the site's copies.

    From the theme's own copies, so that a rebuild that has not copied them again
    (``mkdocs serve --dirty``) still finds what it replaces.
    """
    def bundle(js: str) -> str:
        return add_compile_hint(replace_padded(check_lazy_flag(js, features), *COLOR_SCHEME_META))

    for pattern, change in ((PALETTE, drop_switching_rule), (BUNDLE, bundle),
                            (BUNDLE + ".map", shift_source_map)):
        source, path = theme_file(theme_dirs, pattern)
        (site / path).write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
