"""A broken lesson, figure reference, link or snippet each fails the strict build.

Each case builds a one-page site that uses the real hooks and plugins, so the check is
of the actual build, not of a copy of its rules.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml
from _site import ROOT, load_mkdocs_config, mkdocs_build

GOOD_PAGE = "# A page\n\nSome text with math $x^2$.\n"


def make_project(tmp_path, page: str = GOOD_PAGE, lesson: str | None = None):
    """A minimal site using the repository's hooks, plugins and extensions."""
    config = load_mkdocs_config()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(page)
    (tmp_path / "lessons").mkdir()
    nav = [{"Home": "index.md"}]
    if lesson is not None:
        (tmp_path / "lessons" / "01_broken.py").write_text(textwrap.dedent(lesson))
        nav.append({"Lesson": "lessons/01_broken.ipynb"})
    config.update(
        docs_dir=str(docs), nav=nav, extra_css=[], exclude_docs="",
        hooks=[str(ROOT / h) for h in config["hooks"]],
        theme={**config["theme"], "custom_dir": str(ROOT / config["theme"]["custom_dir"])},
    )
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            ext["pymdownx.snippets"]["base_path"] = [str(tmp_path)]
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def build(tmp_path, **kwargs):
    config = make_project(tmp_path, **kwargs)
    return mkdocs_build(config, tmp_path / "site", cwd=tmp_path)


def test_build_minimal_project_succeeds(tmp_path):
    proc = build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "katex" in (tmp_path / "site/index.html").read_text()


def test_build_fails_on_a_lesson_that_raises(tmp_path):
    lesson = """\
        # %% [markdown]
        # # A broken lesson

        # %%
        raise ValueError("this lesson is broken on purpose")
        """
    proc = build(tmp_path, lesson=lesson)
    assert proc.returncode != 0
    assert "01_broken.py" in proc.stderr and "broken on purpose" in proc.stderr


def test_build_fails_on_a_missing_figure(tmp_path):
    proc = build(tmp_path, page="# A page\n\n![A figure](figures/no_such_figure.svg)\n")
    assert proc.returncode != 0
    assert "no_such_figure" in proc.stderr


def test_build_fails_on_an_unknown_fact(tmp_path):
    proc = build(tmp_path, page="# A page\n\nIt is [[fact:no_such_fact]] accurate.\n")
    assert proc.returncode != 0
    assert "no_such_fact" in proc.stderr


def test_build_fails_on_a_fact_that_would_start_a_numbered_item_of_a_list(tmp_path):
    """In a list item, a whole number first on a line, then a full stop, would split the
    item in two; in a paragraph it is only text."""
    page = "# A page\n\n1. Each window holds\n   [[fact:lm_context]]. That is enough.\n"
    proc = build(tmp_path, page=page)
    assert proc.returncode != 0
    assert "lm_context" in proc.stderr and "numbered item" in proc.stderr
    for name, text in (("inline", "It holds [[fact:lm_context]]. Enough.\n"),
                       ("paragraph", "Each window holds\n[[fact:lm_context]]. Enough.\n")):
        (tmp_path / name).mkdir()
        fine = build(tmp_path / name, page=f"# A page\n\n{text}")
        assert fine.returncode == 0, (name, fine.stderr)


@pytest.mark.parametrize("link", ["[gone](missing.md)", "[gone](index.md#no-such-anchor)"])
def test_build_fails_on_a_broken_link(tmp_path, link):
    proc = build(tmp_path, page=f"# A page\n\nSee {link}.\n")
    assert proc.returncode != 0
    assert "missing.md" in proc.stderr or "no-such-anchor" in proc.stderr


@pytest.mark.parametrize("include", ['"no_such_file.py"', '"docs/index.md:no_such_section"'])
def test_build_fails_on_a_broken_snippet(tmp_path, include):
    proc = build(tmp_path, page=f'# A page\n\n```python\n--8<-- {include}\n```\n')
    assert proc.returncode != 0
    assert "Snippet" in proc.stderr or "snippet" in proc.stderr
