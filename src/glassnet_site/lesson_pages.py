"""Lessons for the site: every lesson executed, and its tidied page kept between builds.

``executed_notebooks`` runs every ``lessons/NN_topic.py`` that changed into an executed
notebook (``glassnet_site.lessons.execute``, each cached on ``cache.lesson_key``), for
mkdocs-jupyter to render. A rebuild then tidies only the lessons whose page changed:
``glassnet_site.lessons.tidy_lesson_content`` parses each lesson page as mkdocs-jupyter
rendered it (most of a megabyte, its plots inlined) with BeautifulSoup, which costs seconds a
page and, before this cache, was paid again on every rebuild of ``mkdocs serve``, whatever
the edit. ``tidied`` keeps the result, the page's HTML and its plots, in
``.cache/lesson-pages/NN_topic-KEY/``, keyed on everything the result depends on: the
rendered HTML, the Colab link, the tidying code (``glassnet_site.lessons`` and the modules it
imports, through ``glassnet_site.cache.key``) and the versions of BeautifulSoup and KaTeX.

This module is apart from ``glassnet_site.lessons`` so that the executed lessons, keyed on
that module's code, do not depend on it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
from collections.abc import Callable
from pathlib import Path

from glassnet_site import cache, formulas, rebuild
from glassnet_site.lessons import execute_all, lesson_files, tidy_lesson_content

ROOT = cache.CACHE / "lesson-pages"
PAGE = "page.html"
KEEP = 4  # entries kept of each lesson, for other versions of it (branches, builds)

_code_keys: dict[tuple, str] = {}
NOTEBOOKS = cache.CACHE / "lessons"  # the executed notebooks, one NN_topic-DIGEST per lesson


def executed_notebooks(lesson_dir: Path) -> list[Path]:
    """Every ``NN_topic.py`` of ``lesson_dir`` as an executed notebook, in order: each
    executed only if its key (``cache.lesson_key``) is new, two at a time; the first lesson
    that fails, in that order, raises its ``LessonError`` once the others running are done.
    Under ``mkdocs serve`` the keys are computed again only when a source file changed."""
    lessons = lesson_files(lesson_dir)
    keys = rebuild.unchanged(("lessons", tuple(lessons)),
                             lambda: {lesson: cache.lesson_key(lesson) for lesson in lessons})
    executed = execute_all(lessons, keys, NOTEBOOKS)
    cache.evict_stale(NOTEBOOKS)
    return executed


def code_key() -> str:
    """The key of the tidying code and the libraries it runs on, computed again only when a
    source file of ``glassnet_site`` changed (its size or modification time)."""
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                         for p in cache.package_dir("glassnet_site").rglob("*.py")))
    if stamp not in _code_keys:
        _code_keys.clear()
        versions = (f"beautifulsoup4={importlib.metadata.version('beautifulsoup4')}|"
                    f"katex={formulas.katex_version()}")
        _code_keys[stamp] = cache.key(modules=("glassnet_site.lessons",
                                               "glassnet_site.lesson_pages"), salt=versions)
    return _code_keys[stamp]


def entry(name: str, html: str, colab: str | None) -> Path:
    """Where the tidied page of lesson ``name`` rendered as ``html`` is cached."""
    digest = hashlib.sha256(code_key().encode())
    digest.update(f"\0{colab or ''}\0".encode())
    digest.update(html.encode())
    return ROOT / f"{name}-{digest.hexdigest()[:16]}"


def tidied(name: str, html: str, page_dir: Path, colab: str | None = None,
           tidy: Callable[..., str] = tidy_lesson_content) -> str:
    """``tidy(html, write_image, colab)`` for lesson ``name``, its plots written to
    ``page_dir``; from the cache when the same HTML was tidied by the same code before."""
    out = entry(name, html, colab)
    page = out / PAGE
    if page.is_file():
        page_dir.mkdir(parents=True, exist_ok=True)
        for plot in sorted(out.iterdir()):
            if plot.name != PAGE:
                shutil.copyfile(plot, page_dir / plot.name)
        cache.touch(out)
        return page.read_text(encoding="utf-8")
    # A private directory renamed when complete: a concurrent build never reads half of it.
    with cache.entry_dir(out) as tmp:
        def write_image(data: bytes) -> str:
            plot = f"plot-{hashlib.sha256(data).hexdigest()[:12]}.png"
            page_dir.mkdir(parents=True, exist_ok=True)
            (page_dir / plot).write_bytes(data)
            (tmp / plot).write_bytes(data)
            return plot

        result = tidy(html, write_image, colab)
        (tmp / PAGE).write_text(result, encoding="utf-8")
    cache.evict_stale(ROOT, KEEP)
    return result
