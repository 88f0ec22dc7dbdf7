"""Lessons on the site: execute each ``lessons/NN_topic.py`` and tidy the page it becomes.

``execute`` turns a lesson (jupytext percent format) into an executed notebook, cached on
the lesson and the library modules it imports, with the details of one run (cell ids,
timings, the section markers pages use to include lesson code) taken out, so the file
depends only on its inputs.

mkdocs-jupyter renders the notebook into the page. ``tidy_lesson_content`` then rewrites that
markup with an HTML parser (BeautifulSoup), never with regular expressions: it drops the
styles, scripts and copy buttons mkdocs-jupyter inlines into every lesson (Material styles
the code and gives every block a copy button), folds each cell tagged ``solution`` into a
closed ``<details>``, puts an "Open in Colab" link under the title, points links between
lessons at their pages, moves each plot out of the page into a file of its own and renders
the Markdown cells' formulas (``glassnet_site.formulas``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Tag

from glassnet_site import formulas
from glassnet_site.cache import write_atomic
from glassnet_site.images import png_size
from glassnet_site.threads import single_threaded_env

TIMEOUT_S = 300
# Colab opens notebooks only from GitHub (or Drive, or a gist); the Pages workflow pushes the
# executed notebooks to this branch of the repository (see lessons/README.md).
NOTEBOOK_BRANCH = "notebooks"
LESSON_FILE = re.compile(r"^\d\d_[a-z0-9_]+\.py$")
SIBLING_NOTEBOOK = re.compile(r"^(\d\d_[a-z0-9_]+)\.ipynb(#.*)?$")
GITHUB_REPO = re.compile(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?")


class LessonError(Exception):
    """A lesson that cannot be executed or rendered; the message says which and why."""


# --- executing a lesson ----------------------------------------------------------------

def execute(lesson: Path, key: str, cache: Path) -> Path:
    """The executed notebook of ``lesson`` under ``cache``, running it only if ``key`` is new.

    ``key`` names what the result depends on besides the lesson itself (``cache.lesson_key``:
    the library modules the lesson imports). Each lesson has its own ``NN_topic-DIGEST``
    directory, so ``cache.evict_stale`` keeps a few versions of each.
    """
    out = executed_path(lesson, key, cache)
    if out.exists():
        os.utime(out.parent.parent)  # just used: kept by cache.evict_stale
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    # The kernel's debugger otherwise warns on stderr about frozen modules.
    env = {**single_threaded_env(), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    with tempfile.TemporaryDirectory(dir=out.parent, prefix="computing-") as tmp:
        executed = Path(tmp) / out.name
        cmd = [sys.executable, "-m", "jupytext", "--to", "ipynb", "--set-kernel", "python3",
               "--execute", "--run-path", str(lesson.parent), "--output", str(executed),
               str(lesson)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S,
                                  env=env)
        except subprocess.TimeoutExpired:
            raise LessonError(f"lesson {lesson.name} ran longer than {TIMEOUT_S} s") from None
        if proc.returncode != 0:
            raise LessonError(f"lesson {lesson.name} raised an error:\n{proc.stderr[-4000:]}")
        notebook = json.loads(executed.read_text())
    write_atomic(out, json.dumps(drop_run_details(strip_snippet_markers(notebook)),
                                 indent=1, ensure_ascii=False) + "\n")
    return out


def execute_all(lessons: list[Path], keys: dict[Path, str], cache: Path,
                workers: int = 2) -> list[Path]:
    """``execute`` for every lesson, ``workers`` at a time (each kernel runs single-threaded),
    in the order given; the first lesson that fails, in that order, raises its
    ``LessonError`` once the lessons already running are done."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda lesson: execute(lesson, keys[lesson], cache), lessons))


def executed_path(lesson: Path, key: str, cache: Path) -> Path:
    """Where ``execute`` keeps the executed notebook of ``lesson`` for ``key``:
    ``NN_topic-DIGEST/lessons/NN_topic.ipynb`` under ``cache``."""
    digest = hashlib.sha256(lesson.read_bytes() + key.encode()).hexdigest()[:16]
    return cache / f"{lesson.stem}-{digest}" / "lessons" / lesson.with_suffix(".ipynb").name


def drop_run_details(notebook: dict) -> dict:
    """The notebook with cell ids numbered by position and the kernel's timings removed.

    jupytext gives cells random ids and the kernel stamps each with the time it ran; without
    them two executions of the same lesson give the same bytes.
    """
    for i, cell in enumerate(notebook["cells"]):
        cell["id"] = f"cell-{i}"
        cell.get("metadata", {}).pop("execution", None)
    return notebook


def strip_snippet_markers(notebook: dict) -> dict:
    """The notebook without the ``# --8<--`` lines that let pages include lesson code."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            lines = [line for line in cell["source"] if "# --8<--" not in line]
            if lines:
                lines[-1] = lines[-1].rstrip("\n")
            cell["source"] = lines
    return notebook


def lesson_files(directory: Path) -> list[Path]:
    """The lessons in ``directory``: ``NN_topic.py`` files, in order."""
    return sorted(p for p in directory.glob("*.py") if LESSON_FILE.match(p.name))


def colab_url(repo_url: str | None, src_uri: str) -> str:
    """The Colab link of a lesson notebook, e.g. ``lessons/01_perceptron.ipynb``, in ``repo_url``.

    ``https://github.com/OWNER/REPO`` becomes
    ``https://colab.research.google.com/github/OWNER/REPO/blob/notebooks/lessons/NN.ipynb``.
    """
    match = GITHUB_REPO.fullmatch(repo_url or "")
    if match is None:
        raise LessonError(f"lessons: repo_url must be https://github.com/OWNER/REPO for the "
                          f"Colab link, got {repo_url!r}")
    owner, repo = match.groups()
    return (f"https://colab.research.google.com/github/{owner}/{repo}/blob/{NOTEBOOK_BRANCH}/"
            f"{src_uri}")


# --- tidying the rendered page --------------------------------------------------------

def _has_class(name: str) -> Callable[[Tag], bool]:
    return lambda tag: isinstance(tag, Tag) and name in (tag.get("class") or ())


def collapse_solutions(soup: BeautifulSoup | Tag) -> None:
    """Drop the tag chips above tagged cells and fold each solution cell into ``<details>``."""
    for toolbar in soup.find_all(_has_class("celltoolbar")):
        toolbar.decompose()
    solution = _has_class("celltag_solution")
    # mkdocs-jupyter nests two elements with the cell's classes; fold the outer one only.
    for cell in soup.find_all(solution):
        if cell.find_parent(solution) is not None:
            continue
        details = soup.new_tag("details", attrs={"class": "success solution"})
        summary = soup.new_tag("summary")
        summary.string = "Solution"
        cell.wrap(details)
        details.insert(0, summary)


def add_colab_link(soup: BeautifulSoup | Tag, url: str) -> None:
    """An "Open in Colab" text button (no third-party image) under the lesson's title."""
    title = soup.find("h1")
    if title is None:
        raise LessonError("lessons: a lesson page has no title (<h1>) for the Colab link")
    paragraph = soup.new_tag("p", attrs={"class": "lesson-colab"})
    link = soup.new_tag("a", attrs={"class": "md-button", "href": url, "target": "_blank",
                                    "rel": "noopener"})
    link.string = "Open in Colab"
    paragraph.append(link)
    title.insert_after(paragraph)


def link_sibling_lessons(soup: BeautifulSoup | Tag) -> None:
    """``NN_topic.ipynb`` links (right in Jupyter and Colab) point at ``../NN_topic/``."""
    for link in soup.find_all("a", href=SIBLING_NOTEBOOK):
        match = SIBLING_NOTEBOOK.match(link["href"])
        link["href"] = f"../{match[1]}/{match[2] or ''}"


def restyle_code(soup: BeautifulSoup | Tag) -> None:
    """Give code blocks Material's markup, so they look and behave like every other block.

    Notebook inputs come as ``<div class="highlight-ipynb"><pre><span></span>...`` and code
    in Markdown cells without ``<code>``; Material styles ``div.highlight > pre > code``
    (scrolling, focus when wide, a copy button).
    """
    blocks = [(div, ["language-python", "highlight"])
              for div in soup.find_all(_has_class("highlight-ipynb"))]
    blocks += [(div, None) for div in soup.find_all("div", class_="highlight")]
    for div, classes in blocks:
        pre = div.find("pre", recursive=False)
        if pre is None or pre.find("code", recursive=False) is not None:
            continue
        if classes:
            div["class"] = classes
        first = next(iter(pre.contents), None)
        if isinstance(first, Tag) and first.name == "span" and not first.contents:
            first.decompose()  # Pygments' empty leading span
        code = soup.new_tag("code")
        for child in list(pre.contents):
            code.append(child.extract())
        pre.append(code)
        for name in list(pre.attrs):
            if name != "data-search-exclude":
                del pre[name]


def move_plots(soup: BeautifulSoup | Tag, write_image: Callable[[bytes], str]) -> None:
    """Write each embedded PNG to a file beside the page, with its size and a useful alt."""
    heading = "the lesson"
    for tag in soup.find_all(["h1", "h2", "h3", "img"]):
        if tag.name != "img":
            heading = tag.get_text(" ", strip=True).rstrip("¶").strip() or heading
            continue
        src = tag.get("src", "")
        if not src.startswith("data:image/png;base64,"):
            continue
        data = base64.b64decode(src.removeprefix("data:image/png;base64,"))
        try:
            width, height = png_size(data)
        except ValueError as error:
            raise LessonError(f"a lesson plot is {error}") from None
        tag.attrs = {"alt": f"Plot drawn by the code above, in the section “{heading}”",
                     "src": write_image(data), "width": str(width), "height": str(height),
                     "loading": "lazy"}


def drop_inlined_assets(soup: BeautifulSoup | Tag) -> None:
    """Remove the styles, scripts, comments and copy buttons mkdocs-jupyter inlines."""
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    for tag in soup.find_all(["clipboard-copy"]):
        tag.decompose()
    for tag in soup.find_all(_has_class("zeroclipboard-container")):
        tag.decompose()
    for tag in soup.find_all(_has_class("clipboard-copy-txt")):
        tag.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()


# Elements of a lesson's code cells that Material's search leaves out: readers search for
# ideas, which the Markdown cells hold, and the code would double the index. The marks go on
# innermost elements: Material ends an exclusion at the first closing tag of the same name.
SEARCH_EXCLUDED = ("jp-InputPrompt", "jp-OutputPrompt")


def exclude_code_from_search(soup: BeautifulSoup | Tag) -> None:
    """Put ``data-search-exclude`` on every code block and prompt."""
    for tag in soup.find_all("pre"):
        tag["data-search-exclude"] = ""
    for name in SEARCH_EXCLUDED:
        for tag in soup.find_all(_has_class(name)):
            tag["data-search-exclude"] = ""


def tidy_lesson_content(html: str, write_image: Callable[[bytes], str],
                        colab: str | None = None) -> str:
    """The content of a lesson page as mkdocs-jupyter rendered it, tidied (see the module
    docstring), with its code kept out of the search index."""
    soup = BeautifulSoup(html, "html.parser")
    drop_inlined_assets(soup)
    collapse_solutions(soup)
    link_sibling_lessons(soup)
    if colab:
        add_colab_link(soup, colab)
    restyle_code(soup)
    move_plots(soup, write_image)
    exclude_code_from_search(soup)
    formulas.render_soup(soup)
    return str(soup)
