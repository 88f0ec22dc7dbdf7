"""Formulas are rendered by KaTeX at build time, from the structure Markdown and notebooks give."""

import markdown
import pytest
from bs4 import BeautifulSoup

from glassnet_site import formulas


def _markdown(text: str) -> str:
    md = markdown.Markdown(extensions=["toc", "pymdownx.arithmatex", "glassnet_site.formulas"],
                           extension_configs={"pymdownx.arithmatex": {"generic": True}})
    return md.convert(text)


def test_markdown_inline_math_becomes_katex_in_place():
    out = _markdown("Before $x^2$ middle $y_1$ after.")
    soup = BeautifulSoup(out, "html.parser")
    paragraph = soup.p
    assert "arithmatex" not in out and "\\(" not in out
    assert len(paragraph.find_all(class_="katex", recursive=False)) == 2
    text = paragraph.get_text()
    assert text.startswith("Before ") and text.endswith(" after.") and " middle " in text


def test_markdown_display_math_is_a_block_of_its_own():
    out = _markdown("Text.\n\n$$a = b$$\n\n- item with $c$\n")
    soup = BeautifulSoup(out, "html.parser")
    display = soup.find(class_="katex-display")
    assert display is not None and display.find_parent("p") is None
    assert soup.li.find(class_="katex") is not None


def test_markdown_heading_keeps_its_tex_for_the_table_of_contents():
    md = markdown.Markdown(extensions=["toc", "pymdownx.arithmatex", "glassnet_site.formulas"],
                           extension_configs={"pymdownx.arithmatex": {"generic": True}})
    out = md.convert("## The gradient $p - y$\n")
    assert BeautifulSoup(out, "html.parser").h2.find(class_="katex") is not None
    title = md.toc_tokens[0]["name"]
    assert title == "The gradient \\(p - y\\)"
    rendered = formulas.render_title(title)
    assert rendered.startswith("The gradient <span class=\"katex\">")


def test_title_math_is_unescaped_before_rendering_and_text_kept():
    rendered = formulas.render_title("If $a &lt; b$ &amp; more")
    assert rendered.endswith(" &amp; more") and "katex" in rendered
    assert "a &lt; b" in rendered  # the MathML annotation holds the TeX, escaped once
    assert formulas.render_title("No math &amp; here") == "No math &amp; here"


def test_lesson_cells_render_dollars_but_not_code_or_other_cells():
    page = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown"><p>Sum $x_1 + x_2$ and '
            '$$\\sum_i w_i$$ but <code>$HOME</code>, a price of 5$ and \\$3.</p></div>'
            '<div class="jp-OutputArea"><pre>$x$</pre><p>$y$</p></div>')
    soup = BeautifulSoup(page, "html.parser")
    formulas.render_soup(soup)
    cell = soup.find(class_="jp-RenderedMarkdown")
    assert len(cell.find_all(class_="katex", recursive=True)) == 2
    assert cell.find(class_="katex-display") is not None
    assert cell.code.get_text() == "$HOME"
    assert "a price of 5$ and \\$3." in cell.get_text()
    assert "$y$" in soup.find(class_="jp-OutputArea").get_text()


def test_inline_math_does_not_cross_a_blank_line():
    soup = BeautifulSoup('<div class="jp-RenderedMarkdown"><p>costs $5\n\nand $6</p></div>',
                         "html.parser")
    formulas.render_soup(soup)
    assert soup.find(class_="katex") is None


def test_bad_tex_fails_with_the_formula_in_the_message():
    with pytest.raises(formulas.KatexError, match=r"\\frac\{1"):
        formulas.render_all([("\\frac{1", False)])
