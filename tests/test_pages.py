"""The guide's pages, read from their Markdown sources (no build needed).

What is checked, page by page:

* the nav of ``mkdocs.yml`` lists every page of the guide's structure (issue 6) and every
  lesson in ``lessons/``;
* every concept page (Foundations, Training in practice, Architectures) shows at least one
  registered figure and ends with a "Check yourself" section of 3 to 5 ``??? question`` blocks;
* every public module of ``glassnet`` has an API page with a ``::: module`` directive, and
  every public class and function has a docstring whose first line is a summary;
* every Python code block on a page runs. The rule for a fenced ``python`` (or ``py``) block:

  1. if it contains a ``--8<--`` line, it is included from a tested file: the test checks
     that the file exists and that the named section has its start and end markers;
  2. if it sits in a content tab whose title contains "Reference", or its own ``title=``
     contains "Reference" (framework code such as Keras or PyTorch, which the suite does not
     install), it is skipped;
  3. otherwise it is executed with ``exec``: the blocks of one page in order, in one fresh
     namespace per page, from the repository root, with ``MPLBACKEND=Agg``.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import glassnet
import glassnet.layers as layers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# The structure of the guide (issue 6); Lessons are every file in lessons/.
STRUCTURE = (
    "index.md",
    "foundations/what-is-a-neural-network.md", "foundations/perceptron.md",
    "foundations/activations.md", "foundations/forward-pass.md", "foundations/losses.md",
    "foundations/backpropagation.md", "foundations/optimizers.md",
    "training/data.md", "training/hyperparameters.md", "training/overfitting.md",
    "training/vanishing-gradients.md", "training/decision-boundaries.md",
    "architectures/cnn.md", "architectures/rnn.md", "architectures/transformers.md",
    "architectures/language-models.md", "architectures/gans.md", "architectures/applications.md",
    "reference/api.md", "reference/notation.md", "reference/glossary.md",
    "reference/further-reading.md", "reference/figures.md", "reference/about.md",
)
CONCEPT_SECTIONS = ("foundations", "training", "architectures")
# Pages whose text is still being written; their checks are expected to fail until then.
# strict=True: once a page passes, its entry here must be removed.
UNFINISHED: set[str] = set()
UNFINISHED_API: set[str] = set()
UNFINISHED_LAYERS: set[str] = set()

FIGURE_REF = re.compile(r"!\[[^\]]*\]\((?:\.\./)*figures/(?P<name>\w+)\.(?:svg|png)\)")
FACT_REF = re.compile(r"\[\[fact:\w+\]\]")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
TAB = re.compile(r'^(?P<indent>\s*)===\+?\s+"(?P<title>[^"]*)"')
SNIPPET = re.compile(r'--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"')


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the Python tags some extensions use."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_paths(nav) -> list[str]:
    """Every source path named in a nav tree."""
    paths = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        paths += nav_paths(value) if isinstance(value, list) else [value]
    return paths


def figures_shown(page: str) -> list[str]:
    """Names of the figures a page shows (facts in alt text are blanked out first)."""
    text = FACT_REF.sub("N", (DOCS / page).read_text())
    return [match["name"] for match in FIGURE_REF.finditer(text)]


def concept_pages() -> list[str]:
    """The concept pages of the structure, as paths relative to docs/."""
    return [page for page in STRUCTURE if page.split("/")[0] in CONCEPT_SECTIONS]


def lesson_pages() -> list[str]:
    lessons = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py"))
    return [f"lessons/{path.stem}.ipynb" for path in lessons]


def markdown_pages() -> list[str]:
    return sorted(str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")
                  if path.relative_to(DOCS).parts[0] not in ("hooks", "overrides"))


def unfinished(pages, pending=UNFINISHED) -> list:
    """Parameters for ``pages``, with the pages still being written marked as expected failures."""
    mark = pytest.mark.xfail(strict=True, reason="page still being written")
    return [pytest.param(page, marks=mark) if page in pending else page for page in pages]


@dataclass
class CodeBlock:
    """A fenced code block of a page: where it starts, its language, tab and code."""

    line: int
    lang: str
    title: str
    tab: str
    code: str


def code_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block of a Markdown page, with the content tab that holds it."""
    blocks, tabs, lines, i = [], [], text.splitlines(), 0
    while i < len(lines):
        line, i = lines[i], i + 1
        indent = len(line) - len(line.lstrip())
        if line.strip():
            tabs = [(depth, title) for depth, title in tabs if depth < indent]
        if match := TAB.match(line):
            tabs.append((len(match["indent"]), match["title"]))
        elif match := FENCE.match(line):
            info = match["info"].strip()
            start, body = i, []
            while i < len(lines) and lines[i].strip() != match["fence"]:
                body.append(lines[i][len(match["indent"]):])
                i += 1
            i += 1
            title = re.search(r'title="([^"]*)"', info)
            blocks.append(CodeBlock(start, (info.split() or [""])[0].lstrip("{.").lower(),
                                    title[1] if title else "", tabs[-1][1] if tabs else "",
                                    "\n".join(body)))
    return blocks


def python_blocks(page: str) -> list[CodeBlock]:
    return [block for block in code_blocks((DOCS / page).read_text())
            if block.lang in ("python", "py")]


def is_reference(block: CodeBlock) -> bool:
    """Framework code shown for comparison only: not run by the test suite."""
    return "reference" in block.tab.lower() or "reference" in block.title.lower()


# --- the nav -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nav() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    return nav_paths(config["nav"])


@pytest.mark.parametrize("page", STRUCTURE)
def test_nav_lists_page_of_the_structure(nav, page):
    assert page in nav, f"mkdocs.yml's nav does not list {page}"


@pytest.mark.parametrize("lesson", lesson_pages())
def test_nav_lists_lesson(nav, lesson):
    assert lesson in nav, f"mkdocs.yml's nav does not list {lesson}"


# --- concept pages ------------------------------------------------------------------------

@pytest.mark.parametrize("page", unfinished(concept_pages()))
def test_concept_page_shows_a_figure(page):
    assert figures_shown(page), f"{page} references no figure"


@pytest.mark.parametrize("page", unfinished(concept_pages()))
def test_concept_page_checks_with_three_to_five_questions(page):
    text = (DOCS / page).read_text()
    head, found, section = text.partition("\n## Check yourself\n")
    assert found, f"{page} has no '## Check yourself' section"
    section = re.split(r"^## ", section, flags=re.MULTILINE)[0]
    questions = re.findall(r'^\?\?\?\+? question "', section, flags=re.MULTILINE)
    assert 3 <= len(questions) <= 5, f"{page}: {len(questions)} questions, expected 3 to 5"


# --- the API reference --------------------------------------------------------------------

def public_modules() -> list[str]:
    return [f"glassnet.{info.name}" for info in pkgutil.iter_modules(glassnet.__path__)
            if not info.name.startswith("_")]


def public_names(module) -> list[str]:
    """``__all__``, or else the classes and functions the module itself defines."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [name for name, obj in vars(module).items()
            if not name.startswith("_") and (inspect.isclass(obj) or inspect.isfunction(obj))
            and obj.__module__ == module.__name__]


@pytest.fixture(scope="module")
def api_directives() -> set[str]:
    text = "\n".join(path.read_text() for path in (DOCS / "reference" / "api").rglob("*.md"))
    return set(re.findall(r"^:::\s+([\w.]+)", text, flags=re.MULTILINE))


@pytest.mark.parametrize("module", unfinished(public_modules(), UNFINISHED_API))
def test_api_page_documents_module(api_directives, module):
    """A module has a directive of its own, or (a package such as ``glassnet.layers``, whose
    reference spans several pages) every public name has one for the module defining it."""
    if module in api_directives:
        return
    mod = importlib.import_module(module)
    undocumented = [name for name in public_names(mod)
                    if getattr(getattr(mod, name), "__module__", None) not in api_directives]
    assert not undocumented, (
        f"no page under docs/reference/api/ has a '::: {module}' directive, nor one for the "
        f"modules defining {', '.join(undocumented)}")


def test_api_layers_overview_lists_every_layer_with_the_page_that_documents_it():
    """The overview's table is written by hand: each layer once, on the row of its page."""
    rows = re.findall(r"^\| \[[^\]]+\]\((\w+)\.md\) \| (.+) \|$",
                      (DOCS / "reference/api/layers/index.md").read_text(), flags=re.MULTILINE)
    listed = [(name, page) for page, names in rows for name in re.findall(r"`(\w+)`", names)]
    wanted = set(layers.__all__) - {"Layer"}  # the protocol, documented on the overview itself
    assert not UNFINISHED_LAYERS & {name for name, _ in listed}, "remove them from UNFINISHED"
    assert sorted(name for name, _ in listed) == sorted(wanted - UNFINISHED_LAYERS)
    for name, page in listed:
        directives = re.findall(r"^:::\s+([\w.]+)", (DOCS / f"reference/api/layers/{page}.md")
                                .read_text(), flags=re.MULTILINE)
        assert getattr(layers, name).__module__ in directives, f"{name} is not on {page}.md"


@pytest.mark.parametrize("module", public_modules())
def test_api_public_names_have_a_summary_line(module):
    mod = importlib.import_module(module)
    missing = []
    for name in public_names(mod):
        obj = getattr(mod, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue  # constants and submodules carry no docstring of their own
        doc = inspect.getdoc(obj) or ""
        if not doc.strip() or not doc.splitlines()[0].strip():
            missing.append(name)
    assert not missing, f"{module}: no docstring summary for {', '.join(missing)}"


# --- code on the pages --------------------------------------------------------------------

@pytest.mark.parametrize("page", markdown_pages())
def test_page_included_code_exists(page):
    problems = []
    for block in python_blocks(page):
        for match in SNIPPET.finditer(block.code):
            path = ROOT / match["path"]
            if not path.is_file():
                problems.append(f"line {block.line}: {match['path']} does not exist")
                continue
            text, section = path.read_text(), match["section"]
            if section and not (f"[start:{section}]" in text and f"[end:{section}]" in text):
                problems.append(f"line {block.line}: {match['path']} has no section {section}")
    assert not problems, f"{page}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", [page for page in markdown_pages() if any(
    "--8<--" not in block.code and not is_reference(block) for block in python_blocks(page))])
def test_page_code_blocks_run(page, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(ROOT)
    namespace: dict = {"__name__": f"page:{page}"}
    for block in python_blocks(page):
        if "--8<--" in block.code or is_reference(block):
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(block.code, f"{page}:{block.line}", "exec"), namespace)
            except Exception as exc:
                pytest.fail(f"{page}, code block at line {block.line} raised "
                            f"{type(exc).__name__}: {exc}")


def test_code_blocks_finds_tabs_titles_and_includes():
    text = '\n'.join([
        'Intro', '', '```python', 'x = 1', '```', '',
        '=== "glassnet"', '', '    ```python', '    y = x + 1', '    ```', '',
        '=== "Keras (reference)"', '', '    ```python title="Reference only"',
        '    import keras', '    ```', '',
        'After the tabs.', '', '```python', '--8<-- "src/glassnet/init.py:he_normal"', '```',
    ])
    blocks = code_blocks(text)
    assert [(b.tab, b.code) for b in blocks] == [
        ("", "x = 1"), ("glassnet", "y = x + 1"), ("Keras (reference)", "import keras"),
        ("", '--8<-- "src/glassnet/init.py:he_normal"')]
    assert [is_reference(b) for b in blocks] == [False, False, True, False]


# Code that imports another framework: the site shows it for comparison and never runs it.
FRAMEWORK_IMPORT = re.compile(r"^\s*(?:import|from)\s+(torch|keras|tensorflow|sklearn|jax)\b",
                              re.MULTILINE)
REFERENCE_TITLE = re.compile(r"Reference only: .+ code, not run by this site")


@pytest.mark.parametrize("page", markdown_pages())
def test_framework_code_is_labelled_as_reference_the_site_does_not_run(page):
    # The landing page promises that the site runs no framework code; every such listing
    # must say so where the reader sees it: in its tab's name and in its title.
    problems = []
    for block in python_blocks(page):
        framework = FRAMEWORK_IMPORT.search(block.code)
        if framework and not block.tab.endswith("(reference)"):
            problems.append(f"line {block.line}: {framework[1]} code outside a '(reference)' tab")
        if (framework or is_reference(block)) and not REFERENCE_TITLE.fullmatch(block.title):
            problems.append(f"line {block.line}: title {block.title!r} does not say "
                            "'Reference only: ... code, not run by this site'")
    assert not problems, f"{page}:\n" + "\n".join(problems)


# A power of ten from 1e-3 to 1e-12, where a pass mark would sit, written as 1e-7, 10^{-7},
# 10^-7 or 10⁻⁷.
SMALL_POWER = re.compile(r"1e-0*([3-9]|1[0-2])\b|10\^\{?-([3-9]|1[0-2])\}?|10⁻(¹[⁰¹²]|[³⁴⁵⁶⁷⁸⁹])")
GRADCHECK_WORDS = re.compile(r"relative error|gradient check|agrees? to|formula is right",
                             re.IGNORECASE)
# Lines that set a step size or a safety floor rather than state a pass mark.
NOT_A_PASS_MARK = re.compile(r"varepsilon|eps\b|eps =|tiny|nudg|clip", re.IGNORECASE)


def _gradcheck_texts() -> list[Path]:
    """Every page, lesson and library or site module: where a pass mark could be typed."""
    return sorted([*DOCS.rglob("*.md"), *(ROOT / "lessons").glob("*.py"),
                   *(ROOT / "src").rglob("*.py")])


def test_gradient_check_threshold_is_only_quoted_from_gradcheck():
    # One pass mark for "a gradient check passes": glassnet.gradcheck.THRESHOLD. Pages quote
    # it as a fact and lessons print it; no text near a gradient check types another value.
    problems = []
    for path in _gradcheck_texts():
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            window = " ".join(lines[max(i - 2, 0):i + 3])
            if (SMALL_POWER.search(line) and GRADCHECK_WORDS.search(window)
                    and not NOT_A_PASS_MARK.search(line)
                    and not line.startswith("THRESHOLD = ")):
                problems.append(f"{path.relative_to(ROOT)}:{i + 1}: {line.strip()}")
    assert not problems, "\n".join(problems)
