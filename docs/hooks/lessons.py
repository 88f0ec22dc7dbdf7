"""Build hook: execute every lesson and hand the executed notebook to mkdocs-jupyter.

Each ``lessons/NN_topic.py`` (jupytext percent format) is converted and executed by
``jupytext --execute`` in a subprocess, two at a time, and cached on a hash of the lesson
and the library, so a change in ``src/`` re-executes it. The executed ``.ipynb`` is added to
the build in memory as ``lessons/NN_topic.ipynb``: mkdocs-jupyter renders it (without
executing again) and offers it as the page's download. A lesson that raises fails the build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from glassnet_site import cache
from glassnet_site.images import png_size
from glassnet_site.threads import single_threaded_env

LESSON_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.py$")
TIMEOUT_S = 300


def lesson_dir(config) -> Path:
    return Path(config.config_file_path).resolve().parent / "lessons"


def execute(lesson: Path, library: str) -> Path:
    """Return the executed notebook of ``lesson``, running it only if it or glassnet changed."""
    key = hashlib.sha256(lesson.read_bytes() + library.encode()).hexdigest()[:16]
    out = cache.CACHE / "lessons" / key / "lessons" / lesson.with_suffix(".ipynb").name
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.{threading.get_ident()}.ipynb")
    cmd = [sys.executable, "-m", "jupytext", "--to", "ipynb", "--set-kernel", "python3",
           "--execute", "--run-path", str(lesson.parent), "--output", str(tmp), str(lesson)]
    # The kernel's debugger otherwise warns on stderr about frozen modules.
    env = {**single_threaded_env(), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired:
        raise PluginError(f"lesson {lesson.name} ran longer than {TIMEOUT_S} s") from None
    if proc.returncode != 0:
        raise PluginError(f"lesson {lesson.name} raised an error:\n{proc.stderr[-4000:]}")
    strip_snippet_markers(tmp)
    drop_run_details(tmp)
    os.replace(tmp, out)
    return out


def drop_run_details(notebook: Path) -> None:
    """Make an executed notebook depend only on its inputs, for byte-identical builds.

    jupytext gives cells random ids and the kernel stamps each with the time it ran; ids
    become the cell's position and the timings go.
    """
    data = json.loads(notebook.read_text())
    for i, cell in enumerate(data["cells"]):
        cell["id"] = f"cell-{i}"
        cell.get("metadata", {}).pop("execution", None)
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def strip_snippet_markers(notebook: Path) -> None:
    """Drop the ``# --8<--`` section markers that let pages include lesson code."""
    data = json.loads(notebook.read_text())
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            lines = [line for line in cell["source"] if "# --8<--" not in line]
            if lines:
                lines[-1] = lines[-1].rstrip("\n")
            cell["source"] = lines
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


@event_priority(100)  # before mkdocs-jupyter's on_files, which claims the notebooks
def on_files(files, config):
    lessons = sorted(p for p in lesson_dir(config).glob("*.py") if LESSON_NAME.match(p.name))
    library = cache.library_hash()
    with ThreadPoolExecutor(max_workers=2) as pool:
        executed = list(pool.map(lambda p: execute(p, library), lessons))
    for notebook in executed:
        # A real File rooted in the cache, not File.generated: mkdocs-jupyter's wrapper
        # recomputes abs_src_path from src_dir and would lose a generated file's path.
        files.append(File(f"lessons/{notebook.name}", src_dir=str(notebook.parent.parent),
                          dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    return files


# ---------------------------------------------------------------------------------------
# Slimming the rendered page. mkdocs-jupyter inlines JupyterLab's whole stylesheet, a
# clipboard script and Mermaid (from a CDN) into every lesson, and embeds each plot as
# base64. We keep only the notebook markup, style it with Material's own code styles, and
# write plots to files beside the page.
ARTICLE = '<article class="md-content__inner md-typeset">'
WRAPPER_START = '<div class="jupyter-wrapper">'
WRAPPER_END = "</div> <!-- jupyter-wrapper -->"
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>|<!--.*?-->", re.DOTALL)
# mkdocs-jupyter's own copy button; Material adds one to every code block.
CLIPBOARD = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
                       r'|<div class="clipboard-copy-txt"[^>]*>.*?</div>', re.DOTALL)
# (<pre> may carry data-search-exclude, added for Material's search in on_page_content.)
CODE_INPUT = re.compile(r'<div class="highlight-ipynb[^"]*"><pre[^>]*><span></span>(.*?)</pre>',
                        re.DOTALL)
# Code blocks in a lesson's Markdown cells come without <code>; given one, Material styles
# them like every other block (scrolling, focusable when wide, a copy button).
MARKDOWN_CODE = re.compile(r'<div class="highlight"><pre[^>]*><span></span>(.*?)</pre>',
                           re.DOTALL)
PNG = re.compile(r'<img alt="[^"]*" class="" src="data:image/png;base64,([^"]+)"\s*/?>')
HEADING = re.compile(r"<h[1-3][^>]*>(.*?)<a class=\"anchor-link\"", re.DOTALL)
# A code cell tagged "solution" (``# %% tags=["solution"]`` in the lesson file) is folded into
# a collapsed block; the tag chips mkdocs-jupyter draws above tagged cells are dropped.
SOLUTION_CELL = re.compile(r'<div class="jp-Cell jp-CodeCell[^"]*\bcelltag_solution\b[^"]*">')
CELLTOOLBAR = '<div class="celltoolbar">'
DIV_TAG = re.compile(r"<div\b|</div>")
FIRST_H1_END = re.compile(r"</h1>")
# Colab opens notebooks only from GitHub (or Drive, or a gist); the Pages workflow pushes the
# executed notebooks to this branch of the repository (see lessons/README.md).
NOTEBOOK_BRANCH = "notebooks"
# Lessons link to each other as ``NN_topic.ipynb``, which works where the notebooks sit side by
# side (Jupyter, Colab); on the site each lesson is a page of its own, ``../NN_topic/``.
SIBLING_LESSON = re.compile(r'href="(\d\d_[a-z0-9_]+)\.ipynb(#[^"]*)?"')


def colab_url(repo_url: str, src_uri: str) -> str:
    """The Colab link of a lesson notebook, e.g. ``lessons/01_perceptron.ipynb``, in ``repo_url``.

    ``https://github.com/OWNER/REPO`` becomes
    ``https://colab.research.google.com/github/OWNER/REPO/blob/notebooks/lessons/NN.ipynb``.
    """
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repo_url or "")
    if match is None:
        raise PluginError(f"lessons: repo_url must be https://github.com/OWNER/REPO for the "
                          f"Colab link, got {repo_url!r}")
    owner, repo = match.groups()
    return (f"https://colab.research.google.com/github/{owner}/{repo}/blob/{NOTEBOOK_BRANCH}/"
            f"{src_uri}")


def _div_end(html: str, start: int) -> int:
    """Index just past the ``</div>`` that closes the ``<div`` opening at ``start``."""
    depth = 0
    for match in DIV_TAG.finditer(html, start):
        depth += -1 if match[0] == "</div>" else 1
        if depth == 0:
            return match.end()
    raise PluginError("lessons: unbalanced <div> in a rendered notebook")


def collapse_solutions(notebook: str) -> str:
    """Drop tag chips and wrap every solution cell (input and outputs) in a closed ``<details>``."""
    while (start := notebook.find(CELLTOOLBAR)) >= 0:
        notebook = notebook[:start] + notebook[_div_end(notebook, start):]
    pieces, last = [], 0
    for match in SOLUTION_CELL.finditer(notebook):
        end = _div_end(notebook, match.start())
        pieces += [notebook[last:match.start()], '<details class="success solution">'
                   "<summary>Solution</summary>", notebook[match.start():end], "</details>"]
        last = end
    return "".join(pieces) + notebook[last:]


def add_colab_link(notebook: str, url: str) -> str:
    """Put an "Open in Colab" text button (no third-party image) under the lesson's title."""
    link = (f'<p class="lesson-colab"><a class="md-button" href="{url}" target="_blank" '
            f'rel="noopener">Open in Colab</a></p>')
    return FIRST_H1_END.sub(lambda m: m[0] + link, notebook, count=1)


def slim_lesson_page(output: str, write_image, colab: str | None = None) -> str:
    """Strip inlined assets from a lesson page and move its plots into files.

    Solution cells are folded into collapsed blocks and, given ``colab`` (a URL), an
    "Open in Colab" link goes under the title.
    """
    head, _, rest = output.partition(ARTICLE)
    before, _, rest = rest.partition(WRAPPER_START)
    notebook, _, tail = rest.partition(WRAPPER_END)
    tail = SCRIPT_OR_STYLE.sub("", tail, count=1) if tail.lstrip().startswith("<style") else tail
    notebook = collapse_solutions(CLIPBOARD.sub("", notebook))
    notebook = SIBLING_LESSON.sub(lambda m: f'href="../{m[1]}/{m[2] or ""}"', notebook)
    if colab:
        notebook = add_colab_link(notebook, colab)
    notebook = CODE_INPUT.sub(
        r'<div class="language-python highlight"><pre><code>\1</code></pre>', notebook)
    notebook = MARKDOWN_CODE.sub(r'<div class="highlight"><pre><code>\1</code></pre>', notebook)
    pieces, last = [], 0
    for match in PNG.finditer(notebook):
        headings = HEADING.findall(notebook, 0, match.start())
        section = re.sub(r"<[^>]+>", "", headings[-1]).strip() if headings else "the lesson"
        data = base64.b64decode(match[1])
        try:
            width, height = png_size(data)
        except ValueError as error:
            raise PluginError(f"a lesson plot is {error}") from None
        pieces += [notebook[last:match.start()],
                   f'<img alt="Plot drawn by the code above, in the section “{section}”" '
                   f'src="{write_image(data)}" width="{width}" height="{height}" '
                   'loading="lazy">']
        last = match.end()
    notebook = "".join(pieces) + notebook[last:]
    return (head + ARTICLE + SCRIPT_OR_STYLE.sub("", before) + WRAPPER_START + notebook
            + WRAPPER_END + tail)


# Elements of a lesson's code cells, marked so that Material's search leaves them out. The
# marks go on innermost elements: Material ends an exclusion at the first closing tag of the
# same name, so a mark on a cell's outer <div> would stop at its first inner </div>.
SEARCH_EXCLUDED = re.compile(r'<(pre|clipboard-copy|div class="(?:jp-InputPrompt|jp-OutputPrompt|'
                             r'clipboard-copy-txt)[^"]*")')


def on_page_content(html, page, config, files):
    """Keep lesson code and printed output out of the search index: readers search for
    ideas, which the Markdown cells hold, and the code would double the index."""
    if not page.file.src_uri.startswith("lessons/"):
        return html
    return SEARCH_EXCLUDED.sub(lambda m: f"<{m[1]} data-search-exclude", html)


def on_post_page(output, page, config):
    if not page.file.src_uri.startswith("lessons/"):
        return output
    page_dir = Path(page.file.abs_dest_path).parent

    def write_image(data: bytes) -> str:
        name = f"plot-{hashlib.sha256(data).hexdigest()[:12]}.png"
        page_dir.mkdir(parents=True, exist_ok=True)
        (page_dir / name).write_bytes(data)
        return name

    return slim_lesson_page(output, write_image, colab_url(config.repo_url, page.file.src_uri))
