"""Lesson pages: solution cells fold into collapsed blocks, the Colab link, plots as files.

The tidying is glassnet_site.lessons, run by the build hook docs/hooks/lessons.py.
"""

from __future__ import annotations

import ast
import base64
import io
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _site import ROOT
from bs4 import BeautifulSoup

from glassnet_site import cache, lesson_pages
from glassnet_site import lessons as hook

CELL = ('<div class="jp-Cell jp-CodeCell jp-Notebook-cell{tags}"><div class="jp-InputArea">'
        '{toolbar}<pre>{code}</pre></div><div class="jp-OutputArea"><div><pre>{out}</pre>'
        '</div></div></div>')
TOOLBAR = ('<div class="celltoolbar"><div class="button_container"><span>solution</span>'
           '</div></div>')


def cell(code, out, solution=False):
    return CELL.format(tags=" celltag_solution" if solution else "", code=code, out=out,
                       toolbar=TOOLBAR if solution else "")


def collapse(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    hook.collapse_solutions(soup)
    return str(soup)


def test_collapse_solutions_wraps_exactly_the_solution_cell_with_its_output():
    plain, answer = cell("x = 1", "1"), cell("def solution_1(): ...", "42", solution=True)
    html = collapse(plain + answer + plain)
    assert html.count("<details") == 1 and "celltoolbar" not in html
    inside = re.search(r"<details[^>]*><summary>Solution</summary>(.*?)</details>", html, re.S)
    assert "solution_1" in inside[1] and "42" in inside[1] and "x = 1" not in inside[1]
    assert html.startswith(plain) and html.endswith(plain)
    assert inside[1].count("<div") == inside[1].count("</div>")


def test_collapse_solutions_folds_nested_elements_of_one_cell_once():
    inner = cell("def solution_2(): ...", "7", solution=True)
    html = collapse('<div class="jp-Cell jp-CodeCell celltag_solution">' + inner + "</div>")
    assert html.count("<details") == 1 and html.startswith("<details")


def test_collapse_solutions_leaves_a_page_without_solutions_unchanged():
    html = cell("a", "b") + cell("c", "d")
    assert collapse(html) == html


def test_collapse_solutions_keeps_following_cells_out_of_unclosed_markup():
    # An unclosed <div> inside a solution cell must not swallow the cell after it.
    html = collapse('<div class="jp-Cell jp-CodeCell celltag_solution"><div>x</div></div>'
                    + cell("after", "1"))
    inside = re.search(r"<details[^>]*>(.*?)</details>", html, re.S)[1]
    assert "after" not in inside and "after" in html


@pytest.mark.parametrize("repo_url", ["https://github.com/glassnet/glassnet",
                                      "https://github.com/glassnet/glassnet/",
                                      "https://github.com/glassnet/glassnet.git"])
def test_colab_url_points_at_the_notebook_branch_of_the_repository(repo_url):
    url = hook.colab_url(repo_url, "lessons/01_perceptron.ipynb")
    assert url == ("https://colab.research.google.com/github/glassnet/glassnet/blob/"
                   "notebooks/lessons/01_perceptron.ipynb")


@pytest.mark.parametrize("repo_url", [None, "", "https://gitlab.com/a/b", "https://github.com/a"])
def test_colab_url_rejects_a_repo_url_that_is_not_a_github_repository(repo_url):
    with pytest.raises(hook.LessonError, match="repo_url"):
        hook.colab_url(repo_url, "lessons/01_perceptron.ipynb")


def test_add_colab_link_goes_under_the_first_title_only():
    soup = BeautifulSoup("<h1>Lesson</h1><p>x</p><h1>Other</h1>", "html.parser")
    hook.add_colab_link(soup, "https://colab/x")
    html = str(soup)
    assert html.startswith('<h1>Lesson</h1><p class="lesson-colab"><a class="md-button" '
                           'href="https://colab/x"')
    assert html.count("lesson-colab") == 1


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    plt.imsave(buffer, np.zeros((height, width, 3)), format="png")
    return buffer.getvalue()


def test_tidy_lesson_content_moves_plots_to_files_with_size_and_section_alt():
    data = _png(13, 7)
    html = ('<style>.jp{}</style><h2>Loss curves<a class="anchor-link" href="#x">¶</a></h2>'
            f'<img alt="" class="" src="data:image/png;base64,{base64.b64encode(data).decode()}"/>')
    written = []
    out = hook.tidy_lesson_content(html, lambda d: written.append(d) or "plot-1.png")
    assert written == [data] and "<style" not in out and "base64" not in out
    img = BeautifulSoup(out, "html.parser").img
    assert (img["src"], img["width"], img["height"]) == ("plot-1.png", "13", "7")
    assert img["alt"] == "Plot drawn by the code above, in the section “Loss curves”"


def test_tidy_lesson_content_gives_code_materials_markup_and_keeps_it_out_of_search():
    html = ('<div class="highlight-ipynb hl-python"><pre><span></span>x = 1</pre></div>'
            '<div class="jp-InputPrompt">In [1]:</div>'
            '<div class="zeroclipboard-container"><clipboard-copy>x</clipboard-copy></div>')
    soup = BeautifulSoup(hook.tidy_lesson_content(html, lambda d: ""), "html.parser")
    div = soup.find("div", class_="highlight")
    assert div["class"] == ["language-python", "highlight"]
    assert str(div.pre) == '<pre data-search-exclude=""><code>x = 1</code></pre>'
    assert soup.find(class_="jp-InputPrompt").has_attr("data-search-exclude")
    assert soup.find("clipboard-copy") is None


def test_tidy_lesson_content_points_notebook_links_at_lesson_pages():
    out = hook.tidy_lesson_content('<a href="05_backprop.ipynb#exercises">x</a>'
                                   '<a href="https://example.org/a.ipynb">y</a>', lambda d: "")
    assert 'href="../05_backprop/#exercises"' in out
    assert 'href="https://example.org/a.ipynb"' in out


def _counting_tidy(calls):
    def tidy(html, write_image, colab):
        calls.append(html)
        return f"{html}|{colab}|" + write_image(html.encode())
    return tidy


def test_a_tidied_lesson_page_is_reused_with_its_plots_until_its_html_changes(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(lesson_pages, "ROOT", tmp_path / "cache")
    calls = []
    tidy = _counting_tidy(calls)
    first = lesson_pages.tidied("01_x", "<p>a</p>", tmp_path / "one", "colab", tidy)
    again = lesson_pages.tidied("01_x", "<p>a</p>", tmp_path / "two", "colab", tidy)
    assert calls == ["<p>a</p>"] and again == first
    plots = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert plots and plots == sorted(p.name for p in (tmp_path / "two").iterdir())
    assert (tmp_path / "two" / plots[0]).read_bytes() == b"<p>a</p>"
    lesson_pages.tidied("01_x", "<p>b</p>", tmp_path / "three", "colab", tidy)
    lesson_pages.tidied("01_x", "<p>a</p>", tmp_path / "four", "other", tidy)
    assert calls == ["<p>a</p>", "<p>b</p>", "<p>a</p>"]


def test_a_change_to_the_tidying_code_tidies_the_page_again(tmp_path, monkeypatch):
    monkeypatch.setattr(lesson_pages, "ROOT", tmp_path / "cache")
    calls = []
    lesson_pages.tidied("01_x", "<p>a</p>", tmp_path / "one", None, _counting_tidy(calls))
    monkeypatch.setattr(lesson_pages, "code_key", lambda: "edited")
    lesson_pages.tidied("01_x", "<p>a</p>", tmp_path / "two", None, _counting_tidy(calls))
    assert len(calls) == 2


def test_the_tidying_code_key_covers_the_tidying_module_and_what_it_imports():
    files = cache.inputs(modules=("glassnet_site.lessons", "glassnet_site.lesson_pages"))
    assert {"glassnet_site/lessons.py", "glassnet_site/formulas.py",
            "glassnet_site/lesson_pages.py"} <= set(files)


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
