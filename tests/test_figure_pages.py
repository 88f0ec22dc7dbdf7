"""Figures and facts in pages' Markdown (glassnet_site.figure_pages): what a reference
becomes, and the clear error a wrong one gets."""

from __future__ import annotations

import pytest

from glassnet_site.figure_pages import NARROW_MEDIA, FigureError, FigurePages

LISTING = {
    "figures": [
        {"name": "loss_curve", "fmt": "svg", "title": "Loss | epochs", "size": [640, 400],
         "narrow": False, "enlarge": False, "data": True, "function": "m.loss_curve"},
        {"name": "network", "fmt": "svg", "title": "A network", "size": [720, 300],
         "narrow": True, "narrow_size": [360, 420], "enlarge": True, "data": False,
         "function": "m.network"},
    ],
    "facts": {"accuracy": "97.2%", "epochs": "12"},
}
SOURCES = [("foundations/losses.md", "# Losses\n\n![a](../figures/loss_curve.svg)\n"),
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
])
def test_a_fact_that_starts_no_list_item_is_kept(pages, markdown):
    assert "12" in pages.rewrite(markdown, "page.md", "page/")


def test_the_figure_index_lists_every_figure_and_the_pages_that_show_it(pages):
    table = pages.rewrite("[[figure-index]]", "reference/figures.md", "reference/figures/")
    rows = table.splitlines()
    assert rows[2] == ("| `loss_curve` | Loss \\| epochs | `m.loss_curve` | "
                       "[Losses](../foundations/losses.md), [index.md](../index.md) |")
    assert rows[3] == "| `network` | A network | `m.network` | [index.md](../index.md) |"
