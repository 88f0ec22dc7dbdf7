"""Figures and facts in pages' Markdown (glassnet_site.figure_pages): what a reference
becomes, and the clear error a wrong one gets."""

from __future__ import annotations

import pytest

from glassnet_site import figure_pages
from glassnet_site.figure_pages import NARROW_MEDIA, FigureError, FigurePages

LISTING = {
    "figures": [
        {"name": "loss_curve", "fmt": "svg", "title": "Loss | epochs", "size": [640, 400],
         "narrow": False, "enlarge": False, "data": True, "function": "m.loss_curve"},
        {"name": "network", "fmt": "svg", "title": "A network", "size": [720, 300],
         "narrow": True, "narrow_size": [360, 420], "enlarge": True, "data": False,
         "function": "m.network"},
        {"name": "unused", "fmt": "png", "title": "Shown nowhere", "size": [10, 10],
         "narrow": False, "enlarge": False, "data": False, "function": "m.unused"},
    ],
    "facts": {"accuracy": "97.2%", "epochs": "12"},
}
SOURCES = [("foundations/losses.md",
            "# Losses\n\n![a](../figures/loss_curve.svg)\n\n![again](../figures/loss_curve.svg)\n"),
           ("index.md", "![b](figures/network.svg) and ![c](figures/loss_curve.svg)\n")]


@pytest.fixture
def pages() -> FigurePages:
    return FigurePages.from_listing(LISTING, SOURCES)


def test_a_figure_becomes_both_palettes_with_their_size(pages):
    out = pages.rewrite("![The loss falls](../figures/loss_curve.svg)",
                        "foundations/losses.md", "foundations/losses/")
    assert '<img src="../../figures/loss_curve.svg#only-light" alt="The loss falls" ' \
           'width="640" height="400" loading="lazy">' in out
    assert 'src="../../figures/loss_curve-dark.svg#only-dark"' in out
    assert "[Data behind this figure (CSV)](../figures/loss_curve.csv)" in out
    assert "<picture" not in out and "Full-size figure" not in out


def test_a_dense_figure_with_a_narrow_layout_becomes_exactly_this_html(pages):
    out = pages.rewrite('![a "b" & c](../figures/network.svg)', "architectures/cnn.md",
                        "architectures/cnn/")
    assert out == (
        '<picture class="gn-figure"><source media="(max-width: 480px)" '
        'srcset="../../figures/network-narrow.svg" width="360" height="420">'
        '<img src="../../figures/network.svg#only-light" alt="a &quot;b&quot; &amp; c" '
        'width="720" height="300" loading="lazy"></picture>'
        '<picture class="gn-figure"><source media="(max-width: 480px)" '
        'srcset="../../figures/network-narrow-dark.svg" width="360" height="420">'
        '<img src="../../figures/network-dark.svg#only-dark" alt="a &quot;b&quot; &amp; c" '
        'width="720" height="300" loading="lazy"></picture>\n'
        '<a class="gn-figure-enlarge" href="../../figures/network.svg" '
        'aria-label="Full-size figure: A network">Full-size figure</a>')


def test_a_figure_with_a_narrow_layout_gives_phones_the_narrow_file(pages):
    out = pages.rewrite("![net](figures/network.svg)", "index.md", "")
    assert out.count("<picture") == 2
    assert (f'<source media="{NARROW_MEDIA}" srcset="figures/network-narrow-dark.svg" '
            'width="360" height="420">') in out
    assert 'aria-label="Full-size figure: A network"' in out


def test_a_fact_becomes_its_value(pages):
    assert pages.rewrite("It scores [[fact:accuracy]].", "a.md", "a/") == "It scores 97.2%."


@pytest.mark.parametrize("markdown, match", [
    ("![x](figures/nothing.svg)", "figure 'nothing', which is not registered.*known: loss_curve"),
    ("![x](figures/network.png)",
     r"figures/network\.png, but figure 'network' is rendered as \.svg"),
    ("![x](figures/network.svg){ width=300 }", "has attributes"),
    ("[[fact:nothing]]", "quotes fact 'nothing', which is not registered"),
])
def test_a_wrong_reference_names_what_was_expected(pages, markdown, match):
    with pytest.raises(FigureError, match=match):
        pages.rewrite(markdown, "page.md", "page/")


def test_a_fact_that_would_start_a_numbered_list_item_is_an_error(pages):
    markdown = "- The run takes\n  [[fact:epochs]]. Then it stops.\n"
    with pytest.raises(FigureError, match=r"fact 'epochs' \(12\) starts a line of a list item"):
        pages.rewrite(markdown, "page.md", "page/")


@pytest.mark.parametrize("markdown", [
    "The run takes\n[[fact:epochs]]. Then it stops.\n",     # a paragraph, not a list
    "- The run takes [[fact:epochs]]. Then it stops.\n",    # not first on its line
    "- The run takes\n  [[fact:epochs]] epochs.\n",         # no full stop after it
    "- A list.\n\nThe run takes\n[[fact:epochs]]. Then.\n",   # a paragraph after the list
])
def test_a_fact_that_starts_no_list_item_is_kept(pages, markdown):
    assert "12" in pages.rewrite(markdown, "page.md", "page/")


def test_the_figure_index_lists_every_figure_and_the_pages_that_show_it(pages):
    table = pages.rewrite("[[figure-index]]", "reference/figures.md", "reference/figures/")
    rows = table.splitlines()
    assert rows[2] == ("| `loss_curve` | Loss \\| epochs | `m.loss_curve` | "
                       "[Losses](../foundations/losses.md), [index.md](../index.md) |")
    assert rows[3] == "| `network` | A network | `m.network` | [index.md](../index.md) |"
    assert rows[4] == "| `unused` | Shown nowhere | `m.unused` | none |"
    assert len(rows) == 5


def test_the_site_gets_every_figure_file_but_the_cache_entry(tmp_path, monkeypatch):
    monkeypatch.setattr(figure_pages, "FIGURES_CACHE", tmp_path)
    entry = tmp_path / "figure" / "loss_curve-0123"
    entry.mkdir(parents=True)
    for name in ("entry.json", "loss_curve.svg", "loss_curve-dark.svg", "loss_curve.csv"):
        (entry / name).write_text("x")
    found = {"figures": [{"name": "loss_curve", "dir": "figure/loss_curve-0123"}], "facts": {}}
    assert [(uri, path.name) for uri, path in figure_pages.files(found)] == [
        ("figures/loss_curve-dark.svg", "loss_curve-dark.svg"),
        ("figures/loss_curve.csv", "loss_curve.csv"),
        ("figures/loss_curve.svg", "loss_curve.svg")]


@pytest.fixture
def figure_cache(tmp_path, monkeypatch):
    """An empty figures cache, the library's hash and figure inputs set by the test, and a
    figures command that must not run unless the test says so."""
    monkeypatch.setattr(figure_pages, "FIGURES_CACHE", tmp_path)
    state = {"library": "a" * 64, "inputs": {"figures.losses": "1"}}
    monkeypatch.setattr(figure_pages.rebuild, "unchanged", lambda name, compute: compute())
    monkeypatch.setattr(figure_pages.cache, "library_hash", lambda: state["library"])
    monkeypatch.setattr(figure_pages.rebuild, "figure_inputs", lambda: dict(state["inputs"]))

    def run(*args, **kwargs):
        raise AssertionError("the figures command ran")

    monkeypatch.setattr(figure_pages.subprocess, "run", run)
    return tmp_path, state


def _earlier_listing(root, library: str, inputs: dict, entry: bool = True) -> dict:
    found = {"figures": [{"name": "f", "dir": "figure/f-1"}], "facts": {"n": "3"}}
    (root / "figure" / "f-1").mkdir(parents=True, exist_ok=True)
    if entry:
        (root / "figure" / "f-1" / "entry.json").write_text("{}")
    figure_pages._write_json(root / "index" / f"index-{library[:16]}.json", found)
    figure_pages._write_json(root / "inputs" / f"inputs-{library[:16]}.json", inputs)
    return found


def test_an_edit_no_figure_depends_on_reuses_the_earlier_listing(figure_cache):
    root, state = figure_cache
    found = _earlier_listing(root, "b" * 64, state["inputs"])
    assert figure_pages.listing() == found  # the command did not run
    assert (root / "index" / f"index-{'a' * 16}.json").exists()


@pytest.mark.parametrize("change", ["figure inputs", "figure entry evicted"])
def test_a_listing_is_made_again_when_a_figure_input_changed(figure_cache, change):
    root, state = figure_cache
    _earlier_listing(root, "b" * 64, {"figures.losses": "0"} if change == "figure inputs"
                     else state["inputs"], entry=change != "figure entry evicted")
    with pytest.raises(AssertionError, match="the figures command ran"):
        figure_pages.listing()
