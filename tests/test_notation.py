"""The code the foundation pages show uses the notation page's names.

The notation page pairs every symbol of the equations with the name the code gives it. This
test reads every section of the core library that a page includes (``--8<-- "file:section"``)
and checks that each name the section assigns or takes as a parameter is either on the
notation page (written as code, ``X``) or one of the plain local words listed here, which
carry no mathematical meaning. A name like ``x2`` or ``d2`` for a batch fails: give it its
notation name, or add the symbol to the notation page.
"""

import ast
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTATION = (ROOT / "docs" / "reference" / "notation.md").read_text(encoding="utf-8")
# The core of the foundation pages (layers, losses, activations, optimizers, the model) and
# the library modules of the training pages (schedules, cost).
CORE = ("src/glassnet/layers/dense.py", "src/glassnet/model.py", "src/glassnet/losses.py",
        "src/glassnet/activations.py", "src/glassnet/optimizers.py", "src/glassnet/init.py",
        "src/glassnet/gradcheck.py", "src/glassnet/perceptron.py", "src/glassnet/metrics.py",
        "src/glassnet/schedules.py", "src/glassnet/cost.py")
# Plain local words: loop indices, intermediate values named for what they are.
LOCAL_WORDS = {
    "self", "_", "i", "t", "key", "n", "axis", "e", "s", "diff", "rows", "log_p", "N", "C",
    "shape", "fan_in", "fan_out", "limit", "scale", "tiny", "norm", "triples", "denom",
    "m_hat_scale", "step", "alpha", "nesterov", "old", "f_plus", "f_minus", "flat_x",
    "flat_g", "grad", "error", "mistakes", "order", "wrong", "result", "training",
    "layers", "chosen", "item", "trainable", "progress", "cosine", "counts", "forward",
    "backward", "lowest", "macs",
}
INCLUDE = re.compile(r'--8<-- "(?P<path>src/glassnet/[^":]+):(?P<section>[a-z_]+)"')


def _notation_names() -> set[str]:
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)", NOTATION))


def _shown_sections() -> list[tuple[str, str]]:
    found = set()
    for page in (ROOT / "docs").rglob("*.md"):
        for match in INCLUDE.finditer(page.read_text(encoding="utf-8")):
            if match["path"] in CORE:
                found.add((match["path"], match["section"]))
    return sorted(found)


def _names(path: str, section: str) -> set[str]:
    """Names the section binds: assignment and loop targets, parameters."""
    text = (ROOT / path).read_text(encoding="utf-8")
    body = re.search(rf"# --8<-- \[start:{section}\]\n(.*?)# --8<-- \[end:{section}\]",
                     text, re.S)[1]
    body = textwrap.dedent(body)
    try:
        tree = ast.parse(body)
    except SyntaxError:  # a section that starts inside a function body
        tree = ast.parse("if True:\n" + textwrap.indent(body, "    "))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


SECTIONS = _shown_sections()


def test_notation_check_sees_the_shown_sections():
    assert ("src/glassnet/layers/dense.py", "backward") in SECTIONS and len(SECTIONS) >= 10


@pytest.mark.parametrize(("path", "section"), SECTIONS, ids=[f"{p}:{s}" for p, s in SECTIONS])
def test_shown_code_uses_the_notation_page_names(path, section):
    unknown = sorted(_names(path, section) - _notation_names() - LOCAL_WORDS)
    assert not unknown, (f"{path}:{section} names {unknown}, which the notation page does not "
                         "define: use its names, or add them to docs/reference/notation.md")


def test_notation_check_fails_on_a_name_the_page_does_not_define():
    # A negative control: the old backward pass of Dense named its arrays x2 and d2.
    assert {"x2", "d2"} - _notation_names() - LOCAL_WORDS == {"x2", "d2"}
