"""Rebuilds under ``mkdocs serve``: the work of third-party plugins kept while its input holds.

``mkdocs serve`` rebuilds the whole site after every edit, with a fresh configuration and,
for most plugins, fresh plugin objects. Two steps of that rebuild redo, for every page, work
whose result is a pure function of input that an edit to one page leaves as it was:

* **Material's search index** parses the HTML of every page (the lesson pages are large)
  into the index's sections. ``SearchIndex`` below keeps each page's entries, keyed on
  everything they are made of: the page's rendered HTML, URL, title, table of contents and
  the metadata the index reads. A page whose HTML did not change gets the same entries
  without being parsed.
* **mkdocstrings** renders the API reference's objects through its templates.
  ``install`` wraps the Python handler's ``render`` so that an object is rendered again
  only when its rendering could differ: the key holds the object's path, its options, and
  the size and modification time of every file its module imports (``cache.inputs``), of the
  formula renderer its docstrings go through, and of ``mkdocs.yml`` and the theme override
  (Markdown extensions and templates). The headings a render reports (for the table of
  contents, autorefs and the inventory) are kept with its HTML and reported again, and the
  aliases the render resolved are resolved again (they become entries of the inventory).

The memos live in this module, which stays imported across the rebuilds of one process;
a one-off ``mkdocs build`` fills them and never reads them. Each keeps one result per page
or object, so a long session does not grow them.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from pathlib import Path

from glassnet_site import cache, rebuild

try:  # Material is what the site builds with; the memo is a no-op without it.
    from material.plugins.search.plugin import SearchIndex as _MaterialSearchIndex
    from material.plugins.search.plugin import SearchPlugin
except ImportError:  # pragma: no cover
    _MaterialSearchIndex, SearchPlugin = object, None

# page URL -> (key, the page's search entries)
_search: dict[str, tuple[str, list[dict]]] = {}
# (object path, options, locale) -> (stamp of its inputs, HTML, headings, aliases resolved)
_renders: dict[tuple, tuple[tuple, str, list]] = {}
stats = {"search_hits": 0, "search_misses": 0, "render_hits": 0, "render_misses": 0}


def _toc(items) -> list:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in items]


def search_key(page) -> str:
    """Hash of everything Material's ``add_entry_from_context`` reads from ``page``."""
    meta = page.meta
    parts = [page.content, page.url, page.title, meta.get("title"), meta.get("tags"),
             meta.get("search"), _toc(page.toc)]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


class SearchIndex(_MaterialSearchIndex):
    """Material's search index, parsing a page's HTML only if it changed since the last
    build of this process."""

    def add_entry_from_context(self, page):
        key = search_key(page)
        memo = _search.get(page.url)
        if memo is not None and memo[0] == key:
            stats["search_hits"] += 1
            self.entries.extend(copy.deepcopy(memo[1]))
            return
        stats["search_misses"] += 1
        start = len(self.entries)
        super().add_entry_from_context(page)
        _search[page.url] = (key, copy.deepcopy(self.entries[start:]))


def use_search_memo(config) -> None:
    """Give the search plugin of ``config`` the memoising index (after its ``on_config``)."""
    for plugin in config.plugins.values():
        if SearchPlugin is not None and isinstance(plugin, SearchPlugin) \
                and plugin.config.enabled:
            plugin.search_index = SearchIndex(**plugin.config)


def _stamp(paths) -> tuple:
    found = []
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            found.append((str(path), None))
            continue
        found.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(found)


def _tree_stamp(root: Path) -> tuple:
    if not root.is_dir():
        return ()
    return _stamp(sorted(p for p in root.rglob("*") if p.is_file()))


def render_stamp(module: str, config_file: str | None, current: tuple | None = None) -> tuple:
    """Size and modification time of every file an object of ``module`` is rendered from
    (``current``: this build's ``rebuild.stamp()``, under which the list of files is kept)."""
    modules = [module, "glassnet_site.formulas"]
    files = rebuild.unchanged(("api-inputs", module),
                              lambda: list(cache.inputs(modules).values()), current)
    site = [Path(config_file)] if config_file else []
    overrides = Path(config_file).parent / "docs" / "overrides" if config_file else None
    return _stamp([*files, *site]) + (_tree_stamp(overrides) if overrides else ())


def _aliases(collection) -> dict[str, tuple[str, ...]]:
    """Each object's ``aliases`` so far: the paths of the names that lead to it.

    Rendering resolves the imported names (``from x import y``) it meets and wraps the
    inherited members of the classes it shows; each such alias becomes an entry of its
    target's ``aliases``, which mkdocstrings registers in the inventory (``objects.inv``)
    and with autorefs after the render."""
    found: dict[str, tuple[str, ...]] = {}
    todo = list(collection.members.values())
    while todo:
        obj = todo.pop()
        if obj.is_alias:
            continue
        found[obj.path] = tuple(obj.aliases)
        todo.extend(obj.members.values())
    return found


def _new_aliases(before: dict, after: dict) -> list[str]:
    return [alias for path, aliases in after.items() for alias in aliases
            if alias not in before.get(path, ())]


def _resolve(collection, paths: list[str]) -> None:
    """Make again the aliases a render made: resolve an imported name, or wrap a class's
    inherited members (as its template does)."""
    wrapped = set()
    for path in paths:
        parent, _, name = path.rpartition(".")
        try:
            owner = collection.get_member(parent)
            member = owner.members.get(name)
            if member is not None and member.is_alias:
                if not member.resolved:
                    member.resolve_target()
            elif member is None and parent not in wrapped:
                wrapped.add(parent)
                owner.inherited_members  # noqa: B018 -- wraps them, as rendering does
        except Exception:  # noqa: BLE001, S112 -- as when rendering, an unresolvable alias is skipped
            continue


_installed = False


def install(config_file: str | None) -> None:
    """Wrap mkdocstrings' Python handler's ``render`` (once a process) with the memo."""
    global _installed, _config_file, _current
    _config_file, _current = config_file, rebuild.stamp()
    if _installed:
        return
    try:
        from mkdocstrings_handlers.python import PythonHandler
    except ImportError:  # pragma: no cover
        return
    original = PythonHandler.render

    def render(self, data, options, locale=None):
        name = (data.path, repr(options), locale)
        stamp = render_stamp(data.module.path, _config_file, _current)
        memo = _renders.get(name)
        if memo is not None and memo[0] == stamp:
            stats["render_hits"] += 1
            self._headings.extend(copy.deepcopy(memo[2]))
            _resolve(self._modules_collection, memo[3])
            return memo[1]
        stats["render_misses"] += 1
        start, before = len(self._headings), _aliases(self._modules_collection)
        html = original(self, data, options, locale=locale)
        _renders[name] = (stamp, html, copy.deepcopy(self._headings[start:]),
                          _new_aliases(before, _aliases(self._modules_collection)))
        return html

    PythonHandler.render = render
    _installed = True


_config_file: str | None = None
_current: tuple | None = None
