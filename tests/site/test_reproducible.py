"""The build is reproducible: the same sources give the same bytes, build after build."""

from __future__ import annotations

import hashlib
import time

import pytest
from _site import ROOT, build_env, mkdocs_build

pytestmark = pytest.mark.slow


def digests(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_reproducible_second_build_is_byte_identical(site, tmp_path):
    """A second build (with the figure, lesson and math caches the first one filled)."""
    proc = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "again")
    assert proc.returncode == 0, proc.stderr
    first, second = digests(site), digests(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_reproducible_sitemap_is_dated_by_source_date_epoch(site):
    epoch = int(build_env()["SOURCE_DATE_EPOCH"])
    day = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    assert f"<lastmod>{day}</lastmod>" in (site / "sitemap.xml").read_text()


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_reproducible_figure_renders_to_the_same_bytes_twice(fmt):
    """The figure caches cannot hide a non-deterministic figure: render one twice here."""
    from glassnet_site.figures.registry import all_figures, render_bytes

    spec = next(s for s in all_figures().values() if s.fmt == fmt)
    first, second = render_bytes(spec, "dark"), render_bytes(spec, "dark")
    assert len(first) > 1000 and first == second


def test_reproducible_lesson_executes_to_the_same_bytes_twice(tmp_path):
    """Executing a lesson again (a clean build) gives the same notebook: no ids, no times."""
    from glassnet_site.lessons import execute

    lesson = tmp_path / "01_tiny.py"
    lesson.write_text("# %% [markdown]\n# # Tiny\n\n# %%\nprint(sum(range(4)))\n")
    first = execute(lesson, "one", tmp_path / "cache").read_bytes()
    second = execute(lesson, "two", tmp_path / "cache").read_bytes()  # another key: runs again
    assert b'"6\\n"' in first and first == second


def test_reproducible_rebuild_after_an_edit_is_byte_identical_to_a_clean_build(
        site, tmp_path, monkeypatch):
    """Rebuilds the way ``mkdocs serve`` does (``glassnet_site.rebuild.ServeBuilds``: one
    process, a fresh configuration each time, the memos of ``glassnet_site.memo`` kept): a
    build of the tree with one page edited, then a rebuild after the edit is undone, which
    takes every other page's search entries and API rendering from the memos. It writes the
    same bytes as the clean build of the tree."""
    from glassnet_site import memo
    from glassnet_site.rebuild import ServeBuilds

    monkeypatch.setenv("SOURCE_DATE_EPOCH", build_env()["SOURCE_DATE_EPOCH"])
    monkeypatch.chdir(ROOT)
    page = ROOT / "docs" / "foundations" / "perceptron.md"
    original = page.read_text()
    builds = ServeBuilds(ROOT / "mkdocs.yml", tmp_path / "served")
    try:
        page.write_text(original.replace("\n## ", "\nAn edited paragraph.\n\n## ", 1))
        builds.build()
        assert "An edited paragraph." in (tmp_path / "served" / "search" /
                                          "search_index.json").read_text()
    finally:
        page.write_text(original)
    for name in memo.stats:
        memo.stats[name] = 0
    builds.build()
    # Only the edited page was indexed again, and nothing of the API reference rendered.
    assert memo.stats["search_misses"] == 1 and memo.stats["search_hits"] > 50
    assert memo.stats["render_misses"] == 0 and memo.stats["render_hits"] > 20
    clean, rebuilt = digests(site), digests(tmp_path / "served")
    assert sorted(clean) == sorted(rebuilt)
    assert [name for name in clean if clean[name] != rebuilt[name]] == []
