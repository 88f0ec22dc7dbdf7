"""Rebuilds under ``mkdocs serve``: cache keys kept in memory while no source file changed.

Every build computes the keys of the lessons, figures and interactive data
(``glassnet_site.cache``) by parsing the imports of the library's modules and hashing the
files they reach, which costs seconds on a loaded machine. A rebuild after an edit to a
Markdown page changes none of those files, so the hooks ask ``unchanged`` for each key: it
returns the one computed by the last build of the same process while every file of
``glassnet``, ``glassnet_site`` and ``lessons/`` has the size and modification time it had
then, and computes it again otherwise. A one-off ``mkdocs build`` computes everything, as
before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import TypeVar

from glassnet_site import cache

T = TypeVar("T")

_memo: dict[Hashable, tuple[tuple, object]] = {}


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
