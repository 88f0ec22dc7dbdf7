"""The lesson hook folds solution cells into collapsed blocks and adds the Colab link."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys

import pytest
from _site import ROOT

sys.path.insert(0, str(ROOT / "docs/hooks"))
_spec = importlib.util.spec_from_file_location("lessons_hook", ROOT / "docs/hooks/lessons.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)

CELL = ('<div class="jp-Cell jp-CodeCell jp-Notebook-cell {tags}"><div class="jp-InputArea">'
        '{toolbar}<pre>{code}</pre></div><div class="jp-OutputArea"><div><pre>{out}</pre>'
        '</div></div></div>')
TOOLBAR = ('<div class="celltoolbar"><div class="button_container"><span>solution</span>'
           '</div></div>')


def cell(code, out, solution=False):
    return CELL.format(tags=" celltag_solution" if solution else "", code=code, out=out,
                       toolbar=TOOLBAR if solution else "")


def test_collapse_solutions_wraps_exactly_the_solution_cell_with_its_output():
    plain, answer = cell("x = 1", "1"), cell("def solution_1(): ...", "42", solution=True)
    html = hook.collapse_solutions(plain + answer + plain)
    assert html.count("<details") == 1 and "celltoolbar" not in html
    inside = re.search(r"<details[^>]*><summary>Solution</summary>(.*?)</details>", html, re.S)
    assert "solution_1" in inside[1] and "42" in inside[1] and "x = 1" not in inside[1]
    assert html.startswith(plain) and html.endswith(plain)
    assert inside[1].count("<div") == inside[1].count("</div>")


def test_collapse_solutions_leaves_a_page_without_solutions_unchanged():
    html = cell("a", "b") + cell("c", "d")
    assert hook.collapse_solutions(html) == html


def test_collapse_solutions_rejects_unbalanced_markup():
    with pytest.raises(hook.PluginError, match="unbalanced"):
        hook.collapse_solutions('<div class="jp-Cell jp-CodeCell celltag_solution"><div>')


@pytest.mark.parametrize("repo_url", ["https://github.com/glassnet/glassnet",
                                      "https://github.com/glassnet/glassnet/",
                                      "https://github.com/glassnet/glassnet.git"])
def test_colab_url_points_at_the_notebook_branch_of_the_repository(repo_url):
    url = hook.colab_url(repo_url, "lessons/01_perceptron.ipynb")
    assert url == ("https://colab.research.google.com/github/glassnet/glassnet/blob/"
                   "notebooks/lessons/01_perceptron.ipynb")


@pytest.mark.parametrize("repo_url", [None, "", "https://gitlab.com/a/b", "https://github.com/a"])
def test_colab_url_rejects_a_repo_url_that_is_not_a_github_repository(repo_url):
    with pytest.raises(hook.PluginError, match="repo_url"):
        hook.colab_url(repo_url, "lessons/01_perceptron.ipynb")


def test_add_colab_link_goes_under_the_first_title_only():
    html = hook.add_colab_link("<h1>Lesson</h1><p>x</p><h1>Other</h1>", "https://colab/x")
    assert html.startswith('<h1>Lesson</h1><p class="lesson-colab"><a class="md-button" '
                           'href="https://colab/x"')
    assert html.count("lesson-colab") == 1


# --- on the built site ------------------------------------------------------------------

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py"))


def _solution_count(path) -> int:
    return sum(isinstance(n, ast.FunctionDef) and n.name.startswith("solution_")
               for n in ast.parse(path.read_text()).body)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_built_lesson_page_collapses_each_solution_and_links_to_colab(site, mkdocs_config,
                                                                     lesson):
    text = (site / "lessons" / lesson.stem / "index.html").read_text(encoding="utf-8")
    assert text.count('<details class="success solution">') == _solution_count(lesson)
    assert "<details open" not in text and "celltoolbar" not in text
    links = re.findall(r'class="lesson-colab"><a class="md-button" href="([^"]+)"', text)
    assert links == [hook.colab_url(mkdocs_config["repo_url"], f"lessons/{lesson.stem}.ipynb")]
