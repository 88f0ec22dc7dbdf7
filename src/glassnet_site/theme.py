"""Every change the site makes to Material for MkDocs, in one place, checked against one
version of the theme.

Checked against mkdocs-material ``MATERIAL_VERSION`` (9.8.1, as ``constraints.txt`` pins it);
``pyproject.toml`` allows that version only, and ``check_material`` fails the build when
another is installed or when a template that ``docs/overrides`` copies or extends is not
the one the copy was made from (``TEMPLATE_DIGESTS``). Each change below stays because
Lighthouse measured a gain larger than its run-to-run noise (benchmarks/AUDIT.md, "Material
workarounds": a fractional factorial of the eight changes the site used to make, on three
pages, with Lighthouse's default Chromium flags); the lazy code blocks, the deferred
bundle and the KaTeX font preloads showed none beyond noise, and are gone.

1. **No restyle of the whole page from the palette** (``drop_switching_rule``,
   ``COLOR_SCHEME_META``, ``PALETTE_RULES``): Material's palette component marks every
   start-up as a palette switch, setting ``data-md-color-switching`` on the body, on which a
   ``*`` rule depends; and it adds a ``<meta name="color-scheme">``, which restyles the whole
   document. The rule and the element go; ``docs/overrides/main.html`` marks a real switch
   with a class of its own, and ``PALETTE_RULES``, written into the palette stylesheet, hold
   transitions back under that class and give the dark palette its colour scheme. Measured:
   performance +6.2 points (standard error 2.3), total blocking time 620 ms less (270).
2. **V8's compile hint** (``add_compile_hint``, ``shift_source_map``): the bundle starts with
   ``//# allFunctionsCalledOnLoad``, so Chromium compiles its functions on a background thread
   as it streams in; its source map gains the line. Measured: performance +4.8 points (2.3).
3. **Start-up changes before the body** (``docs/overrides/main.html``, first script): the
   root element's classes (``js``, ``js-focus-visible``) and the head's absolute URLs, which
   Material's bundle would otherwise set once the page is laid out, each restyling it.
   Measured: +2.6 points (2.3) over three pages in the factorial, below its rule; removed,
   then restored after a quiet machine's runs on the backpropagation page, median of four
   each: 84.5 with it against 77 without.
4. **The search index held back** (``docs/overrides/main.html``, second script, which wraps
   ``XMLHttpRequest.prototype.open`` and ``send``): Material requests its whole search index
   (about 140 KB compressed) as its bundle starts; the request waits until the reader reaches
   for search. Measured: performance +9.7 points (2.3), largest contentful paint 1.0 s
   sooner (0.3).
5. **One stylesheet** (``bundle_stylesheets``): every page needs KaTeX's stylesheet,
   glassnet's two and mkdocstrings'. As separate files they are requests the browser must
   finish before it paints anything; the site links one file, written after the build from
   them, in their order, with each relative ``url(...)`` rebased. Measured: performance +4.8
   points (1.6) on the home page, +2.2 (2.3) over the three pages; removing it with the
   others cost the home page 9 points in the before-and-after runs, so it stays.
6. **Copied partials** (``docs/overrides/partials``), for accessibility and privacy rather
   than speed: the search dialog's and the progress bar's accessible names (Lighthouse's
   accessibility audit fails without them), and the repository link without the facts
   Material would fetch from GitHub's API at view time.
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
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"
URL = re.compile(r"""url\((["']?)(?![a-z]+:|/|#)([^"')]+)\1\)""")
COLOR_SCHEME_META = ('let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
                     "let o={};")
# What replaces the dropped rule and element, appended to the palette stylesheet: nothing
# transitions while the palette changes (main.html sets the class for a real switch), and
# scrollbars and the canvas follow the dark palette.
PALETTE_RULES = """
.gn-palette-switching *,.gn-palette-switching ::before,.gn-palette-switching ::after\
{transition-duration:0s!important}
:root:has(> body[data-md-color-scheme=slate]){color-scheme:dark}
"""


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


# --- One stylesheet -----------------------------------------------------------------------

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


# --- Material's palette stylesheet and bundle -----------------------------------------

def drop_switching_rule(css: str) -> str:
    """``css`` without the rules that select ``[data-md-color-switching]``."""
    kept, dropped = SWITCHING_RULE.subn("", css)
    if not dropped:
        raise ThemeError("theme: Material's palette stylesheet has no rule for "
                         "[data-md-color-switching] to drop; has the theme changed it?")
    return kept


def palette_stylesheet(css: str) -> str:
    """Material's palette stylesheet without its switching rule, with the site's rules."""
    return drop_switching_rule(css) + PALETTE_RULES


def replace_padded(text: str, old: str, new: str) -> str:
    """``text`` with its one ``old`` replaced by ``new``, padded with spaces to its length."""
    if len(new) > len(old) or text.count(old) != 1:
        raise ThemeError(f"theme: expected {old!r} once in Material's bundle, found it "
                         f"{text.count(old)} times; has the theme changed it?")
    return text.replace(old, new.ljust(len(old)))


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


def patch_material_assets(site: Path, theme_dirs: list[str]) -> None:
    """Write the changed palette stylesheet, bundle and source map over the site's copies.

    From the theme's own copies, so that a rebuild that has not copied them again
    (``mkdocs serve --dirty``) still finds what it replaces.
    """
    def bundle(js: str) -> str:
        return add_compile_hint(replace_padded(js, *COLOR_SCHEME_META))

    for pattern, change in ((PALETTE, palette_stylesheet), (BUNDLE, bundle),
                            (BUNDLE + ".map", shift_source_map)):
        source, path = theme_file(theme_dirs, pattern)
        (site / path).write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
