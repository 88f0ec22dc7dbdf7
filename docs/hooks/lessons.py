"""Build hook: execute every lesson and hand the executed notebook to mkdocs-jupyter.

The work is done by ``glassnet_site.lessons``: ``execute_all`` runs each ``lessons/NN_topic.py``
(two at a time, each cached on its own inputs: the lesson, the library modules it imports
and their data, see ``glassnet_site.cache.lesson_key``) into an executed notebook, which this
hook adds to the build as ``lessons/NN_topic.ipynb`` for mkdocs-jupyter to render (without
executing again) and to offer as the page's download; ``tidy_lesson_content`` then tidies
the rendered page, once for each version of it (``glassnet_site.lesson_pages``). A lesson
that raises fails the build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from glassnet_site import cache, lesson_pages, rebuild
from glassnet_site.lessons import (
    LessonError,
    colab_url,
    execute_all,
    lesson_files,
)


@event_priority(100)  # before mkdocs-jupyter's on_files, which claims the notebooks
def on_files(files, config):
    lessons = lesson_files(Path(config.config_file_path).resolve().parent / "lessons")
    out = cache.CACHE / "lessons"
    # Computed again only when a source file changed since the last build (under serve).
    keys = rebuild.unchanged(("lessons", tuple(lessons)),
                             lambda: {lesson: cache.lesson_key(lesson) for lesson in lessons})
    try:
        executed = execute_all(lessons, keys, out)
    except LessonError as error:
        raise PluginError(str(error)) from None
    cache.evict_stale(out)
    for notebook in executed:
        # A real File rooted in the cache, not File.generated: mkdocs-jupyter's wrapper
        # recomputes abs_src_path from src_dir and would lose a generated file's path.
        files.append(File(f"lessons/{notebook.name}", src_dir=str(notebook.parent.parent),
                          dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    return files


def on_page_content(html, page, config, files):
    if not page.file.src_uri.startswith("lessons/"):
        return html
    page_dir = Path(page.file.abs_dest_path).parent
    try:
        return lesson_pages.tidied(Path(page.file.src_uri).stem, html, page_dir,
                                   colab_url(config.repo_url, page.file.src_uri))
    except LessonError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None


def on_serve(server, config, builder):
    """make serve rebuilds on a change to the library or a lesson too (each figure, fact,
    lesson and interactive part is then re-made only if its own inputs changed)."""
    root = Path(config.config_file_path).resolve().parent
    for name in ("src", "lessons"):
        if (root / name).is_dir():
            server.watch(str(root / name))
    return server
