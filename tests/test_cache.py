"""Build cache keys: each result is keyed on the modules it imports and their data, no more."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from glassnet_site import cache

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> dict[str, Path]:
    """A copy of both packages, free to edit: their roots by package name."""
    base = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__")
    return {name: Path(shutil.copytree(cache.package_dir(name), base / name, ignore=ignore))
            for name in cache.PACKAGES}


@pytest.fixture
def roots(source, tmp_path) -> dict[str, Path]:
    """A fresh copy of ``source`` for one test to edit."""
    return {name: Path(shutil.copytree(root, tmp_path / name)) for name, root in source.items()}


def _edit(path: Path, text: str = "\n# an edit that changes nothing but the bytes\n") -> None:
    with path.open("a") as file:
        file.write(text)


def test_closure_holds_what_a_module_imports_and_not_unrelated_modules():
    found = cache.closure(["glassnet_site.interactive.explorers"])
    # explorers imports glassnet.perceptron, and make_blobs from the glassnet.data package,
    # which re-exports it from glassnet.data.synthetic
    assert {"glassnet_site.interactive.explorers", "glassnet.perceptron", "glassnet.data",
            "glassnet.data.synthetic", "glassnet.optimizers"} <= found
    # enclosing packages count as files: Python runs them
    assert {"glassnet", "glassnet_site", "glassnet_site.interactive"} <= found
    # neither imported by explorers nor by what it imports
    assert "glassnet_site.interactive.playground" not in found
    assert "glassnet.layers.dense" not in found
    assert "glassnet.schedules" not in found
    assert "glassnet.data.text" not in found


def test_closure_follows_relative_imports_but_not_the_registry_listing():
    found = cache.closure(["glassnet_site.figures.backprop"])
    assert {"glassnet_site.figures._foundation_draw", "glassnet_site.figures.registry",
            "glassnet_site.figures.style", "glassnet.layers.dense"} <= found
    # registry._modules imports every figure module to list them (cache.NOT_FOLLOWED)
    assert "glassnet_site.figures.language" not in found
    assert "glassnet_site.examples.language" not in found


def test_a_name_from_a_package_leads_to_the_module_that_defines_it(roots):
    (roots["glassnet_site"] / "probe.py").write_text("from glassnet import Sequential\n")
    found = cache.closure(["glassnet_site.probe"], roots=roots)
    assert "glassnet.model" in found
    # glassnet/__init__.py imports callbacks (which imports schedules); Sequential needs neither
    assert "glassnet.callbacks" not in found
    assert "glassnet.schedules" not in found


def test_imports_inside_functions_are_followed(roots):
    (roots["glassnet_site"] / "probe.py").write_text(
        "def f():\n    if True:\n        from glassnet import schedules\n    return schedules\n")
    assert "glassnet.schedules" in cache.closure(["glassnet_site.probe"], roots=roots)


def test_lesson_closure_comes_from_its_imports():
    found = cache.closure(scripts=[LESSONS / "08_digits.py"])
    assert {"glassnet.model", "glassnet.metrics", "glassnet.data.digits"} <= found
    assert "glassnet_site.figures" not in found


def test_editing_a_module_a_figure_does_not_import_keeps_its_key(roots):
    figure = ["glassnet_site.figures.backprop"]
    before = cache.key(figure, roots=roots)
    _edit(roots["glassnet"] / "schedules.py")
    _edit(roots["glassnet_site"] / "figures" / "language.py")
    assert cache.key(figure, roots=roots) == before


def test_editing_a_module_a_figure_imports_changes_its_key(roots):
    figure = ["glassnet_site.figures.backprop"]
    before = cache.key(figure, roots=roots)
    _edit(roots["glassnet"] / "layers" / "dense.py")
    assert cache.key(figure, roots=roots) != before


def test_editing_an_enclosing_package_changes_the_key(roots):
    before = cache.key(["glassnet_site.interactive.explorers"], roots=roots)
    _edit(roots["glassnet_site"] / "interactive" / "__init__.py")
    assert cache.key(["glassnet_site.interactive.explorers"], roots=roots) != before


def test_a_data_file_changes_the_key_of_what_reads_it_only(roots):
    digits = ["glassnet_site.interactive.playground"]  # glassnet.data: digits, synthetic
    explorers = ["glassnet_site.figures.backprop"]     # no glassnet.data module
    before = cache.key(digits, roots=roots), cache.key(explorers, roots=roots)
    with (roots["glassnet"] / "data" / "digits.npz").open("ab") as file:
        file.write(b"\0")
    assert cache.key(digits, roots=roots) != before[0]
    assert cache.key(explorers, roots=roots) == before[1]
    assert "glassnet/data/digits.npz" in cache.inputs(digits, roots=roots)


def test_a_lesson_key_follows_its_imports(roots, tmp_path):
    lesson = tmp_path / "01_probe.py"
    shutil.copy(LESSONS / "01_perceptron.py", lesson)
    before = cache.key(scripts=[lesson], roots=roots)
    _edit(roots["glassnet"] / "schedules.py")
    assert cache.key(scripts=[lesson], roots=roots) == before
    _edit(roots["glassnet"] / "layers" / "dense.py")
    assert cache.key(scripts=[lesson], roots=roots) != before
    after = cache.key(scripts=[lesson], roots=roots)
    _edit(lesson)
    assert cache.key(scripts=[lesson], roots=roots) != after


def test_keys_do_not_depend_on_where_the_checkout_is(source, roots):
    figure = ["glassnet_site.figures.digits"]
    assert cache.key(figure, roots=source) == cache.key(figure, roots=roots)


def test_interactive_parts_have_their_own_keys(roots, monkeypatch):
    monkeypatch.setattr(cache, "_roots", lambda: roots)
    before = {part: cache.interactive_key(part) for part in cache.INTERACTIVE}
    assert before["playground"] != before["explorers"]
    _edit(roots["glassnet_site"] / "interactive" / "playground.py")
    assert cache.interactive_key("playground") != before["playground"]
    assert cache.interactive_key("explorers") == before["explorers"]


# What a playground file depends on besides playground.py: the packing and quantisation of
# its grids, and the glassnet layers whose forward pass gives every hidden layer's outputs.
@pytest.mark.parametrize("package, path", [
    ("glassnet_site", "interactive/packing.py"), ("glassnet", "layers/dense.py"),
    ("glassnet", "layers/activation.py"), ("glassnet", "layers/dropout.py"),
    ("glassnet", "model.py")])
def test_playground_key_covers_its_packing_and_the_forward_pass(roots, monkeypatch, package,
                                                                  path):
    monkeypatch.setattr(cache, "_roots", lambda: roots)
    before = cache.interactive_key("playground")
    _edit(roots[package] / path)
    assert cache.interactive_key("playground") != before


@pytest.mark.parametrize("module", ["backprop", "gan", "attention"])
def test_every_explorers_module_is_in_the_explorers_key(roots, monkeypatch, module):
    monkeypatch.setattr(cache, "_roots", lambda: roots)
    before = {part: cache.interactive_key(part) for part in cache.INTERACTIVE}
    _edit(roots["glassnet_site"] / "interactive" / f"{module}.py")
    assert cache.interactive_key("explorers") != before["explorers"]
    assert cache.interactive_key("playground") == before["playground"]


def test_evict_stale_keeps_the_most_recent_entries_of_each_result(tmp_path):
    for i in range(6):
        entry = tmp_path / f"loss_curve-{i:016x}"
        entry.mkdir()
        os.utime(entry, (1000 + i, 1000 + i))
    (tmp_path / "other-0000000000000000.json").write_text("1")
    (tmp_path / "rendering-abc").mkdir()  # another build's work in progress
    cache.evict_stale(tmp_path, keep=4)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [*(f"loss_curve-{i:016x}" for i in range(2, 6)),
                    "other-0000000000000000.json", "rendering-abc"]


def test_touch_keeps_a_reused_entry(tmp_path):
    for i in range(3):
        (tmp_path / f"fig-{i}").mkdir()
        os.utime(tmp_path / f"fig-{i}", (1000 + i, 1000 + i))
    cache.touch(tmp_path / "fig-0")
    cache.evict_stale(tmp_path, keep=1)
    assert [p.name for p in tmp_path.iterdir()] == ["fig-0"]


def test_write_atomic_replaces_the_file_whole_and_leaves_no_private_file(tmp_path):
    path = tmp_path / "index" / "index-abc.json"
    cache.write_atomic(path, "old")
    old = path.stat().st_ino
    reader = path.open()  # a build reading the old file meanwhile
    cache.write_atomic(path, "new")
    assert path.read_text() == "new" and reader.read() == "old"
    reader.close()
    assert path.stat().st_ino != old  # a new file renamed into place, not one rewritten
    assert [p.name for p in path.parent.iterdir()] == ["index-abc.json"]


def test_write_atomic_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "index-abc.json"
    cache.write_atomic(path, "old")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full)
    with pytest.raises(OSError, match="No space"):
        cache.write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index-abc.json"]


def test_entry_dir_appears_only_when_complete(tmp_path):
    out = tmp_path / "loss_curve-0123"
    with cache.entry_dir(out) as tmp:
        (tmp / "light.svg").write_text("<svg/>")
        assert not out.exists() and tmp.name.startswith(cache.UNFINISHED)
    assert [p.name for p in tmp_path.iterdir()] == ["loss_curve-0123"]
    assert (out / "light.svg").read_text() == "<svg/>"


def test_entry_dir_leaves_nothing_after_an_error(tmp_path):
    with pytest.raises(RuntimeError), cache.entry_dir(tmp_path / "fig-1") as tmp:
        (tmp / "half.svg").write_text("<sv")
        raise RuntimeError("the figure failed")
    assert list(tmp_path.iterdir()) == []


def test_entry_dir_raises_when_the_entry_cannot_be_made(tmp_path):
    out = tmp_path / "fig-1"
    out.mkdir()  # an empty directory in the way is no finished entry: replaced
    with cache.entry_dir(out) as tmp:
        (tmp / "mine.svg").write_text("mine")
    assert [p.name for p in out.iterdir()] == ["mine.svg"]
    blocker = tmp_path / "fig-2"
    blocker.write_text("a file where the entry goes")
    with pytest.raises(OSError), cache.entry_dir(blocker) as tmp:
        (tmp / "mine.svg").write_text("mine")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig-1", "fig-2"]


def test_evict_stale_removes_unfinished_work_abandoned_a_day_ago(tmp_path):
    for name, age in (("rendering-old", cache.ABANDONED_S + 60), ("computing-old.json", 2e5),
                      ("rendering-now", 60)):
        path = tmp_path / name
        path.mkdir() if "." not in name else path.write_text("{")
        then = time.time() - age
        os.utime(path, (then, then))
    cache.evict_stale(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["rendering-now"]


def test_entry_dir_keeps_the_entry_another_build_finished_first(tmp_path):
    out = tmp_path / "fig-1"
    with cache.entry_dir(out) as tmp:
        (tmp / "mine.svg").write_text("mine")
        out.mkdir()
        (out / "theirs.svg").write_text("theirs")
    assert [p.name for p in tmp_path.iterdir()] == ["fig-1"]
    assert [p.name for p in out.iterdir()] == ["theirs.svg"]


def test_the_explorers_key_covers_every_module_that_computes_explorer_data():
    from glassnet_site.interactive.__main__ import EXPLORERS

    modules = {compute.__module__ for compute in EXPLORERS.values()}
    assert modules <= set(cache.INTERACTIVE["explorers"])


# --- keys kept between rebuilds under mkdocs serve (glassnet_site.rebuild) ---------------

def test_a_rebuild_reuses_a_key_until_a_source_file_changes(tmp_path, monkeypatch):
    from glassnet_site import rebuild
    monkeypatch.setattr(cache, "PACKAGES", ())
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    lesson = tmp_path / "lessons" / "01_x.py"
    lesson.parent.mkdir()
    lesson.write_text("x = 1\n")
    calls = []

    def compute():
        calls.append(lesson.read_text())
        return len(calls)

    assert rebuild.unchanged("test-key", compute) == 1
    assert rebuild.unchanged("test-key", compute) == 1
    lesson.write_text("x = 2\n")
    assert rebuild.unchanged("test-key", compute) == 2
    (tmp_path / "lessons" / "02_y.py").write_text("")
    assert rebuild.unchanged("test-key", compute) == 3
    assert calls == ["x = 1\n", "x = 2\n", "x = 2\n"]


@pytest.fixture
def copied_packages(roots, monkeypatch) -> dict[str, Path]:
    """``roots``, where ``cache`` finds the packages."""
    monkeypatch.setattr(cache, "_roots", lambda: dict(roots))
    monkeypatch.setattr(cache, "package_dir", lambda name="glassnet": roots[name])
    return roots


def test_the_figure_inputs_name_the_figures_renderer():
    from glassnet_site import rebuild
    from glassnet_site.figures.__main__ import RENDERER
    assert rebuild.FIGURE_RENDERER == RENDERER


def test_figure_inputs_change_with_what_a_figure_imports_only(copied_packages):
    """``figure_pages.listing`` reuses an earlier listing while these are equal (no process
    runs)."""
    from glassnet_site import rebuild
    roots = copied_packages
    before = rebuild.figure_inputs()
    assert "glassnet_site/figures/registry.py" in before
    assert "glassnet/activations.py" in before
    _edit(roots["glassnet"] / "data" / "make_digits_npz.py")  # imported by no figure
    assert rebuild.figure_inputs() == before
    _edit(roots["glassnet"] / "activations.py")
    edited = rebuild.figure_inputs()
    assert edited != before
    (roots["glassnet_site"] / "figures" / "extra.py").write_text("FIGURES = ()\n")
    assert "glassnet_site/figures/extra.py" in rebuild.figure_inputs()


def test_an_api_rendering_is_kept_until_a_file_its_module_imports_changes(copied_packages):
    """glassnet_site.memo renders an API object again when its stamp changes."""
    from glassnet_site import memo
    roots = copied_packages
    before = memo.render_stamp("glassnet.schedules", None)
    assert any(path.endswith("schedules.py") for path, *_ in before)
    _edit(roots["glassnet"] / "data" / "make_digits_npz.py")
    assert memo.render_stamp("glassnet.schedules", None) == before
    _edit(roots["glassnet"] / "schedules.py")
    edited = memo.render_stamp("glassnet.schedules", None)
    assert edited != before
    _edit(roots["glassnet_site"] / "formulas.py")  # docstrings' formulas go through it
    assert memo.render_stamp("glassnet.schedules", None) != edited
