"""Rebuilds under ``mkdocs serve``: cache keys kept in memory while no source file changed.

Every build computes the keys of the lessons, figures and interactive data
(``glassnet_site.cache``) by parsing the imports of the library's modules and hashing the
files they reach, which costs seconds on a loaded machine. A rebuild after an edit to a
Markdown page changes none of those files, so the build (``figure_pages``,
``interactive_cache``, ``lesson_pages``) asks ``unchanged`` for each key: it returns the one
computed by the last build of the same process while every file of ``glassnet``,
``glassnet_site`` and ``lessons/`` has the size and modification time it had then, and
computes it again otherwise. A one-off ``mkdocs build`` computes everything, as before.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable
from typing import TypeVar

from glassnet_site import cache

T = TypeVar("T")

_memo: dict[Hashable, tuple[tuple, object]] = {}


def watched_paths() -> list[str]:
    """What ``mkdocs serve`` watches besides ``docs/``: both packages where they are
    installed, and the lessons (each figure, fact, lesson and interactive part is then made
    again only if its own inputs changed)."""
    roots = [cache.package_dir(package) for package in cache.PACKAGES]
    return [str(path) for path in dict.fromkeys([*roots, cache.ROOT / "lessons"])]


def stamp() -> tuple:
    """The path, size and modification time of every file the keys can depend on."""
    roots = [cache.package_dir(package) for package in cache.PACKAGES]
    found = []
    for root in [*roots, cache.ROOT / "lessons"]:
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            for name in sorted(files):
                info = os.stat(os.path.join(directory, name))
                found.append((directory, name, info.st_size, info.st_mtime_ns))
    return tuple(found)


def unchanged(name: Hashable, compute: Callable[[], T], current: tuple | None = None) -> T:
    """``compute()``, or what it returned last time for ``name`` if no source file changed
    since (``current``: the ``stamp()`` already taken for this build, if any)."""
    current = stamp() if current is None else current
    memo = _memo.get(name)
    if memo is not None and memo[0] == current:
        return memo[1]  # type: ignore[return-value]
    value = compute()
    _memo[name] = (current, value)
    return value


class ServeBuilds:
    """Builds the way ``mkdocs serve`` does, for tests and benchmarks: the configuration is
    loaded afresh for every build (plugins without ``on_startup`` new; MkDocs loads each hook
    module once per process, so the hooks' state lives on), in one process, so whatever the
    build keeps between rebuilds is kept here too.

    ``serve_url`` as ``mkdocs serve`` passes it (it adds the live-reload script to every
    page); ``None`` builds what ``mkdocs build`` writes, to compare with a clean build.
    """

    def __init__(self, config_file, site_dir, serve_url: str | None = None, **overrides):
        self.config_file, self.site_dir = str(config_file), str(site_dir)
        self.serve_url, self.overrides = serve_url, overrides
        self.started = False

    def _config(self):
        from mkdocs.config import load_config

        config = load_config(config_file=self.config_file, site_dir=self.site_dir,
                             **self.overrides)
        if self.serve_url:
            config.site_url = self.serve_url
        return config

    def build(self) -> None:
        from mkdocs.commands.build import build

        config = self._config()
        if not self.started:
            config.plugins.on_startup(command="serve", dirty=False)
            self.started = True
        build(config, serve_url=self.serve_url, dirty=False)


# What turns a figure function into its files besides the figure's own module
# (``glassnet_site.figures.__main__.RENDERER``; tests/test_cache.py checks they agree).
FIGURE_RENDERER = ("glassnet_site.figures.registry", "glassnet_site.figures.__main__",
                   "glassnet_site.images")


def figure_inputs() -> dict[str, str]:
    """The SHA-256 of every file the figures' listing can depend on, by name.

    ``python -m glassnet_site.figures --cache`` lists every figure and fact with the entry
    its key names; each key covers the module that registers it, what that imports and the
    renderer (``glassnet_site.cache.key``). The listing is therefore a function of the files
    of every figure module's import closure, the renderer's, and of the Python and library
    versions: while those hold, an edit elsewhere in ``src/`` (a module no figure imports)
    leaves the listing as it was, and ``glassnet_site.figure_pages.listing`` reuses it
    without starting the process. A figure module added or removed changes the names
    listed here.
    """
    figures = cache.package_dir("glassnet_site") / "figures"
    modules = [f"glassnet_site.figures.{path.stem}" for path in sorted(figures.glob("*.py"))
               if path.stem != "__init__"]
    found = {"versions": cache._base_digest().hexdigest()}
    for name, path in cache.inputs([*modules, *FIGURE_RENDERER]).items():
        found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
