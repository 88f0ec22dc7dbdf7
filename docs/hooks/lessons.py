"""Build hook: every lesson, executed, handed to mkdocs-jupyter, and its page tidied.

``glassnet_site.lesson_pages.executed_notebooks`` runs each ``lessons/NN_topic.py`` (two at
a time, each cached on its own inputs: the lesson, the library modules it imports and their
data, see ``glassnet_site.cache.lesson_key``) into an executed notebook, which this hook adds
to the build as ``lessons/NN_topic.ipynb`` for mkdocs-jupyter to render (without executing
again) and to offer as the page's download; ``lesson_pages.tidied`` then tidies the rendered
page, once for each version of it. A lesson that raises fails the build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from glassnet_site import lesson_pages
from glassnet_site.lessons import LessonError, colab_url


@event_priority(100)  # before mkdocs-jupyter's on_files, which claims the notebooks
def on_files(files, config):
    lesson_dir = Path(config.config_file_path).resolve().parent / "lessons"
    try:
        executed = lesson_pages.executed_notebooks(lesson_dir)
    except LessonError as error:
        raise PluginError(str(error)) from None
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

